"""§10 strategies: strictly below the district average, explainable, mapped to actions."""
import pandas as pd
import pytest

from engine.capability import DEFAULT_CAPABILITY_RUBRIC
from engine.effect import DEFAULT_EFFECT_RUBRIC
from engine.strategies import ACTIONS, triggered_actions, weak_indicators


def test_below_average_with_the_values_that_made_it_so():
    values = pd.DataFrame({"volume": [10.0, 20.0, 30.0], "sku_count": [5.0, 5.0, 5.0]}, index=["A", "B", "C"])
    weak = weak_indicators(values, "effect")
    assert weak.to_dict("records") == [
        {"store": "A", "kind": "effect", "indicator": "volume", "value": 10.0, "average": pytest.approx(20.0)}]


def test_actions_follow_the_weak_indicators():
    assert triggered_actions(["volume", "display"]) == ["order_advice", "display"]
    assert triggered_actions([]) == []


def test_every_rubric_indicator_triggers_some_action():
    covered = {code for action in ACTIONS for code in action.triggered_by}
    rubric_codes = {i.code for i in DEFAULT_EFFECT_RUBRIC.indicators} | {
        i.code for i in DEFAULT_CAPABILITY_RUBRIC.indicators} | {"new_store"}
    assert rubric_codes <= covered
    assert len({a.code for a in ACTIONS}) == len(ACTIONS)
