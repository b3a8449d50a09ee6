"""Use case of the reference data and orders (cmw import org|stores|products|orders): one file, checked whole, loaded
with its audit row in one unit of work — all of it, or nothing when any row is wrong."""
from __future__ import annotations

from pathlib import Path

from engine.actors import Actor
from engine.ports import Report, UnitOfWork


def import_file(uow: UnitOfWork, actor: Actor, kind: str, path: Path) -> Report:
    """Load one file of a kind (org, stores, products, orders) in one unit of work; what it did. Refused (listing
    every bad row, or saying who may import) writes nothing."""
    with uow:
        report = uow.imports.load(kind, path, actor)
        uow.commit()
    return report
