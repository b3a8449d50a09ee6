"""审核 workbook of a market manager: a summary row per document awaiting their decision — big tables' plans and
results (§3), and every declared document type's (§11 月工作计划, §16 月度工作总结, …) — then each of those
documents on a sheet of its own, read-only (a big table with only what deciding on it needs: workbooks.big_table's
plan_sheet and plan_data with review).

Only the summary comes back: a decision and a reason per row. Which document and version each row showed is kept
in the export's snapshot, so a decision applies to exactly that document, and one that moved on since is refused
for that row.
"""
from __future__ import annotations

import re
from typing import Callable

from engine.forms import FormView
from engine.review import APPROVE, REJECT, Pending, ReviewRow
from workbooks.big_table import COUNT_HEADERS, MARKS, count_field
from workbooks.builder import SheetData
from workbooks.layout import BookLayout, Column, SheetLayout

MODULE = "review"
SHEET = "审核汇总"
TITLE = "任务执行标注表审核"
#: A declared document's read-only sheet: a row per field, then a row per filled line of each table.
DOCUMENT = (Column("item", "项目", 26), Column("value", "内容", 90))
TEMPLATE_VERSION = 1
DECISION, REASON = "decision", "reason"
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\']")

SUMMARY = SheetLayout(SHEET, (
    Column("cm", "客户经理", 10),
    Column("cm_name", "姓名", 9),
    Column("what", "审核内容", 14, center=True),
    Column("stores", "客户数", 7, numeric=True),
    *(Column(count_field(m), COUNT_HEADERS[m], 9, numeric=True) for m in MARKS),
    Column("completion", "完成率", 8, numeric=True, number_format="0.0%"),
    Column("changes", "本次修改数", 9, numeric=True),
    Column("summary", "摘要", 50, wrap=True),
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


def summary_data(rows: list[ReviewRow], pending: list[Pending], submit_hint: str,
                 fill_in: Callable[[Pending], str]) -> SheetData:
    """The summary sheet: one row per big table awaiting a decision, with counts, completion and changes, then one
    per declared document, with its summary and changes — for one the market manager fills in (the contract's 考评),
    first what to do instead (fill_in), since this sheet does not decide it."""
    records = [{"cm": r.cm_code, "cm_name": r.cm_name, "what": r.what, "stores": r.stores,
                **{count_field(m): r.counts[m] for m in MARKS}, "completion": r.completion, "changes": r.changes}
               for r in rows]
    records += [{"cm": p.view.doc.owner_code, "cm_name": p.view.owner_name, "what": p.what, "changes": p.changes,
                 "summary": f"【{fill_in(p)}】{p.summary}" if p.fills_in else p.summary} for p in pending]
    filled = "；标着【不在本表审核】的行（如绩效合约书考评）请按其中所写在单据中填写，这里不选审核意见" \
        if any(p.fills_in for p in pending) else ""
    notes = (f"在黄色的“审核意见”列选“{APPROVE}”或“{REJECT}”，驳回须填写“驳回理由”；不填的行本次不处理{filled}。"
             f"{submit_hint}",
             "完成率 = ★ ÷（☆ + ★）；本次修改数 = 上次审核以来客户经理改动的标记数（单据：改动的项目数）。"
             "各份大表（只列有标记的客户）和单据见后面的工作表（只读）。")
    return SheetData(records, notes=notes)


def document_sheet(name: str) -> SheetLayout:
    """A declared document's read-only sheet in the review workbook."""
    return SheetLayout(name, DOCUMENT, title_row=1, note_row=2, header_row=4, frozen_columns=1, landscape=False)


def _shown(value: object) -> str:
    if value is None or value == "":
        return "—"
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def document_data(view: FormView, title: str) -> SheetData:
    """A declared document as its review sheet shows it: each field, then each filled line of each table."""
    kind, values = view.kind, view.values
    rows = [{"item": f.label, "value": _shown(f.show(values.single.get(f.key)))} for f in kind.fields]
    for table in kind.tables:
        lines = [line for _, line in sorted(values.lines.get(table.key, {}).items())
                 if any(line.get(f.key) not in (None, "") for f in table.fields if not f.computed)
                 or all(f.computed for f in table.fields)]
        rows.append({"item": f"【{table.label}】", "value": f"{len(lines)} 行" if lines else "（未填写）"})
        rows += [{"item": f"　第 {n} 行", "value": "；".join(f"{f.label}：{_shown(f.show(line.get(f.key)))}"
                                                          for f in table.fields)}
                 for n, line in enumerate(lines, start=1)]
    state = f"状态：{kind.state_label(view.doc.state)}（第 {view.doc.version} 版）"
    return SheetData(rows, title=title, notes=(state,))
