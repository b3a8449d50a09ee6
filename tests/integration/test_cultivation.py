"""§14 月度片区品牌培育执行表 end to end through real workbooks on each database: per CM, month and campaign — export,
fill in (rows sorted, full-width digits), save, 提交 refused without visit dates, submit, the market manager's review
workbook names the campaign; a campaign that does not run or covers none of the CM's stores is refused; §1 shows it."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from addin.handlers.analysis import ListFilter
from addin.handlers.forms import export_form, list_forms
from addin.handlers.review import export_review
from engine.errors import Refused
from engine.navigation import navigation
from addin.handlers.submission import submit_workbook
from tests.brand_helpers import fill
from tests.campaign_helpers import CODE, keep_campaign
from tests.integration.big_table_helpers import actor_of

MONTH = "2026-11"
PERIOD = f"{MONTH}/{CODE}"
SHEET = "执行情况"


def submit(app, path, who="cm001", action=None):
    return submit_workbook(app, actor_of(app, who), path.name, path.read_bytes(), action)


def test_a_cm_fills_the_campaigns_execution_sheet_and_the_market_manager_reviews_it(app, tmp_path):
    keep_campaign(app, MONTH)
    path = tmp_path / "培育.xlsx"
    export_form(app, actor_of(app, "cm001"), "cultivation", PERIOD, path)
    sheet = load_workbook(path)[SHEET]  # a row per store, a column group per SKU with the checks asked for it
    assert [c.value for c in sheet[4]] == ["序号", "客户", "上柜", "陈列", "上柜", "价签正确", "海报张贴", "拜访日期", "备注",
                                          "已上传照片"]
    assert (sheet["C3"].value, sheet["E3"].value) == ("6901000000000\n示例烟1", "6901000000001 示例烟2")  # too wide: broken at its space
    assert sheet.max_row == 4 + 5  # cm001's five active stores
    assert sheet["B5"].protection.locked and not sheet["C5"].protection.locked and not sheet["H5"].protection.locked
    book = load_workbook(path)  # a careless user sorts the rows: the 序号 keeps each row's store
    rows = [[c.value for c in row] for row in book[SHEET].iter_rows(min_row=5)]
    for r, values in enumerate(reversed(rows), start=5):
        for col, value in enumerate(values, start=1):
            book[SHEET].cell(r, col).value = value
    book.save(path)
    # store 1 (now last): both checks of 示例烟1 and the visit (its two lines' date); store 2: 示例烟1's 上柜
    fill(path, SHEET, {"C9": "是", "D9": "是", "H9": "２０２６-11-03", "C8": "否"})
    saved = submit(app, path)
    assert saved.message == "已保存 5 处修改。"
    with pytest.raises(Refused) as refused:
        submit(app, path, action="提交")
    [finding] = refused.value.findings  # one store, one cell (its date is its two lines')
    assert finding.cell == "H8" and "有 1 户客户已填写检查结果但没有拜访日期" in finding.message
    fill(path, SHEET, {"H8": "2026/11/4"})
    assert "已提交，当前状态：待审核。" in submit(app, path, action="提交").details
    listed = list_forms(app, actor_of(app, "mm01"), "cultivation", ListFilter(None, MONTH, None, None))
    assert [(r["code"], r["period"], r["state_label"]) for r in listed] == [("cm001", PERIOD, "待审核")]
    review = tmp_path / "审核.xlsx"
    export_review(app, actor_of(app, "mm01"), MONTH, review)
    summary = load_workbook(review).worksheets[0]
    assert summary["C5"].value == f"品牌培育执行表（{CODE}）" and "执行到位 1/10 项（10%）" in summary["K5"].value
    fill(review, summary.title, {"L5": "审核通过"})
    assert "已审核通过" in " ".join(submit(app, review, "mm01").lines())


def test_a_campaign_not_running_or_not_covering_the_cm_is_refused(app, tmp_path):
    keep_campaign(app, MONTH)
    with pytest.raises(Refused, match="2026-12 不在其中"):
        export_form(app, actor_of(app, "cm001"), "cultivation", f"2026-12/{CODE}", tmp_path / "x.xlsx")
    with pytest.raises(Refused, match="不覆盖 cm003 的任何有效客户"):
        export_form(app, actor_of(app, "cm003"), "cultivation", PERIOD, tmp_path / "x.xlsx")
    with pytest.raises(Refused, match="没有编号为“NOPE”的促销战役"):
        export_form(app, actor_of(app, "cm001"), "cultivation", f"{MONTH}/NOPE", tmp_path / "x.xlsx")


def test_the_navigation_shows_each_campaign_covering_the_cm(app):
    keep_campaign(app, MONTH)
    [month] = navigation(app.uow(), actor_of(app, "cm001"), MONTH)
    stages = [s for s in month.stages if s.section == "§14"]
    assert stages[0].function == f"月度片区品牌培育执行表（{CODE}）"
    assert stages[0].command == f"cmw form export cultivation --campaign {CODE}"
    [other] = navigation(app.uow(), actor_of(app, "cm003"), MONTH)
    assert [s.detail for s in other.stages if s.section == "§14"] == ["本月没有覆盖本片区的促销战役"]


def test_the_days_campaign_visits_and_the_execution_rates(app, tmp_path):
    from datetime import date

    from addin.handlers.campaigns import rates_list
    from addin.handlers.visits import campaign_visit_list
    from engine.errors import NotAllowed

    keep_campaign(app, MONTH)
    days = {}
    for day in range(2, 7):  # a working week: each active store of cm001 is due on its weekday by its cycle
        out = campaign_visit_list(app, actor_of(app, "cm001"), cm_code="cm001", campaign=CODE,
                                  day=date(2026, 11, day), target=tmp_path / f"{day}.html")
        days[day] = out.message
        assert (tmp_path / f"{day}.html").is_file()
    assert any("（CX2611，1 户）" in message for message in days.values())
    html = next((tmp_path / f"{d}.html").read_text(encoding="utf-8") for d, m in days.items() if "1 户" in m)
    assert "上柜、价签正确、海报张贴" in html and "检查结果（手写）" in html
    with pytest.raises(NotAllowed):
        campaign_visit_list(app, actor_of(app, "mm02"), cm_code="cm001", campaign=CODE, day=date(2026, 11, 2),
                            target=tmp_path / "x.html")
    path = tmp_path / "培育.xlsx"
    export_form(app, actor_of(app, "cm001"), "cultivation", PERIOD, path)
    fill(path, SHEET, {"C5": "是", "D5": "是", "H5": "2026-11-03"})
    submit(app, path)
    headers, rows, _ = rates_list(app, actor_of(app, "bm01"), MONTH, None, tmp_path / "rates.xlsx")
    by_cm = {row[2]: row for row in rows}
    assert by_cm["张三（cm001）"][3:] == (5, 10, 1, 1, "10%", "执行中")
    assert by_cm["李四（cm002）"][3:] == (5, 10, 0, 0, "0%", "未导出")
    assert rows[-1][1:] == ("合计", "—", 10, 20, 1, 1, "5%", "")
    assert load_workbook(tmp_path / "rates.xlsx").worksheets[0].title == "战役执行率"
    with pytest.raises(NotAllowed):
        rates_list(app, actor_of(app, "cm001"), MONTH, None, None)


def test_the_execution_rates_read_as_many_statements_for_one_cm_as_for_every_cm(app):
    """cmw campaigns rates reads set-based: a market manager's two CMs and the brand manager's three (in two
    departments) cost the same number of statements."""
    from sqlalchemy import event

    from engine.cultivation import execution_rates

    keep_campaign(app, MONTH, covers=("D01", "D02"))
    execution_rates(app.uow(), actor_of(app, "admin"), MONTH)  # what the App reads once (the unit tree) is read
    counted: list[int] = []
    listen = lambda *args: counted.append(1)  # noqa: E731
    event.listen(app.engine, "before_cursor_execute", listen)
    try:
        statements = {}
        for who, cms in (("mm02", 1), ("mm01", 2), ("bm01", 3)):
            counted.clear()
            _, [page] = execution_rates(app.uow(), actor_of(app, who), MONTH)
            assert len([row for row in page.tables[0].rows if "（cm" in row[2]]) == cms
            statements[who] = len(counted)
    finally:
        event.remove(app.engine, "before_cursor_execute", listen)
    assert statements["mm02"] == statements["mm01"] == statements["bm01"], statements


def test_the_photo_folder_beside_the_sheet_is_kept_when_it_is_handed_in(app, tmp_path):
    from addin.handlers.submission import attach_beside
    from tests.integration.test_photos import jpeg

    keep_campaign(app, MONTH)
    path = tmp_path / "培育.xlsx"
    export_form(app, actor_of(app, "cm001"), "cultivation", PERIOD, path)
    folder = tmp_path / "培育_照片"
    folder.mkdir()
    (folder / "440101000001-陈列.jpg").write_bytes(jpeg())
    (folder / "说明.jpg").write_bytes(jpeg((1, 2, 3)))  # names no store: the folder is refused, the sheet is saved
    content = path.read_bytes()
    submit(app, path)
    refused = attach_beside(app, actor_of(app, "cm001"), path, content)
    assert refused.partial and refused.message.startswith("部分保存：月度片区品牌培育执行表已保存")
    assert "说明.jpg" in refused.details[0]
    (folder / "说明.jpg").unlink()
    kept = attach_beside(app, actor_of(app, "cm001"), path, content)
    assert kept.message == f"已保存 1 张照片（促销战役 {CODE}，1 户客户）。"
    html = tmp_path / "培育.html"
    from addin.handlers.forms import print_form

    print_form(app, actor_of(app, "cm001"), "cultivation", PERIOD, html)
    assert "data:image/jpeg;base64," in html.read_text(encoding="utf-8") and "440101000001-陈列.jpg" in html.read_text(encoding="utf-8")
    assert attach_beside(app, actor_of(app, "cm001"), tmp_path / "其他.xlsx", content) is None  # no folder beside it
    again = tmp_path / "培育-再次导出.xlsx"  # the next export shows the store's thumbnail on its row
    export_form(app, actor_of(app, "cm001"), "cultivation", PERIOD, again)
    sheet = load_workbook(again)[SHEET]
    assert sheet["J4"].value == "已上传照片" and sheet.row_dimensions[5].height == 48
    [picture] = sheet._images  # openpyxl reads the drawing: one picture, anchored on store 1's row in 已上传照片
    assert (picture.anchor._from.row, picture.anchor._from.col) == (4, 9)
    assert not sheet.row_dimensions[6].height  # a store without photos keeps its height
    fill(again, SHEET, {"C6": "是", "H6": "2026-11-06"})  # the file with its pictures is taken back as any other
    assert submit(app, again).message == "已保存 3 处修改。"


@pytest.mark.libreoffice
def test_an_execution_sheet_re_saved_by_libreoffice_with_careless_typing_is_taken(tmp_path):
    """A CM on LibreOffice: the sheet of column groups opened and saved again there, full-width digits in a date,
    是 typed with spaces; an answer outside 是/否 refused with its cell; one database is enough (the file is the
    subject)."""
    from tests.integration.libreoffice_pdf import require_tools, resave
    from tests.integration.workbook_samples import company_app

    require_tools()
    app = company_app(tmp_path)
    keep_campaign(app, MONTH)
    path = tmp_path / "培育.xlsx"
    export_form(app, actor_of(app, "cm001"), "cultivation", PERIOD, path)
    fill(path, SHEET, {"E6": " 是 ", "F6": "是", "G6": "否", "H6": "２０２６年１１月５日", "I6": "海报被雨淋坏，已补贴"})
    saved = resave(path, tmp_path / "profile", tmp_path / "lo")
    assert load_workbook(saved)[SHEET]["E3"].value == "6901000000001 示例烟2"
    assert submit(app, saved).message == "已保存 7 处修改。"  # 3 checks; the date and the remark on both its lines
    with app.uow() as uow:
        [doc] = uow.documents.in_month("cultivation", ["cm001"], MONTH)
        kept = uow.values.of_many([doc.id])[doc.id]
    assert (kept[("checks.price_tag", 4)], kept[("checks.visited", 3)], kept[("checks.visited", 4)]) == \
        ("是", "2026-11-05", "2026-11-05")
    fill(saved, SHEET, {"C7": "也许"})
    with pytest.raises(Refused) as refused:
        submit(app, saved)
    assert [(f.sheet, f.cell) for f in refused.value.findings] == [(SHEET, "C7")]
    app.engine.dispose()


def test_a_visit_date_typed_without_its_year_takes_the_documents(app, tmp_path):
    """12月5日, 12-5, 12/5 and １２月５日 in a December campaign's sheet are that December's days; 1月3日 there is the
    January after (the year nearest the document's month, docs/domain.md §14); a date that is none (13月5日) is
    refused naming its sheet!cell and what to type, and nothing is saved."""
    keep_campaign(app, "2026-12", code="CX2612")
    path = tmp_path / "培育.xlsx"
    export_form(app, actor_of(app, "cm001"), "cultivation", "2026-12/CX2612", path)
    fill(path, SHEET, {"H5": "12月5日", "H6": "12-6", "H7": "12/7", "H8": "１２月８日", "H9": "1月3日"})
    assert submit(app, path).message == "已保存 10 处修改。"  # a store's date on its two lines (its two SKUs)
    with app.uow() as uow:
        [doc] = uow.documents.in_month("cultivation", ["cm001"], "2026-12")
        kept = uow.values.of_many([doc.id])[doc.id]
    assert sorted({text for (key, _), text in kept.items() if key == "checks.visited"}) == \
        ["2026-12-05", "2026-12-06", "2026-12-07", "2026-12-08", "2027-01-03"]
    fill(path, SHEET, {"H6": "13月5日"})
    with pytest.raises(Refused) as refused:
        submit(app, path)
    [finding] = refused.value.findings
    assert (finding.sheet, finding.cell) == (SHEET, "H6")
    assert finding.text() == f"【{SHEET}!H6】“拜访日期”应为日期，例如 2026-12-05 或 12月5日，请改为这一天的日期。（填写的值：13月5日）"
    assert "全部未保存" in refused.value.message


def test_an_older_copy_of_the_execution_sheet_is_refused_cell_by_cell(app, tmp_path):
    """Two copies of one export: the first handed back; the second, which still shows as exported what the first
    saved, is refused naming the sheet's cells (the store's row, the SKU's column) — a shared date once per line."""
    import shutil

    keep_campaign(app, MONTH)
    first, second = tmp_path / "培育.xlsx", tmp_path / "培育-副本.xlsx"
    export_form(app, actor_of(app, "cm001"), "cultivation", PERIOD, first)
    shutil.copy(first, second)
    fill(first, SHEET, {"C5": "是", "H5": "2026-11-03"})
    assert submit(app, first).message == "已保存 3 处修改。"
    fill(second, SHEET, {"D6": "否"})
    with pytest.raises(Refused, match="较早的副本") as refused:
        submit(app, second)
    assert {f.cell for f in refused.value.findings} == {"C5", "H5"}
    with app.uow() as uow:
        [doc] = uow.documents.in_month("cultivation", ["cm001"], MONTH)
        assert ("checks.display", 3) not in uow.values.of_many([doc.id])[doc.id]  # nothing of the copy kept
