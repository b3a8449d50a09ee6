"""§14 the brand manager's promotion campaigns through real workbooks on each database: export, fill in new ones,
submit; unknown SKUs, bad months and codes refused with their cells and nothing saved; a stale file refused."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from addin.handlers.campaigns import campaign_rows, export_campaign_book
from engine.errors import NotAllowed, Refused
from storage.schema import AuditEntry
from tests.brand_helpers import fill, submit
from tests.integration.big_table_helpers import actor_of
from workbooks.campaigns import CAMPAIGNS, SKUS

SKU1, SKU2 = "6901000000000", "6901000000001"


def new_campaign(path, code="CX2612", sku_cells=None, **heads):
    """Type a campaign into the first blank rows of a freshly exported (empty) workbook."""
    fill(path, CAMPAIGNS, {"A6": code, "B6": heads.get("name", "黄鹤楼冬季培育"), "C6": heads.get("first", "2026-12"),
                           "D6": heads.get("last", "2027-01"), "E6": heads.get("covers", "D01、440103000001")})
    fill(path, SKUS, sku_cells or {"A7": code, "B7": SKU1, "D7": "是", "E7": "是", "F7": "否", "G7": "否",
                                   "A8": code, "B8": SKU2, "D8": "是", "E8": "否", "F8": "是", "G8": "是"})


def campaigns(app):
    with app.uow() as uow:
        return uow.campaigns.all()


def test_brand_manager_keeps_campaigns(app, tmp_path):
    path = tmp_path / "促销战役.xlsx"
    outcome = export_campaign_book(app, actor_of(app, "bm01"), path)
    assert "0 个战役" in outcome.message
    new_campaign(path, first="２０２６年12月")  # full-width digits and a Chinese month are read
    saved = submit(app, path, "bm01")
    assert saved.message == "已保存 1 个促销战役（文件中共 1 个）。"
    [kept] = campaigns(app)
    assert (kept.code, kept.first_month, kept.last_month, kept.covers) == ("CX2612", "2026-12", "2027-01",
                                                                            ("D01", "440103000001"))
    assert [(s.sku, s.checks) for s in kept.skus] == [(SKU1, ("shelf", "display")),
                                                      (SKU2, ("shelf", "price_tag", "poster"))]
    assert kept.covers_store("440101000001", ("C01", "Z01", "D01", "P001"))
    assert not kept.covers_store("440103000002", ("C01", "Z01", "D02", "P003"))
    assert kept.covers_store("440103000001", ("C01", "Z01", "D02", "P003"))
    assert submit(app, path, "bm01").message.startswith("文件中没有新的修改")  # its own save does not make it stale
    rows = campaign_rows(app, actor_of(app, "cm001"), "2026-12")
    assert rows[0][0] == "CX2612" and "上柜、陈列" in rows[0][4]
    assert campaign_rows(app, actor_of(app, "cm001"), "2027-02") == []
    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(AuditEntry)
                                  .where(AuditEntry.entity == "campaigns")) == 1


def test_bad_campaign_rows_are_refused_with_their_cells(app, tmp_path):
    path = tmp_path / "促销战役.xlsx"
    export_campaign_book(app, actor_of(app, "bm01"), path)
    new_campaign(path, last="2026-11", covers="D09", sku_cells={
        "A7": "CX2612", "B7": "6901999999999", "D7": "是", "A8": "CX2612", "B8": SKU1, "D8": "也许",
        "A9": "NOPE", "B9": SKU2, "D9": "是"})
    with pytest.raises(Refused) as refused:
        submit(app, path, "bm01")
    said = {f"{f.sheet}!{f.cell}": f.message for f in refused.value.findings}
    assert "早于开始月份" in said["促销战役!D6"]
    assert "D09" in said["促销战役!E6"]
    assert "不在卷烟规格中" in said["战役规格!B7"]
    assert "只能填 是 或 否" in said["战役规格!D8"]
    assert "NOPE 不在“促销战役”表中" in said["战役规格!A9"]
    assert campaigns(app) == []  # nothing saved


def _sale(app, sku: str, on_sale: bool) -> None:
    """What the catalogue says of the SKU (what `cmw import products` with 状态 在销 / 停产 keeps)."""
    from sqlalchemy import update

    from storage.schema import ProductRow

    with app.uow() as uow:
        uow.session.execute(update(ProductRow).where(ProductRow.sku == sku).values(on_sale=on_sale))
        uow.commit()


def test_a_sku_no_longer_on_sale_is_refused_unless_the_campaign_has_it(app, tmp_path):
    _sale(app, SKU2, False)
    path = tmp_path / "促销战役.xlsx"
    export_campaign_book(app, actor_of(app, "bm01"), path)
    new_campaign(path)
    with pytest.raises(Refused) as refused:
        submit(app, path, "bm01")
    [finding] = refused.value.findings
    assert (finding.sheet, finding.cell) == (SKUS, "B8")
    assert "已停产，不能加入促销战役" in finding.message and "请换一个在销的规格" in finding.message
    assert campaigns(app) == []  # nothing saved
    _sale(app, SKU2, True)  # on sale when the campaign took it, stopped since: the campaign keeps it
    submit(app, path, "bm01")
    _sale(app, SKU2, False)
    kept = tmp_path / "again.xlsx"
    export_campaign_book(app, actor_of(app, "bm01"), kept)
    fill(kept, CAMPAIGNS, {"B6": "改名后照样保存"})
    assert submit(app, kept, "bm01").message.startswith("已保存 1 个促销战役")
    assert [s.sku for s in campaigns(app)[0].skus] == [SKU1, SKU2]


def test_only_the_brand_manager_keeps_campaigns_and_a_stale_file_is_refused(app, tmp_path):
    with pytest.raises(NotAllowed, match="维护促销战役"):
        export_campaign_book(app, actor_of(app, "cm001"), tmp_path / "x.xlsx")
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    export_campaign_book(app, actor_of(app, "bm01"), first)
    export_campaign_book(app, actor_of(app, "bm01"), second)
    new_campaign(first)
    submit(app, first, "bm01")
    new_campaign(second, name="另一个名字")  # the same campaign changed through an older export
    with pytest.raises(Refused, match="在您导出后已被别人修改"):
        submit(app, second, "bm01")
    assert campaigns(app)[0].name == "黄鹤楼冬季培育"
    third = tmp_path / "c.xlsx"
    export_campaign_book(app, actor_of(app, "bm01"), third)
    fill(first, CAMPAIGNS, {"B6": "改过的名字"})
    submit(app, first, "bm01")
    assert submit(app, third, "bm01").message.startswith("文件中没有新的修改")  # an old copy changes nothing back
    assert campaigns(app)[0].name == "改过的名字"
