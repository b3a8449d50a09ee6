"""The brand manager's key-brand list per month, through real workbooks on each database: export (pre-filled from the
products' flags, then from the newest earlier month), fill in, submit; the refusals; and the per-store per-brand
monthly totals the orders importer keeps beside store_months."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from addin.handlers.key_brands import export_key_brand_book, key_brand_rows
from addin.handlers.submission import submit_workbook
from engine.errors import Refused
from engine.key_brands import key_brands_of
from storage import store_months
from storage.schema import AuditEntry, StoreBrandMonthRow, StoreMonthRow, Submission
from tests.integration.big_table_helpers import actor_of

MONTH = "2026-11"
SHEET = "重点品牌"


def fill(path, cells: dict) -> None:
    book = load_workbook(path)
    for cell, value in cells.items():
        book[SHEET][cell] = value
    book.save(path)


def submit(app, path, who="bm01"):
    return submit_workbook(app, actor_of(app, who), path.name, path.read_bytes())


def kept(app, month=MONTH):
    with app.uow() as uow:
        return uow.key_brands.of_month(month)


def test_brand_manager_keeps_the_months_list(app, tmp_path):
    path = tmp_path / "重点品牌.xlsx"
    outcome = export_key_brand_book(app, actor_of(app, "bm01"), MONTH, path)
    assert "3 个品牌" in outcome.message and "按卷烟规格的标记预填" in outcome.details[0]
    sheet = load_workbook(path)[SHEET]
    assert [sheet[f"A{r}"].value for r in (6, 7, 8)] == ["丙", "乙", "甲"]
    assert [sheet[f"D{r}"].value for r in (6, 7, 8)] == ["否", "是", "是"]  # the products' own flags
    assert sheet["E6"].value == "是" and sheet["A6"].protection.locked and not sheet["D6"].protection.locked
    with pytest.raises(Refused, match="还没有维护重点品牌"):
        with app.uow() as uow:
            key_brands_of(uow, MONTH, "做月度品牌状态分析")
    fill(path, {"D6": "是", "E8": "是"})
    saved = submit(app, path)
    assert saved.message == "已保存 2026-11 的重点品牌名单：重点品牌 3 个、骨干品牌 2 个（共 3 个品牌）。"
    assert "丙：（不是重点或骨干品牌） → 重点品牌、骨干品牌" in saved.details
    assert kept(app) == {"丙": (True, True), "乙": (True, False), "甲": (True, True)}
    with app.uow() as uow:
        assert [b.brand for b in key_brands_of(uow, MONTH, "x")] == ["丙", "乙", "甲"]
        audit = uow.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "key_brands"))
    assert audit == 3  # the first list: every brand on it is a change
    fill(path, {"D7": "否"})  # the same file again: its own save does not make it stale
    assert submit(app, path).details[:-1] == ("乙：重点品牌 → （不是重点或骨干品牌）",)
    rows, source = key_brand_rows(app, MONTH)
    assert [r[0] for r in rows] == ["丙", "甲"] and "2 个品牌" in source
    # next month starts from this one
    later = tmp_path / "later.xlsx"
    assert "按 2026-11 的名单预填" in export_key_brand_book(app, actor_of(app, "bm01"), "2026-12", later).details[0]


def test_bad_lists_are_refused_and_change_nothing(app, tmp_path):
    with pytest.raises(Refused, match="无权维护重点品牌：只能由品牌经理、管理员维护"):
        export_key_brand_book(app, actor_of(app, "cm001"), MONTH, tmp_path / "x.xlsx")
    path = tmp_path / "重点品牌.xlsx"
    export_key_brand_book(app, actor_of(app, "bm01"), MONTH, path)
    fill(path, {"D6": "可能", "A7": "丁"})
    with pytest.raises(Refused) as refused:
        submit(app, path)
    found = {(f.sheet, f.cell): f.message for f in refused.value.findings}
    assert "只能填 是 或 否" in found[(SHEET, "D6")] and "不在卷烟规格中" in found[(SHEET, "A7")]
    assert "提交编号" in refused.value.message and kept(app) == {}
    fill(path, {"D6": "否", "A7": "乙", "E6": "否", "D7": "否", "D8": "否"})
    with pytest.raises(Refused, match="没有一个重点或骨干品牌"):
        submit(app, path)
    with pytest.raises(Refused, match="无权维护重点品牌"):
        submit(app, path, "cm001")
    # two exports: the second is stale once the first is saved with other flags
    other = tmp_path / "other.xlsx"
    export_key_brand_book(app, actor_of(app, "bm01"), MONTH, other)
    fill(path, {"D8": "是"})
    submit(app, path)
    fill(other, {"D6": "是"})
    with pytest.raises(Refused, match="在您导出后已被修改") as stale:
        submit(app, other)
    assert [f.message for f in stale.value.findings] == ["甲：（不是重点或骨干品牌） → 重点品牌"]
    assert kept(app) == {"甲": (True, False)}
    with app.uow() as uow:
        outcomes = [o for (o,) in uow.session.execute(select(Submission.outcome).order_by(Submission.id))]
    assert outcomes.count("refused") == 4 and outcomes.count("accepted") == 1  # every file kept


def test_an_older_copy_of_the_list_changes_nothing(app, tmp_path):
    path, copy = tmp_path / "重点品牌.xlsx", tmp_path / "重点品牌-副本.xlsx"
    export_key_brand_book(app, actor_of(app, "bm01"), MONTH, path)
    copy.write_bytes(path.read_bytes())
    fill(path, {"D6": "是", "E8": "是"})
    submit(app, path)
    fill(copy, {"E7": "是"})  # the copy saved before, edited elsewhere: 丙 and 甲 still as exported
    with pytest.raises(Refused, match="这份重点品牌表是较早的副本") as refused:
        submit(app, copy)
    assert [f.cell for f in refused.value.findings] == ["D6", "D8"]
    assert kept(app) == {"丙": (True, True), "乙": (True, False), "甲": (True, True)}
    fill(path, {"D6": "否", "E6": "否"})  # the file handed back: one brand put back on purpose is a change
    assert submit(app, path).details[:-1] == ("丙：重点品牌、骨干品牌 → （不是重点或骨干品牌）",)


def test_brand_months_add_up_to_store_months(app):
    with app.uow() as uow:
        brands = uow.session.execute(select(StoreBrandMonthRow.store_id, func.sum(StoreBrandMonthRow.volume))
                                     .where(StoreBrandMonthRow.month == "2026-10")
                                     .group_by(StoreBrandMonthRow.store_id)).all()
        stores = dict(uow.session.execute(select(StoreMonthRow.store_id, StoreMonthRow.volume)
                                          .where(StoreMonthRow.month == "2026-10")).all())
        frame = uow.brand_months.totals(["cm001"], ["2026-10"], ["甲"])
    assert brands and {s: int(v) for s, v in brands} == {s: int(v) for s, v in stores.items()}
    assert set(frame["brand"]) == {"甲"} and set(frame["price_class"]) <= {1, 4} and frame["volume"].gt(0).all()


def test_the_database_counts_the_stores_that_stock_a_brand(app):
    """The shelf rule's count (BrandMonths.stocking): a store stocks a brand when its month's 条 of it, all price
    classes together, reach SHELF_MINIMUM; only active stores count; every store's 条 count in the volume."""
    from sqlalchemy import update

    from engine.brand_analysis import brand_month_by_cm
    from engine.brands import SHELF_MINIMUM
    from storage.schema import StoreRow

    with app.uow() as uow:
        a, b, c, d = [s.id for s in uow.analyses.scope(["cm001"]) if s.status == "active"][:4]
    with app.sessions.begin() as session:
        session.execute(update(StoreRow).where(StoreRow.id == d).values(status="suspended"))
        store_months.ensure_months(session, ["2026-08"])
        session.add_all(StoreBrandMonthRow(month="2026-08", store_id=store, brand=brand, price_class=klass,
                                           volume=volume, amount=volume * 100)
                        for store, brand, klass, volume in ((a, "甲", 1, 0), (a, "甲", 4, 1), (b, "甲", 1, 0),
                                                            (c, "乙", 1, 3), (d, "甲", 1, 5)))
    with app.uow() as uow:
        month = uow.brand_months.stocking(["cm001", "cm002"], ["2026-08"], ["甲", "乙"], SHELF_MINIMUM)
        per_store = uow.brand_months.stocking(["cm001"], ["2026-08"], ["甲"], SHELF_MINIMUM, ("store",), [a, b, d])
        by_tier = uow.brand_months.stocking(["cm001"], ["2026-08"], ["甲", "乙"], SHELF_MINIMUM, ("tier", "format"))
        found = brand_month_by_cm(uow, ["cm001", "cm002"], "2026-08", "甲")
        active = len([s for s in uow.analyses.scope(["cm001"]) if s.status == "active"])
    assert sorted(month.itertuples(index=False, name=None)) == [("2026-08", "cm001", "乙", 1, 3),
                                                                ("2026-08", "cm001", "甲", 1, 6)]
    assert dict(zip(per_store["store"], per_store["shelved"])) == {a: 1, b: 0, d: 0}
    assert by_tier.groupby("brand")["shelved"].sum().to_dict() == {"乙": 1, "甲": 1}
    assert found == {"cm001": (active, 1, 6), "cm002": (active + 1, 0, 0)}


def test_the_command_line(cmw, tmp_path):
    path = tmp_path / "重点品牌.xlsx"
    code, out, _ = cmw("brands", "list", "--month", MONTH, "--as", "cm001")
    assert code == 0 and "尚未维护重点品牌" in out
    code, _, err = cmw("brands", "export", "--month", MONTH, "--as", "mm01", "-o", path)
    assert code == 2 and "无权维护重点品牌：只能由品牌经理、管理员维护" in err
    code, out, _ = cmw("brands", "export", "--month", MONTH, "--as", "bm01", "-o", path)
    assert code == 0 and "已导出 2026-11 的重点品牌表（3 个品牌）" in out
    code, _, err = cmw("brands", "import", path, "--month", "2026-12", "--as", "bm01")
    assert code == 2 and "是 2026-11 的重点品牌表，不是 2026-12 的" in err
    code, out, _ = cmw("brands", "import", path, "--as", "bm01")
    assert code == 0 and "重点品牌 2 个、骨干品牌 1 个" in out and "提交编号" in out
    code, out, _ = cmw("brands", "list", "--month", MONTH, "--as", "cm001")
    assert code == 0 and "丙" in out and "甲" in out
