"""Use case of every workbook handed out to be filled in and handed back: what it shows, read, and one export row per
file recorded with that snapshot (what a submission is later compared with), in one unit of work."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, TypeVar

from engine.actors import Actor
from engine.ports import UnitOfWork

T = TypeVar("T")


@dataclass(frozen=True)
class Handout:
    """One workbook about to be handed out: its module, whose it is, its template's version, and what it shows."""

    module: str
    owner_code: str
    template_version: int
    snapshot: dict


def hand_out(uow: UnitOfWork, actor: Actor, read: Callable[[UnitOfWork], tuple[T, list[Handout]]]) -> tuple[T, list[int], str]:
    """Read what the files will show (read, given the open unit of work: documents it opens are created, nothing is
    locked) and record one export per Handout, all in one unit of work; the reader's result, the export ids in the
    Handouts' order and the actor's company. A refusal of the reader records nothing."""
    with uow:
        shown, handouts = read(uow)
        ids = [uow.exports.add(module=h.module, owner_code=h.owner_code, actor_code=actor.code,
                               template_version=h.template_version, snapshot=h.snapshot) for h in handouts]
        company = uow.users.company_of(actor)
        uow.commit()
    return shown, ids, company


def own_export(uow: UnitOfWork, actor: Actor, *, owner_code: str, export_id: int, module: str, what: str,
               again: str, matches: Callable[[dict], bool] = lambda snapshot: True):
    """The export a list kept by a manager (the key brands, the campaigns) is handed back against, in the open unit of
    work: refused when the file is someone else's (again: the command that exports one's own), or its export is
    unknown here (another database) or is not of this module (or its snapshot does not match)."""
    from engine.errors import Refused

    if owner_code != actor.code:
        raise Refused(f"这是 {owner_code} 导出的{what}，{actor.label}不能提交。请导出您自己的：{again}。")
    export = uow.exports.get(export_id)
    if export is None or export.module != module or export.owner_code != owner_code or not matches(export.snapshot):
        raise Refused(f"找不到这份{what}的导出记录（可能来自另一个数据库）。请重新导出后再填写提交。")
    return export
