"""§4 monthly market analysis and §7 monthly brand analysis through real workbooks on each database: figures from the
importer's monthly totals (the district beside the department, against last month; shelf rates by the one rule, per
tier band, per format and over the target stores), the CM's texts, save then confirm (locked, the figures kept as
confirmed), the print; and what is refused without key brands or targets."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from addin.handlers.forms import export_form, print_form
from engine.errors import Refused
from storage.schema import OrderLineRow
from storage.store_months import refresh_months
from tests.brand_helpers import fill, keep_brands, submit
from tests.factories import store_code
from tests.integration.big_table_helpers import actor_of

MONTH = "2026-10"  # the month analysed: the factory's orders



def lines(path, sheet: str) -> dict[str, list]:
    """A table sheet's lines by their first column's value (the measure or the brand), from row 5 on."""
    rows = load_workbook(path)[sheet].iter_rows(min_row=5, values_only=True)
    return {f"{row[1]}" + (f"/{row[2]}" if sheet in ("分档位上柜率", "分业态上柜率") else ""): list(row[1:])
            for row in rows if row[1] is not None}


def test_market_analysis(app, tmp_path):
    path = tmp_path / "市场.xlsx"
    with pytest.raises(Refused, match="2026-10 还没有维护重点品牌，不能做月度市场状态分析"):
        export_form(app, actor_of(app, "cm001"), "market", MONTH, path)
    keep_brands(app, MONTH)
    export_form(app, actor_of(app, "cm001"), "market", MONTH, path)
    table = lines(path, "市场指标")
    volume = table["销量（条）"]
    assert volume[1] != "—" and volume[2] == "—" and volume[4] == "—"  # no September, no October a year before
    assert volume[6] != "—" and int(volume[6].replace(",", "")) > int(volume[1].replace(",", ""))  # the department
    assert table["有效客户数（户）"][1] == "5" and table["重点品牌占比"][1].endswith("%")
    assert "甲 销量（条）" in table and "一类烟占比" in table
    fill(path, "月度市场状态分析", {"B8": "城区一类烟下滑", "B9": "主推甲品牌"})
    assert submit(app, path).message == "已保存 2 处修改。"
    fill(path, "月度市场状态分析", {"B4": "提交"})
    done = submit(app, path)
    assert "当前状态：已确认" in done.details[-2]
    with app.sessions.begin() as session:  # the month's orders change after the analysis was confirmed
        session.execute(update(OrderLineRow).values(qty_ordered=OrderLineRow.qty_ordered * 3))
        refresh_months(session, [MONTH])
    fill(path, "月度市场状态分析", {"B4": "保存", "B9": "改了"})
    with pytest.raises(Refused):
        submit(app, path)
    html = tmp_path / "市场.html"
    print_form(app, actor_of(app, "cm001"), "market", MONTH, html)
    text = html.read_text(encoding="utf-8")
    assert "城区一类烟下滑" in text and volume[1] in text and "已确认" in text  # the figures as confirmed


def _targets(app, tmp_path) -> None:
    """cm001's October targets (甲 and 丙) and target stores for 丙 (store 1 ordered nothing of 丙, store 2 did)."""
    path = tmp_path / "目标.xlsx"
    export_form(app, actor_of(app, "cm001"), "brand_targets", MONTH, path)
    fill(path, "品牌目标", {"B5": "甲", "C5": 90, "D5": 100, "B6": "丙", "C6": 80, "D6": 40, "E6": 4})
    submit(app, path)
    stores = tmp_path / "目标客户.xlsx"
    export_form(app, actor_of(app, "cm001"), "target_stores", MONTH, stores)
    fill(stores, "目标客户", {"B5": "丙", "C5": f"{store_code(1, 1)} cm001的第1家烟酒店",
                              "B6": "丙", "C6": f"{store_code(1, 2)} cm001的第2家烟酒店"})
    submit(app, stores)


def test_brand_analysis(app, tmp_path):
    keep_brands(app, MONTH)
    path = tmp_path / "品牌分析.xlsx"
    with pytest.raises(Refused, match="还没有设置 2026-10 的品牌目标"):
        export_form(app, actor_of(app, "cm001"), "brand_analysis", MONTH, path)
    _targets(app, tmp_path)
    export_form(app, actor_of(app, "cm001"), "brand_analysis", MONTH, path)
    brands = lines(path, "品牌上柜与销量")
    assert list(brands) == ["乙", "甲", "丙"]  # key brands (乙, 甲) first, then the backbone-only 丙
    # cm001's 5 active stores all ordered 甲; 丙 was ordered by stores 2-4 (the factory's orders): 3 of 5
    assert brands["甲"][2:4] == [0.9, 1] and brands["丙"][2:4] == [0.8, 0.6] and brands["乙"][2] is None
    assert brands["丙"][4] is None  # September has no orders: no rate, not 0 %
    assert brands["丙"][11] == 3 and brands["丙"][12] == 4
    bands = lines(path, "分档位上柜率")
    assert bands["丙/6–10档"][2:5] == [1, 0, 0] and bands["丙/16–20档"][2:5] == [2, 2, 1]
    assert bands["丙/未定档"][2:5] == [1, 0, 0] and bands["丙/16–20档"][5] == 0.8
    targets = lines(path, "目标客户上柜情况")
    # the store not stocking 丙, named with its code (two stores of one name stay two)
    assert targets["丙"][1:4] == [2, 1, 0.5] and targets["丙"][4] == f"cm001的第1家烟酒店（{store_code(1, 1)}）"
    trend = load_workbook(path)["近六个月走势"]
    assert [trend.cell(r, 3).value for r in range(5, 11)] == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09",
                                                              "2026-10"]
    fill(path, "月度品牌状态分析", {"B7": "丙上柜率低于目标 20 个百分点", "B8": "走访未订丙的目标客户", "B4": "提交"})
    assert "当前状态：已确认" in submit(app, path).details[-2]
    html = tmp_path / "品牌分析.html"
    print_form(app, actor_of(app, "cm001"), "brand_analysis", MONTH, html)
    text = html.read_text(encoding="utf-8")
    assert "60.0%" in text and "80.0%" in text and "丙上柜率低于目标" in text
    assert text.count("<svg") == 6 and "丙 分档位上柜率与目标" in text  # the workbook's charts, in the print too
    # 乙 has no target: its tier-band chart draws the actual rate alone, with no empty 目标上柜率 in its legend
    ending = text.index("乙 分档位上柜率与目标")
    assert "目标上柜率" not in text[ending:text.index("</svg>", ending)]
    assert "目标上柜率" in text[text.index("丙 分档位上柜率与目标"):]


@pytest.mark.libreoffice
@pytest.mark.one_database
def test_brand_analysis_charts_survive_libreoffice_and_print(app, tmp_path):
    """§7's native charts (shelf rate by tier band against target, six months' volume, one each per brand) are still
    charts after LibreOffice re-saves the workbook, and are printed with it."""
    import subprocess
    import zipfile

    from tests.integration.libreoffice_pdf import pdf_text, require_tools, to_pdf

    require_tools()
    keep_brands(app, MONTH)
    _targets(app, tmp_path)
    path = tmp_path / "品牌分析.xlsx"
    export_form(app, actor_of(app, "cm001"), "brand_analysis", MONTH, path)

    def charts(book) -> list[str]:
        with zipfile.ZipFile(book) as z:
            return [n for n in z.namelist() if n.startswith("xl/charts/chart") and n.endswith(".xml")]
    assert len(charts(path)) == 6  # 3 brands × (tier bands, trend)
    profile, out = tmp_path / "profile", tmp_path / "resaved"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(path)],
                   capture_output=True, timeout=120, check=True)
    assert len(charts(out / path.name)) == 6
    text = pdf_text(to_pdf(out / path.name, profile, tmp_path))
    assert "丙 分档位上柜率与目标" in text and "甲 近六个月销量（条）" in text and "目标上柜率" in text
