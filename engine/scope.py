"""Whose documents an actor works on: the scope rules every function of the manual shares."""
from __future__ import annotations

from typing import Callable

from engine.actors import Actor, Role
from engine.errors import Finding, Refused
from engine.ports import UnitOfWork


def target_cms(uow: UnitOfWork, actor: Actor, cm_codes: list[str] | None, *, verb: str = "处理",
               what: str = "经营状态分析") -> list[str]:
    """Whose documents an actor works on (verb what: 处理 经营状态分析, 导出 大表…): a CM their own; an MM or admin
    the CMs named, or all in their scope."""
    named = list(dict.fromkeys(cm_codes or ()))
    if actor.role is Role.CM:
        others = [cm for cm in named if cm != actor.code]
        if others:
            raise Refused(f"{actor.label}只能{verb}本人的{what}，不能{verb} {'、'.join(others)} 的。")
        return [actor.code]
    if actor.role not in (Role.MM, Role.ADMIN):
        raise Refused(f"{actor.label}不能{verb}{what}，请由客户经理本人或市场经理{verb}。")
    in_scope = uow.users.cms_in(actor.unit_path)
    outside = [cm for cm in named if cm not in in_scope]
    if outside:
        raise Refused(f"{'、'.join(outside)} 不是{actor.label}管辖的客户经理。运行 cmw users list 查看客户经理编码。")
    return named or in_scope


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
