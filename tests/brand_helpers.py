"""Keeping a month's key brands for tests (what the brand manager's workbook does, without the workbook)."""
from __future__ import annotations

#: The factory's brands: 甲 and 乙 key, 丙 backbone (as its products are flagged).
FLAGS = {"甲": (True, False), "乙": (True, False), "丙": (False, True)}


def keep_brands(app, month: str, flags: dict | None = None) -> None:
    """The month's list kept as the brand manager would, in one transaction."""
    with app.uow() as uow:
        uow.key_brands.replace(month, flags or FLAGS, "bm01")
        uow.commit()


def fill(path, sheet: str, cells: dict) -> None:
    """Type into a saved workbook as a user would (openpyxl keeps the rest as it was)."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    for cell, value in cells.items():
        book[sheet][cell] = value
    book.save(path)


def submit(app, path, who: str = "cm001"):
    """Hand the file in through the shared submission path, as who."""
    from addin.handlers.submission import submit_workbook
    from tests.integration.big_table_helpers import actor_of

    return submit_workbook(app, actor_of(app, who), path.name, path.read_bytes())
