"""What the use cases need from the outside world (implemented in storage/)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Protocol

from engine.actors import Actor
from engine.stores import Store
from engine.workflow import Owner


@dataclass(frozen=True)
class StoreFilter:
    """The list screen's filters (§2): category, code and name fragments, statuses."""

    category: str | None = None
    code: str | None = None
    name: str | None = None
    statuses: tuple[str, ...] = ("active",)


@dataclass(frozen=True)
class ExportRecord:
    """A workbook handed out: its module, owner, when, and what it showed."""

    id: int
    module: str
    owner_code: str
    actor_code: str
    template_version: int
    created_at: datetime
    snapshot: dict


@dataclass(frozen=True)
class DocumentState:
    """Where a workflow document stands."""

    id: int
    kind: str
    owner_code: str
    period: str
    state: str
    version: int


class Stores(Protocol):
    def by_codes(self, codes: Iterable[str]) -> dict[str, Store]: """Stores by code (missing codes absent)."""
    def of_cm(self, cm_code: str, where: StoreFilter) -> list[Store]: """A CM's stores, filtered, by code."""
    def update(self, code: str, changes: dict[str, object]) -> Store: """Apply field changes, bump the version."""


class Users(Protocol):
    def actor(self, code: str) -> Actor | None: """The user as an actor, or None."""
    def owner(self, code: str) -> Owner | None: """The user as a document owner, or None."""


class AuditLog(Protocol):
    def record(self, *, actor: str, action: str, entity: str, key: str, field: str | None = None,
               old: object = None, new: object = None, submission_id: int | None = None) -> None:
        """Append one audit row in the current transaction."""


class Exports(Protocol):
    def add(self, *, module: str, owner_code: str, actor_code: str, template_version: int, snapshot: dict) -> int:
        """Remember a workbook handed out; return its document id."""
    def get(self, export_id: int) -> ExportRecord | None: """A workbook handed out, by id."""


class Documents(Protocol):
    def get(self, kind: str, owner_code: str, period: str) -> DocumentState | None: """A document, if it exists."""
    def create(self, kind: str, owner_code: str, period: str, state: str) -> DocumentState: """A new document."""
    def move(self, doc: DocumentState, state: str) -> DocumentState: """Set the state and bump the version."""


class Submissions(Protocol):
    def conclude(self, submission_id: int, outcome: str, lines: list[str], module: str = "") -> None:
        """Record what became of a submitted file (accepted / refused / failed) and the messages shown."""


class UnitOfWork(Protocol):
    """One user action: everything inside commits together or not at all."""

    stores: Stores
    users: Users
    audit: AuditLog
    exports: Exports
    documents: Documents
    submissions: Submissions

    def __enter__(self) -> "UnitOfWork": ...
    def __exit__(self, *exc) -> None: ...
    def commit(self) -> None: """Make the action's changes permanent."""
