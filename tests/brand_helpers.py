"""Keeping a month's key brands for tests (what the brand manager's workbook does, without the workbook)."""
from __future__ import annotations

#: The factory's brands: 甲 and 乙 key, 丙 backbone (as its products are flagged).
FLAGS = {"甲": (True, False), "乙": (True, False), "丙": (False, True)}


def keep_brands(app, month: str, flags: dict | None = None) -> None:
    """The month's list kept as the brand manager would, in one transaction."""
    with app.uow() as uow:
        uow.key_brands.replace(month, flags or FLAGS, "bm01")
        uow.commit()
