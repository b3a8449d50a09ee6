"""§3 审核 handlers (command line and ribbon): the market manager's review workbook out, the decisions back in.

Each filled-in row is decided in its own unit of work (engine.review.decide, decide_form); a row that cannot be
decided is reported with its cell and the others still apply, so the submission may end "partial".
"""
from __future__ import annotations

from collections import Counter
from functools import partial
from datetime import date, datetime
from pathlib import Path

from addin.app import App
from addin.handlers.big_table import plan_views
from engine.actors import Actor
from engine.errors import Finding, Refused
from engine.exports import Handout, hand_out
from engine.records import PARTIAL, Outcome, Record
from engine.document_types import document_type
from engine.periods import kind_of_period
from engine.review import KIND, REJECT, Pending, awaiting, awaiting_forms, decide, decide_form
from engine.stores import normalize_text, typed_text
from engine.submissions import conclude_submission
from workbooks import big_table as plan_book, review as review_book
from workbooks.builder import Heading, SheetData, build_workbook
from workbooks.meta import Meta
from workbooks.reader import SubmittedBook


def _key(cm: str, what: str) -> str:
    """A summary row's key: whose and what (计划, 结果, 月工作计划, 品牌培育执行表（CX2612）…) — one document each;
    what as the file's cell is read back (full-width brackets folded)."""
    return f"{cm}|{normalize_text(what)}"


def _shown(p: Pending) -> dict:
    """What the workbook remembers of a declared document's row: the exact document and version it showed (its
    period: the month's, or its quarter's), and whether it is one the market manager fills in (not decided here)."""
    return {"kind": p.view.kind.code, "owner": p.view.doc.owner_code, "period": p.view.doc.period,
            "document": p.view.doc.id,
            "state": p.view.doc.state, "version": p.view.doc.version, **({"fill_in": True} if p.fills_in else {})}


def _read(app: App, actor: Actor, month: str):
    """What awaits the actor (big tables and declared documents), the big tables' views, and the export remembered
    with the exact document and version each row showed."""
    def read(uow):
        rows = awaiting(uow, actor, month)
        pending = awaiting_forms(uow, actor, month)
        if not rows and not pending:
            raise Refused(f"{month} 没有等待{actor.label}审核的计划、结果或单据。"
                          f"可用 cmw plan list --month {month} --as {actor.code} 查看各客户经理大表的状态。")
        tables = plan_views(uow, [row.cm_code for row in rows], month, editable=False) if rows else []
        shown = {_key(r.cm_code, r.what): {"kind": KIND, "owner": r.cm_code, "period": month, "document": doc.id,
                                           "state": r.state, "version": r.version} for r, (_, doc) in zip(rows, tables)}
        shown.update({_key(p.view.doc.owner_code, p.what): _shown(p) for p in pending})
        return (rows, [view for view, _ in tables], pending), [
            Handout(review_book.MODULE, actor.code, review_book.TEMPLATE_VERSION, {"month": month, "rows": shown})]

    (rows, views, pending), [export_id], company = hand_out(app.uow(), actor, read)
    return rows, views, pending, export_id, company


def _fill_in(row: dict, actor: Actor) -> str:
    """What a market manager does with a document in a state they fill in (the contract's 考评), which the review
    workbook lists but does not decide (row: what the workbook showed of it): the state's guidance, and how to export
    the owner's document editable."""
    kind = document_type(row["kind"])
    short = kind.title.removeprefix("客户经理")
    button = f"功能区“导出{short}”，或" if kind_of_period(row["period"]) == kind.period else ""  # the button: the
    # kind's own period (a quarter's contract: only from its workbook in front, so the command says it)
    return (f"不在本表审核：{kind.steps[row['state']].guide}。请导出 {row['owner']} 的{kind.title}（可填写）：{button}"
            f"运行 cmw form export {kind.code} --cm {row['owner']} {kind.period_option(row['period'])} "
            f"--as {actor.code}")


def export_review(app: App, actor: Actor, month: str, target: Path) -> Outcome:
    """The MM's review workbook: a decision row per document awaiting one, then each document read-only."""
    rows, views, pending, export_id, company = _read(app, actor, month)
    actions = plan_book.DEFAULT_ACTIONS
    sheets = [plan_book.plan_sheet(actions, r.state, name=review_book.cm_sheet_name(r.cm_code, r.cm_name), editable=False,
                                   review=True) for r in rows]
    submit_hint = f"改好保存后运行：cmw submit {target.name} --as {actor.code}"
    def fill_in(p: Pending) -> str:
        return _fill_in(_shown(p), actor)
    data: dict[str, SheetData] = {review_book.SHEET: review_book.summary_data(rows, pending, submit_hint, fill_in)}
    for sheet, view in zip(sheets, views):
        data[sheet.name] = plan_book.plan_data(view, actions, title=f"{plan_book.TITLE} — {view.cm_label} — {month}",
                                               review=True)
    for p in pending:
        sheet = review_book.document_sheet(review_book.cm_sheet_name(
            p.view.doc.owner_code, f"{p.view.owner_name} {p.view.kind.title.removeprefix('客户经理')} {p.named_period}".rstrip()))
        sheets.append(sheet)
        data[sheet.name] = review_book.document_data(
            p.view, f"{p.view.kind.title} — {p.view.owner_name}（{p.view.doc.owner_code}）— {p.view.doc.period}")
    meta = Meta(module=review_book.MODULE, template_version=review_book.TEMPLATE_VERSION, owner=actor.code,
                owner_name=actor.name, period=month, document_id=export_id, document_version=1,
                exported_by=actor.code, exported_at=f"{datetime.now():%Y-%m-%d %H:%M:%S}", company=company,
                database=app.database_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(target, review_book.review_layout(tuple(sheets)), meta,
                   Heading(company, review_book.TITLE, actor.label, month, date.today()), data)
    plans = sum(r.what == "计划" for r in rows)
    others = Counter(p.what for p in pending)
    extra = "".join(f"，{what} {n} 份" for what, n in others.items())
    people = len({r.cm_code for r in rows} | {p.view.doc.owner_code for p in pending})
    return Outcome(f"已导出 {month} 的审核表到 {target}：{people} 位客户经理待审核（计划 {plans} 份，结果 {len(rows) - plans} 份"
                   f"{extra}）。",
                   (f"在“{review_book.SHEET}”表的“审核意见”列选择审核通过或驳回，驳回须填写驳回理由。", submit_hint))


def _already(app: App, row: dict, where: dict) -> Finding | None:
    """When the row's document moved on by a decision on exactly what the row showed, and nothing since (the same
    file handed back again, or a colleague's decision on the same version): says who decided, what and when."""
    kind = document_type(row["kind"])
    with app.uow() as uow:
        reviews = [a for r in kind.reviews.values() for a in (r.approve, r.reject)]
        decided = uow.decisions.latest([row["document"]], reviews).get(row["document"])
        now = uow.documents.get(row["kind"], row["owner"], row["period"])
        if decided is None or decided.version != row["version"] + 1 or decided.source != row["state"] or \
                now is None or now.version != decided.version:  # moved on after that decision: a plain stale row
            return None
        who = uow.users.actor(decided.actor_code)
    label = kind.workflow.transition(decided.transition).label
    return Finding("ALREADY", f"{row['owner']}：这一行已于 {decided.at:%Y-%m-%d %H:%M} 由{who.label if who else decided.actor_code}"
                              f"处理（{label}），本次不再处理。", **where)


def _decide_row(app: App, actor: Actor, record: Record, shown: dict) -> str | Finding | None:
    """One summary row: None when left blank, the outcome's text when decided (or already decided from this same
    file), a Finding when refused."""
    cm = normalize_text(record.values.get("cm"))
    what = normalize_text(record.values.get("what"))
    decision = normalize_text(record.values.get(review_book.DECISION))
    reason = typed_text(record.values.get(review_book.REASON))  # the MM's own words, as typed
    where = {"sheet": record.sheet, "cell": record.cells[review_book.DECISION], "row": record.number}
    if not decision:
        return None if not reason else Finding("NO_DECISION", f"{cm}：填写了驳回理由，但没有选择审核意见。请选择“{REJECT}”，或清空理由。", **where)
    row = shown.get(_key(cm, what))
    if row is None:
        return Finding("UNKNOWN_ROW", f"{cm or '（空编码）'} 的“{what}”不在导出的审核表中，这一行未处理。请重新导出。", **where)
    if row.get("fill_in"):
        return Finding("FILL_IN", f"{cm}：{row['owner']} 的{document_type(row['kind']).title}{_fill_in(row, actor)}"
                                  "，这一行未处理。", **where)
    if decision == REJECT and not reason:
        where["cell"] = record.cells[review_book.REASON]
    rows_uow = partial(app.uow, wait_for_disk=False)  # on disk with the submission's conclusion (submit_review_book)
    try:
        if row["kind"] == KIND:
            outcome = decide(rows_uow, actor, cm_code=row["owner"], month=row["period"], decision=decision,
                             comment=reason, expected_state=row["state"], expected_version=row["version"])
        else:
            outcome = decide_form(rows_uow(), actor, document_type(row["kind"]), owner_code=row["owner"],
                                  period=row["period"], decision=decision, reason=reason,
                                  expected_state=row["state"], expected_version=row["version"])
    except Refused as refusal:
        return _already(app, row, where) or Finding("REFUSED", f"{cm}：{refusal.message}", **where)
    return outcome.message


def _conclude(app: App, submission_id: int, outcome: Outcome, partial: bool) -> None:
    conclude_submission(app.uow(), submission_id, "partial" if partial else "accepted", outcome.lines(),
                        review_book.MODULE)


def _export_of(app: App, book: SubmittedBook, actor: Actor) -> dict:
    if book.meta.owner != actor.code:
        raise Refused(f"这是 {book.meta.owner} 的审核表，{actor.label}不能提交。")
    with app.uow() as uow:
        export = uow.exports.get(book.meta.document_id)
    if export is None or export.module != review_book.MODULE or export.owner_code != actor.code:
        raise Refused("找不到这个审核表的导出记录（可能来自另一个数据库）。请重新导出后再填写提交。")
    if book.findings:
        raise Refused("审核表的格式被改动，全部未处理。请重新导出后再填写：", book.findings)
    return export.snapshot["rows"]


def submit_review_book(app: App, actor: Actor, book: SubmittedBook, submission_id: int) -> Outcome:
    """Apply each filled-in row of a review workbook on its own; list every row's result. The rows' commits do not wait
    for the disk (App.uow's wait_for_disk); the submission's conclusion, which does, follows them on every path (here,
    or submit_workbook's for a refusal or a failure) and puts them all on disk before the market manager is told."""
    shown = _export_of(app, book, actor)
    records = book.rows[review_book.SHEET]
    results = [_decide_row(app, actor, record, shown) for record in records]
    done = [r for r in results if isinstance(r, str)]
    people = len({normalize_text(record.values.get("cm")) for record, r in zip(records, results) if isinstance(r, str)})
    refused = [r for r in results if isinstance(r, Finding)]
    blank = results.count(None)
    if not done and not refused:
        raise Refused("审核表中没有填写任何审核意见，未作处理。请在“审核意见”列选择审核通过或驳回后重新提交。")
    if not done and all(f.code == "ALREADY" for f in refused):
        outcome = Outcome("审核表中的审核意见都已处理过，本次未作任何更改。", tuple(f.message for f in refused))
        _conclude(app, submission_id, outcome, False)
        return outcome
    if not done:
        raise Refused(f"审核表中填写的 {len(refused)} 行都未能处理：", refused)
    message = f"已处理 {people} 位客户经理的审核意见。" if people == len(done) else \
        f"已处理 {people} 位客户经理的 {len(done)} 行审核意见。"  # a CM's plan and documents: a row each
    partial = any(f.code != "ALREADY" for f in refused)  # a row already applied from this file is no refusal
    if refused:
        message = f"{PARTIAL + '：' if partial else ''}{message}另有 {len(refused)} 行未处理，原因见下。"
    if blank:
        message += f"{blank} 行未填写审核意见，本次未处理。"
    outcome = Outcome(message, (*done, *(f.text() for f in refused)), len(done), partial=partial)
    _conclude(app, submission_id, outcome, partial)
    return outcome
