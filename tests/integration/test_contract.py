"""§18 绩效合约书 end to end through real workbooks, on each database: the CM drafts (weights that do not add up to
100 refused, naming the weight cells and the sum), submits; the MM sends it back with a reason, then confirms; a
target changed through an old file is a stale report; at period end the actuals come from the data, the CM's self
scores are bounded by each line's weight (halves allowed) and cannot carry an MM score; the MM scores in their own
export; the evaluated contract is locked; set-based actuals for many CMs equal the one-CM figures."""
from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from addin.handlers.forms import export_form, print_form
from engine.document_types import document_type
from engine.errors import Refused
from engine.review import APPROVE, REJECT, decide_form
from engine.brand_analysis import brand_month_by_cm
from engine.kinds.contract import actuals, figures
from storage.schema import DocumentValueRow, StoreMonthRow, StoreRow, Submission, User
from tests.brand_helpers import keep_brands
from tests.factories import make_orders
from tests.integration.big_table_helpers import actor_of, generate_plan
from tests.integration.test_forms import fill, state, submit

MONTH = "2026-11"
FIELDS, KPIS = "绩效合约书", "KPI 指标"
KIND = document_type("contract")


def _orders(app, cm: str, volume: int, amount: str) -> None:
    """The month's order totals of the CM's stores, as the orders importer keeps them."""
    with app.sessions.begin() as session:
        stores = session.scalars(select(StoreRow.id).join(User, User.id == StoreRow.cm_id).where(User.code == cm))
        for n, store in enumerate(stores.all()):
            session.add(StoreMonthRow(store_id=store, month=MONTH, volume=volume if n == 0 else 0,
                                      amount=Decimal(amount) if n == 0 else Decimal(0), class12=0, key=0,
                                      order_count=1, sku_count=1))


def _decide(app, decision: str, reason: str = "") -> None:
    with app.uow() as uow:
        doc = uow.documents.get("contract", "cm001", MONTH)
    decide_form(app.uow(), actor_of(app, "mm01"), KIND, owner_code="cm001", period=MONTH, decision=decision, reason=reason,
                expected_state=doc.state, expected_version=doc.version)


def _values_count(app) -> int:
    with app.sessions() as session:
        return session.scalar(select(func.count()).select_from(DocumentValueRow))


def _refused(app, path, who="cm001") -> Refused:
    """A bad file handed back: refused, nothing of the contract changed (its state, version and kept values), and
    the file kept whole among the submissions as refused."""
    def now():
        with app.uow() as uow:
            doc = uow.documents.get("contract", "cm001", MONTH)
        return doc.state, doc.version, _values_count(app)

    before = now()
    with pytest.raises(Refused) as refused:
        submit(app, path, who=who)
    assert now() == before
    with app.sessions() as session:
        kept = session.execute(select(Submission.outcome, Submission.content, Submission.messages)
                               .order_by(Submission.id.desc()).limit(1)).one()
    assert kept[:2] == ("refused", path.read_bytes())
    assert all(f"{f.sheet}!{f.cell}" in kept[2] for f in refused.value.findings if f.cell)  # what the user was told
    return refused.value


def test_contract_through_every_state(app, cmw, tmp_path):
    draft = tmp_path / "合约.xlsx"
    export_form(app, actor_of(app, "cm001"), "contract", MONTH, draft)
    book = load_workbook(draft)
    assert book[FIELDS]["A5"].value == "阶段性重点及弱项工作" and not book[FIELDS]["B5"].protection.locked
    assert [c.value for c in book[KPIS][4]][:9] == ["序号", "指标", "指标名称", "单位", "权重", "目标值", "实际完成（系统）",
                                                  "自评得分", "考评得分"]
    assert book[KPIS]["H5"].protection.locked and book[KPIS]["I5"].protection.locked  # scores: not yet
    fill(draft, FIELDS, {"B4": "提交", "B5": "重点：提升单条值；弱项：新办证客户跟进不及时。"})
    fill(draft, KPIS, {"B5": "销量", "E5": 40, "F5": 5000, "B6": "计划完成率", "E6": 30, "F6": 90,
                       "B7": "其他", "E7": 20, "F7": 3})
    said = {f.cell: f.message for f in _refused(app, draft).findings}
    assert "权重合计应为 100，现为 90" in said["E5"] and "KPI 指标!E5、E6、E7" in said["E5"]
    assert "写明考核什么" in said["C7"] and "E6" not in said["C7"]
    assert _values_count(app) == 0 and state(app, "contract") == "draft"
    fill(draft, KPIS, {"E7": 30, "C7": "客户投诉处理（件）"})
    outcome = submit(app, draft)
    assert "当前状态：待确认" in outcome.details[-2]
    # sent back with a reason, revised, confirmed
    _decide(app, REJECT, "销量目标偏低，请按上月实际上调。")
    again = tmp_path / "合约-修改.xlsx"
    outcome = export_form(app, actor_of(app, "cm001"), "contract", MONTH, again)
    assert "退回理由（mm01）：销量目标偏低，请按上月实际上调。" in outcome.details
    sheet = load_workbook(again)[KPIS]
    assert (sheet["D5"].value, sheet["D6"].value, sheet["D7"].value) == ("条", "%", "见指标名称")  # follow the indicator
    fill(again, FIELDS, {"B4": "提交"})
    fill(again, KPIS, {"F5": 5600})
    submit(app, again)
    _decide(app, APPROVE)
    assert state(app, "contract") == "confirmed"
    # a target changed through the old file after confirmation: the stale report, nothing saved
    fill(draft, FIELDS, {"B4": "保存"})
    fill(draft, KPIS, {"F5": 4000})
    refused = _refused(app, draft)
    assert "在您导出后已有变化" in refused.message and "已锁定，不能再修改" in refused.message
    assert any("5000" in f.message and "4000" in f.message for f in refused.findings)
    # period end: actuals from the data; self scores bounded by each line's weight; no MM score from the CM
    _orders(app, "cm001", 5800, "812000.00")
    generate_plan(app, "cm001")
    scoring = tmp_path / "合约-自评.xlsx"
    export_form(app, actor_of(app, "cm001"), "contract", MONTH, scoring)
    sheet = load_workbook(scoring)[KPIS]
    assert sheet["G5"].value == 5800 and sheet["G6"].value == "0.0%" and sheet["G7"].value is None
    assert not sheet["H5"].protection.locked and sheet["F5"].protection.locked and sheet["I5"].protection.locked
    fill(scoring, FIELDS, {"B4": "提交", "B11": "销量完成目标，计划完成率偏低。"})
    fill(scoring, KPIS, {"H5": 41, "H6": 12.3, "H7": 25, "I7": 30, "H8": 5})
    said = {f.cell: f.text() for f in _refused(app, scoring).findings}
    assert "不能大于“权重”（40）" in said["H5"] and "41" in said["H5"] and "0.5 的倍数" in said["H6"]
    assert "这一行没有“权重”，不能填写“自评得分”" in said["H8"]  # a score on a line without an indicator
    fill(scoring, KPIS, {"H8": None})
    fill(scoring, KPIS, {"H5": 38.5, "H6": 12.5})
    refused = _refused(app, scoring)
    assert [(f.cell, "只能由市场经理考评时填写" in f.message) for f in refused.findings] == [("I7", True)]
    fill(scoring, KPIS, {"I7": None})
    submit(app, scoring)
    assert state(app, "contract") == "self_evaluated"
    again = submit(app, scoring)  # the same file handed back twice: its 提交 took effect once, nothing else happens
    assert "文件中没有新的修改" in again.message and "这份文件已提交过，绩效合约书当前状态为“待考评”，无需再次提交。" in again.details
    # the CM's file is view-only now; the MM scores in their own export
    mine = tmp_path / "合约-看.xlsx"
    export_form(app, actor_of(app, "cm001"), "contract", MONTH, mine)
    assert load_workbook(mine)[KPIS]["I5"].protection.locked
    fill(mine, FIELDS, {"B4": "提交"})
    assert "当前状态为“待考评”，由市场经理填写并考评，您不需要再提交" in _refused(app, mine).message
    score = tmp_path / "考评.xlsx"
    export_form(app, actor_of(app, "mm01"), "contract", MONTH, score, ["cm001"])
    sheet = load_workbook(score)[KPIS]
    assert not sheet["I5"].protection.locked and sheet["H5"].protection.locked and sheet["H5"].value == 38.5
    assert sheet["G5"].value == 5800  # the actuals the CM scored against
    fill(score, FIELDS, {"B4": "提交"})
    fill(score, KPIS, {"I5": 37, "I6": 10.5, "I7": 28})
    assert [f.cell for f in _refused(app, score, who="mm01").findings] == ["B12"]  # the comment: required at 提交
    fill(score, FIELDS, {"B12": "销量完成较好；计划任务要按周跟进。"})
    with pytest.raises(Refused, match="无权填写 cm001 的绩效合约书"):  # another department's market manager
        submit(app, score, who="mm02")
    outcome = submit(app, score, who="mm01")
    assert "当前状态：已考评" in outcome.details[-2] and state(app, "contract") == "evaluated"
    # an evaluated contract is locked to everyone
    locked = tmp_path / "合约-考评后.xlsx"
    export_form(app, actor_of(app, "cm001"), "contract", MONTH, locked)
    fill(locked, KPIS, {"H5": 40})
    refused = _refused(app, locked)
    assert "不允许" in refused.message and refused.findings[0].cell == "H5"
    page = tmp_path / "合约.html"
    print_form(app, actor_of(app, "mm01"), "contract", MONTH, page, "cm001")
    html = page.read_text(encoding="utf-8")
    assert "客户投诉处理（件）" in html and "销量完成较好" in html and "合约确认" in html and "考评确认" in html
    assert "确认时（第 7 版）之后的变化" in html and "确认时（第 7 版）已有的内容没有改动" in html and "38.5" in html
    # every move kept the whole contract as it stood, immutable beside the move
    with app.uow() as uow:
        moves = uow.decisions.history(uow.documents.get("contract", "cm001", MONTH).id)
    assert [m.transition for m in moves] == ["submit", "return", "submit", "confirm", "self_evaluate", "evaluate"]
    assert moves[0].snapshot[("kpis.target", 1)] == "5000" and moves[3].snapshot[("kpis.target", 1)] == "5600"
    assert ("kpis.self_score", 1) not in moves[3].snapshot and moves[4].snapshot[("kpis.self_score", 1)] == "38.5"
    # what changed between the confirmed draft and the evaluated contract, with every move
    code, out, err = cmw("contract", "history", "--as", "mm01", "--month", MONTH, "--cm", "cm001")
    assert code == 0, err
    assert "退回：待确认 → 已退回（第 4 版）；理由：销量目标偏低，请按上月实际上调。" in out
    assert "确认时（第 7 版" in out and "“KPI 指标”第 1 行的“自评得分”：空白 → “38.5”　自评提交（张三 cm001" in out
    assert "“KPI 指标”第 1 行的“考评得分”：空白 → “37”　考评（王经理 mm01" in out and "目标值" not in out
    code, _, err = cmw("contract", "history", "--as", "cm002", "--month", MONTH, "--cm", "cm001")
    assert code == 2 and "无权查看" in err
    # the department's contracts burst into one PDF each and a pack; a CM without one is listed
    code, out, err = cmw("form", "print", "contract", "--dept", "D01", "--as", "mm01", "--month", MONTH,
                         "-o", tmp_path / "打印/")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "打印").iterdir()) == [
        "D01_东区营销部_绩效合约书审核包_2026-11.pdf", "cm001_张三_绩效合约书_2026-11.pdf"]
    assert "cm002 李四" in out


def _surveyed(app, cm: str, confirmed: int, pending: int) -> None:
    """§8 answers of the month for some of the CM's stores: the first ones confirmed, the next ones not yet."""
    from datetime import date

    from engine.ports import AnswerRow
    with app.uow() as uow:
        stores = [s for s in uow.surveys.stores([cm])][:confirmed + pending]
        cm_id = uow.surveys.cm_id(cm)
        uow.surveys.put_many(MONTH, [AnswerRow(s.id, cm_id, "offline", date(2026, 11, 3), ("supply",), (), "")
                                     for s in stores], actor=cm, submission_id=None)
        uow.surveys.confirm_many(MONTH, [s.id for s in stores[:confirmed]])
        uow.commit()


def test_actuals_of_many_contracts_are_those_of_each(app):
    _orders(app, "cm001", 1200, "180000.00")
    _surveyed(app, "cm001", confirmed=2, pending=1)
    generate_plan(app, "cm002")
    with app.uow() as uow:
        many = actuals(uow, ["cm001", "cm002", "cm003"], MONTH)
        one = {cm: figures(uow, cm, MONTH) for cm in ("cm001", "cm002", "cm003")}
    assert many == one
    assert many["cm001"].single["volume"] == 1200 and many["cm001"].single["value"] == 150.0
    assert many["cm002"].single["volume"] == "本期订单尚未导入" and many["cm002"].single["completion"] == "0.0%"
    assert many["cm003"].single["completion"] == "尚未生成大表"
    assert many["cm001"].single["shelf_rate"] == "2026-11 的重点品牌尚未维护"  # the brand manager kept no list
    assert many["cm001"].single["survey_rate"] == "40.0%（已确认 2 / 5 户）"  # 5 active stores; a pending one not counted
    assert many["cm002"].single["survey_rate"] == "0.0%（已确认 0 / 5 户）"


def test_key_brand_shelf_rate_is_section_7s_rule(app):
    """重点品牌上柜率 (issue 16): the mean over the month's key brands of §7's shelf rate over the CM's active stores."""
    keep_brands(app, MONTH, {"甲": (True, False), "乙": (True, True), "丙": (False, True)})  # 丙: backbone only
    with app.uow() as uow:
        assert actuals(uow, ["cm001"], MONTH)["cm001"].single["shelf_rate"] == "本期订单尚未导入"
    make_orders(app.sessions, MONTH)  # cm001's and cm002's stores order, cm003's nothing
    with app.uow() as uow:
        many = actuals(uow, ["cm001", "cm002", "cm003"], MONTH)
        counts = [brand_month_by_cm(uow, ["cm001"], MONTH, brand)["cm001"] for brand in ("甲", "乙")]
    share = sum(shelved for _, shelved, _ in counts) / sum(stores for stores, _, _ in counts)
    assert 0 < share <= 1 and many["cm001"].single["shelf_rate"] == f"{share:.1%}（2 个重点品牌平均）"
    assert many["cm003"].single["shelf_rate"] == "0.0%（2 个重点品牌平均）"
    def quarter():
        with app.uow() as uow:
            return actuals(uow, ["cm001"], "2026Q4")["cm001"].single["shelf_rate"]

    assert quarter() == "2026-10 的重点品牌尚未维护"  # a quarter's: each of its months' key brands, named when missing
    for month in ("2026-10", "2026-12"):
        keep_brands(app, month, {"甲": (True, False), "乙": (True, True)})
    assert quarter() == "2026-12 的订单尚未导入"  # October's orders are the fixture's
    make_orders(app.sessions, "2026-12")
    with app.uow() as uow:
        months = [brand_month_by_cm(uow, ["cm001"], m, b)["cm001"] for m in ("2026-10", MONTH, "2026-12")
                  for b in ("甲", "乙")]
    pooled = sum(shelved for _, shelved, _ in months) / sum(stores for stores, _, _ in months)
    assert quarter() == f"{pooled:.1%}（3 个月共 6 个重点品牌·月平均）"
    keep_brands(app, MONTH, {"丙": (False, True)})
    with app.uow() as uow:
        assert actuals(uow, ["cm001"], MONTH)["cm001"].single["shelf_rate"] == "2026-11 的重点品牌名单中没有重点品牌"


def test_a_contract_kept_by_quarter(app, cmw, tmp_path):
    """A company that signs its contracts by quarter: `--quarter 2026Q4` keeps the contract of the quarter (its own
    document, beside any month's), its actuals are the quarter's three months together, it reaches its market
    manager's review workbook of any month of the quarter, and a kind kept only by month refuses --quarter."""
    from engine.documents import transition_document
    from engine.month_figures import sales_of_many
    from tests.integration.test_review_workbook import FIRST, SUMMARY, export as export_review_book
    from workbooks import review as review_book

    _orders(app, "cm001", 5800, "812000.00")  # November; October's orders are the fixture's
    with app.uow() as uow:
        october, november = (sales_of_many(uow, ["cm001"], month)["cm001"] for month in ("2026-10", MONTH))
        quarter = actuals(uow, ["cm001"], "2026Q4")["cm001"]
    assert october[0] and november[0] and quarter.single["volume"] == october[0] + november[0]
    assert quarter.single["value"] == round((october[1] + november[1]) / (october[0] + november[0]), 2)
    code, out, err = cmw("form", "export", "contract", "--quarter", "2026q4", "--as", "cm001", "-o", tmp_path / "q.xlsx")
    assert code == 0, err
    with app.uow() as uow:
        assert uow.documents.get("contract", "cm001", "2026Q4").state == "draft"
        assert uow.documents.get("contract", "cm001", MONTH) is None
    code, out, err = cmw("form", "list", "contract", "--month", MONTH, "--as", "cm001")  # the month's quarter too
    assert code == 0 and "2026Q4" in out, err
    code, _, err = cmw("form", "export", "workplan", "--quarter", "2026Q4", "--as", "cm001", "-o", tmp_path / "w.xlsx")
    assert code == 2 and "月工作计划按月填写，请用 --month YYYY-MM，不用 --quarter" in err
    code, _, err = cmw("form", "export", "contract", "--quarter", "2026Q5", "--as", "cm001", "-o", tmp_path / "q.xlsx")
    assert code == 2 and "季度“2026Q5”格式不对，应写成 YYYYQn" in err
    code, _, err = cmw("form", "export", "contract", "--month", MONTH, "--as", "cm001", "-o", tmp_path / "m.xlsx")
    assert code == 0, err
    for period in ("2026Q4", MONTH):  # the quarter's and the month's, both waiting in the same review
        transition_document(app.uow(), actor=actor_of(app, "cm001"), kind="contract", owner_code="cm001",
                            period=period, transition="submit")
    path = tmp_path / "审核.xlsx"
    book, outcome = export_review_book(app, path)
    assert "绩效合约书 1 份，绩效合约书（2026Q4） 1 份" in outcome.message
    assert [name for name in book.sheetnames if name.startswith("cm001")] == ["cm001 张三 绩效合约书", "cm001 张三 绩效合约书 2026Q4"]
    assert "— 2026Q4" in book["cm001 张三 绩效合约书 2026Q4"].cell(1, 1).value
    sheet = book[review_book.SHEET]  # each its own row: the quarter's approved, the month's sent back
    rows = {sheet[SUMMARY.cell("what", row)].value: row for row in range(FIRST, FIRST + 2)}
    assert set(rows) == {"绩效合约书", "绩效合约书（2026Q4）"}
    sheet[SUMMARY.cell(review_book.DECISION, rows["绩效合约书（2026Q4）"])] = APPROVE
    sheet[SUMMARY.cell(review_book.DECISION, rows["绩效合约书"])] = REJECT
    sheet[SUMMARY.cell(review_book.REASON, rows["绩效合约书"])] = "月度合约与季度合约重复，请只签季度的"
    book.save(path)
    assert "已处理 1 位客户经理的 2 行审核意见" in submit(app, path, who="mm01").message
    with app.uow() as uow:
        assert uow.documents.get("contract", "cm001", "2026Q4").state == "confirmed"
        assert uow.documents.get("contract", "cm001", MONTH).state == "returned"
    code, out, err = cmw("contract", "history", "--as", "mm01", "--quarter", "2026Q4", "--cm", "cm001")
    assert code == 0 and "确认" in out, err


def test_percentages_typed_in_excel_are_read_as_typed(app, tmp_path):
    """Excel keeps 40% typed into a cell as 0.4 shown as a percentage: a weight or a target (percent points, 95 表示
    95%) takes it as the 40 typed, never 0.4; the text 95% (LibreOffice, a text cell) or ９５％ reads the same."""
    path = tmp_path / "合约.xlsx"
    export_form(app, actor_of(app, "cm001"), "contract", MONTH, path)
    fill(path, FIELDS, {"B4": "提交", "B5": "重点：计划完成率。"})
    book = load_workbook(path)
    sheet = book[KPIS]
    for cell, value in {"B5": "销量", "E5": 0.4, "F5": 5000, "B6": "计划完成率", "E6": "６０％", "F6": 0.95}.items():
        sheet[cell] = value
    sheet["E5"].number_format = sheet["F6"].number_format = "0%"
    book.save(path)
    outcome = submit(app, path)
    assert "当前状态：待确认" in outcome.details[-2]
    with app.uow() as uow:
        kept = uow.values.of_many([uow.documents.get("contract", "cm001", MONTH).id])
    [values] = kept.values()
    assert {(field, line): value for (field, line), value in values.items() if field in ("kpis.weight", "kpis.target")} \
        == {("kpis.weight", 1): "40", ("kpis.target", 1): "5000", ("kpis.weight", 2): "60", ("kpis.target", 2): "95"}
