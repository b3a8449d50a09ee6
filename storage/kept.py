"""What the units of work of one App read once and share: the organisation's unit tree and whether the database moves
documents' states itself (personal logins granted).

Lifetime: the App's — one command or one ribbon click (`addin/app.py`); a unit of work made without an App keeps
them for its own session only, as before. Each is read at its first use, so that a review workbook's 48 decisions
(each its own transaction) read them once, not 48 times. The tree is read again when a unit it lacks is asked for (one
made since) and dropped by the organisation's import (`storage/importers/org.py`), which alone changes a unit's
parent; being secured changes only by `cmw users grant` or `cmw db upgrade`, commands of their own, whose App has no
document to move.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass
class Kept:
    """The unit tree (id → code, parent id) and whether the database is secured, None until read."""

    units: dict[int, tuple[str, int | None]] | None = None
    secured: bool | None = None


def kept(session: Session) -> Kept:
    """What the session's App keeps (put in the session's info by the unit of work), else the session's own."""
    return session.info.setdefault("kept", Kept())
