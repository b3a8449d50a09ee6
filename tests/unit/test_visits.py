"""The visit plan's rules: which days a store is due, from its cycle, weekday and phase, across month ends."""
from __future__ import annotations

import zlib
from datetime import date, timedelta

import pytest

from engine.periods import month_days, parse_month, previous_month, week_days
from engine.visits import visit_dates, visit_phase


def code_with_phase(cycle: int, phase: int) -> str:
    """A store code whose phase in a cycle of that many weeks is the one wanted."""
    return next(c for c in (f"4201{n:08d}" for n in range(1000)) if visit_phase(c, cycle) == phase)


def test_weekly_store_is_due_on_every_such_weekday_of_the_month():
    # November 2026 starts on a Sunday: Mondays are the 2nd, 9th, 16th, 23rd and 30th
    due = visit_dates("420101100001", 1, 1, "2026-11")
    assert due == [date(2026, 11, d) for d in (2, 9, 16, 23, 30)]
    assert all(d.isoweekday() == 1 for d in due)


@pytest.mark.parametrize("weekday", range(1, 8))
def test_every_visit_falls_on_the_store_weekday(weekday):
    for cycle in (1, 2, 4):
        for day in visit_dates("420102100123", cycle, weekday, "2026-03"):
            assert day.isoweekday() == weekday and day.month == 3


def test_fortnightly_and_four_weekly_visits_are_spaced_by_their_cycle():
    for cycle in (2, 4):
        for phase in range(cycle):
            due = visit_dates(code_with_phase(cycle, phase), cycle, 3, "2026-07")
            assert due, "every store with a cycle of at most 4 weeks is due at least once in any month"
            assert all((b - a).days == 7 * cycle for a, b in zip(due, due[1:]))


def test_phase_spreads_stores_over_the_weeks_of_their_cycle():
    firsts = {visit_dates(code_with_phase(4, phase), 4, 2, "2026-09")[0] for phase in range(4)}
    assert len(firsts) == 4  # four phases, four different first Tuesdays
    assert {d.day for d in firsts} == {1, 8, 15, 22}


def test_phase_is_stable_per_store_and_inside_the_cycle():
    assert visit_phase("420101100001", 4) == zlib.crc32(b"420101100001") % 4
    assert visit_phase("420101100001", 1) == 0
    assert {visit_phase(f"4201{n:08d}", 4) for n in range(200)} == {0, 1, 2, 3}


@pytest.mark.parametrize("cycle", [1, 2, 4])
def test_the_cycle_runs_on_across_month_and_year_ends(cycle):
    code = code_with_phase(cycle, cycle - 1)
    days = []
    for month in ("2026-11", "2026-12", "2027-01", "2027-02", "2027-03"):
        days += visit_dates(code, cycle, 5, month)
    assert days == [days[0] + timedelta(weeks=cycle * i) for i in range(len(days))]


def test_month_lengths_and_leap_years():
    assert len(month_days("2028-02")) == 29 and len(month_days("2027-02")) == 28
    assert month_days("2026-12")[-1] == date(2026, 12, 31)
    # a weekly store on Sunday in a 29-day February that starts on a Tuesday
    assert visit_dates("1", 1, 7, "2028-02") == [date(2028, 2, d) for d in (6, 13, 20, 27)]


def test_month_parsing_and_previous_month():
    assert parse_month(" 2026-03 ") == (2026, 3)
    assert previous_month("2027-01") == "2026-12" and previous_month("2026-10") == "2026-09"
    for bad in ("2026/03", "26-03", "2026-13", "", "三月"):
        with pytest.raises(ValueError, match="YYYY-MM"):
            parse_month(bad)


def test_week_days_are_seven_consecutive_days():
    days = week_days(date(2026, 11, 30))
    assert days[0] == date(2026, 11, 30) and days[-1] == date(2026, 12, 6) and len(days) == 7
