"""The market manager's review: what awaits their decision, with what helps decide, and the decisions — §3's big
tables (awaiting, decide) and every declared document type's (awaiting_forms, decide_form; the documents themselves
are read and taken back by engine/forms.py).

Each decision is its own unit of work: a document that moved on since the review workbook was made is
refused for that row only.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from engine.actors import Actor
from engine.document_types import DocumentType, document_types
from engine.policy import require
from engine.marks import Mark
from engine.documents import transition_document
from engine.errors import Refused
from engine.forms import FormView, kept_values
from engine.periods import kind_of_period, quarter_of
from engine.ports import UnitOfWork
from engine.records import Outcome
from engine.kinds.bigtable import TYPE
from engine.workflow import Relation
from engine.workflows import BIG_TABLE

APPROVE, REJECT = "审核通过", "驳回"
REASON_LIMIT = 200
KIND = TYPE.code
#: What awaits the MM in each state, and the transitions its two decisions fire (the declaration's reviews).
AWAITING = {state: (review.what, review.approve, review.reject) for state, review in TYPE.reviews.items()}
#: The market manager's decisions (what "changes since the last decision" counts from).
DECISIONS = tuple(transition for _, *transitions in AWAITING.values() for transition in transitions)
REJECTIONS = tuple(reject for _, _, reject in AWAITING.values())


@dataclass(frozen=True)
class ReviewRow:
    """One CM's table awaiting a decision, with its counts."""

    cm_code: str
    cm_name: str
    month: str
    state: str
    version: int
    stores: int
    counts: dict[str, int]
    changes: int

    @property
    def what(self) -> str:
        """计划 or 结果."""
        return AWAITING[self.state][0]

    @property
    def completion(self) -> float:
        """Plan completion = ★ ÷ (☆ + ★); 0 when nothing is planned."""
        planned = self.counts[Mark.PLANNED] + self.counts[Mark.DONE]
        return self.counts[Mark.DONE] / planned if planned else 0.0


def awaiting(uow: UnitOfWork, actor: Actor, month: str) -> list[ReviewRow]:
    """The CMs of the actor's scope whose plan or results for the month await a decision."""
    require(actor, "review")
    cms = uow.users.cms_in(actor.unit_path)
    docs = [d for d in uow.documents.get_many(KIND, cms, month).values() if d.state in AWAITING]
    docs.sort(key=lambda d: d.owner_code)
    owners = [d.owner_code for d in docs]
    counts = uow.big_tables.counts_of_many([d.id for d in docs])  # one count for every table, not one read per CM
    names = uow.users.names(owners)
    stores = Counter(store.cm_code for store in uow.analyses.scope(owners))
    decided = uow.decisions.latest([d.id for d in docs], DECISIONS)
    changed = uow.big_tables.changed_since({d.id: decided[d.id].version if d.id in decided else 1 for d in docs})
    rows = []
    for doc in docs:
        marks = {mark.value: counts[doc.id].get(mark.value, 0) for mark in Mark if mark is not Mark.BLANK}
        rows.append(ReviewRow(doc.owner_code, names.get(doc.owner_code, ""), month, doc.state, doc.version,
                              stores[doc.owner_code], marks, changed[doc.id]))
    return rows


def decide(uow_factory, actor: Actor, *, cm_code: str, month: str, decision: str, comment: str,
           expected_state: str, expected_version: int) -> Outcome:
    """Approve or reject one CM's plan or results; a 驳回 needs a comment; a table that moved on is refused."""
    if decision not in (APPROVE, REJECT):
        raise Refused(f"审核意见只能是“{APPROVE}”或“{REJECT}”。")
    if decision == REJECT and not comment.strip():
        raise Refused("驳回时必须填写驳回理由，让客户经理知道要改什么。")
    if expected_state not in AWAITING:
        raise Refused(f"{cm_code} 的大表不在待审核状态。")
    _, approve, reject = AWAITING[expected_state]
    transition = approve if decision == APPROVE else reject
    doc = transition_document(uow_factory(), actor=actor, kind=KIND, owner_code=cm_code, period=month, transition=transition,
                              expected_version=expected_version, note=comment.strip())
    return Outcome(f"{cm_code} 的 {month} {AWAITING[expected_state][0]}已{decision}，当前状态：{BIG_TABLE.states[doc.state]}。")


@dataclass(frozen=True)
class Pending:
    """A declared document awaiting its market manager: their decision (a review: 审核通过 or 驳回), or — in a state
    they fill in (Step.by, the contract's 考评) — their entries in the document itself; with what helps decide: the
    kind's summary of its values and how many values changed since the last decision."""

    view: FormView
    summary: str
    changes: int

    @property
    def fills_in(self) -> bool:
        """Whether the market manager fills the document in (in its own file) rather than decides on it."""
        return self.view.doc.state not in self.view.kind.reviews

    @property
    def what(self) -> str:
        """What awaits (月工作计划, 月度工作总结, …; for a state the MM fills in, the title and its 提交: 绩效合约书考评),
        naming the period when it is not the review's month — a campaign (§14) its code, a quarter (§18) itself — so a
        CM's month and quarter documents waiting in the same review are two rows, each its own key."""
        kind, doc = self.view.kind, self.view.doc
        what = kind.reviews[doc.state].what if doc.state in kind.reviews else \
            f"{kind.title}{kind.workflow.transition(kind.steps[doc.state].submit).label}"
        return f"{what}（{self.named_period}）" if self.named_period else what

    @property
    def named_period(self) -> str:
        """The document's period as its row and sheet name it when it is not the review's month: a campaign's code
        (§14), a quarter (§18 kept by quarter); empty for a month."""
        period = self.view.doc.period
        return {"campaign": period.partition("/")[2], "quarter": period}.get(kind_of_period(period), "")


def awaits_supervisor(kind: DocumentType, state: str) -> bool:
    """Whether a document in this state waits for its market manager: a review, or a state they fill in and submit."""
    step = kind.steps.get(state)
    return state in kind.reviews or (step is not None and bool(step.submit) and kind.editor(state) is Relation.SUPERVISOR)


def awaiting_forms(uow: UnitOfWork, actor: Actor, period: str) -> list[Pending]:
    """Every declared document of the period, of the CMs in the actor's scope, that awaits them (awaits_supervisor)."""
    require(actor, "review")
    cms = uow.users.cms_in(actor.unit_path)
    pending = []
    for kind in document_types().values():
        if not kind.parts or not any(awaits_supervisor(kind, state) for state in kind.workflow.states):
            continue
        periods = [period, *([quarter_of(period)] if "quarter" in kind.periods and kind_of_period(period) == "month"
                             else [])]  # a month's review takes the documents kept by its quarter too
        found = uow.documents.in_month(kind.code, cms, period) if kind.period == "campaign" else [
            d for p in periods for d in uow.documents.get_many(kind.code, cms, p).values()]  # a month's campaigns (§14)
        docs = [d for d in found if awaits_supervisor(kind, d.state)]
        if not docs:
            continue
        kept = uow.values.of_many([d.id for d in docs])
        decided = uow.decisions.latest([d.id for d in docs], [a for r in kind.reviews.values() for a in (r.approve, r.reject)])
        names = uow.users.names([d.owner_code for d in docs])
        changed = uow.values.changed_since({d.id: decided[d.id].version if d.id in decided else 1 for d in docs},
                                           list(kind.inputs))  # what the CM changed, not the figures kept with it
        for doc in sorted(docs, key=lambda d: (d.owner_code, d.period)):
            view = FormView(kind, doc, names.get(doc.owner_code, ""), kept_values(kind, kept[doc.id], None), {}, None,
                            frozenset())
            pending.append(Pending(view, kind.summary(view.values) if kind.summary else "", changed[doc.id]))
    return pending


def decide_form(uow: UnitOfWork, actor: Actor, kind: DocumentType, *, owner_code: str, period: str, decision: str,
                reason: str, expected_state: str, expected_version: int) -> Outcome:
    """The market manager's 审核通过 or 驳回 (a reason required, at most REASON_LIMIT characters, kept as typed) of
    the document shown to them at expected_version; one that moved on since is refused."""
    reason = (reason or "").strip()
    if decision not in (APPROVE, REJECT):
        raise Refused(f"审核意见只能是“{APPROVE}”或“{REJECT}”（填写的是“{decision}”）。")
    if decision == REJECT and not reason:
        raise Refused("驳回时必须填写驳回理由，让客户经理知道要改什么。")
    if len(reason) > REASON_LIMIT:
        raise Refused(f"驳回理由最多 {REASON_LIMIT} 个字，现有 {len(reason)} 个字，请删减后重新提交。")
    review = kind.reviews.get(expected_state)
    if review is None:
        raise Refused(f"{owner_code} 的{kind.title}不在待审核状态。")
    transition = review.approve if decision == APPROVE else review.reject
    doc = transition_document(uow, actor=actor, kind=kind.code, owner_code=owner_code, period=period, transition=transition,
                              expected_version=expected_version, note=reason)
    return Outcome(f"{owner_code} 的 {period} {kind.title}已{decision}，当前状态：{kind.state_label(doc.state)}。")
