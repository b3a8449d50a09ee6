"""Use cases of the rubrics (评分标准): the current version as rows to edit, and an edited table stored as a new
version. One unit of work each; months already computed keep the version they were computed with."""
from __future__ import annotations

from typing import Callable

from engine.actors import Actor
from engine.capability import capability_rubric_from_dict, capability_rubric_to_dict
from engine.effect import effect_rubric_to_dict
from engine.operating_analysis import current_rubrics
from engine.policy import require
from engine.ports import UnitOfWork
from engine.rubric_files import capability_rows, capability_rubric_from_rows, effect_rows, effect_rubric_from_rows

KINDS = {"effect": "经营效果评分标准", "capability": "经营能力评分标准"}


def _rows(uow: UnitOfWork, actor: Actor, kind: str) -> tuple[int, list[dict[str, str]]]:
    effect, capability = current_rubrics(uow, actor)
    if kind == "effect":
        return effect.version, effect_rows(effect)
    rubric = capability_rubric_from_dict(capability)
    return rubric.version, capability_rows(rubric)


def rubric_rows(uow: UnitOfWork, actor: Actor, kind: str) -> tuple[int, list[dict[str, str]], str]:
    """The current version of a rubric (effect or capability) as table rows, with its number and the actor's
    company (for a heading); the defaults are stored as version 1 on first use, hence a unit of work that commits."""
    with uow:
        version, rows = _rows(uow, actor, kind)
        company = uow.users.company_of(actor)
        uow.commit()
    return version, rows, company


def import_rubric(uow: UnitOfWork, actor: Actor, kind: str, read: Callable[[], list[tuple[int, dict[str, str]]]]) -> int:
    """Store an edited rubric's rows (read(): each with its row number in the file, for the findings; read only once
    the policy lets the actor import) as a new version, audited, in one unit of work; its number. Refused, naming
    the rows, when a row is wrong: nothing is stored."""
    require(actor, "rubric.import")
    rows = read()
    with uow:
        current_rubrics(uow, actor)  # the defaults are version 1: an import is never taken for the first version
        if kind == "effect":
            body = effect_rubric_to_dict(effect_rubric_from_rows(rows, 0))
        else:
            body = capability_rubric_to_dict(capability_rubric_from_rows(rows, 0))
        version = uow.rubrics.add(kind, body, actor.code)
        uow.audit.record(actor=actor.code, action="import_rubric", entity="rubric", key=kind, new=version)
        uow.commit()
    return version
