"""§17 客户月度经营状态反馈表 on the three databases: one store's page read back from the PDF (its six months, the
district and tier averages, the price classes, what §10 found and the §3 plan), a CM's bundle one page a store in
visit order, a department burst, and refusals; nothing of another store and no score of the CM on a page."""
from datetime import date

from engine.big_table import generate
from engine.feedback import feedback
from storage.visit_plans import plan_visits
from tests.analysis_helpers import MONTH, actor
from tests.integration.libreoffice_pdf import pdf_text, require_tools
from tests.plan_helpers import CODES, ready


class _Db:
    def __init__(self, app):
        self.app = app

    def uow(self):
        return self.app.uow()


def test_a_stores_page_says_its_months_the_averages_and_the_plan(app, cmw, tmp_path):
    require_tools()
    ready(_Db(app))
    generate(app.uow(), actor(app, "cm001"), month=MONTH, cm_codes=["cm001"])
    name, pages = feedback(app.uow(), actor(app, "cm001"), "cm001", MONTH, store=CODES[0])
    [page] = pages
    assert [m.month for m in page.months] == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    assert page.last.volume > 0 and page.district.volume > 0 and page.tier_average is not None
    assert abs(sum(share for _, _, share in page.classes) - 1) < 1e-9 and 0 <= page.key_share <= 1
    assert [label for label, _, _ in page.classes][:5] == ["一类", "二类", "三类", "四类", "五类"]
    assert sum(volume for _, volume, _ in page.classes) == page.last.volume  # the brands' totals add up to the store's
    assert any("商圈位置" in line for line in page.improve) and page.plan
    target = tmp_path / "反馈.pdf"
    code, out, err = cmw("print", "feedback", "--as", "cm001", "--month", MONTH, "--store", CODES[0], "-o", target)
    assert code == 0, err
    text = pdf_text(target)
    for words in ("客户月度经营状态反馈表", "cm001的第1家烟酒店", "最近六个月的订货", "本片区平均", "同档位平均", "价类结构", "三类",
                  "可以提升的地方", "本月我们为您安排的服务", "零售户签字"):
        assert words in text, words
    assert "第2家" not in text and "第3家" not in text  # no other store's name


def test_a_cms_bundle_is_one_page_a_store_in_visit_order_and_a_department_bursts(app, cmw, tmp_path):
    require_tools()
    with app.sessions.begin() as session:
        plan_visits(session, MONTH, actor(app, "admin"))
    with app.uow() as uow:
        due = [v.code for v in uow.visits.due("cm001", date(2026, 11, 1), date(2026, 11, 30))]
    _, pages = feedback(app.uow(), actor(app, "cm001"), "cm001", MONTH, start=date(2026, 11, 1))
    assert len(pages) == 5  # the active stores (the sixth is suspended)
    order = [c for c in dict.fromkeys(due) if c in {p.code for p in pages}]
    assert order and [p.code for p in pages][:len(order)] == order
    code, out, err = cmw("print", "feedback", "--as", "cm001", "--month", MONTH, "-o", tmp_path / "全部.pdf")
    assert code == 0 and "5 户客户" in out, err
    assert pdf_text(tmp_path / "全部.pdf").count("零售户签字") == 5
    code, out, err = cmw("print", "feedback", "--as", "mm01", "--month", MONTH, "--dept", "D01", "-o", tmp_path / "部")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "部").iterdir()) == [
        "D01_东区营销部_客户月度经营状态反馈表审核包_2026-11.pdf", "cm001_张三_客户月度经营状态反馈表_2026-11.pdf",
        "cm002_李四_客户月度经营状态反馈表_2026-11.pdf"]


def test_refusals_say_what_to_do(app, cmw, tmp_path):
    code, _, err = cmw("print", "feedback", "--as", "cm001", "--month", MONTH, "--store", "440102000001",
                       "-o", tmp_path / "x.pdf")
    assert code == 2 and "不是 cm001 名下的有效客户" in err
    code, _, err = cmw("print", "feedback", "--as", "cm001", "--month", MONTH, "--cm", "cm002", "-o", tmp_path / "x.pdf")
    assert code == 2 and "客户经理 张三（cm001）无权打印 cm002 的客户月度经营状态反馈表：只能由客户经理本人或管辖其单位的市场经理、管理员打印" in err
    code, _, err = cmw("print", "feedback", "--as", "cm001", "--month", "2026-03", "-o", tmp_path / "x.pdf")
    assert code == 2 and "没有 cm001 名下客户的订单" in err
    code, _, err = cmw("print", "feedback", "--as", "cm001", "--month", MONTH, "-o", tmp_path / "x.xlsx")
    assert code == 2 and ".pdf 或 .html" in err
    assert not any(tmp_path.glob("x.*"))
