"""The visit plan (客户拜访计划): which days a store is visited, from its visit cycle."""
from __future__ import annotations

import zlib
from datetime import date

from engine.actors import Actor
from engine.periods import month_days
from engine.ports import Report, UnitOfWork


def visit_phase(store_code: str, cycle_weeks: int) -> int:
    """Which week of its cycle a store falls in; stable per store so that visits spread evenly."""
    return zlib.crc32(store_code.encode()) % cycle_weeks


def visit_dates(store_code: str, cycle_weeks: int, weekday: int, month: str) -> list[date]:
    """Days of the month a store is due: its weekday, in the weeks its cycle and phase select.

    Weeks count from the Monday of 2001-01-01 so that a cycle runs on across month ends.
    """
    phase = visit_phase(store_code, cycle_weeks)
    epoch = date(2001, 1, 1)  # a Monday
    due = []
    for day in month_days(month):
        if day.isoweekday() != weekday:
            continue
        week = (day - epoch).days // 7
        if week % cycle_weeks == phase:
            due.append(day)
    return due


def plan_visits(uow: UnitOfWork, actor: Actor, month: str) -> Report:
    """Plan (or plan again) the month's visits of every active store, with its audit row, in one unit of work; what
    it did. Refused (who may plan, a month that is not one) writes nothing."""
    with uow:
        report = uow.visits.plan(month, actor)
        uow.commit()
    return report
