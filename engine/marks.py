"""§3 客户经理任务执行标注表 (the big table): marks, what each state lets a CM change, plan generation with carry-over.

Marks: ☆ planned, ★ planned and done, △ temporary (added after approval), ▲ temporary and done, blank nothing.
The only substitutes read for a mark are SUBSTITUTES (an asterisk for ☆, as a keyboard without ☆ types it); the
outcome of a submission says each cell where one was converted.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum



class Mark(StrEnum):
    """A cell of the big table."""

    BLANK = ""
    PLANNED = "☆"
    DONE = "★"
    TEMPORARY = "△"
    TEMPORARY_DONE = "▲"

    @property
    def label(self) -> str:
        """The mark's meaning in Chinese."""
        return MARK_LABELS[self]

    @property
    def open(self) -> bool:
        """Still to be done (☆ or △): carried over to next month when the month ends so."""
        return self in (Mark.PLANNED, Mark.TEMPORARY)

    @property
    def done(self) -> bool:
        """Done (★ or ▲)."""
        return self in (Mark.DONE, Mark.TEMPORARY_DONE)


MARK_LABELS = {Mark.BLANK: "无", Mark.PLANNED: "计划", Mark.DONE: "已完成", Mark.TEMPORARY: "临时任务",
               Mark.TEMPORARY_DONE: "临时任务已完成"}
MARK_CHOICES = ("☆", "★", "△", "▲")
#: What else a mark cell may hold (README, §3): "*" or the full-width "＊" for ☆, as a program without the drop-down
#: list or a pasted cell brings it; the answer says where each was converted.
SUBSTITUTES = {"*": Mark.PLANNED, "＊": Mark.PLANNED}
_MARKS = {mark.value: mark for mark in Mark}


def read_mark(value: object) -> tuple[Mark, str | None]:
    """A mark typed or picked in a cell, and what was typed when it was a substitute (to be said), else None;
    ValueError lists the allowed marks."""
    text = "" if value is None else str(value).strip()
    if text in _MARKS:
        return _MARKS[text], None
    if text in SUBSTITUTES:
        return SUBSTITUTES[text], text
    raise ValueError("标记只能是 ☆（计划）、★（已完成）、△（临时任务）、▲（临时任务已完成）或留空"
                     "（“*”可代替 ☆），不能是其他内容")


def parse_mark(value: object) -> Mark:
    """A mark typed or picked in a cell (see read_mark)."""
    return read_mark(value)[0]


#: The moves a CM may make on a cell (old mark → allowed new marks) while planning and while marking; which states
#: are which is the big table's declaration (engine.kinds.bigtable).
PLANNING = {Mark.BLANK: {Mark.PLANNED}, Mark.PLANNED: {Mark.BLANK}, Mark.TEMPORARY: {Mark.BLANK}}  # a carried △ too
MARKING = {
    Mark.PLANNED: {Mark.DONE},
    Mark.DONE: {Mark.PLANNED},
    Mark.BLANK: {Mark.TEMPORARY, Mark.TEMPORARY_DONE},  # a temporary task done on the same visit: ▲ at once
    Mark.TEMPORARY: {Mark.TEMPORARY_DONE, Mark.BLANK},
    Mark.TEMPORARY_DONE: {Mark.TEMPORARY},
}
def check_move(state: str, old: Mark, new: Mark) -> None:
    """Whether a CM may change a cell from old to new in this state; ValueError says what is allowed now."""
    from engine.kinds.bigtable import TYPE  # the declaration imports this module's marks and moves

    if old == new:
        return
    step = TYPE.steps.get(state)
    if step is None or not step.moves:
        raise ValueError("当前状态下大表不能修改（已提交待审核，或结果已审核）")
    if new not in step.moves.get(old, set()):
        shown = lambda m: m.value or "空白"  # noqa: E731
        raise ValueError(f"不能把“{shown(old)}”改为“{shown(new)}”：{step.may}")


@dataclass(frozen=True)
class PlannedCell:
    """A generated mark: which store, which action, why (strategy or carried over from last month), and the mark —
    ☆, or △ for a temporary task carried over, which stays one."""

    store: str
    action: str
    carried: bool
    reason: str
    mark: Mark = Mark.PLANNED


def carried_reason(mark: Mark, from_month: str = "") -> str:
    """The comment a carried cell gets: where it came from."""
    month = f"{from_month} " if from_month else "上月"
    if mark is Mark.TEMPORARY:
        return f"{month}的临时任务（△）未完成，自动结转，仍为临时任务"
    return f"{month}未完成，自动结转" if not from_month else f"{month}的计划（☆）未完成，自动结转"


def generate_plan(triggered: dict[str, list[str]], last_month_open: dict[str, dict[str, str]],
                  stores: list[str], from_month: str = "") -> list[PlannedCell]:
    """☆ for each action a store's strategies trigger, and each action it left open last month (store → action →
    its open mark) carried as it was: ☆ stays ☆, a temporary △ stays △; from_month names that month."""
    cells: dict[tuple[str, str], PlannedCell] = {}
    position = {store: n for n, store in enumerate(stores)}
    for store, actions in last_month_open.items():
        if store in position:
            for action, mark in actions.items():
                kept = Mark(mark) if Mark(mark).open else Mark.PLANNED
                cells[(store, action)] = PlannedCell(store, action, True, carried_reason(kept, from_month), kept)
    for store in stores:
        for action in triggered.get(store, []):
            cells.setdefault((store, action), PlannedCell(store, action, False, "经营分析策略触发"))
    return sorted(cells.values(), key=lambda c: (position[c.store], c.action))
