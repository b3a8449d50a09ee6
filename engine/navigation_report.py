"""§1 导航 as report pages (engine.report): the same stages for the terminal, the 导航 workbook and the print page.

A CM's page lists every stage in order with its status, why, the next step's command and, in the workbook, a link
to the newest file of that function already in the output folder. A market manager's first page is one row per CM
(blocked first), one column per function showing where that CM stands; then each CM's own page.
"""
from __future__ import annotations

from engine.navigation import BLOCKED, DONE, CmMonth, Stage, functions_of
from engine.report import Field, Link, Page, Table

#: The CM's stage table, with widths for paper (landscape).
STAGE_FIELDS = (Field("序号", "count", 4), Field("章节", "text", 5), Field("功能", "text", 22), Field("步骤", "text", 14),
                Field("状态", "text", 8), Field("说明", "text", 44), Field("下一步（命令或按钮）", "text", 30))
#: … and in the workbook, the newest file of the function already in the output folder (a link).
FILE_FIELD = Field("已有文件", "text", 26)


def stage_text(stage: Stage | None) -> str:
    """A stage in one cell of the overview: 已完成, or the step and its status (and why, when blocked); — where the CM
    has no such function (a campaign covering only others)."""
    if stage is None:
        return "—"
    if stage.status == DONE:
        return DONE
    text = f"{stage.name}：{stage.status}" if stage.name != "—" else stage.status
    return f"{text}（{stage.detail}）" if stage.status == BLOCKED and stage.detail else text


def _file(files: dict[tuple[str, str], tuple[str, str]], cm: str, stage: Stage) -> object:
    found = files.get((cm, stage.kind)) if stage.kind else None
    return Link(found[0], found[1]) if found else ""


def cm_page(month: CmMonth, files: dict[tuple[str, str], tuple[str, str]] | None = None, *,
            commands: dict[str, str] | None = None) -> Page:
    """One CM's stages in order. files: (cm, kind) → (file name, path) of the newest workbook of that function in
    the output folder (None: no such column, as on paper); commands: a command → the ribbon button that does the same, said beside it."""
    rows = []
    for n, stage in enumerate(month.stages, start=1):
        button = (commands or {}).get(stage.command, "")
        command = f"{stage.command}（按钮“{button}”）" if button else stage.command
        rows.append((n, stage.section, stage.function, stage.name, stage.status, stage.detail, command,
                     *((_file(files, month.code, stage),) if files is not None else ())))
    blocked = month.blocked()
    note = ("受阻：" + "；".join(f"{s.function}·{s.name}：{s.detail}" for s in blocked)) if blocked else \
        "状态：已完成 / 待办理（轮到您）/ 待市场经理（等市场经理审核）/ 受阻（说明里写了缺什么）/ 未到（前一步完成后才能做）/ 尚未提供（本系统还没有这个功能）"
    fields = (*STAGE_FIELDS, FILE_FIELD) if files is not None else STAGE_FIELDS
    return Page(f"{month.name}（{month.code}）", (Table("本月工作步骤", fields, tuple(rows), note=note),), frozen_columns=4)


def overview_page(months: list[CmMonth]) -> Page:
    """One row per CM (in the order given: blocked first), one column per function: where the CM stands."""
    functions = functions_of(months)
    fields = (Field("客户经理", "text", 14), Field("受阻", "count", 5),
              *(Field(f"{section}\n{title.removeprefix('客户经理')}", "text", 16) for section, title in functions))
    rows = tuple((f"{m.name}（{m.code}）", len(m.blocked()), *(stage_text(m.current(*f)) for f in functions))
                 for m in months)
    return Page("部门总览", (Table("每位客户经理本月走到哪一步（受阻的排在前面）", fields, rows,
                                  note="每格是该功能下一步要做的事及其状态；全部完成显示“已完成”。各客户经理的明细见后面各页。"),),
                frozen_columns=1)


def navigation_pages(months: list[CmMonth], files: dict[tuple[str, str], tuple[str, str]] | None = None, *,
                     commands: dict[str, str] | None = None) -> tuple[Page, ...]:
    """A CM's page; for many CMs the overview first, then each CM's page."""
    own = tuple(cm_page(m, files, commands=commands) for m in months)
    return own if len(months) == 1 else (overview_page(months), *own)
