"""§3 客户经理任务执行标注表 (the big table): marks, what each state lets a CM change, plan generation with carry-over.

Marks: ☆ planned, ★ planned and done, △ temporary (added after approval), ▲ temporary and done, blank nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from engine.stores import normalize_text


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
_ALIASES = {"*": "☆", "☆": "☆", "★": "★", "△": "△", "▲": "▲", "": ""}


def parse_mark(value: object) -> Mark:
    """A mark typed or picked in a cell; ValueError lists the allowed marks."""
    text = normalize_text(value)
    try:
        return Mark(_ALIASES.get(text, text))
    except ValueError:
        raise ValueError("标记只能是 ☆（计划）、★（已完成）、△（临时任务）、▲（临时任务已完成）或留空") from None


#: The moves a CM may make on a cell (old mark → allowed new marks) while planning and while marking; which states
#: are which is the big table's declaration (engine.kinds.bigtable).
PLANNING = {Mark.BLANK: {Mark.PLANNED}, Mark.PLANNED: {Mark.BLANK}}
MARKING = {
    Mark.PLANNED: {Mark.DONE},
    Mark.DONE: {Mark.PLANNED},
    Mark.BLANK: {Mark.TEMPORARY},
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
    """A generated ☆: which store, which action, and why (strategy or carried over from last month)."""

    store: str
    action: str
    carried: bool
    reason: str


def generate_plan(triggered: dict[str, list[str]], last_month_open: dict[str, list[str]],
                  stores: list[str]) -> list[PlannedCell]:
    """☆ for each action a store's strategies trigger, and for each action it left open last month (carried)."""
    cells: dict[tuple[str, str], PlannedCell] = {}
    position = {store: n for n, store in enumerate(stores)}
    for store, actions in last_month_open.items():
        if store in position:
            for action in actions:
                cells[(store, action)] = PlannedCell(store, action, True, "上月未完成，自动结转")
    for store in stores:
        for action in triggered.get(store, []):
            cells.setdefault((store, action), PlannedCell(store, action, False, "经营分析策略触发"))
    return sorted(cells.values(), key=lambda c: (position[c.store], c.action))
