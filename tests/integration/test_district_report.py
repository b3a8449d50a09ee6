"""§10 片区统计 on each database: refused before effect, the workbook (figures, charts, print setup) and the HTML,
who may see which CM, the command line, and LibreOffice printing the workbook's Chinese text."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from addin.app import App
from addin.cli import main
from addin.handlers.district import export_district
from engine.capability_scoring import NEW_STORE, NEW_STORE_STAGE, item_field, score_field
from engine.errors import Refused
from engine.operating_analysis import compute_effect, generate_strategies
from storage.database import make_engine, upgrade
from storage.schema import EffectScoreRow, StoreRow, StrategyRow
from tests.analysis_helpers import MONTH, actor, filled, submit
from tests.conftest import Database
from tests.factories import STORES_PER_CM, make_company, make_orders, store_code
from tests.integration.libreoffice_pdf import FOOTER, pdf_text, require_tools, to_pdf

SHEETS = ["概况", "潜力分布", "经营效果明细", "经营能力明细", "待提升指标"]
REMOTE = store_code(1, 3)  # scored 偏远 2 on 商圈位置, the only store below the district's 4.5 there
NEW = store_code(1, 6)


def prepare(db: Database, *, scored: bool = True, strategies: bool = True) -> App:
    """The test company with last two months' orders, cm001's effect computed, then optionally scored and generated."""
    make_company(db.sessions)
    make_orders(db.sessions, "2026-10")
    make_orders(db.sessions, "2026-09", scale=2)
    compute_effect(db.uow(), actor(db, "cm001"), month=MONTH)
    if scored:
        codes = [store_code(1, i) for i in range(1, STORES_PER_CM + 1)]
        rows = [filled(code, n + 3) for n, code in enumerate(codes)]
        rows[2] = filled(REMOTE, 5, **{item_field("location"): "偏远", score_field("location"): "2"})
        rows[5] = filled(NEW, 8, **{NEW_STORE: "是", NEW_STORE_STAGE: "开业1-3个月"})
        submit(db, rows)
    if strategies:
        generate_strategies(db.uow(), actor(db, "cm001"), cm_codes=["cm001"], month=MONTH)
    return App(db.engine, db.sessions)


def export(app: App, user: str, target: Path, cm: str = "cm001"):
    return export_district(app, app.actor(user), cm, MONTH, target)


def rows_by_first_cell(sheet) -> dict:
    return {row[0].value: row for row in sheet.iter_rows() if row[0].value is not None}


def data_rows(sheet) -> list[tuple]:
    """Values of a one-table sheet's rows: title, blank, caption and header come first, a note follows."""
    return [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0] is not None and row[1] is not None]


def header_index(sheet, header: str) -> int:
    for row in sheet.iter_rows(max_row=6):
        for cell in row:
            if cell.value == header:
                return cell.column - 1
    raise KeyError(header)


def test_refused_until_the_effect_is_computed(db, tmp_path):
    make_company(db.sessions)
    app = App(db.engine, db.sessions)
    for name in ("district.xlsx", "district.html"):
        with pytest.raises(Refused, match="经营效果尚未计算"):
            export(app, "cm001", tmp_path / name)
        assert not (tmp_path / name).exists()


def test_who_may_see_a_cms_district(db, tmp_path):
    app = prepare(db, scored=False, strategies=False)
    with pytest.raises(Refused, match="无权查看 cm001 的月度经营状态分析：只能由客户经理本人或管辖其单位的"):
        export(app, "mm02", tmp_path / "x.xlsx")
    with pytest.raises(Refused, match="客户经理 李四（cm002）无权查看 cm001 的月度经营状态分析"):  # the function asked for, named (issue #11, item 13)
        export(app, "cm002", tmp_path / "x.xlsx")
    with pytest.raises(Refused, match="无权查看 mm01 的月度经营状态分析"):  # the command line asks for --cm first
        export(app, "mm01", tmp_path / "x.xlsx", cm="mm01")
    with pytest.raises(Refused, match=r"\.xlsx、\.html 或 \.pdf"):
        export(app, "cm001", tmp_path / "x.docx")
    assert "6 户客户" in export(app, "mm01", tmp_path / "x.xlsx").message


def test_workbook_holds_the_statistics_the_drill_downs_and_charts(db, tmp_path):
    app = prepare(db)
    path = tmp_path / "district.xlsx"
    outcome = export(app, "cm001", path)
    assert "6/6 户已评分" in outcome.details[0] and "已生成" in outcome.details[1]
    book = load_workbook(path)
    assert book.sheetnames == [*SHEETS, "_meta"] and book["_meta"].sheet_state == "veryHidden"
    overview = rows_by_first_cell(book["概况"])
    assert overview["分析范围客户数"][1].value == STORES_PER_CM and overview["策略"][1].value == "已生成"
    bands = [overview[band] for band in ("0-20分", "20-40分", "40-60分", "60-80分", "80-100分")]
    assert sum(b[1].value for b in bands) == STORES_PER_CM
    assert [b[2].value for b in bands] == pytest.approx([b[1].value / STORES_PER_CM for b in bands])
    location = rows_by_first_cell(book["潜力分布"])["商圈位置"]
    share = location[header_index(book["潜力分布"], "潜在需求占比")]
    assert location[2].value == pytest.approx(4.5) and location[4].value == 1
    assert share.value == pytest.approx(1 / 6) and share.number_format == "0.0%"
    with db.sessions() as session:
        totals = dict(session.execute(select(StoreRow.code, EffectScoreRow.total)
                                      .join(StoreRow, StoreRow.id == EffectScoreRow.store_id)).all())
        strategies = len(session.scalars(select(StrategyRow.id)).all())
    effect = rows_by_first_cell(book["经营效果明细"])
    total = header_index(book["经营效果明细"], "经营效果得分")
    assert {c: effect[c][total].value for c in totals} == pytest.approx({c: float(t) for c, t in totals.items()})
    weak = data_rows(book["待提升指标"])
    assert len(weak) == strategies
    assert (REMOTE, "经营能力", "商圈位置", 2, 4.5, -2.5, "商圈选品建议") in [(r[0], *r[2:]) for r in weak]
    assert any(r[0] == NEW and r[3] == "新增客户" and r[4] == "开业1-3个月" for r in weak)
    with zipfile.ZipFile(path) as archive:
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        assert charts == ["xl/charts/chart1.xml", "xl/charts/chart2.xml"]
        assert '<c:barDir val="col"/>' in archive.read(charts[0]).decode()
        assert '<c:barDir val="bar"/>' in archive.read(charts[1]).decode()


def test_every_sheet_is_print_ready(db, tmp_path):
    app = prepare(db, strategies=False)
    path = tmp_path / "district.xlsx"
    export(app, "cm001", path)
    book = load_workbook(path)
    assert book.sheetnames == [*SHEETS[:-1], "_meta"]
    for name in SHEETS[:-1]:
        sheet = book[name]
        setup = sheet.page_setup
        assert setup.paperSize == 9 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (setup.fitToWidth or 1) == 1 and setup.fitToHeight == 0
        assert sheet.print_title_rows and sheet.freeze_panes
        assert "第 &P 页 / 共 &N 页" in sheet.oddFooter.center.text
        assert "示例市烟草公司" in sheet.oddHeader.left.text and "2026-11" in sheet.oddHeader.right.text
        assert not sheet.protection.sheet  # a report: sortable and filterable
    assert [book[n].page_setup.orientation for n in SHEETS[:-1]] == ["portrait", "landscape", "landscape", "landscape"]
    assert book["经营效果明细"].freeze_panes == "C5"


def test_before_scoring_the_report_says_so(db, tmp_path):
    app = prepare(db, scored=False, strategies=False)
    path = tmp_path / "district.xlsx"
    outcome = export(app, "cm001", path)
    assert outcome.details == ("经营能力：未评分。", "策略：未生成（生成后再导出即可看到待提升指标）。")
    book = load_workbook(path)
    assert "待提升指标" not in book.sheetnames
    overview = rows_by_first_cell(book["概况"])
    assert overview["经营能力评分"][1].value == "未评分" and overview["策略"][1].value == "未生成"
    capability = data_rows(book["经营能力明细"])
    assert len(capability) == STORES_PER_CM and {row[-1] for row in capability} == {"未评分"}
    assert rows_by_first_cell(book["潜力分布"])["店面形象"][2].value == "未评分"


def test_html_shows_the_same_sections_escaped(db, tmp_path):
    app = prepare(db)
    with db.sessions.begin() as session:
        session.execute(update(StoreRow).where(StoreRow.code == REMOTE).values(name="<b>偏远</b>&店"))
    path = tmp_path / "district.html"
    export(app, "mm01", path)
    html = path.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "@page" in html and "&#34;" not in html
    for name in SHEETS:
        assert f"<h2>{name}</h2>" in html
    assert "&lt;b&gt;偏远&lt;/b&gt;&amp;店" in html and "<b>偏远" not in html
    assert 'class="chart"' in html and "16.7%" in html and "开业1-3个月" in html


def test_command_line(db, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CMW_DATABASE_URL", db.url)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    make_company(db.sessions)
    path = tmp_path / "district.xlsx"
    assert main(["analysis", "district", "--as", "cm001", "--month", MONTH, "-o", str(path)]) == 2
    shown = capsys.readouterr()
    assert "尚未计算" in shown.out + shown.err
    compute_effect(db.uow(), actor(db, "cm001"), month=MONTH, force=True)  # a company without any orders: forced
    assert main(["analysis", "district", "--as", "mm01", "--cm", "cm001", "--month", MONTH, "-o", str(path)]) == 0
    assert "片区统计" in capsys.readouterr().out and path.is_file()


@pytest.mark.libreoffice
def test_libreoffice_prints_the_workbook(tmp_path):
    """LibreOffice opens the workbook; its PDF shows the sheets' Chinese headings, figures and page footer."""
    require_tools()
    engine = make_engine(f"sqlite:///{tmp_path / 'cmw.sqlite3'}")
    upgrade(engine)
    try:
        app = prepare(Database("sqlite", engine))
        path = tmp_path / "片区统计.xlsx"
        export(app, "cm001", path)
        text = pdf_text(to_pdf(path, tmp_path / "profile", tmp_path / "pdf"))
    finally:
        engine.dispose()
    expected = ["示例市烟草公司", "片区统计", "张三（cm001）", *SHEETS, "经营效果得分分布", "各指标潜在需求占比",
                "潜在需求占比", "店面形象", "商圈选品建议", "开业1-3个月", "80-100分"]
    assert [t for t in expected if t not in text] == [], text
    assert FOOTER.search(text), text
