"""§3 the market manager's review: what awaits a decision, with the figures to judge it, and the decisions.

Each decision is its own unit of work: a plan that moved on since the review workbook was made is
refused for that row only.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from engine.actors import Actor
from engine.policy import require
from engine.marks import Mark
from engine.documents import transition_document
from engine.errors import Refused
from engine.ports import UnitOfWork
from engine.records import Outcome
from engine.forms import APPROVE, REJECT
from engine.kinds.bigtable import TYPE
from engine.workflows import BIG_TABLE

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
