"""The workflow core: declared tables, the transition function, who may fire what."""
import pytest

from engine.actors import Actor, Role
from engine.errors import Refused
from engine.workflow import Owner, Relation, Transition, Workflow, fire
from engine import workflows
from engine.workflows import BIG_TABLE

CM = Actor("cm001", "张三", Role.CM, ("C01", "Z01", "D01", "P001"))
OTHER_CM = Actor("cm002", "李四", Role.CM, ("C01", "Z01", "D01", "P002"))
MM = Actor("mm01", "王经理", Role.MM, ("C01", "Z01", "D01"))
FOREIGN_MM = Actor("mm02", "赵经理", Role.MM, ("C01", "Z01", "D02"))
OWNER = Owner("cm001", CM.unit_path)


def test_big_table_plan_round_trip():
    state = fire(BIG_TABLE, "draft", "submit_plan", CM, OWNER)
    assert state == "submitted"
    assert fire(BIG_TABLE, state, "reject_plan", MM, OWNER) == "rejected"
    state = fire(BIG_TABLE, "rejected", "submit_plan", CM, OWNER)
    state = fire(BIG_TABLE, state, "approve_plan", MM, OWNER)
    state = fire(BIG_TABLE, state, "submit_results", CM, OWNER)
    assert fire(BIG_TABLE, state, "reject_results", MM, OWNER) == "results_rejected"
    assert fire(BIG_TABLE, state, "approve_results", MM, OWNER) == "results_approved"


def test_illegal_move_names_state_and_what_is_possible():
    with pytest.raises(Refused) as refused:
        fire(BIG_TABLE, "submitted", "submit_plan", CM, OWNER)
    assert "待审核" in refused.value.message and "计划审核" in refused.value.message


def test_only_the_owner_submits_and_only_the_departments_mm_approves():
    with pytest.raises(Refused, match="只能由本人客户经理"):
        fire(BIG_TABLE, "draft", "submit_plan", OTHER_CM, OWNER)
    with pytest.raises(Refused, match="市场经理"):
        fire(BIG_TABLE, "submitted", "approve_plan", CM, OWNER)
    with pytest.raises(Refused, match="营销部"):
        fire(BIG_TABLE, "submitted", "approve_plan", FOREIGN_MM, OWNER)


def test_declared_tables_are_consistent():
    for workflow in (v for v in vars(workflows).values() if isinstance(v, Workflow)):
        assert workflow.initial in workflow.states
        reachable = {workflow.initial} | {t.target for t in workflow.transitions}
        assert reachable == set(workflow.states), workflow.kind
        assert all(label for label in workflow.states.values())


def test_a_table_naming_an_unknown_state_is_rejected():
    with pytest.raises(ValueError):
        Workflow("x", "x", "a", {"a": "甲"}, (Transition("go", "走", ("a",), "b", (Role.CM,), (Relation.OWNER,)),))
