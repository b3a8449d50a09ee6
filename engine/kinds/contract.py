"""§18 绩效合约书 (performance contract): the CM drafts the period's focus and weak points and KPI lines — an
indicator from the catalogue, its weight (the weights add up to 100), target — and submits; the market manager
confirms it (or sends it back with a reason). At period end the program fills each line's actual from the data
(read-only), the CM enters self scores (0 … the line's weight, in halves) and a self-assessment and submits; the
market manager enters their scores and a comment and submits: 已考评, locked."""
from __future__ import annotations

from engine.document_types import Draft, DocumentType, Review, Rule, Step
from engine.fields import Choice, Figure, Lines, Lookup, Number, Text, Values
from engine.month_figures import (WEEKLY_LINES, completion_of_many, sales_of_many, survey_completion_of_many,
                                  weekly_of_many)
from engine.workflow import Relation
from engine.workflows import PERFORMANCE_CONTRACT

OTHER = "其他"

#: The indicator catalogue: its unit and the single figure that holds its actual (None: no data in the system).
CATALOGUE: dict[str, tuple[str, str | None]] = {
    "销量": ("条", "volume"),
    "单条值": ("元/条", "value"),
    "重点品牌上柜率": ("%", "shelf_rate"),
    "计划完成率": ("%", "completion"),
    "需求调查完成率": ("%", "survey_rate"),
    "新增客户": ("户", None),
    OTHER: ("见指标名称", None),
}

_DRAFTED = ("focus", "kpis.indicator", "kpis.name", "kpis.weight", "kpis.target")


def _rate(share: float | None | str) -> object:
    return share if isinstance(share, str) else "无计划任务" if share is None else f"{share:.1%}"


def actuals(uow, cm_codes: list[str], period: str) -> dict[str, Values]:
    """The period's actual of every catalogue indicator the system has data for — a month's, or a quarter's three
    months' together — for many CMs at once (set-based: a month's order totals in one aggregate read, four reads a
    month for the key brands' shelf rate — engine.brand_analysis —, two of the big tables' marks, two of the weekly
    self-assessments, two of the §8 survey answers), by CM code; with the period's weekly self-assessments (§15) as
    read-only lines."""
    from engine.brand_analysis import key_brand_shelf_rates  # pandas: loaded when figures are made

    sold = sales_of_many(uow, cm_codes, period)
    shelved = key_brand_shelf_rates(uow, cm_codes, period)
    done = completion_of_many(uow, cm_codes, period)
    weeks = weekly_of_many(uow, cm_codes, period)
    surveyed = survey_completion_of_many(uow, cm_codes, period)
    found = {}
    for cm in cm_codes:
        volume, _, value = sold[cm]
        found[cm] = Values({
            "volume": volume if volume else "本期订单尚未导入",
            "value": value if value is not None else "本期订单尚未导入",
            "shelf_rate": shelved[cm],
            "completion": _rate(done[cm]),
            "survey_rate": surveyed[cm],
        }, {"weeks": weeks[cm]})
    return found


def figures(uow, cm_code: str, period: str) -> Values:
    """One CM's actuals (see actuals)."""
    return actuals(uow, [cm_code], period)[cm_code]


def _lines(values: Values) -> list[dict]:
    return [row for _, row in sorted(values.lines.get("kpis", {}).items()) if row.get("indicator")]


def _weights(values: Values) -> str | None:
    weights = (row.get("weight") for row in values.lines.get("kpis", {}).values())  # every weight typed
    total = sum(w for w in weights if isinstance(w, (int, float)))
    return None if total == 100 else f"各项 KPI 的权重合计应为 100，现为 {total:g}，请调整权重"


def _named(values: Values) -> tuple[str, list[int]] | None:
    unnamed = [n for n, row in sorted(values.lines.get("kpis", {}).items())
               if row.get("indicator") == OTHER and not row.get("name")]
    return ("选了“其他”的指标请在“指标名称”写明考核什么", unnamed) if unnamed else None


def _total(values: Values, key: str) -> str:
    scores = [row.get(key) for row in _lines(values)]
    return "未填" if not scores or any(s is None for s in scores) else f"{sum(s for s in scores if s is not None):g} 分"


def _amount(value: object, unit: str) -> str:
    """A target as the line means it: 5,600 条, 90%, 3 (a unit of its own name: none)."""
    if not isinstance(value, (int, float)):
        return "未填"
    if unit == "%":
        return f"{value:g}%"
    return f"{value:,g}" + (f" {unit}" if unit in ("条", "元/条", "户") else "")


def _line(row: dict) -> str:
    """One KPI line for the market manager: its target, its actual from the data, the self score of its weight."""
    unit = CATALOGUE.get(row["indicator"], ("", None))[0]
    said = f"{row.get('name') or row['indicator']} 目标 {_amount(row.get('target'), unit)}"
    if row.get("actual") not in (None, ""):
        actual = row["actual"]
        said += f" 实际 {_amount(actual, unit) if isinstance(actual, (int, float)) and unit != '%' else actual}"
    weight = row.get("weight")
    weight_text = f"{weight:g}" if isinstance(weight, (int, float)) else "?"
    score = row.get("self_score")
    return said + (f" 自评 {score:g}/{weight_text}" if isinstance(score, (int, float)) else f" 权重 {weight_text}")


def summary(values: Values) -> str:
    """What helps the market manager decide: the lines with their weights and targets, and — once the CM has
    evaluated themself — each line's actual from the data and self score, and the scores so far."""
    lines = _lines(values)
    weights = sum(row.get("weight") or 0 for row in lines)
    return f"KPI {len(lines)} 项，权重合计 {weights:g}；自评 {_total(values, 'self_score')}；" \
           f"考评 {_total(values, 'mm_score')}。" + "；".join(_line(row) for row in lines)


TYPE = DocumentType(
    code="contract",
    title="绩效合约书",
    section="§18",
    workflow=PERFORMANCE_CONTRACT,
    also_by=("quarter",),  # month by default; a company that signs its contracts by quarter exports --quarter 2026Q4
    parts=(
        Text("focus", "阶段性重点及弱项工作", "本期要重点抓的工作和自己的弱项", required=True, max_length=500, width=80,
             lines=5),
        Figure("volume", "本期销量（条）", number_format="#,##0"),
        Figure("value", "本期单条值（元/条）", number_format="0.00"),
        Figure("completion", "计划完成率（★ ÷ (☆ + ★)）"),
        Figure("shelf_rate", "重点品牌上柜率"),
        Figure("survey_rate", "需求调查完成率"),
        Lines("kpis", "KPI 指标", (
            Choice("indicator", "指标", "从下拉列表选择；选“其他”时在“指标名称”写明", required=True,
                   options=tuple(CATALOGUE), width=16),
            Text("name", "指标名称", "选“其他”时必填", max_length=30, width=20),
            Lookup("unit", "单位", width=10, source="indicator", values=tuple((k, u) for k, (u, _) in CATALOGUE.items())),
            Number("weight", "权重", "各项合计 100", required=True, low=1, high=100, width=8, percent=True),
            Number("target", "目标值", "按“单位”填写，比率填百分数（如 95 表示 95%）", required=True, low=0,
                   high=100_000_000, step=0.01, width=12, percent=True),
            Lookup("actual", "实际完成（系统）", width=22, source="indicator",
                   values=tuple((k, f) for k, (_, f) in CATALOGUE.items() if f), figure=True),
            Number("self_score", "自评得分", "0 到该项权重，可到 0.5 分", required=True, low=0, high=100, step=0.5,
                   high_field="weight", width=10),
            Number("mm_score", "考评得分", "0 到该项权重，可到 0.5 分", required=True, low=0, high=100, step=0.5,
                   high_field="weight", width=10)),
            min_lines=1, max_lines=10, hint="指标从下拉列表选择，权重合计 100；实际完成由系统按本期数据填写"),
        WEEKLY_LINES,
        Text("self_text", "自我评价", "对照目标和实际完成，写清完成情况和不足", required=True, max_length=500, width=80,
             lines=5),
        Text("mm_comment", "市场经理考评意见", required=True, max_length=500, width=80, lines=5),
    ),
    steps={
        "draft": Step("填写阶段性重点及弱项工作和 KPI 指标（权重合计 100），“本次操作”选“提交”交市场经理确认",
                      _DRAFTED, "submit"),
        "returned": Step("绩效合约书被退回：请按退回理由修改，然后在“本次操作”选“提交”重新提交", _DRAFTED, "submit"),
        "submitted": Step("绩效合约书已提交，等待市场经理确认：已锁定，不能修改"),
        "confirmed": Step("合约已确认：实际完成由系统按本期数据填写；请逐项填写自评得分（0 到该项权重，可到 0.5 分）和自我评价，"
                          "“本次操作”选“提交”交市场经理考评", ("kpis.self_score", "self_text"), "self_evaluate"),
        "self_evaluated": Step("客户经理已自评，等待市场经理考评：市场经理逐项填写考评得分（0 到该项权重）和考评意见，"
                               "“本次操作”选“提交”完成考评", ("kpis.mm_score", "mm_comment"), "evaluate",
                               by=Relation.SUPERVISOR),
        "evaluated": Step("绩效合约书已考评：已锁定，仅供查看和打印"),
    },
    reviews={"submitted": Review("绩效合约书", "confirm", "return")},
    rules=(Rule("kpis.weight", _weights), Rule("kpis.name", _named)),
    draft=Draft(figures, many=actuals),
    agreed="confirm",
    summary=summary,
    ribbon_group="计划与总结",
    template="contract.html.j2",
)
