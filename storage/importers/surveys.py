"""The ordering platform's answers file (网上问卷, CSV or .xlsx): its columns by Chinese name, plain English or the
platform's field names, read into engine.survey_import.PlatformRow lines (text, with the row number a user sees)."""
from __future__ import annotations

from pathlib import Path

from engine.survey_import import PlatformRow
from storage.importers.columns import Column, locate
from storage.importers.reading import read_table

SURVEY = (
    Column("store_code", "客户编码", ("cust_id", "cust_code"), required=True),
    Column("answered_on", "答卷日期", ("answer_date", "fill_date", "调查日期"), required=True),
    Column("items", "需求项目", ("need_items", "demand_items"), required=True),
    Column("urgent1", "最急需一", ("urgent_need1", "最急需1")),
    Column("urgent2", "最急需二", ("urgent_need2", "最急需2")),
    Column("urgent3", "最急需三", ("urgent_need3", "最急需3")),
    Column("suggestion", "建议意见", ("advice", "建议")),
    Column("month", "调查月份", ("survey_month",)),
)


def read_platform_file(path: Path) -> tuple[list[PlatformRow], dict[str, str]]:
    """The file's lines and, per field, its column as the file heads it; Refused on a file or header problem."""
    table = read_table(Path(path))
    found = locate(table, SURVEY, "网上问卷")
    frame = table.frame
    blank = [""] * len(frame)

    def column(field: str) -> list[str]:
        return frame[found[field]].tolist() if field in found else blank

    numbers = table.excel_rows(slice(None))
    rows = [PlatformRow(number, store, day, items, (u1, u2, u3), suggestion, month)
            for number, store, day, items, u1, u2, u3, suggestion, month
            in zip(numbers, *(column(c.field) for c in SURVEY))]
    return rows, found
