"""Repositories: engine's ports over SQLAlchemy rows. They never commit; the unit of work does. Here: the people and
the organisation, settings, stores, the audit log, workbook exports and submissions; each function's own data in its
repository module (storage/document_repository.py for the declared documents, big_table_, brand_, … )."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Iterable

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from engine.actors import Actor, Role
from engine.ports import AuditRecord, ExportRecord, StoreFilter
from engine.stores import Category, Store, StoreStatus
from engine.workflow import Owner
from storage.kept import kept
from storage.schema import AuditEntry, Setting, StoreRow, Submission, Unit, User, WorkbookExport

#: The cmw_settings key of this database's identity (made by migration 0007).
DATABASE_ID = "database_id"


def now() -> datetime:
    """Wall-clock time as stored (naive local time, seconds)."""
    return datetime.now().replace(microsecond=0)


def to_store(row: StoreRow, cm_code: str) -> Store:
    """A store row as the engine's Store."""
    return Store(
        code=row.code, name=row.name, licence=row.licence, owner=row.owner, contact=row.contact,
        phone=row.phone, address=row.address, cm_code=cm_code, status=StoreStatus(row.status),
        online_ordering=bool(row.online_ordering), category=Category(row.market, row.format, row.scale),
        tier=row.tier, order_weekday=row.order_weekday, visit_cycle=row.visit_cycle,
        visit_weekday=row.visit_weekday, notes=row.notes, version=row.version,
    )


class SqlUsers:
    """Users and their scope."""

    def __init__(self, session: Session):
        self.session = session
        self._owners: dict[str, Owner | None] = {}

    def unit_path(self, unit_id: int) -> tuple[str, ...]:
        """Codes of the unit and its ancestors, company first."""
        facts = kept(self.session)  # the tree is small and read once per App (storage/kept.py), not once per user
        if facts.units is None or unit_id not in facts.units:  # (a unit made since it was read: read it again)
            facts.units = {i: (code, parent) for i, code, parent in self.session.execute(
                select(Unit.id, Unit.code, Unit.parent_id))}
        units = facts.units
        path, current = [], units.get(unit_id)
        while current is not None:
            path.append(current[0])
            current = None if current[1] is None else units.get(current[1])
        return tuple(reversed(path))

    def unit_path_of(self, code: str) -> tuple[str, ...] | None:
        """The path (company first) of the unit with that code, or None."""
        unit_id = self.session.scalar(select(Unit.id).where(Unit.code == code))
        return None if unit_id is None else self.unit_path(unit_id)

    def company_of(self, actor: Actor) -> str:
        """The name of the company an actor belongs to (the top of their unit path), for headings."""
        return self.unit_name(actor.unit_path[0]) if actor.unit_path else ""

    def unit_name(self, code: str) -> str:
        """A unit's name by code ('' when unknown)."""
        return self.session.scalar(select(Unit.name).where(Unit.code == code)) or ""

    def actor(self, code: str) -> Actor | None:
        user = self.session.scalar(select(User).where(User.code == code))
        if user is None:
            return None
        return Actor(user.code, user.name, Role(user.role), self.unit_path(user.unit_id))

    def owner(self, code: str) -> Owner | None:
        # read once per unit of work: a use case checks that the owner exists, then the move asks who they are
        if code not in self._owners:
            actor = self.actor(code)
            self._owners[code] = None if actor is None else Owner(actor.code, actor.unit_path)
        return self._owners[code]

    def names(self, codes: list[str]) -> dict[str, str]:
        return dict(self.session.execute(select(User.code, User.name).where(User.code.in_(codes))).all()) if codes else {}

    def paths(self, codes: list[str]) -> dict[str, tuple[str, ...]]:
        if not codes:
            return {}
        return {code: self.unit_path(unit_id)
                for code, unit_id in self.session.execute(select(User.code, User.unit_id).where(User.code.in_(codes)))}

    def unit_names(self, codes: list[str]) -> dict[str, str]:
        return dict(self.session.execute(select(Unit.code, Unit.name).where(Unit.code.in_(codes))).all()) if codes else {}

    def cms_in(self, unit_path: tuple[str, ...]) -> list[str]:
        """Codes of the CMs whose unit lies within unit_path, in code order."""
        cms = self.session.execute(select(User.code, User.unit_id).where(User.role == "cm").order_by(User.code)).all()
        return [code for code, unit_id in cms if self.unit_path(unit_id)[: len(unit_path)] == unit_path]

    def all(self) -> list[tuple[User, tuple[str, ...]]]:
        """Every user with their unit path, by code."""
        return [(u, self.unit_path(u.unit_id)) for u in self.session.scalars(select(User).order_by(User.code))]

    def units(self) -> list[tuple[tuple[str, ...], str, str]]:
        """Every unit as (its path of codes, company first; name; kind), in tree order (a parent before its units)."""
        rows = self.session.execute(select(Unit.id, Unit.name, Unit.kind)).all()
        return sorted(((self.unit_path(unit_id), name, kind) for unit_id, name, kind in rows), key=lambda r: r[0])


class SqlSettings:
    """engine.ports.Settings: the database's own settings (cmw_settings)."""

    def __init__(self, session: Session):
        self.session = session

    def database_identity(self) -> tuple[str, str]:
        """This database's identity and its company's name; an identity removed since the migration made it (the
        tests empty every table) is made again, once (kept when the caller commits)."""
        identity = self.session.scalar(select(Setting.value).where(Setting.key == DATABASE_ID))
        if identity is None:
            import uuid

            identity = uuid.uuid4().hex
            self.session.add(Setting(key=DATABASE_ID, value=identity))
            self.session.flush()
        company = self.session.scalar(select(Unit.name).where(Unit.kind == "company").order_by(Unit.id).limit(1))
        return identity, company or ""


class SqlStores:
    """Stores by code and by CM."""

    def __init__(self, session: Session):
        self.session = session

    def _query(self):
        return select(StoreRow, User.code).outerjoin(User, StoreRow.cm_id == User.id)

    def by_codes(self, codes: Iterable[str]) -> dict[str, Store]:
        codes = list(dict.fromkeys(codes))
        found: dict[str, Store] = {}
        for start in range(0, len(codes), 500):
            chunk = codes[start:start + 500]
            for row, cm_code in self.session.execute(self._query().where(StoreRow.code.in_(chunk))):
                found[row.code] = to_store(row, cm_code or "")
        return found

    def of_cm(self, cm_code: str, where: StoreFilter) -> list[Store]:
        query = self._query().where(User.code == cm_code).order_by(StoreRow.code)
        if where.statuses:
            query = query.where(StoreRow.status.in_(where.statuses))
        if where.category:
            cat = Category.parse(where.category)
            query = query.where(StoreRow.market == cat.market, StoreRow.format == cat.format,
                                StoreRow.scale == cat.scale)
        if where.code:
            query = query.where(StoreRow.code.contains(where.code.strip()))
        if where.name:
            query = query.where(StoreRow.name.contains(where.name.strip()))
        return [to_store(row, code) for row, code in self.session.execute(query)]

    def lock(self, codes: Iterable[str]) -> dict[str, Store]:
        # as lock_many of documents: found first, then locked by primary key, in its order (two submissions of common
        # stores lock them in the same order: neither holds one the other waits for), so that the CMs' users rows are
        # not locked with them where there is no FOR UPDATE OF (MariaDB); then read again as last committed, over what
        # this session read before
        codes = list(set(codes))
        ids = sorted(store_id for start in range(0, len(codes), 500) for store_id in self.session.scalars(
            select(StoreRow.id).where(StoreRow.code.in_(codes[start:start + 500]))))
        for start in range(0, len(ids), 500):
            self.session.execute(select(StoreRow.id).where(StoreRow.id.in_(ids[start:start + 500]))
                                 .order_by(StoreRow.id).with_for_update()).all()
        found: dict[str, Store] = {}
        for start in range(0, len(ids), 500):
            query = self._query().where(StoreRow.id.in_(ids[start:start + 500]))
            for row, cm_code in self.session.execute(query.execution_options(populate_existing=True)):
                found[row.code] = to_store(row, cm_code or "")
        return found

    def update(self, code: str, changes: dict[str, object]) -> Store:
        row, cm_code = self.session.execute(self._query().where(StoreRow.code == code)).one()
        for field, value in changes.items():
            setattr(row, field, value)
        row.version += 1
        row.updated_at = now()
        self.session.flush()
        return to_store(row, cm_code or "")


class SqlAuditLog:
    """The append-only audit log."""

    def __init__(self, session: Session):
        self.session = session

    def record(self, **entry) -> None:
        self.record_many([entry])

    def record_many(self, entries: list[dict]) -> None:
        if entries:
            at = now()
            self.session.execute(insert(AuditEntry), [audit_row(at, **entry) for entry in entries])

    def of_document(self, entity: str, key: str) -> list[AuditRecord]:
        return self._read((AuditEntry.entity == entity)
                          & ((AuditEntry.entity_key == key) | AuditEntry.entity_key.like(f"{_like(key)}/%", escape="!")))

    def marks_done(self, cm_codes: list[str], start: datetime, end: datetime) -> dict[str, tuple[int, int, int]]:
        wanted, found = set(cm_codes), dict[str, tuple[int, int]]()
        rows = self.session.execute(select(AuditEntry.entity_key, AuditEntry.new_value).where(
            AuditEntry.entity == "bigtable", AuditEntry.action == "mark", AuditEntry.new_value.in_(("★", "▲")),
            AuditEntry.at >= start, AuditEntry.at < end))
        stores: dict[str, set[str]] = {}
        for key, mark in rows:  # key: cm/month/store
            cm, store = key.partition("/")[0], key.rpartition("/")[2]
            if cm in wanted:
                stores.setdefault(cm, set()).add(store)
                done, temporary = found.get(cm, (0, 0))
                found[cm] = (done + (mark == "★"), temporary + (mark == "▲"))
        return {cm: (len(stores[cm]), *found[cm]) for cm in found}

    def of_store(self, code: str) -> list[AuditRecord]:
        return self._read(((AuditEntry.entity == "store") & (AuditEntry.entity_key == code))
                          | ((AuditEntry.entity == "bigtable")
                             & AuditEntry.entity_key.like(f"%/{_like(code)}", escape="!")))

    def _read(self, where) -> list[AuditRecord]:
        rows = self.session.scalars(select(AuditEntry).where(where).order_by(AuditEntry.id))
        return [AuditRecord(r.at, r.actor_code, r.action, r.entity, r.entity_key, r.field, r.old_value, r.new_value,
                            r.submission_id, r.note) for r in rows]


def _like(text: str) -> str:
    """Text for a LIKE pattern, its wildcards taken literally."""
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def audit_row(at, *, actor, action, entity, key, field=None, old=None, new=None, submission_id=None,
               note=None) -> dict:
    return {"at": at, "actor_code": actor, "action": action, "entity": entity, "entity_key": str(key), "field": field,
            "old_value": None if old is None else str(old), "new_value": None if new is None else str(new),
            "submission_id": submission_id, "note": note or None}


class SqlExports:
    """Workbooks handed out, with what they showed."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, *, module, owner_code, actor_code, template_version, snapshot) -> int:
        row = WorkbookExport(module=module, owner_code=owner_code, actor_code=actor_code,
                             template_version=template_version, created_at=now(),
                             snapshot=json.dumps(snapshot, ensure_ascii=False))
        self.session.add(row)
        self.session.flush()
        return row.id

    def update_snapshot(self, export_id: int, snapshot: dict) -> None:
        self.session.execute(update(WorkbookExport).where(WorkbookExport.id == export_id)
                             .values(snapshot=json.dumps(snapshot, ensure_ascii=False)))

    def get(self, export_id: int) -> ExportRecord | None:
        row = self.session.get(WorkbookExport, export_id)
        if row is None:
            return None
        return ExportRecord(row.id, row.module, row.owner_code, row.actor_code, row.template_version,
                            row.created_at, json.loads(row.snapshot))


class SqlSubmissions:
    """Submitted files: archived on arrival, concluded with the outcome of their action."""

    def __init__(self, session: Session):
        self.session = session

    def archive(self, *, actor_code: str, filename: str, content: bytes, sha256: str) -> int:
        """Keep a submitted file whole, before anything is done with it."""
        row = Submission(received_at=now(), actor_code=actor_code, filename=filename[-255:], sha256=sha256,
                         size=len(content), content=content, outcome="received", messages="[]")
        self.session.add(row)
        self.session.flush()
        return row.id

    def listing(self, actor_code: str | None, limit: int) -> list[dict]:
        """The newest submissions (of one user, or everyone's when None): id, received_at, actor_code, filename,
        module, outcome — never the files themselves."""
        query = select(Submission.id, Submission.received_at, Submission.actor_code, Submission.filename,
                       Submission.module, Submission.outcome).order_by(Submission.id.desc()).limit(limit)
        if actor_code is not None:
            query = query.where(Submission.actor_code == actor_code)
        return [dict(row._mapping) for row in self.session.execute(query)]

    def conclude(self, submission_id: int, outcome: str, lines: list[str], module: str = "") -> None:
        # an UPDATE, not the row loaded: that would fetch the whole file kept with it
        values = {"outcome": outcome, "messages": json.dumps(lines, ensure_ascii=False)}
        if module:
            values["module"] = module
        self.session.execute(update(Submission).where(Submission.id == submission_id).values(**values))
