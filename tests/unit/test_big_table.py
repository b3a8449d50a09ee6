"""§3 big-table rules: marks, moves allowed per state, generation with carry-over."""
import pytest

from engine.marks import Mark, check_move, generate_plan, parse_mark


def test_marks_parse_and_say_what_they_mean():
    assert parse_mark("☆") is Mark.PLANNED and parse_mark(None) is Mark.BLANK and parse_mark(" ★ ") is Mark.DONE
    assert Mark.TEMPORARY.open and Mark.PLANNED.open and not Mark.DONE.open and Mark.TEMPORARY_DONE.done
    with pytest.raises(ValueError, match="☆（计划）"):
        parse_mark("√")


@pytest.mark.parametrize("state, old, new", [
    ("draft", "", "☆"), ("draft", "☆", ""), ("rejected", "", "☆"),
    ("approved", "☆", "★"), ("approved", "★", "☆"), ("approved", "", "△"), ("approved", "△", "▲"),
    ("approved", "△", ""), ("results_rejected", "☆", "★"), ("submitted", "☆", "☆"),
])
def test_allowed_moves(state, old, new):
    check_move(state, Mark(old), Mark(new))


@pytest.mark.parametrize("state, old, new, says", [
    ("draft", "", "★", "只能增加或删除 ☆"), ("draft", "", "△", "只能增加或删除 ☆"),
    ("approved", "☆", "", "只能标注"), ("approved", "", "☆", "只能标注"), ("approved", "★", "▲", "只能标注"),
    ("submitted", "", "☆", "不能修改"), ("results_submitted", "☆", "★", "不能修改"),
    ("results_approved", "☆", "★", "不能修改"),
])
def test_refused_moves(state, old, new, says):
    with pytest.raises(ValueError, match=says):
        check_move(state, Mark(old), Mark(new))


def test_generation_merges_strategies_and_carry_over():
    cells = generate_plan({"S1": ["display", "law"], "S2": ["law"]},
                          {"S1": {"display": "☆", "online": "☆"}, "S9": {"law": "☆"}}, ["S1", "S2"])
    assert [(c.store, c.action, c.carried) for c in cells] == [
        ("S1", "display", True), ("S1", "law", False), ("S1", "online", True), ("S2", "law", False)]
