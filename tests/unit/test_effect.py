"""§10 effect indicators and scores, pinned with small hand-computed cases."""
import pandas as pd
import pytest

from engine.effect import DEFAULT_EFFECT_RUBRIC, Band, EffectIndicator, EffectRubric, score_effect, store_indicators
from tests.analysis_helpers import totals_from_lines


def lines(*rows):
    return pd.DataFrame(rows, columns=["store", "order", "product", "qty", "amount", "price_class", "is_key"])


def test_indicators_by_hand():
    month = lines(
        ("A", 1, "p1", 10, 1500.0, 1, True),   # 一类, key brand
        ("A", 1, "p2", 30, 1500.0, 3, False),
        ("A", 2, "p2", 10, 500.0, 3, False),
        ("B", 3, "p3", 20, 400.0, 5, False),
        ("B", 3, "p1", 0, 0.0, 1, True),        # allowed nothing: not ordered, not counted
    )
    result = store_indicators(totals_from_lines(month), ["A", "B", "C"], pd.Series({"A": 40.0, "B": 40.0}))
    a, b, c = result.loc["A"], result.loc["B"], result.loc["C"]
    assert (a.volume, a.amount, a.order_count, a.sku_count) == (50, 3500, 2, 2)
    assert a.value_per_carton == 70 and a.class12_share == 0.2 and a.key_brand_share == 0.2
    assert a.volume_change == pytest.approx(0.25) and b.volume_change == pytest.approx(-0.5)
    assert (b.sku_count, b.class12_share, b.value_per_carton) == (1, 0, 20)
    assert c.volume == 0 and c.volume_change == 0 and c.value_per_carton == 0


def test_scores_against_the_district_average():
    indicators = store_indicators(totals_from_lines(lines(("A", 1, "p1", 30, 3000.0, 1, True),
                                                          ("B", 2, "p2", 10, 300.0, 4, False))),
                                  ["A", "B", "C"], pd.Series({"A": 30.0, "B": 10.0, "C": 0.0}))
    points, averages = score_effect(indicators)
    assert averages["volume"] == pytest.approx(40 / 3)
    # A: volume 30 ÷ 13.33 = 2.25 ≥ 1.3 → full 20 points; B: 10 ÷ 13.33 = 0.75 → band 0.7 → 0.5 × 20 = 10.
    assert points.loc["A", "volume"] == 20 and points.loc["B", "volume"] == 10 and points.loc["C", "volume"] == 0
    # Changes: A 0, B 0, C 0 (nothing to nothing) → average 0 → each at +0 → 0.7 × 10 = 7.
    assert list(points["volume_change"]) == [7, 7, 7]
    assert points.loc["A", "total"] == pytest.approx(points.loc["A"].drop("total").sum())
    assert points.loc["A", "total"] > points.loc["B", "total"] > points.loc["C", "total"]


def test_an_empty_district_scores_every_store_as_average():
    indicators = store_indicators(totals_from_lines(lines()), ["A", "B"], pd.Series(dtype=float))
    points, _ = score_effect(indicators)
    assert points.loc["A", "volume"] == 0.7 * 20 and points.loc["A", "total"] == points.loc["B", "total"]


def test_rubric_weights_must_total_100_and_bands_descend():
    assert sum(i.weight for i in DEFAULT_EFFECT_RUBRIC.indicators) == 100
    with pytest.raises(ValueError, match="100"):
        EffectRubric(2, (EffectIndicator("v", "销量", "销量", 90, "ratio", (Band(1, 1),)),))
    with pytest.raises(ValueError, match="从高到低"):
        EffectRubric(2, (EffectIndicator("v", "销量", "销量", 100, "ratio", (Band(0.5, 0.5), Band(1, 1))),))


def test_rubric_survives_plain_data():
    from engine.effect import effect_rubric_from_dict, effect_rubric_to_dict
    assert effect_rubric_from_dict(effect_rubric_to_dict(DEFAULT_EFFECT_RUBRIC)) == DEFAULT_EFFECT_RUBRIC


def test_each_district_is_scored_against_its_own_averages_in_one_pass():
    a = store_indicators(totals_from_lines(lines(("A", 1, "p1", 30, 3000.0, 1, True), ("B", 2, "p2", 10, 300.0, 4, False))),
                         ["A", "B"], pd.Series({"A": 30.0, "B": 10.0}))
    b = store_indicators(totals_from_lines(lines(("C", 3, "p1", 300, 30000.0, 1, True), ("D", 4, "p2", 100, 3000.0, 4, False))),
                         ["C", "D"], pd.Series({"C": 300.0, "D": 100.0}))
    together, averages = score_effect(pd.concat([a, b]), districts=pd.Series({"A": "x", "B": "x", "C": "y", "D": "y"}))
    pd.testing.assert_frame_equal(together.loc[["A", "B"]], score_effect(a)[0])
    pd.testing.assert_frame_equal(together.loc[["C", "D"]], score_effect(b)[0])
    assert averages.loc["y", "volume"] == 200 and averages.loc["x", "volume"] == 20
