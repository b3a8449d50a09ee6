"""Whose things an act reaches (engine/scope.py), drawn from the policy, on the fake company: a CM their own, a
market manager their department, the administrator everyone; named CMs each checked; a unit as a whole."""
import pytest

from engine.errors import NotAllowed, Refused
from engine.scope import listed_cms, target_cms, unit_cms
from tests.fakes import company, person


def test_naming_nobody_reaches_ones_own_or_ones_scope():
    uow = company()
    assert target_cms(uow, person("cm001"), None, "view:bigtable") == ["cm001"]
    assert target_cms(uow, person("mm01"), None, "view:bigtable") == ["cm001", "cm002"]
    assert target_cms(uow, person("admin"), None, "view:bigtable") == ["cm001", "cm002", "cm003"]
    with pytest.raises(NotAllowed, match="只能由管辖其单位的市场经理、管理员审核"):
        target_cms(uow, person("cm001"), None, "review")


def test_every_named_cm_is_checked_and_the_refusal_names_them_all():
    uow = company()
    assert target_cms(uow, person("mm01"), ["cm002", "cm001", "cm002"], "bigtable.generate") == ["cm002", "cm001"]
    with pytest.raises(NotAllowed, match="胡新（mm01）无权生成 cm003 的任务执行标注表"):
        target_cms(uow, person("mm01"), ["cm001", "cm003"], "bigtable.generate")
    with pytest.raises(NotAllowed, match="姚杰家（cm001）无权查看 cm002、cm003 的"):
        target_cms(uow, person("cm001"), ["cm001", "cm002", "cm003"], "view:bigtable")
    with pytest.raises(Refused, match="用户 cm999 不存在"):
        target_cms(uow, person("admin"), ["cm999"], "view:bigtable")
    with pytest.raises(Refused, match="mm01 不是客户经理"):  # the administrator may, but a manager owns no table
        target_cms(uow, person("admin"), ["mm01"], "view:bigtable")


def test_a_list_screen_shows_the_scope_narrowed_by_unit_and_cm():
    uow = company()
    assert listed_cms(uow, person("admin"), "view:analysis", unit="D02") == ["cm003"]
    assert listed_cms(uow, person("mm01"), "view:analysis", cm="cm002") == ["cm002"]
    with pytest.raises(NotAllowed, match="无权查看 单位 D02 的月度经营状态分析"):
        listed_cms(uow, person("mm01"), "view:analysis", unit="D02")
    with pytest.raises(NotAllowed, match="姚杰家（cm001）无权查看 cm002 的"):
        listed_cms(uow, person("cm001"), "view:analysis", cm="cm002")


def test_a_whole_unit_for_a_manager_over_it():
    uow = company()
    assert unit_cms(uow, person("mm01"), "print.department", "D01")[1] == ["cm001", "cm002"]
    with pytest.raises(NotAllowed, match="王强（mm02）无权批量打印 .*（D01） 的营销部的表"):
        unit_cms(uow, person("mm02"), "print.department", "D01")
    with pytest.raises(NotAllowed, match="姚杰家（cm001）无权批量打印营销部的表"):
        unit_cms(uow, person("cm001"), "print.department", "D01")
    with pytest.raises(Refused, match="单位编码 D09 不存在"):
        unit_cms(uow, person("admin"), "print.department", "D09")
