"""§10 capability rubric checks: item belongs to indicator, score in range, steps, new-store stages."""
from decimal import Decimal

import pytest

from engine.capability import (
    DEFAULT_CAPABILITY_RUBRIC as RUBRIC, CapabilityIndicator, CapabilityRubric, DetailItem, check_new_store, check_score,
)

IMAGE = RUBRIC.indicator("store_image")
INTEGRITY = RUBRIC.indicator("integrity")
AWARENESS = RUBRIC.indicator("awareness")


def test_scores_inside_the_items_range_pass_normalised():
    assert check_score(IMAGE, "好", "９") == ("好", Decimal("9"))
    assert check_score(INTEGRITY, " 无违规 ", 20.0) == ("无违规", Decimal("20"))
    assert check_score(AWARENESS, "一般", "6.5") == ("一般", Decimal("6.5"))


@pytest.mark.parametrize("indicator, item, score, says", [
    (IMAGE, "好", "7", "8-10"),
    (IMAGE, "优秀", "9", "好、一般、差"),
    (IMAGE, "差", "abc", "0-4"),
    (IMAGE, "一般", "6.5", "整数"),
    (AWARENESS, "强", "8.25", "0.5 的倍数"),
    (INTEGRITY, "轻微违规", "16", "8-15"),
])
def test_refusals_say_what_is_allowed(indicator, item, score, says):
    with pytest.raises(ValueError, match=says):
        check_score(indicator, item, score)


def test_new_store_must_pick_one_of_three_stages():
    assert check_new_store(RUBRIC, "否", "") is None
    assert check_new_store(RUBRIC, "是", "开业1-3个月") == "开业1-3个月"
    with pytest.raises(ValueError, match="须选择阶段"):
        check_new_store(RUBRIC, "是", "")
    with pytest.raises(ValueError, match="应留空"):
        check_new_store(RUBRIC, "否", "开业不足1个月")
    with pytest.raises(ValueError, match="是 或 否"):
        check_new_store(RUBRIC, "", "")


def test_a_rubric_with_an_inverted_range_is_rejected():
    with pytest.raises(ValueError, match="下限大于上限"):
        CapabilityRubric(2, (CapabilityIndicator("x", "甲", (DetailItem("好", Decimal(9), Decimal(8)),)),), ("a",))


def test_rubric_survives_plain_data():
    from engine.capability import capability_rubric_from_dict, capability_rubric_to_dict
    assert capability_rubric_from_dict(capability_rubric_to_dict(RUBRIC)) == RUBRIC
