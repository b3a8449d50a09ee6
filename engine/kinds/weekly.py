"""§15 客户经理周自我评估 (weekly self-assessment): per CM and ISO week (its Monday). The program fills the week's
planned visits (§12 visit plan) and what the big table recorded that week (stores with a ★ or ▲ marked, ★ and ▲
marked); the CM writes the new stores and the problems met, rates each heading of the weekly rubric and writes what
to improve next week; 保存 any number of times, 提交 confirms it (已确认, locked). The month's weeks feed §16 and §18."""
from __future__ import annotations

from engine.document_types import Draft, DocumentType, Step
from engine.fields import Choice, Figure, Lines, Number, Text, Values
from engine.month_figures import week_of_many
from engine.workflows import WEEKLY_ASSESSMENT

#: The weekly rubric: the headings a CM rates themselves on, each with its standard, and the scale of a rating.
RUBRIC: tuple[tuple[str, str], ...] = (
    ("拜访执行", "按拜访计划走访客户，拜访记录完整"),
    ("任务完成", "大表计划任务按时完成、标注及时"),
    ("客户服务", "客户反映的问题及时答复和解决"),
    ("学习提升", "掌握新品、政策和经营指导的知识"),
)
SCALE = ("优", "良", "中", "差")
_INPUTS = ("new_stores", "problems", "ratings", "improve")


def figures_of_many(uow, cm_codes: list[str], week: str) -> dict[str, Values]:
    """The week's figures for many CMs (set-based reads), and the rubric's headings as the lines to rate."""
    found = week_of_many(uow, cm_codes, week)
    headings = {n: {"heading": heading, "standard": standard} for n, (heading, standard) in enumerate(RUBRIC, start=1)}
    return {cm: Values({"days": w.days, "visits": w.visits, "visit_stores": w.visit_stores, "marked_stores": w.stores,
                        "done": w.done, "temporary_done": w.temporary_done},
                       {"ratings": {n: dict(row) for n, row in headings.items()}}) for cm, w in found.items()}


def figures(uow, cm_code: str, week: str) -> Values:
    """One CM's week (see figures_of_many)."""
    return figures_of_many(uow, [cm_code], week)[cm_code]


TYPE = DocumentType(
    code="weekly",
    title="客户经理周自我评估",
    section="§15",
    workflow=WEEKLY_ASSESSMENT,
    period="week",
    parts=(
        Figure("days", "本周"),
        Figure("visits", "计划拜访次数（§12）"),
        Figure("visit_stores", "计划拜访客户数（户）"),
        Figure("marked_stores", "有完成标注的客户数（户，§13）"),
        Figure("done", "本周完成的计划任务 ★"),
        Figure("temporary_done", "本周完成的临时任务 ▲"),
        Number("new_stores", "本周新开发客户（户）", "没有填 0", required=True, low=0, high=1000),
        Text("problems", "遇到的问题", "本周拜访中遇到的问题和客户反映的情况", required=True, max_length=500, width=80,
             lines=4),
        Lines("ratings", "自我评价", (
            Figure("heading", "评价项目", width=14), Figure("standard", "标准", width=36),
            Choice("rating", "自评", "从下拉列表选择", required=True, options=SCALE, width=8),
            Text("note", "说明", max_length=100, width=40)), min_lines=len(RUBRIC), max_lines=len(RUBRIC),
            hint="每一项都要自评：" + "、".join(SCALE)),
        Text("improve", "下周改进", "下周要改进的地方和具体做法", required=True, max_length=500, width=80, lines=4),
    ),
    steps={
        "draft": Step("数据部分由系统生成；填写新开发客户、遇到的问题、各项自评和下周改进，可多次保存；"
                      "“本次操作”选“提交”即确认（确认后不能再修改）", _INPUTS, "confirm"),
        "confirmed": Step("周自我评估已确认：已锁定，仅供查看和打印"),
    },
    draft=Draft(figures, many=figures_of_many),
    summary=lambda values: "；".join(f"{row.get('heading')} {row.get('rating') or '未评'}"
                                    for _, row in sorted(values.lines.get("ratings", {}).items())),
    ribbon_group="计划与总结",
)
