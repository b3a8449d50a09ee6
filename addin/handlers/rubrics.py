"""评分标准 (rubrics): the administrator exports the current version, edits it in Excel, imports it as a new version."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from addin.app import App
from engine.actors import Actor
from engine.errors import Refused
from engine.formula_text import restored
from engine.records import Outcome
from engine.rubric_files import NUMERIC_HEADERS
from engine.rubrics import KINDS, import_rubric as store_rubric, rubric_rows
from storage.importers.reading import read_table
from workbooks.builder import Heading
from workbooks.csv_safe import write_csv
from workbooks.rubric_book import write_rubric_book


def export_rubric(app: App, actor: Actor, kind: str, target: Path) -> Outcome:
    """Write the current version of a rubric as a table (.xlsx or .csv) to edit."""
    version, rows, company = rubric_rows(app.uow(), actor, kind)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix.lower() == ".csv":
        write_csv(pd.DataFrame(rows), target)
    else:
        heading = Heading(company, KINDS[kind], actor.label, f"第 {version} 版", date.today())
        write_rubric_book(target, KINDS[kind], rows, NUMERIC_HEADERS, heading)
    return Outcome(f"已导出{KINDS[kind]}（第 {version} 版，{len(rows)} 行）到 {target}。修改后由管理员用 cmw rubric import {kind} 文件 --as 管理员编码 导入为新版本。")


def import_rubric(app: App, actor: Actor, kind: str, source: Path) -> Outcome:
    """Store an edited rubric as a new version (months already computed keep theirs); the administrator's."""
    def rows() -> list[tuple[int, dict[str, str]]]:
        table = read_table(source)
        return [(number, {k: "" if pd.isna(v) else restored(str(v)) for k, v in row.items()})
                for number, row in zip(table.excel_rows(slice(None)), table.frame.to_dict("records"))]

    version = store_rubric(app.uow(), actor, kind, rows)
    return Outcome(f"已导入{KINDS[kind]}第 {version} 版。此后计算的月份使用新版本；已计算的月份保留原版本。")


def show_rubric(app: App, actor: Actor, kind: str) -> list[str]:
    """The current version of a rubric as lines of text."""
    version, rows, _ = rubric_rows(app.uow(), actor, kind)
    return [f"{KINDS[kind]} 第 {version} 版："] + ["  ".join(f"{k}={v}" for k, v in row.items() if v) for row in rows]
