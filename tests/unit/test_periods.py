"""Month and week arithmetic shared by every function: a month's weeks and the months a span of days touches."""
from __future__ import annotations

from datetime import date, timedelta

from engine.periods import month_days, months_between, weeks_of


def test_weeks_run_monday_to_sunday_and_are_cut_at_the_month_ends():
    # November 2026 starts on a Sunday and ends on a Monday: a one-day week at each end
    weeks = weeks_of("2026-11")
    assert weeks[0] == (date(2026, 11, 1), date(2026, 11, 1))
    assert weeks[1] == (date(2026, 11, 2), date(2026, 11, 8))
    assert weeks[-1] == (date(2026, 11, 30), date(2026, 11, 30))
    assert len(weeks) == 6
    assert all(first.weekday() == 0 for first, _ in weeks[1:])
    assert all(last.weekday() == 6 for _, last in weeks[:-1])


def test_weeks_cover_every_day_of_the_month_once():
    for month in ("2026-02", "2028-02", "2026-12"):
        days = [first + timedelta(days=n) for first, last in weeks_of(month) for n in range((last - first).days + 1)]
        assert days == month_days(month)


def test_months_between_run_across_the_year_end():
    assert months_between(date(2026, 11, 30), date(2027, 2, 1)) == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert months_between(date(2026, 3, 1), date(2026, 3, 31)) == ["2026-03"]
    assert months_between(date(2026, 4, 1), date(2026, 3, 31)) == []
