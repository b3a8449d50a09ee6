"""§16 客户经理月度工作总结 (monthly summary): pre-drafted from the month's own data — visits, ☆/★ per action
group, sales against last month, capability moves, unfinished tasks — so that the CM edits rather than types from
nothing; the CM writes the achievements, the problems and next month's plan; 提交 → the market manager 审核 it
(or sends it back with a reason)."""
from __future__ import annotations

from engine.marks import Mark
from engine.document_types import Draft, DocumentType, Review, Step
from engine.fields import Figure, Lines, Text, Values
from engine.month_figures import (WEEKLY_LINES, Tasks, capability_moves_of_many, change, tasks_of_many, visits_of_many,
                                  weekly_of_many)
from engine.periods import previous_month
from engine.workflows import MONTHLY_SUMMARY

_INPUTS = ("achievements", "problems", "next_plan")


def _names(names: list[str]) -> str:
    return "、".join(names[:8]) + (f" 等 {len(names)} 户" if len(names) > 8 else "")


def figures_of_many(uow, cm_codes: list[str], month: str) -> dict[str, Values]:
    """The month as the data tells it (what each CM starts the summary from), by CM: set-based, one read of each
    kind of figure for all the CMs (a folder of a city's 150 drafts reads as much as one)."""
    now, last = uow.analyses.cm_totals(cm_codes, month), uow.analyses.cm_totals(cm_codes, previous_month(month))
    planned = visits_of_many(uow, cm_codes, month)
    done_of = tasks_of_many(uow, cm_codes, month)
    moves_of = capability_moves_of_many(uow, cm_codes, month)
    weeks = weekly_of_many(uow, cm_codes, month)
    return {cm: _figures(now.get(cm, (0, 0.0)), last.get(cm, (0, 0.0)), planned[cm], done_of[cm], moves_of[cm],
                         weeks[cm]) for cm in cm_codes}


def _figures(now: tuple[int, float], last: tuple[int, float], planned: tuple[int, int], done: Tasks | None,
             moves: tuple[list[str], list[str]] | None, weeks: dict[int, dict[str, object]]) -> Values:
    """One CM's figures from their month's sales (条, 元) and last month's, planned visits and stores, big table in
    counts, capability moves and weekly self-assessments."""
    volume, value = now[0], _per_carton(*now)
    last_volume, last_value = last[0], _per_carton(*last)
    ordered = volume > 0  # the month's orders are imported (a month in progress may have none yet)
    no_orders = f"本月订单尚未导入（上月 {last_volume:,} 条）"
    single: dict[str, object] = {
        "visits": planned[0], "visit_stores": planned[1],
        "stores_done": done.stores_done if done else None,
        "volume": volume if ordered else None,
        "volume_change": f"{change(volume, last_volume)}（上月 {last_volume:,} 条）" if ordered else no_orders,
        "value": value if ordered else None,
        "value_change": (f"{change(value, last_value)}（上月 {last_value:.2f} 元/条）"
                         if ordered else f"本月订单尚未导入（上月 {last_value:.2f} 元/条）"),
        "completion": "尚未生成大表" if done is None else (
            "无计划任务" if done.completion() is None else f"{done.completion():.1%}"),
        "open": "尚未生成大表" if done is None else f"{done.open} 项（月末自动结转下月）",
        "capability": "上月或本月尚无经营能力评分" if moves is None else (
            f"提升 {len(moves[0])} 户，下降 {len(moves[1])} 户" + (f"（下降：{_names(moves[1])}）" if moves[1] else "")),
    }
    lines: dict[int, dict[str, object]] = {}
    for n, (group, counts) in enumerate(((g, c) for g, c in (done.groups.items() if done else ()) if sum(c.values())),
                                        start=1):
        rate = done.completion(group) if done else None
        lines[n] = {"group": group, "planned": counts[Mark.PLANNED.value] + counts[Mark.DONE.value],
                    "done": counts[Mark.DONE.value],
                    "temporary": counts[Mark.TEMPORARY.value] + counts[Mark.TEMPORARY_DONE.value],
                    "rate": "—" if rate is None else f"{rate:.1%}"}
    return Values(single, {"actions": lines, "weeks": weeks})


def _per_carton(volume: int, amount: float) -> float:
    """单条值 (元/条) as the summary shows it: 0 without orders."""
    return round(amount / volume, 2) if volume else 0.0


def figures(uow, cm_code: str, month: str) -> Values:
    """One CM's month (see figures_of_many)."""
    return figures_of_many(uow, [cm_code], month)[cm_code]


def summary(values: Values) -> str:
    """What helps the market manager decide: completion, sales, what is left."""
    v = values.single
    sold = f"销量 {v['volume']:,} 条，环比 {v.get('volume_change') or '—'}" if v.get("volume") is not None else \
        (v.get("volume_change") or "本月订单尚未导入")
    return f"任务完成率 {v.get('completion') or '—'}；{sold}；未完成 {v.get('open') or '—'}"


TYPE = DocumentType(
    code="summary",
    title="客户经理月度工作总结",
    section="§16",
    workflow=MONTHLY_SUMMARY,
    parts=(
        Figure("visits", "计划拜访次数"),
        Figure("visit_stores", "计划拜访客户数（户）"),
        Figure("stores_done", "有任务完成的客户数（户）"),
        Figure("completion", "任务完成率（★ ÷ 计划）"),
        Figure("volume", "本月销量（条）", number_format="#,##0"),
        Figure("volume_change", "销量环比"),
        Figure("value", "本月单条值（元/条）", number_format="0.00"),
        Figure("value_change", "单条值环比"),
        Figure("capability", "经营能力变化"),
        Figure("open", "未完成任务"),
        Lines("actions", "营销动作完成情况", (
            Figure("group", "动作组", width=16), Figure("planned", "计划 ☆+★", width=10),
            Figure("done", "已完成 ★", width=10), Figure("temporary", "临时任务 △+▲", width=12),
            Figure("rate", "完成率", width=10)), max_lines=12),
        WEEKLY_LINES,
        Text("achievements", "本月主要成绩", "可参考上面的数据，写清做了什么、效果如何", required=True, max_length=500,
             width=80, lines=5),
        Text("problems", "存在问题及原因", required=True, max_length=500, width=80, lines=5),
        Text("next_plan", "下月工作打算", required=True, max_length=500, width=80, lines=5),
    ),
    steps={
        "draft": Step("数据部分由系统生成；填写本月主要成绩、存在问题及原因、下月工作打算，“本次操作”选“提交”交市场经理审核",
                      _INPUTS, "submit"),
        "rejected": Step("工作总结被退回：请按退回理由修改，然后在“本次操作”选“提交”重新提交", _INPUTS, "submit"),
        "submitted": Step("工作总结已提交，等待市场经理审核：已锁定，不能修改"),
        "reviewed": Step("工作总结已审核：已锁定，仅供查看和打印"),
    },
    reviews={"submitted": Review("月度工作总结", "review", "reject")},
    draft=Draft(figures, many=figures_of_many),
    summary=summary,
    ribbon_group="计划与总结",
)
