"""The visit plan (客户拜访计划): which days a store is visited, from its visit cycle."""
from __future__ import annotations

import calendar
import zlib
from datetime import date, timedelta


def visit_phase(store_code: str, cycle_weeks: int) -> int:
    """Which week of its cycle a store falls in; stable per store so that visits spread evenly."""
    return zlib.crc32(store_code.encode()) % cycle_weeks


def month_days(month: str) -> list[date]:
    """All days of a month written YYYY-MM."""
    year, mon = parse_month(month)
    return [date(year, mon, d) for d in range(1, calendar.monthrange(year, mon)[1] + 1)]


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


def previous_month(month: str) -> str:
    """The month before, written YYYY-MM."""
    year, mon = parse_month(month)
    return f"{year - 1}-12" if mon == 1 else f"{year}-{mon - 1:02d}"


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


def week_days(week_start: date) -> list[date]:
    """The seven days from a week's start."""
    return [week_start + timedelta(days=i) for i in range(7)]
