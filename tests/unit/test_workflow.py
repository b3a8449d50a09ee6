"""The workflow core: declared tables and the transition function (who may fire what is tests/unit/test_policy.py)."""
import pytest

from engine.actors import Role
from engine.errors import Refused
from engine.workflow import Relation, Transition, Workflow, fire
from engine import workflows
from engine.workflows import BIG_TABLE

def test_big_table_plan_round_trip():
    state = fire(BIG_TABLE, "draft", "submit_plan")
    assert state == "submitted"
    assert fire(BIG_TABLE, state, "reject_plan") == "rejected"
    state = fire(BIG_TABLE, "rejected", "submit_plan")
    state = fire(BIG_TABLE, state, "approve_plan")
    state = fire(BIG_TABLE, state, "submit_results")
    assert fire(BIG_TABLE, state, "reject_results") == "results_rejected"
    assert fire(BIG_TABLE, state, "approve_results") == "results_approved"


def test_illegal_move_names_state_and_what_is_possible():
    with pytest.raises(Refused) as refused:
        fire(BIG_TABLE, "submitted", "submit_plan")
    assert "待审核" in refused.value.message and "计划审核" in refused.value.message


def test_declared_tables_are_consistent():
    for workflow in (v for v in vars(workflows).values() if isinstance(v, Workflow)):
        assert workflow.initial in workflow.states
        reachable = {workflow.initial} | {t.target for t in workflow.transitions}
        assert reachable == set(workflow.states), workflow.kind
        assert all(label for label in workflow.states.values())


def test_a_table_naming_an_unknown_state_is_rejected():
    with pytest.raises(ValueError):
        Workflow("x", "x", "a", {"a": "甲"}, (Transition("go", "走", ("a",), "b", (Role.CM,), (Relation.OWNER,)),))
