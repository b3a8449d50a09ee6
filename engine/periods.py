"""Month and week arithmetic every function shares: months written YYYY-MM, their days and weeks, and the year a
date typed without one (12月5日) has in a period (nearest_year)."""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta


def parse_month(month: str) -> tuple[int, int]:
    """YYYY-MM to (year, month); ValueError in Chinese when malformed."""
    try:
        year_text, mon_text = month.strip().split("-")
        year, mon = int(year_text), int(mon_text)
        if len(year_text) == 4 and 1 <= mon <= 12:
            return year, mon
    except (ValueError, AttributeError):
        pass
    raise ValueError(f"月份“{month}”格式不对，应写成 YYYY-MM，例如 2026-11")


def month_days(month: str) -> list[date]:
    """All days of a month written YYYY-MM."""
    year, mon = parse_month(month)
    return [date(year, mon, d) for d in range(1, calendar.monthrange(year, mon)[1] + 1)]


def previous_month(month: str) -> str:
    """The month before, written YYYY-MM."""
    year, mon = parse_month(month)
    return f"{year - 1}-12" if mon == 1 else f"{year}-{mon - 1:02d}"


def months_between(first: date, last: date) -> list[str]:
    """YYYY-MM of every month from first's to last's."""
    months, year, mon = [], first.year, first.month
    while (year, mon) <= (last.year, last.month):
        months.append(f"{year}-{mon:02d}")
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
    return months


def week_days(week_start: date) -> list[date]:
    """The seven days from a week's start."""
    return [week_start + timedelta(days=i) for i in range(7)]


def weeks_of(month: str) -> list[tuple[date, date]]:
    """The month's weeks, Monday to Sunday, cut at the month's ends (the first and last may be short)."""
    days = month_days(month)
    weeks: list[list[date]] = []
    for day in days:
        if not weeks or day.weekday() == 0:
            weeks.append([])
        weeks[-1].append(day)
    return [(week[0], week[-1]) for week in weeks]


def parse_quarter(quarter: str) -> tuple[int, int]:
    """YYYYQn (2026Q4; q in either case) to (year, n); ValueError in Chinese when malformed."""
    year_text, mark, n_text = str(quarter).strip().upper().partition("Q")
    if mark and len(year_text) == 4 and year_text.isdigit() and n_text in ("1", "2", "3", "4"):
        return int(year_text), int(n_text)
    raise ValueError(f"季度“{quarter}”格式不对，应写成 YYYYQn，例如 2026Q4（2026 年第四季度：10 至 12 月）")


def quarter_of(month: str) -> str:
    """The quarter a YYYY-MM month lies in, written YYYYQn."""
    year, mon = parse_month(month)
    return f"{year}Q{(mon - 1) // 3 + 1}"


def quarter_months(quarter: str) -> list[str]:
    """The three months (YYYY-MM) of a quarter written YYYYQn."""
    year, n = parse_quarter(quarter)
    return [f"{year}-{mon:02d}" for mon in range(3 * n - 2, 3 * n + 1)]


#: The periods a document may be kept by, as its period is written: a month, a week (its Monday), a quarter, a
#: month's promotion campaign (§14: YYYY-MM/CODE).
PERIOD_KINDS = ("month", "week", "quarter", "campaign")

_QUARTER = re.compile(r"^\d{4}Q[1-4]$")


def kind_of_period(period: str) -> str:
    """Which of PERIOD_KINDS a written period is: 2026-11 a month, 2026-11-30 a week, 2026Q4 a quarter, 2026-12/CX2612
    a campaign (whose code may hold a Q: only a whole YYYYQn is a quarter)."""
    if "/" in period:
        return "campaign"
    return "quarter" if _QUARTER.match(period.upper()) else "week" if period.count("-") == 2 else "month"


def period_months(period: str) -> list[str]:
    """The months (YYYY-MM) a period's figures are read over: a month itself, a quarter's three, a week's or a campaign's month."""
    kind = kind_of_period(period)
    return quarter_months(period) if kind == "quarter" else [period[:7]]


def nearest_year(month: int, day: int, period: str) -> date:
    """The date month/day in the year that puts it nearest the period's days (none between when it falls inside
    them; on a tie, the period's own year): in a 2026-12 document 12月5日 is 2026-12-05 and 1月3日 is 2027-01-03, in
    a 2027-01 document 12月28日 is 2026-12-28. The year is chosen as for the month's 28th at most, so a day that
    year lacks (2月29日 near 2027) is refused rather than moved to another year; ValueError when there is no such
    day."""
    months = period_months(period)
    first, last = month_days(months[0])[0], month_days(months[-1])[-1]
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise ValueError(f"{month}月{day}日不是日期")
    year = min(range(first.year - 1, last.year + 2), key=lambda y: (
        max((first - date(y, month, min(day, 28))).days, (date(y, month, min(day, 28)) - last).days, 0),
        abs(y - first.year)))
    return date(year, month, day)
