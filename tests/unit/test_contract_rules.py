"""§18's pure rules: the weights' sum, a 其他 line's name, the unit and actual that follow the indicator, and what
changed between the agreed snapshot and now (no I/O)."""
from __future__ import annotations

from datetime import datetime

from engine.document_types import document_type
from engine.fields import Values
from engine.forms import kept_values
from engine.history import changes_since_agreed
from engine.ports import Decision

KIND = document_type("contract")
WEIGHTS, NAMED = KIND.rules


def _kpis(*lines) -> Values:
    return Values({}, {"kpis": {n: dict(line) for n, line in enumerate(lines, start=1)}})


def test_the_weights_add_up_to_100():
    assert WEIGHTS.field == "kpis.weight"
    assert WEIGHTS.check(_kpis({"indicator": "销量", "weight": 60}, {"indicator": "单条值", "weight": 40})) is None
    assert WEIGHTS.check(_kpis({"indicator": "销量", "weight": 60}, {"indicator": "单条值", "weight": 30})) == \
        "各项 KPI 的权重合计应为 100，现为 90，请调整权重"
    # every weight typed counts, also on a line whose indicator is missing (that line is refused on its own)
    assert WEIGHTS.check(_kpis({"indicator": "销量", "weight": 100}, {"weight": 20})) == \
        "各项 KPI 的权重合计应为 100，现为 120，请调整权重"


def test_an_other_line_needs_its_name_and_says_which_line():
    assert NAMED.check(_kpis({"indicator": "其他", "name": "投诉处理"}, {"indicator": "销量"})) is None
    assert NAMED.check(_kpis({"indicator": "销量"}, {"indicator": "其他"})) == ("选了“其他”的指标请在“指标名称”写明考核什么", [2])


def test_unit_and_actual_follow_the_indicator_of_their_line():
    kept = {("kpis.indicator", 1): "销量", ("kpis.indicator", 2): "新增客户", ("kpis.indicator", 3): "计划完成率"}
    values = kept_values(KIND, kept, Values({"volume": 5800, "completion": "81.0%"}))
    lines = values.lines["kpis"]
    assert (lines[1]["unit"], lines[1]["actual"]) == ("条", 5800)
    assert (lines[2]["unit"], lines[2]["actual"]) == ("户", None)  # no system figure for new stores
    assert (lines[3]["unit"], lines[3]["actual"]) == ("%", "81.0%")


def _move(transition: str, version: int, snapshot: dict, actor: str = "cm001") -> Decision:
    return Decision(1, transition, actor, "", "", version, "", datetime(2026, 11, 30, 9, version), snapshot)


def test_changes_since_the_agreed_version_name_the_move_that_made_them():
    agreed = {("kpis.indicator", 1): "销量", ("kpis.target", 1): "5000", ("kpis.weight", 1): "100"}
    moves = [_move("submit", 3, agreed), _move("confirm", 4, agreed, "mm01"),
             _move("self_evaluate", 6, {**agreed, ("kpis.self_score", 1): "90", ("kpis.target", 1): "4000"})]
    current = {**moves[-1].snapshot, ("self_text", 0): "写了一半"}
    found, changes = changes_since_agreed(KIND, moves, current, {"cm001": "张三"})
    assert found is moves[1]
    assert [(c.label, c.agreed, c.latest, c.by.split("（")[0], c.computed) for c in changes] == [
        ("“KPI 指标”第 1 行的“目标值”", "5000", "4000", "自评提交", False),
        ("“KPI 指标”第 1 行的“自评得分”", "", "90", "自评提交", False),
        ("“自我评价”", "", "写了一半", "保存后尚未提交", False)]
    assert changes_since_agreed(KIND, moves[:1], current, {}) == (None, [])  # not confirmed yet
