"""Rubrics survive the administrator's table form, and bad tables are refused row by row."""
import pytest

from engine.capability import DEFAULT_CAPABILITY_RUBRIC
from engine.effect import DEFAULT_EFFECT_RUBRIC
from engine.errors import Refused
from engine.rubric_files import capability_rows, capability_rubric_from_rows, effect_rows, effect_rubric_from_rows


def numbered(rows):
    return [(n, row) for n, row in enumerate(rows, start=2)]


def test_both_rubrics_round_trip_through_rows():
    assert effect_rubric_from_rows(numbered(effect_rows(DEFAULT_EFFECT_RUBRIC)), 1) == DEFAULT_EFFECT_RUBRIC
    assert capability_rubric_from_rows(numbered(capability_rows(DEFAULT_CAPABILITY_RUBRIC)), 1) == DEFAULT_CAPABILITY_RUBRIC


def test_bad_rows_are_named():
    rows = effect_rows(DEFAULT_EFFECT_RUBRIC)
    rows[1]["比较方式"] = "大于"
    rows[2]["权重"] = "二十"
    with pytest.raises(Refused) as refused:
        effect_rubric_from_rows(numbered(rows), 2)
    assert [(f.row, f.message) for f in refused.value.findings] == [(3, "比较方式只能是 比值 或 差值"), (4, "权重须是数字")]


def test_weights_must_still_total_100():
    rows = effect_rows(DEFAULT_EFFECT_RUBRIC)
    rows[0]["权重"] = "25"
    with pytest.raises(Refused, match="合计应为 100"):
        effect_rubric_from_rows(numbered(rows), 2)


def test_capability_needs_three_stages_and_valid_steps():
    rows = capability_rows(DEFAULT_CAPABILITY_RUBRIC)[:-1]
    rows[0]["步长"] = "0.25"
    with pytest.raises(Refused) as refused:
        capability_rubric_from_rows(numbered(rows), 2)
    messages = [f.message for f in refused.value.findings]
    assert any("步长" in m for m in messages) and any("3 行" in m for m in messages)
