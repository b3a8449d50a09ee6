"""§1 工作导航 on the three databases: the CM's month as it goes (blocked and by what, waiting, a rejection's
reason), the market manager's rows, the 导航 workbook with links to the folder's workbooks (LibreOffice opens and
prints it) and the print page, refusals, and reads that do not grow with the number of CMs."""
from openpyxl import load_workbook
from sqlalchemy import event

from addin.handlers.navigation import month_status
from engine.big_table import generate
from engine.documents import transition_document
from engine.navigation import BLOCKED, DONE, LATER, NOT_BUILT, OPEN, WAITING, navigation
from engine.operating_analysis import compute_effect
from tests.analysis_helpers import MONTH, actor, filled, submit
from tests.integration.libreoffice_pdf import FOOTER, pdf_text, require_tools, to_pdf
from tests.plan_helpers import CODES, back, exported, ready


def _stage(app, user, section, name, month=MONTH):
    [one] = month_status(app, actor(app, user), month)
    return next(s for s in one.stages if s.section == section and s.name == name)


class _Db:  # the helpers take an object with uow(); the App has one
    def __init__(self, app):
        self.app = app

    def uow(self):
        return self.app.uow()


def test_a_cms_month_as_it_goes(app):
    db = _Db(app)
    assert _stage(app, "cm001", "§10", "计算经营效果").status == OPEN
    plan = _stage(app, "cm001", "§3", "计划新增")
    assert plan.status == BLOCKED and plan.detail == "§10 月度经营状态分析尚未生成策略"
    compute_effect(app.uow(), actor(app, "cm001"), month=MONTH)
    scoring = _stage(app, "cm001", "§10", "完成经营能力评分")
    assert scoring.status == OPEN and "还有 6 户未评分" in scoring.detail
    assert _stage(app, "cm001", "§10", "生成策略").detail == "还有 6 户未评分"
    submit(db, [filled(code, n + 3) for n, code in enumerate(CODES[:4])])
    assert _stage(app, "cm001", "§10", "生成策略").detail == "还有 2 户未评分"


def test_a_rejected_plan_shows_its_reason_and_the_review_waits_for_the_market_manager(app):
    db = _Db(app)
    ready(db)
    generate(app.uow(), actor(app, "cm001"), month=MONTH, cm_codes=["cm001"])
    export_id, cells = exported(db)
    back(db, export_id, cells, "提交")
    review = _stage(app, "cm001", "§3", "计划审核")
    assert (review.status, review.command) == (WAITING, "cmw review export")
    transition_document(app.uow(), actor=actor(app, "mm01"), kind="bigtable", owner_code="cm001", period=MONTH,
                        transition="reject_plan", note="☆ 太少，陈列要补")
    again = _stage(app, "cm001", "§3", "计划提交")
    assert (again.status, again.detail) == (OPEN, "计划驳回：☆ 太少，陈列要补")
    assert _stage(app, "cm001", "§3", "计划新增").status == DONE
    assert _stage(app, "cm001", "§3", "结果提交").status == LATER


def test_the_market_manager_sees_one_row_per_cm_blocked_first_and_the_next_month_waits_on_orders(app, cmw):
    compute_effect(app.uow(), actor(app, "cm002"), month=MONTH)
    rows = navigation(app.uow(), actor(app, "mm01"), MONTH)
    assert [m.code for m in rows] == ["cm001", "cm002"]  # cm001: plan blocked; cm002 scoring open, plan blocked too
    code, out, err = cmw("status", "--as", "mm01", "--month", MONTH)
    assert code == 0 and "2 位客户经理" in out and "张三（cm001）" in out and "cm003" not in out
    code, out, _ = cmw("status", "--as", "cm001", "--month", "2026-12")
    assert code == 0 and "上月（2026-11）订单尚未导入" in out and NOT_BUILT in out
    assert "cmw analysis effect（按钮“计算经营效果”）" in out


def test_the_workbook_links_the_folders_workbooks_and_prints(app, cmw, tmp_path):
    require_tools()
    folder = tmp_path / "cm001"
    assert cmw("form", "export", "summary", "--as", "cm001", "--month", MONTH, "-o", folder / "总结.xlsx")[0] == 0
    (folder / "别人的.xlsx").write_bytes(b"not a workbook")
    code, out, err = cmw("status", "--as", "cm001", "--month", MONTH, "-o", folder / "导航.xlsx")
    assert code == 0 and "链接了文件夹中本月的 1 个工作簿" in out, err
    sheet = load_workbook(folder / "导航.xlsx").worksheets[0]
    links = {c.value: c.hyperlink.target for row in sheet.iter_rows() for c in row if c.hyperlink}
    assert links == {"总结.xlsx": "总结.xlsx"}
    text = pdf_text(to_pdf(folder / "导航.xlsx", tmp_path / "profile", tmp_path))
    assert "工作导航" in text and "尚未提供" in text and FOOTER.search(text)
    code, out, err = cmw("status", "--as", "mm01", "--month", MONTH, "-o", tmp_path / "导航.pdf")
    assert code == 0, err
    paper = pdf_text(tmp_path / "导航.pdf")
    assert "部门总览" in paper and "张三（cm001）" in paper and "李四（cm002）" in paper


def test_refusals_say_what_to_do(app, cmw, tmp_path):
    code, _, err = cmw("status", "--as", "cm001", "--cm", "cm002")
    assert code == 2 and "无权查看 cm002 的工作导航：只能由客户经理本人或管辖其单位的市场经理、管理员查看" in err
    code, _, err = cmw("status", "--as", "bm01")
    assert code == 2 and "品牌经理 品牌甲（bm01）无权查看工作导航" in err
    code, _, err = cmw("status", "--as", "cm001", "-o", tmp_path / "导航.csv")
    assert code == 2 and "只能写成 .xlsx、.pdf 或 .html" in err and not (tmp_path / "导航.csv").exists()
    code, _, err = cmw("status", "--as", "cm001", "--month", "2026-13")
    assert code == 2 and "月份" in err


def test_the_reads_do_not_grow_with_the_cms(app):
    compute_effect(app.uow(), actor(app, "admin"), month=MONTH)  # every CM has a document: the same reads apply
    one_cm, all_cms = actor(app, "mm02"), actor(app, "admin")
    counted = []
    listen = lambda *args: counted.append(1)  # noqa: E731
    event.listen(app.engine, "before_cursor_execute", listen)
    try:
        assert len(navigation(app.uow(), one_cm, MONTH)) == 1
        one = len(counted)
        counted.clear()
        assert len(navigation(app.uow(), all_cms, MONTH)) == 3
        assert len(counted) == one
    finally:
        event.remove(app.engine, "before_cursor_execute", listen)
