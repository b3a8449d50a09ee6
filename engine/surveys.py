"""§8 客户需求调查表: the rules of one store's answer — what a cell may hold, the three most urgent demands among the
ticked items, the visit or answer date inside the month — shared by the CM's entry workbook and the ordering
platform's import. Pure: nothing here reads a file or a database.

An answer is kept as cell texts by key (date, one key per item, urgent1-3, suggestion) so that a workbook's
export, its take-back and the import compare them the same way.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from engine.fields import Day
from engine.periods import month_days
from engine.questionnaire import Questionnaire, SurveyItem
from engine.stores import normalize_text, typed_text

OFFLINE, ONLINE = "offline", "online"
CHANNELS = {OFFLINE: "线下", ONLINE: "网上"}
DRAFT, CONFIRMED = "draft", "confirmed"
#: A ticked item; what else a user types for one (√ from a Chinese input method, ✔) reads the same.
TICK = "✓"
_TICKS = {"✓", "√", "✔", "☑"}
SUGGESTION_LIMIT = 200
URGENT = ("urgent1", "urgent2", "urgent3")
URGENT_LABELS = ("最急需一", "最急需二", "最急需三")
DATE, SUGGESTION = "date", "suggestion"
_DAY = Day("date", "调查日期")


def item_key(code: str) -> str:
    """The key of an item's cell (and column)."""
    return f"item_{code}"


@dataclass(frozen=True)
class Answer:
    """One store's answer of a month as stored: its channel, date, ticked item codes (in the questionnaire's order),
    up to three most urgent codes, suggestion and state; entered when, by whom."""

    store_id: int
    store_code: str
    store_name: str
    cm_code: str
    channel: str
    answered_on: date | None
    items: tuple[str, ...]
    urgent: tuple[str, ...]
    suggestion: str
    state: str = DRAFT
    entered_at: datetime | None = None

    def cells(self, questionnaire: Questionnaire, month: str) -> dict[str, str]:
        """The answer as cell texts by key (what a workbook shows and a snapshot keeps)."""
        return answer_cells(questionnaire, month, self.answered_on, self.items, self.urgent, self.suggestion)


def answer_cells(questionnaire: Questionnaire, month: str, answered_on: date | None, items, urgent,
                 suggestion: str) -> dict[str, str]:
    """Cell texts by key: the date (ISO), ✓ per ticked item, the urgent items' names, the suggestion."""
    names = {i.code: i.name for i in questionnaire.items}
    cells = {DATE: answered_on.isoformat() if answered_on else ""}
    cells.update({item_key(i.code): TICK if i.code in items else "" for i in questionnaire.of_month(month)})
    cells.update({key: names.get(code, code) for key, code in zip(URGENT, urgent)})
    cells.update({key: "" for key in URGENT[len(urgent):]})
    cells[SUGGESTION] = suggestion or ""
    return cells


def is_blank(cells: dict[str, str]) -> bool:
    """Nothing entered: the store is not surveyed (not an error)."""
    return not any(cells.values())


def read_tick(raw: object, label: str) -> str:
    """A ✓ cell: ✓ (or √ ✔ ☑) or blank; ValueError says what is allowed."""
    text = normalize_text(raw)
    if not text:
        return ""
    if text in _TICKS:
        return TICK
    raise ValueError(f"“{label}”只能选“{TICK}”（从下拉列表选择）或留空")


def read_day(raw: object, month: str) -> str:
    """A date inside the month, as ISO text ("" when blank); ValueError says the month's range."""
    day = _DAY.parse(raw, period=month)
    if day is None:
        return ""
    days = _days(month)
    if not days[0] <= day <= days[-1]:
        raise ValueError(f"日期应在 {month} 月内（{days[0]} 至 {days[-1]}），填写的是 {day}")
    return day.isoformat()


@cache
def _days(month: str) -> tuple[date, date]:
    days = month_days(month)
    return days[0], days[-1]


def read_item(raw: object, questionnaire: Questionnaire, month: str, label: str) -> SurveyItem | None:
    """An item named by its name or code ("" → None); ValueError lists the month's items."""
    if normalize_text(raw) == "":
        return None
    item = questionnaire.find(raw, month)
    if item is None:
        shown = "、".join(f"{i.code} {i.name}" for i in questionnaire.of_month(month))
        raise ValueError(f"“{label}”不是本月问卷的需求项目，可选：{shown}")
    return item


def read_suggestion(raw: object) -> str:
    """The suggestion as typed (outer spaces trimmed); ValueError when too long."""
    text = typed_text(raw)
    if len(text) > SUGGESTION_LIMIT:
        raise ValueError(f"“建议意见”最多 {SUGGESTION_LIMIT} 个字，现有 {len(text)} 个字，请删减")
    return text


def urgent_problems(ticked: tuple[str, ...], urgent: list[SurveyItem | None]) -> list[tuple[int, str]]:
    """What is wrong with the three most urgent demands (position 0-2, message): each must be one of the ticked
    items, none twice, filled from the first on."""
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for n, item in enumerate(urgent):
        if item is None:
            continue
        label = URGENT_LABELS[n]
        if any(urgent[m] is None for m in range(n)):
            problems.append((n, f"“{label}”前面还有空着的最急需项，请从“{URGENT_LABELS[0]}”起依次填写"))
        elif item.code not in ticked:
            problems.append((n, f"“{label}”是“{item.name}”，但本户没有选这一项需求（没有勾选“{TICK}”）：最急需的需求只能从"
                                f"本户选中的需求项目中选"))
        elif item.code in seen:
            problems.append((n, f"“{label}”与“{URGENT_LABELS[seen[item.code]]}”相同（{item.name}），三项最急需的需求不能重复"))
        seen.setdefault(item.code, n)
    return problems


def summary_text(questionnaire: Questionnaire, answer_cells_: dict[str, str]) -> str:
    """An answer in one line for the audit log and the outcome: 2026-11-05；货源供应、陈列指导；急需：货源供应."""
    if is_blank(answer_cells_):
        return ""
    ticked = [i.name for i in questionnaire.items if answer_cells_.get(item_key(i.code)) == TICK]
    urgent = [answer_cells_[k] for k in URGENT if answer_cells_.get(k)]
    parts = [answer_cells_.get(DATE) or "无日期", "、".join(ticked) or "无需求"]
    if urgent:
        parts.append("急需：" + "、".join(urgent))
    if answer_cells_.get(SUGGESTION):
        parts.append("建议：" + answer_cells_[SUGGESTION][:30])
    return "；".join(parts)
