"""A customer manager's month in figures, read through the ports: what §11, §16 (and later §18) fill in for them."""
from __future__ import annotations

from collections import Counter
from functools import cache
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from engine.fields import Figure, Lines
from engine.marks import Mark
from engine.periods import month_days, period_months, previous_month
from engine.ports import UnitOfWork
from engine.workflows import WEEKLY_ASSESSMENT


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


def sales_of_many(uow: UnitOfWork, cm_codes: list[str], period: str) -> dict[str, tuple[int, float, float | None]]:
    """条, 元 and 单条值 (None without orders) of every CM's stores in the period (a month, or a quarter's three), by
    CM code: one aggregate read a month."""
    found = {cm: (0, 0.0) for cm in cm_codes}
    for month in period_months(period):
        for cm, (volume, amount) in uow.analyses.cm_totals(cm_codes, month).items():
            if cm in found:
                found[cm] = (found[cm][0] + volume, found[cm][1] + amount)
    return {cm: (volume, round(amount, 2), round(amount / volume, 2) if volume else None)
            for cm, (volume, amount) in found.items()}


def completion_of_many(uow: UnitOfWork, cm_codes: list[str], period: str) -> dict[str, float | None | str]:
    """Each CM's plan completion of the period (a month, or a quarter's three months' tables together), ★ ÷ (☆ + ★)
    from the big tables' marks (two reads a month for every CM): a share, None when nothing was planned, or a
    sentence when no big table was generated."""
    tables: dict[str, list[int]] = {cm: [] for cm in cm_codes}
    for month in period_months(period):
        for cm, doc in uow.documents.get_many("bigtable", cm_codes, month).items():
            tables[cm].append(doc.id)
    counts = uow.big_tables.counts_of_many([doc_id for ids in tables.values() for doc_id in ids])
    found: dict[str, float | None | str] = {}
    for cm in cm_codes:
        if not tables[cm]:
            found[cm] = "尚未生成大表"
            continue
        done = sum(counts[doc_id].get(Mark.DONE.value, 0) for doc_id in tables[cm])
        planned = sum(counts[doc_id].get(Mark.PLANNED.value, 0) for doc_id in tables[cm]) + done
        found[cm] = done / planned if planned else None
    return found


def survey_completion_of_many(uow: UnitOfWork, cm_codes: list[str], period: str) -> dict[str, str]:
    """Each CM's §8 demand-survey completion of the period: the answers confirmed ÷ the CM's active stores times the
    period's months (a survey a store a month), as a share with its counts (one read a month and one for all)."""
    from engine.surveys import CONFIRMED

    months = period_months(period)
    confirmed: Counter[str] = Counter()
    for month in months:
        confirmed.update(uow.surveys.answered_counts(month, cm_codes, CONFIRMED))
    stores = {cm: count * len(months) for cm, count in uow.surveys.store_counts(cm_codes).items()}
    return {cm: (f"{confirmed.get(cm, 0) / stores[cm]:.1%}（已确认 {confirmed.get(cm, 0)} / {stores[cm]} 户"
                 f"{'次' if len(months) > 1 else ''}）" if stores.get(cm) else "无在册客户") for cm in cm_codes}


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


def tasks_of_many(uow: UnitOfWork, cm_codes: list[str], month: str) -> dict[str, Tasks | None]:
    """Every CM's big table of the month in counts, by code (None before it is generated): one read of the tables,
    one of their cells."""
    docs = uow.documents.get_many("bigtable", cm_codes, month)
    cells = uow.big_tables.cells_of_many([doc.id for doc in docs.values()])
    grouping = _groups()
    found: dict[str, Tasks | None] = dict.fromkeys(cm_codes)
    for cm, doc in docs.items():
        groups: dict[str, Counter] = {group: Counter() for group in dict.fromkeys(grouping.values())}
        for cell in cells[doc.id].values():
            groups.setdefault(grouping.get(cell.action, "其他"), Counter())[cell.mark] += 1
        done = {cell.store_code for cell in cells[doc.id].values() if Mark(cell.mark).done}
        found[cm] = Tasks(groups, len(done), sum(Mark(cell.mark).open for cell in cells[doc.id].values()))
    return found


def visits_of_many(uow: UnitOfWork, cm_codes: list[str], month: str) -> dict[str, tuple[int, int]]:
    """Every CM's planned visits of the month and the stores they go to (from the visit plan), by code: one
    aggregate read."""
    days = month_days(month)
    planned = uow.visits.counts(cm_codes, days[0], days[-1])
    return {cm: planned.get(cm, (0, 0)) for cm in cm_codes}


def capability_moves_of_many(uow: UnitOfWork, cm_codes: list[str],
                             month: str) -> dict[str, tuple[list[str], list[str]] | None]:
    """Every CM's stores (names) whose capability total rose and fell against last month's scoring, by code; None
    when either month has no scores. Set-based: the two months' analyses, their scores and the stores in one read
    each."""
    from engine.operating_analysis import analyses_of

    this, last = (analyses_of(uow, cm_codes, m) for m in (month, previous_month(month)))
    both = [cm for cm in cm_codes if cm in this and cm in last]
    found: dict[str, tuple[list[str], list[str]] | None] = dict.fromkeys(cm_codes)
    if not both:
        return found
    scores = uow.analyses.capability_of([a.id for cm in both for a in (this[cm], last[cm])])
    if scores.empty:
        return found
    totals = scores.assign(score=scores["score"].astype(float)).groupby(["analysis_id", "store_id"])["score"].sum()
    scored = set(scores["analysis_id"].unique())
    stores: dict[str, list[tuple[int, str]]] = {}
    for scoped in uow.analyses.scope(both):
        stores.setdefault(scoped.cm_code, []).append((scoped.id, scoped.name))
    for cm in both:
        now, before = this[cm].id, last[cm].id
        if now not in scored and before not in scored:
            continue
        rose: list[str] = []
        fell: list[str] = []
        for store_id, name in stores.get(cm, []):
            if (now, store_id) in totals.index and (before, store_id) in totals.index:
                delta = totals[(now, store_id)] - totals[(before, store_id)]
                (rose if delta > 0 else fell if delta < 0 else []).append(name)
        found[cm] = rose, fell
    return found


@dataclass(frozen=True)
class Week:
    """A CM's week as the data tells it: its days, the planned visits (§12) and their stores, and what the big table
    recorded that week (§13: stores given a ★ or ▲, ★ and ▲ marked)."""

    days: str
    visits: int
    visit_stores: int
    stores: int
    done: int
    temporary_done: int


def week_of_many(uow: UnitOfWork, cm_codes: list[str], week: str) -> dict[str, Week]:
    """The week (its Monday, YYYY-MM-DD) of every CM, by code: one aggregate read of the visit plan, one of the
    week's marks."""
    start = date.fromisoformat(week)
    end = start + timedelta(days=6)
    planned = uow.visits.counts(cm_codes, start, end)
    marked = uow.audit.marks_done(cm_codes, datetime.combine(start, time()), datetime.combine(end + timedelta(days=1),
                                                                                               time()))
    days = f"{start:%Y-%m-%d}～{end:%m-%d}"
    return {cm: Week(days, *planned.get(cm, (0, 0)), *marked.get(cm, (0, 0, 0))) for cm in cm_codes}


#: The weekly self-assessments' values the month shows (§16, §18), as kept, by the column that shows them.
_WEEK_COLUMNS = {"days": "week", "visits": "visits", "marked_stores": "stores", "done": "done",
                 "new_stores": "new_stores"}


_KEPT = Figure("kept", "")  # reads a kept text back as the number or text it was


def weekly_of_many(uow: UnitOfWork, cm_codes: list[str], period: str) -> dict[str, dict[int, dict[str, object]]]:
    """Every CM's weekly self-assessments of the period (weeks starting in its months), as lines to show read-only:
    the week, its state, planned visits, stores with a ★ or ▲, ★ marked, new stores, and the self-ratings counted
    (优 2、良 2)."""
    docs = [doc for month in period_months(period) for doc in uow.documents.in_month("weekly", cm_codes, month)]
    docs.sort(key=lambda doc: (doc.owner_code, doc.period))
    kept = uow.values.of_many([doc.id for doc in docs])
    found: dict[str, dict[int, dict[str, object]]] = {cm: {} for cm in cm_codes}
    for doc in docs:
        values = kept[doc.id]
        ratings = Counter(text for (key, _), text in values.items() if key == "ratings.rating" and text)
        line = {column: _KEPT.load(values.get((key, 0), "")) for key, column in _WEEK_COLUMNS.items()}
        line.update(week=line["week"] or doc.period, state=WEEKLY_ASSESSMENT.states[doc.state],
                    rating="、".join(f"{r} {n}" for r, n in ratings.items()) or "未评")
        found[doc.owner_code][len(found[doc.owner_code]) + 1] = line
    return found


#: The month's weekly self-assessments as a read-only table of §16 and §18 (filled by weekly_of_many).
WEEKLY_LINES = Lines("weeks", "周自我评估（§15）", (
    Figure("week", "周次", width=22), Figure("state", "状态", width=8), Figure("visits", "计划拜访", width=10),
    Figure("stores", "有完成标注的客户", width=14), Figure("done", "完成 ★", width=8),
    Figure("new_stores", "新开发客户", width=10), Figure("rating", "自评", width=24)), max_lines=6,
    hint="本期各周的周自我评估（由系统按已填写的周自我评估生成，只读）")
