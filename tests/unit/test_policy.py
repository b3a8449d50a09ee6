"""The policy (engine/policy.py): the rules derived from the workflows, the declared table, relations, messages."""
import pytest

from engine import policy
from engine.actors import Actor, Role
from engine.errors import NotAllowed, Refused
from engine.policy import Reach, allows, reach, require, require_move
from engine.workflow import Owner
from engine.workflows import BIG_TABLE, OPERATING_ANALYSIS

CM = Actor("cm001", "张三", Role.CM, ("C01", "Z01", "D01", "P001"))
OTHER_CM = Actor("cm002", "李四", Role.CM, ("C01", "Z01", "D01", "P002"))
MM = Actor("mm01", "王经理", Role.MM, ("C01", "Z01", "D01"))
FOREIGN_MM = Actor("mm02", "赵经理", Role.MM, ("C01", "Z01", "D02"))
BM = Actor("bm01", "品牌甲", Role.BM, ("C01", "Z01"))
ADMIN = Actor("admin", "系统管理员", Role.ADMIN, ("C01",))
OWNER = Owner("cm001", CM.unit_path)


def test_only_the_owner_submits_and_only_the_departments_mm_approves():
    require_move(CM, BIG_TABLE, "submit_plan", OWNER)
    require_move(MM, BIG_TABLE, "approve_plan", OWNER)
    require_move(ADMIN, BIG_TABLE, "approve_plan", OWNER)
    with pytest.raises(NotAllowed, match="李四（cm002）无权操作 cm001 的任务执行标注表的“计划提交”：只能由客户经理本人操作"):
        require_move(OTHER_CM, BIG_TABLE, "submit_plan", OWNER)
    with pytest.raises(NotAllowed, match="只能由管辖其单位的市场经理、管理员操作"):
        require_move(CM, BIG_TABLE, "approve_plan", OWNER)
    with pytest.raises(NotAllowed, match="赵经理（mm02）无权"):
        require_move(FOREIGN_MM, BIG_TABLE, "approve_plan", OWNER)
    with pytest.raises(NotAllowed):  # a manager never fires an owner's move, even on their own name
        require_move(MM, BIG_TABLE, "submit_plan", Owner("mm01", MM.unit_path))


def test_the_document_rules_are_derived_from_the_workflow():
    rules = policy.rules()
    for transition in BIG_TABLE.transitions:
        rule = rules[f"bigtable:{transition.name}"]
        assert set(rule.roles) == set(transition.roles) and transition.label in rule.label
    assert rules["view:bigtable"].grants == ((Role.CM, policy.OWN), (Role.MM, policy.SUP), (Role.ADMIN, policy.SUP))
    assert rules["edit:bigtable"].grants == ((Role.CM, policy.OWN),)
    # a transition both a CM and a manager may fire: the CM as owner, the managers as supervisors, never crosswise
    assert rules["analysis:compute_effect"].grants == rules["view:analysis"].grants
    assert {f"analysis:{t.name}" for t in OPERATING_ANALYSIS.transitions} <= set(rules)


def test_who_sees_a_cms_things_by_relation():
    assert allows(CM, "view:bigtable", OWNER) and not allows(OTHER_CM, "view:bigtable", OWNER)
    assert allows(MM, "view:bigtable", OWNER) and not allows(FOREIGN_MM, "view:bigtable", OWNER)
    assert allows(ADMIN, "view:bigtable", OWNER) and not allows(BM, "view:bigtable", OWNER)
    assert allows(BM, "stores.view", OWNER) and not allows(BM, "stores.maintain", OWNER)
    assert not allows(ADMIN, "view:bigtable", Owner("admin", ADMIN.unit_path))  # nobody's own big table but a CM's


def test_company_acts_and_acts_without_an_acting_user():
    assert allows(ADMIN, "import") and not any(allows(a, "import") for a in (CM, MM, BM))
    assert all(allows(a, "rubric.view") for a in (CM, MM, BM, ADMIN))
    assert allows(None, "database") and allows(None, "session") and not allows(None, "import")


def test_reach_when_nobody_is_named():
    assert reach(CM, "view:bigtable") is Reach.OWN and reach(MM, "view:bigtable") is Reach.SCOPE
    assert reach(ADMIN, "import") is Reach.COMPANY
    with pytest.raises(NotAllowed, match="品牌经理 品牌甲（bm01）无权查看任务执行标注表：只能由客户经理本人或管辖其单位的市场经理、管理员查看。"):
        reach(BM, "view:bigtable")


def test_a_refusal_says_who_may_and_is_a_refusal():
    with pytest.raises(Refused) as refused:
        require(CM, "import")
    assert isinstance(refused.value, NotAllowed)
    assert refused.value.message == "客户经理 张三（cm001）无权导入基础数据（组织机构、客户、卷烟规格、订单）：只能由管理员导入。"


def test_an_undeclared_act_is_a_programming_error_that_names_the_table():
    with pytest.raises(LookupError, match="DECLARED"):
        allows(CM, "no.such.act")
