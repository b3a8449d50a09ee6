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
