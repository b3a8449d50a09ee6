"""§3 审核 workbook of a market manager: a summary row per CM whose plan or results await a decision, then
each of those CMs' big tables, read-only.

Only the summary comes back: a decision and a reason per row. What each row showed (state and version)
is kept in the export's snapshot, so a decision on a table that moved on since is refused for that row.
"""
from __future__ import annotations

import re

from engine.review import APPROVE, REJECT, ReviewRow
from workbooks.big_table import COUNT_HEADERS, MARKS, count_field
from workbooks.builder import SheetData
from workbooks.layout import BookLayout, Column, SheetLayout

MODULE = "review"
SHEET = "审核汇总"
TITLE = "任务执行标注表审核"
TEMPLATE_VERSION = 1
DECISION, REASON = "decision", "reason"
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\']")

SUMMARY = SheetLayout(SHEET, (
    Column("cm", "客户经理", 10),
    Column("cm_name", "姓名", 9),
    Column("what", "审核内容", 8, center=True),
    Column("stores", "客户数", 7, numeric=True),
    *(Column(count_field(m), COUNT_HEADERS[m], 9, numeric=True) for m in MARKS),
    Column("completion", "完成率", 8, numeric=True, number_format="0.0%"),
    Column("changes", "本次修改数", 9, numeric=True),
    Column(DECISION, "审核意见", 11, editable=True, choices=(APPROVE, REJECT),
           hint=f"选“{APPROVE}”或“{REJECT}”；不填则本次不处理这一行"),
    Column(REASON, "驳回理由", 44, editable=True, max_length=200, hint="驳回时必填：告诉客户经理要改什么（200 字以内）",
           alert=f'=AND({{{DECISION}}}="{REJECT}",{{{REASON}}}="")'),
), title_row=1, note_row=2, header_row=4, frozen_columns=2)

#: The sheet that comes back (the big-table sheets after it are only for reading).
LAYOUT = BookLayout(module=MODULE, title=TITLE, template_version=TEMPLATE_VERSION, sheets=(SUMMARY,))


def cm_sheet_name(cm_code: str, cm_name: str) -> str:
    """A CM's sheet in the review workbook: code and name, as Excel allows sheet names."""
    return _NOT_IN_SHEET_NAMES.sub("", f"{cm_code} {cm_name}")[:31]


def review_layout(cm_sheets: tuple[SheetLayout, ...]) -> BookLayout:
    """The review workbook: the summary, then a read-only big-table sheet per CM."""
    return BookLayout(module=MODULE, title=TITLE, template_version=TEMPLATE_VERSION, sheets=(SUMMARY, *cm_sheets))


def summary_data(rows: list[ReviewRow], submit_hint: str) -> SheetData:
    """The summary sheet: one row per CM awaiting a decision, with counts, completion and changes."""
    records = [{"cm": r.cm_code, "cm_name": r.cm_name, "what": r.what, "stores": r.stores,
                **{count_field(m): r.counts[m] for m in MARKS}, "completion": r.completion, "changes": r.changes}
               for r in rows]
    notes = (f"在黄色的“审核意见”列选“{APPROVE}”或“{REJECT}”，驳回须填写“驳回理由”；不填的行本次不处理。{submit_hint}",
             "完成率 = ★ ÷（☆ + ★）；本次修改数 = 上次审核以来客户经理改动的标记数。各客户经理的大表见后面的工作表（只读）。")
    return SheetData(records, notes=notes)
