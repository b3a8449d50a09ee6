"""Whose documents an actor works on: the scope rules every function of the manual shares, as the policy
(engine/policy.py) draws them."""
from __future__ import annotations

from typing import Callable

from engine import policy
from engine.actors import Actor, Role
from engine.errors import Finding, Refused
from engine.policy import Reach
from engine.ports import UnitOfWork
from engine.workflow import Owner


def owner_of(uow: UnitOfWork, code: str) -> Owner:
    """The user whose document or store it is, as the policy weighs them; Refused when there is no such user."""
    owner = uow.users.owner(code)
    if owner is None:
        raise Refused(f"用户 {code} 不存在。运行 cmw users list 查看客户经理编码。")
    return owner


def target_cms(uow: UnitOfWork, actor: Actor, cm_codes: list[str] | None, act: str) -> list[str]:
    """Whose things an actor's act works on: the CMs named, each one the policy lets them reach; none named, their
    own (a CM) or every CM in their scope (a manager). NotAllowed says who may."""
    named = list(dict.fromkeys(cm_codes or ()))
    if not named:
        return [actor.code] if policy.reach(actor, act) is Reach.OWN else uow.users.cms_in(actor.unit_path)
    looked_up = {cm: uow.users.actor(cm) for cm in named}
    found = {cm: user for cm, user in looked_up.items() if user is not None}
    unknown = [cm for cm in named if cm not in found]
    if unknown:
        raise Refused(f"用户 {'、'.join(unknown)} 不存在。运行 cmw users list 查看客户经理编码。")
    refused = [cm for cm, user in found.items() if not policy.allows(actor, act, Owner(cm, user.unit_path))]
    if refused:
        owner = found[refused[0]]
        policy.require(actor, act, Owner(owner.code, owner.unit_path), whose="、".join(refused))
    not_cms = [cm for cm, user in found.items() if user.role is not Role.CM]
    if not_cms:
        raise Refused(f"{'、'.join(not_cms)} 不是客户经理。运行 cmw users list 查看客户经理编码。")
    return named


def unit_cms(uow: UnitOfWork, actor: Actor, act: str, unit: str) -> tuple[str, list[str]]:
    """A unit's name and its CMs, when the policy lets the actor do the act over the whole unit (a department's
    print pack); Refused for a unit that does not exist or has no CM."""
    policy.require(actor, act)
    path = uow.users.unit_path_of(unit)
    if path is None:
        raise Refused(f"单位编码 {unit} 不存在。请用 cmw units list 查看单位编码。")
    name = uow.users.unit_name(unit)
    policy.require(actor, act, Owner(unit, path), whose=f"{name}（{unit}）")
    cms = uow.users.cms_in(path)
    if not cms:
        raise Refused(f"{name}（{unit}）下没有客户经理。")
    return name, cms


def listed_cms(uow: UnitOfWork, actor: Actor, act: str, *, unit: str | None = None,
               cm: str | None = None) -> list[str]:
    """The CMs a list screen shows: those whose things the actor may see (a CM: themself), narrowed by unit and CM."""
    scope = None if policy.reach(actor, act) is Reach.OWN else actor.unit_path
    if unit:
        path = uow.users.unit_path_of(unit)
        if path is None:
            raise Refused(f"单位编码 {unit} 不存在。运行 cmw units list 查看单位编码。")
        policy.require(actor, act, Owner(unit, path), whose=f"单位 {unit}")
        scope = path
    cms = [actor.code] if scope is None else uow.users.cms_in(scope)
    if cm:
        user = uow.users.actor(cm)
        if user is None:
            raise Refused(f"用户 {cm} 不存在。运行 cmw users list 查看客户经理编码。")
        policy.require(actor, act, Owner(cm, user.unit_path))
        if cm not in cms:
            raise Refused(f"{cm} 不是{'单位 ' + unit + ' 的' if unit else ''}客户经理。运行 cmw users list 查看客户经理编码。")
        cms = [cm]
    return cms


def each_cm(cms: list[str], check: Callable[[str], object], nothing: str) -> tuple[list, tuple[str, ...]]:
    """check(cm) for each CM. Asked for one CM, its refusal is the answer; for several, a refused CM is skipped
    and said in the details (its findings, at most ten, indented under it), and nothing left to do is one refusal."""
    done, skipped = [], []
    for cm in cms:
        try:
            done.append(check(cm))
        except Refused as refusal:
            if len(cms) == 1:
                raise
            skipped.append(f"{cm}：{refusal.message}")
            skipped.extend(f"　　{f.text()}" for f in refusal.findings[:10])
            if len(refusal.findings) > 10:
                skipped.append(f"　　……共 {len(refusal.findings)} 项")
    if not done:
        raise Refused(f"{nothing}，未作任何更改：", [Finding("SKIPPED", line) for line in skipped])
    return done, tuple(skipped)
