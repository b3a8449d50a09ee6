"""What a user does between cmw commands, as in Excel: fill in the capability workbook, mark the plan file, decide in
the review workbook; how a command's outcome is checked; and §10 for a month through the command line."""
from __future__ import annotations

from openpyxl import load_workbook

from engine.capability import DEFAULT_CAPABILITY_RUBRIC as RUBRIC
from engine.capability_scoring import NEW_STORE, item_field, score_field
from tests.analysis_helpers import MONTH
from tests.factories import STORES_PER_CM
from workbooks import big_table as plan_book, capability as capability_book, review as review_book

CAPABILITY = capability_book.LAYOUT.sheet(capability_book.SHEET)
PLAN = plan_book.LAYOUT.sheet(plan_book.SHEET)
[OPERATION] = PLAN.inputs
ROWS = range(PLAN.first_data_row, PLAN.first_data_row + STORES_PER_CM)
SUMMARY = review_book.SUMMARY


def ok(result) -> str:
    """The output of a command that must succeed."""
    code, out, err = result
    assert code == 0, err
    return out


def refused(result) -> str:
    """The message of a command that must be refused (exit 2, no traceback)."""
    code, out, err = result
    assert code == 2 and "Traceback" not in err, (code, out, err)
    return err


def fill(path, bad_row: int | None = None) -> None:
    """Score every store as a CM would in Excel (the bad row gets 店面形象 好 with 7 points)."""
    book = load_workbook(path)
    sheet = book[capability_book.SHEET]
    for row in range(CAPABILITY.first_data_row, CAPABILITY.first_data_row + STORES_PER_CM):
        for indicator in RUBRIC.indicators:
            top = indicator.items[0]
            sheet[CAPABILITY.cell(item_field(indicator.code), row)] = top.label
            sheet[CAPABILITY.cell(score_field(indicator.code), row)] = float(top.high)
        sheet[CAPABILITY.cell(NEW_STORE, row)] = "否"
    if bad_row:
        sheet[CAPABILITY.cell(score_field("store_image"), bad_row)] = 7
    book.save(path)


def score(path) -> None:
    """Score every store in the capability workbook, items varying by store, so that strategies trigger actions."""
    layout = capability_book.LAYOUT.sheet(capability_book.SHEET)
    book = load_workbook(path)
    sheet = book[capability_book.SHEET]
    for n in range(STORES_PER_CM):
        row = layout.first_data_row + n
        for k, indicator in enumerate(RUBRIC.indicators):
            item = indicator.items[(n + k) % len(indicator.items)]
            sheet[layout.cell(item_field(indicator.code), row)] = item.label
            sheet[layout.cell(score_field(indicator.code), row)] = float(item.low)
        sheet[layout.cell(NEW_STORE, row)] = "否"
    book.save(path)


def ready(cli, folder, *cms: str) -> None:
    """§10 for the CMs' month through the command line: effect, capability scores, strategies."""
    ok(cli("analysis", "effect", "--as", "mm01", "--month", MONTH))
    for cm in cms:
        path = folder / f"{cm}-经营能力评分.xlsx"
        ok(cli("analysis", "capability", "export", "--as", cm, "--month", MONTH, "-o", path))
        score(path)
        ok(cli("submit", path, "--as", cm))
        ok(cli("analysis", "strategies", "--as", cm, "--month", MONTH))


def marks(path) -> dict[tuple[int, str], str]:
    """The plan file's mark cells: (sheet row, action) → mark."""
    sheet = load_workbook(path)[plan_book.SHEET]
    return {(r, a): sheet[PLAN.cell(a, r)].value or "" for r in ROWS for a in plan_book.DEFAULT_ACTIONS}


def edit(path, changes: dict[tuple[int, str], str], operation: str | None = None, unlock: bool = False) -> list[str]:
    """Change marks as a CM would in Excel (unlock: as one who removed the sheet protection); return the cells."""
    book = load_workbook(path)
    sheet = book[plan_book.SHEET]
    if unlock:
        sheet.protection.sheet = False
    for (row, action), mark in changes.items():
        sheet[PLAN.cell(action, row)] = mark or None
    if operation:
        sheet[OPERATION.cell] = operation
    book.save(path)
    return [f"{plan_book.SHEET}!{PLAN.cell(action, row)}" for row, action in changes]


def planned_and_blank(path) -> tuple[tuple[int, str], tuple[int, str]]:
    """A cell holding ☆ and a blank cell of the plan file."""
    cells = marks(path)
    return next(k for k, v in cells.items() if v == "☆"), next(k for k, v in cells.items() if not v)


def decide(path, decisions: dict[str, tuple[str, str | None]]) -> None:
    """Fill in the review summary as an MM would: per CM code, (审核意见, 驳回理由)."""
    book = load_workbook(path)
    sheet = book[review_book.SHEET]
    for row in range(SUMMARY.first_data_row, SUMMARY.first_data_row + 5):
        cm = sheet[SUMMARY.cell("cm", row)].value
        if cm in decisions:
            sheet[SUMMARY.cell(review_book.DECISION, row)], sheet[SUMMARY.cell(review_book.REASON, row)] = decisions[cm]
    book.save(path)
