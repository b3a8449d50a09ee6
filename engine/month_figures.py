"""A customer manager's month in figures, read through the ports: what §11, §16 (and later §18) fill in for them."""
from __future__ import annotations

from collections import Counter
from functools import cache
from dataclasses import dataclass

from engine.marks import Mark
from engine.periods import month_days, previous_month
from engine.ports import UnitOfWork


@dataclass(frozen=True)
class Sales:
    """The orders of a CM's stores in a month: 条, 元, 单条值 (元/条), stores that ordered, stores in scope."""

    volume: int
    amount: float
    value_per_carton: float
    ordering: int
    stores: int


def sales(uow: UnitOfWork, cm_code: str, month: str) -> Sales:
    """The month's orders of the CM's stores (from the importer's monthly totals)."""
    totals = uow.analyses.totals([cm_code], month)
    volume = int(totals["volume"].sum()) if len(totals) else 0
    amount = float(totals["amount"].sum()) if len(totals) else 0.0
    ordering = int((totals["volume"] > 0).sum()) if len(totals) else 0
    return Sales(volume, round(amount, 2), round(amount / volume, 2) if volume else 0.0, ordering,
                 len(uow.analyses.scope([cm_code])))


def sales_of_many(uow: UnitOfWork, cm_codes: list[str], month: str) -> dict[str, tuple[int, float, float | None]]:
    """条, 元 and 单条值 (None without orders) of every CM's stores in the month, by CM code: one aggregate read."""
    totals = uow.analyses.cm_totals(cm_codes, month)
    return {cm: (volume, round(amount, 2), round(amount / volume, 2) if volume else None)
            for cm, (volume, amount) in ((cm, totals.get(cm, (0, 0.0))) for cm in cm_codes)}


def completion_of_many(uow: UnitOfWork, cm_codes: list[str], month: str) -> dict[str, float | None | str]:
    """Each CM's plan completion of the month, ★ ÷ (☆ + ★) from the big table's marks (two reads for every CM): a
    share, None when nothing was planned, or a sentence when no big table was generated."""
    docs = uow.documents.get_many("bigtable", cm_codes, month)
    counts = uow.big_tables.counts_of_many([doc.id for doc in docs.values()])
    found: dict[str, float | None | str] = {}
    for cm in cm_codes:
        if cm not in docs:
            found[cm] = "尚未生成大表"
            continue
        marks = counts[docs[cm].id]
        planned = marks.get(Mark.PLANNED.value, 0) + marks.get(Mark.DONE.value, 0)
        found[cm] = marks.get(Mark.DONE.value, 0) / planned if planned else None
    return found


def change(now: float, before: float) -> str:
    """Month on month as a user reads it: +12.5%, -3.0%, or — when there is nothing to compare with."""
    return f"{(now - before) / before:+.1%}" if before else "—"


@dataclass(frozen=True)
class Tasks:
    """The month's big table in counts per action group: ☆ and ★ (planned), △ and ▲ (temporary)."""

    groups: dict[str, Counter]
    stores_done: int  # stores with at least one ★ or ▲
    open: int  # ☆ and △ left: carried to next month

    def completion(self, group: str | None = None) -> float | None:
        """★ ÷ (☆ + ★) of a group (all groups when None); None when nothing was planned."""
        counts = self.groups.get(group, Counter()) if group else sum(self.groups.values(), Counter())
        planned = counts[Mark.PLANNED.value] + counts[Mark.DONE.value]
        return counts[Mark.DONE.value] / planned if planned else None


@cache
def _groups() -> dict[str, str]:
    """Each marketing action's group (read when a figure is asked for: engine.strategies brings pandas, which the
    declarations importing this module must not cost `cmw --help`)."""
    from engine.strategies import ACTIONS

    return {a.code: a.group for a in ACTIONS}


def tasks(uow: UnitOfWork, cm_code: str, month: str) -> Tasks | None:
    """The CM's big table of the month in counts, or None before it is generated."""
    doc = uow.documents.get_many("bigtable", [cm_code], month).get(cm_code)
    if doc is None:
        return None
    cells = uow.big_tables.cells(doc.id).values()
    grouping = _groups()
    groups: dict[str, Counter] = {group: Counter() for group in dict.fromkeys(grouping.values())}
    for cell in cells:
        groups.setdefault(grouping.get(cell.action, "其他"), Counter())[cell.mark] += 1
    done = {cell.store_code for cell in cells if Mark(cell.mark).done}
    return Tasks(groups, len(done), sum(Mark(cell.mark).open for cell in cells))


def visits_planned(uow: UnitOfWork, cm_code: str, month: str) -> tuple[int, int]:
    """The month's planned visits and the stores they go to (from the visit plan)."""
    days = month_days(month)
    due = uow.visits.due(cm_code, days[0], days[-1])
    return len(due), len({visit.code for visit in due})


def capability_moves(uow: UnitOfWork, cm_code: str, month: str) -> tuple[list[str], list[str]] | None:
    """The stores (names) whose capability total rose and fell against last month's scoring; None when either
    month has no scores."""
    from engine.operating_analysis import analyses_of

    this, last = (analyses_of(uow, [cm_code], m).get(cm_code) for m in (month, previous_month(month)))
    if this is None or last is None:
        return None
    scores = uow.analyses.capability_of([this.id, last.id])
    if scores.empty:
        return None
    totals = scores.assign(score=scores["score"].astype(float)).groupby(["analysis_id", "store_id"])["score"].sum()
    now, before = this.id, last.id
    names = {s.id: s.name for s in uow.analyses.scope([cm_code])}
    rose: list[str] = []
    fell: list[str] = []
    for store, name in names.items():
        if (now, store) in totals.index and (before, store) in totals.index:
            delta = totals[(now, store)] - totals[(before, store)]
            (rose if delta > 0 else fell if delta < 0 else []).append(name)
    return rose, fell
