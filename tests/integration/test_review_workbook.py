"""§3 the market manager's review workbook on each database: a summary row per CM awaiting a decision, each CM's
big table read-only, and the decisions taken back row by row (stale rows and 驳回 without a reason refused alone)."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from addin.handlers.review import _fill_in, export_review
from addin.handlers.submission import submit_workbook
from engine.errors import Refused
from engine.review import APPROVE, REJECT
from storage.schema import DocumentDecisionRow, Submission
from tests.integration.big_table_helpers import actor_of, generate_plan, move
from workbooks import big_table as plan_book, review as review_book
from workbooks.meta import META_SHEET
from workbooks.reader import read_meta

MONTH = "2026-11"
SUMMARY = review_book.SUMMARY
FIRST = SUMMARY.first_data_row


@pytest.fixture
def submitted(app):
    """cm001 and cm002 (both of mm01's department) have submitted their plans."""
    for cm in ("cm001", "cm002"):
        generate_plan(app, cm)
        move(app, cm, cm, "submit_plan")
    return app


def export(app, path, who="mm01"):
    outcome = export_review(app, actor_of(app, who), MONTH, path)
    return load_workbook(path), outcome


def decide_in(path, decisions: dict[str, tuple[str, str]]) -> None:
    """Fill in the summary as an MM would: per CM code, (审核意见, 驳回理由)."""
    book = load_workbook(path)
    sheet = book[review_book.SHEET]
    for row in range(FIRST, FIRST + 10):
        cm = sheet[SUMMARY.cell("cm", row)].value
        if cm in decisions:
            sheet[SUMMARY.cell(review_book.DECISION, row)], sheet[SUMMARY.cell(review_book.REASON, row)] = decisions[cm]
    book.save(path)


def submit(app, path, who="mm01"):
    return submit_workbook(app, actor_of(app, who), path.name, path.read_bytes())


def state(app, cm):
    with app.uow() as uow:
        return uow.documents.get("bigtable", cm, MONTH).state


def test_the_review_workbook(submitted, tmp_path):
    book, outcome = export(submitted, tmp_path / "review.xlsx")
    assert "2 位客户经理待审核（计划 2 份，结果 0 份）" in outcome.message
    assert book.sheetnames == [review_book.SHEET, "cm001 张三", "cm002 李四", META_SHEET]
    sheet = book[review_book.SHEET]
    assert [c.value for c in sheet[SUMMARY.header_row]] == [c.header for c in SUMMARY.columns]
    row = [c.value for c in sheet[FIRST]]
    assert row[:4] == ["cm001", "张三", "计划", 6] and row[-2:] == [None, None]
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"}
    assert lists[SUMMARY.span(review_book.DECISION, FIRST, FIRST + 1)] == f'"{APPROVE},{REJECT}"'
    assert sheet[SUMMARY.cell(review_book.REASON, FIRST)].protection.locked is False
    assert sheet[SUMMARY.cell("cm", FIRST)].protection.locked is True
    alerts = [rule.formula[0] for cf in sheet.conditional_formatting for rule in cf.rules]
    reason, decision = SUMMARY.cell(review_book.REASON, FIRST), SUMMARY.cell(review_book.DECISION, FIRST)
    assert alerts == [f'AND({decision}="{REJECT}",{reason}="")']  # 驳回 without a reason turns the reason cell red
    table = book["cm001 张三"]
    layout = plan_book.plan_sheet(plan_book.DEFAULT_ACTIONS, "submitted", name="cm001 张三", editable=False,
                                  review=True)
    assert table.protection.sheet and table.cell(1, 1).value.startswith("客户经理任务执行标注表 — 客户经理 张三（cm001）")
    assert all(table[layout.cell(c, layout.first_data_row)].protection.locked for c in plan_book.DEFAULT_ACTIONS)
    assert table.data_validations.dataValidation == []
    # only what the decision needs: which store, its marks, where they come from; only the stores with a mark
    headers = [c.value for c in table[layout.header_row]]
    assert headers[:2] == ["客户编码", "客户名称"] and headers[-1] == "提示" and "档位" not in headers
    assert len(headers) == 2 + len(plan_book.DEFAULT_ACTIONS) + 1
    with submitted.uow() as uow:
        cells = uow.big_tables.cells(uow.documents.get("bigtable", "cm001", MONTH).id)
    marked = sorted({store for store, _ in cells})
    shown_stores = [table.cell(r, 1).value for r in range(layout.first_data_row, layout.first_data_row + len(marked))]
    assert shown_stores == marked and table.cell(layout.first_data_row + len(marked), 1).value == "合计 ☆"
    assert f"只列有标记的 {len(marked)} 户客户（共 6 户）" in table.cell(3, 1).value
    for (store, action), cell in cells.items():
        assert table[layout.cell(action, layout.first_data_row + marked.index(store))].value == cell.mark
    meta = read_meta((tmp_path / "review.xlsx").read_bytes())
    assert (meta.module, meta.owner, meta.period) == ("review", "mm01", MONTH)
    with submitted.uow() as uow:
        shown = uow.exports.get(meta.document_id).snapshot["rows"]
    with submitted.uow() as uow:
        ids = {cm: uow.documents.get("bigtable", cm, MONTH).id for cm in ("cm001", "cm002")}
    assert shown == {f"{cm}|计划": {"kind": "bigtable", "owner": cm, "period": MONTH, "document": ids[cm],
                                   "state": "submitted", "version": 2} for cm in ("cm001", "cm002")}


def test_decisions_apply_row_by_row(submitted, tmp_path, db):
    path = tmp_path / "review.xlsx"
    export(submitted, path)
    with pytest.raises(Refused, match="没有填写任何审核意见"):
        submit(submitted, path)
    decide_in(path, {"cm001": (APPROVE, None), "cm002": (REJECT, None)})
    outcome = submit(submitted, path)
    assert "已处理 1 位" in outcome.message and "1 行未处理" in outcome.message
    reason_cell = f"【{review_book.SHEET}!{SUMMARY.cell(review_book.REASON, FIRST + 1)}】"
    assert any(line.startswith(reason_cell) and "驳回理由" in line for line in outcome.details)
    assert (state(submitted, "cm001"), state(submitted, "cm002")) == ("approved", "submitted")
    with db.sessions() as session:
        assert session.scalars(select(Submission.outcome).order_by(Submission.id)).all()[-1] == "partial"


def test_the_rows_do_not_wait_for_the_disk_and_the_conclusion_waits_for_them_all(submitted, tmp_path):
    """PostgreSQL: each row's commit returns before its log is on disk (asynchronous commit); the submission's
    conclusion, committed after every row and waiting for the disk, puts them all there before the answer. Elsewhere
    every commit waits, as before."""
    from sqlalchemy import event, text

    postgresql = submitted.engine.dialect.name == "postgresql"
    for waits, expected in ((False, "off"), (True, "on")):
        with submitted.uow(wait_for_disk=waits) as uow:
            if postgresql:
                assert uow.session.scalar(text("SHOW synchronous_commit")) == expected
    path = tmp_path / "review.xlsx"
    export(submitted, path)
    decide_in(path, {"cm001": (APPROVE, None), "cm002": (REJECT, "陈列指导太少")})
    sent: list[str] = []
    listen = (submitted.engine, "before_cursor_execute", lambda conn, cursor, statement, *rest: sent.append(statement))
    event.listen(*listen)
    try:
        outcome = submit(submitted, path)
    finally:
        event.remove(*listen)
    assert "已处理 2 位" in outcome.message
    assert (state(submitted, "cm001"), state(submitted, "cm002")) == ("approved", "rejected")
    unwaited = [n for n, statement in enumerate(sent) if "synchronous_commit" in statement]
    concluded = max(n for n, statement in enumerate(sent) if statement.startswith("UPDATE submissions"))
    assert len(unwaited) == (2 if postgresql else 0) and all(n < concluded for n in unwaited)


def test_a_row_whose_plan_moved_on_is_refused_alone(submitted, tmp_path):
    path = tmp_path / "review.xlsx"
    export(submitted, path)
    move(submitted, "mm01", "cm002", "reject_plan", note="请补充陈列指导")
    move(submitted, "cm002", "cm002", "submit_plan")
    decide_in(path, {"cm001": (APPROVE, ""), "cm002": (APPROVE, "")})
    outcome = submit(submitted, path)
    assert "已处理 1 位" in outcome.message
    assert any("cm002" in line and "已在您打开之后被修改" in line and "重新导出" in line for line in outcome.details)
    assert (state(submitted, "cm001"), state(submitted, "cm002")) == ("approved", "submitted")
    with pytest.raises(Refused, match="都未能处理"):  # the same file again: cm001 moved on too
        submit(submitted, path)


def test_who_may_review(submitted, tmp_path):
    path = tmp_path / "review.xlsx"
    export(submitted, path)
    decide_in(path, {"cm001": (APPROVE, "")})
    with pytest.raises(Refused, match="这是 mm01 的审核表"):
        submit(submitted, path, who="mm02")
    with pytest.raises(Refused, match="没有等待"):
        export(submitted, tmp_path / "none.xlsx", who="mm02")
    with pytest.raises(Refused, match="市场经理"):
        export(submitted, tmp_path / "none.xlsx", who="cm001")


def _decisions(app) -> list[tuple[str, str]]:
    with app.sessions() as session:
        return session.execute(select(DocumentDecisionRow.transition, DocumentDecisionRow.reason)
                               .order_by(DocumentDecisionRow.id)).all()


def test_a_rejection_reason_is_kept_exactly_as_typed(submitted, tmp_path):
    """Full-width punctuation and letters are the MM's own words: stored and shown as typed (issue #11, item 4)."""
    path = tmp_path / "review.xlsx"
    export(submitted, path)
    reason = "陈列不足，请补充；Ａ类烟（８个）"
    decide_in(path, {"cm002": (REJECT, f"  {reason}  ")})
    submit(submitted, path)
    assert _decisions(submitted)[-1] == ("reject_plan", reason)


def test_a_reason_longer_than_the_limit_is_refused_on_its_row_and_the_file_is_partly_saved(submitted, tmp_path):
    """A 30,000-character reason is refused by the engine on every database (MariaDB raised DataError 1406), and a
    file with a refused row says 部分保存 first (issue #11, items 7d and 8)."""
    path = tmp_path / "review.xlsx"
    export(submitted, path)
    decide_in(path, {"cm001": (APPROVE, None), "cm002": (REJECT, "很" * 30000)})
    outcome = submit(submitted, path)
    assert outcome.partial and outcome.message.startswith("部分保存：已处理 1 位")
    assert any("理由不能超过 200 个字，您填写了 30000 个字" in line for line in outcome.details)
    assert (state(submitted, "cm001"), state(submitted, "cm002")) == ("approved", "submitted")


def _contract_to_evaluate(app) -> None:
    """cm001's contract drafted, submitted, confirmed and self-evaluated: it waits for mm01's 考评."""
    from engine.documents import open_document, transition_document

    values = [("focus", 0, "提升单条值"), ("volume", 0, "5800"), ("self_text", 0, "销量完成目标"),
              *[(f"kpis.{key}", 1, text) for key, text in (("indicator", "销量"), ("weight", "40"), ("target", "5600"),
                                                           ("self_score", "38.5"))],
              *[(f"kpis.{key}", 2, text) for key, text in (("indicator", "计划完成率"), ("weight", "60"),
                                                           ("target", "90"), ("self_score", "30"))]]
    with app.uow() as uow:
        doc = open_document(uow, "contract", "cm001", MONTH)
        uow.values.put_many(doc.id, values, version=1)
        uow.commit()
    for who, transition in (("cm001", "submit"), ("mm01", "confirm"), ("cm001", "self_evaluate")):
        transition_document(app.uow(), actor=actor_of(app, who), kind="contract", owner_code="cm001", period=MONTH,
                            transition=transition)


def test_a_contract_awaiting_its_evaluation_is_listed_with_its_figures_and_what_to_do(app, tmp_path):
    """§18's 考评 is the market manager's own entries in the contract (a step they fill in), not a 审核通过 or
    驳回: the review workbook lists it with each line's target, actual and self score, says how to export it to
    fill in, and a decision chosen on its row is refused with that, the contract left as it was."""
    _contract_to_evaluate(app)
    path = tmp_path / "review.xlsx"
    book, outcome = export(app, path)
    assert "绩效合约书考评 1 份" in outcome.message
    sheet = book[review_book.SHEET]
    row = {c.key: sheet[SUMMARY.cell(c.key, FIRST)].value for c in SUMMARY.columns}
    assert (row["cm"], row["what"]) == ("cm001", "绩效合约书考评")
    said = row["summary"]
    assert said.startswith("【不在本表审核：客户经理已自评，等待市场经理考评") and \
        "功能区“导出绩效合约书”，或运行 cmw form export contract --cm cm001 --month 2026-11 --as mm01】" in said
    quarter = _fill_in({"kind": "contract", "owner": "cm001", "period": "2026Q4", "state": "self_evaluated"},
                       actor_of(app, "mm01"))  # the ribbon's button takes the month: a quarter's says the command only
    assert "（可填写）：运行 cmw form export contract --cm cm001 --quarter 2026Q4 --as mm01" in quarter
    assert "自评 68.5 分" in said and "销量 目标 5,600 条 实际 5,800 条 自评 38.5/40" in said
    assert "计划完成率 目标 90%" in said and "自评 30/60" in said
    assert "不在本表审核" in sheet.cell(SUMMARY.note_row, 1).value
    assert "绩效合约书 — 张三（cm001）— 2026-11" in book[book.sheetnames[1]].cell(1, 1).value  # the contract itself
    decide_in(path, {"cm001": (APPROVE, None)})
    with pytest.raises(Refused, match="都未能处理") as refused:
        submit(app, path)
    [finding] = refused.value.findings
    assert finding.code == "FILL_IN" and finding.cell == SUMMARY.cell(review_book.DECISION, FIRST)
    assert "cmw form export contract --cm cm001 --month 2026-11 --as mm01" in finding.message
    with app.uow() as uow:
        assert uow.documents.get("contract", "cm001", MONTH).state == "self_evaluated"
