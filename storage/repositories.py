"""Repositories: engine's ports over SQLAlchemy rows. They never commit; the unit of work does."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Iterable

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from engine.actors import Actor, Role
from engine.periods import kind_of_period, quarter_of
from engine.ports import AuditRecord, Decision, DocumentState, ExportRecord, StoreFilter
from engine.stores import Category, Store, StoreStatus
from engine.workflow import Owner
from storage.kept import kept
from storage.security import fire_in_database, is_secured
from storage.schema import (
    AuditEntry, DocumentDecisionRow, DocumentRow, DocumentSnapshotRow, DocumentValueRow, Setting, StoreRow,
    Submission, Unit, User, WorkbookExport,
)

#: The cmw_settings key of this database's identity (made by migration 0007).
DATABASE_ID = "database_id"


def now() -> datetime:
    """Wall-clock time as stored (naive local time, seconds)."""
    return datetime.now().replace(microsecond=0)


def document_listing(kind: str, cm_codes: list[str], month: str | None, state: str | None, *columns):
    """A list screen's query: the (CM code, name, period, state, *columns) of a kind's documents, newest month first."""
    query = (select(User.code, User.name, DocumentRow.period, DocumentRow.state, *columns)
             .join(User, User.id == DocumentRow.owner_id)
             .where(DocumentRow.kind == kind, User.code.in_(cm_codes))
             .order_by(DocumentRow.period.desc(), User.code))
    if month and kind_of_period(month) == "month":  # a month lists the documents of the weeks starting in it too (§15,
        # kept by the week's Monday), of its campaigns (§14, kept as YYYY-MM/CAMPAIGN) and of its quarter (§18 by quarter)
        query = query.where((DocumentRow.period == month) | DocumentRow.period.like(f"{month}-%")
                            | DocumentRow.period.like(f"{month}/%") | (DocumentRow.period == quarter_of(month)))
    elif month:  # a week, a quarter or a campaign: that period
        query = query.where(DocumentRow.period == month)
    if state:
        query = query.where(DocumentRow.state == state)
    return query


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
            self.session.execute(insert(AuditEntry), [_audit_row(at, **entry) for entry in entries])

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


def _audit_row(at, *, actor, action, entity, key, field=None, old=None, new=None, submission_id=None,
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


class SqlDocuments:
    """Workflow documents."""

    def __init__(self, session: Session):
        self.session = session

    def get(self, kind, owner_code, period) -> DocumentState | None:
        return self.get_many(kind, [owner_code], period).get(owner_code)

    def get_many(self, kind, owner_codes, period) -> dict[str, DocumentState]:
        rows = self.session.execute(self._of(kind, owner_codes, period)).all()
        return {code: DocumentState(doc_id, kind, code, period, state, version) for doc_id, state, version, code in rows}

    @staticmethod
    def _of(kind, owner_codes, period):
        """The query of the (kind, owner, period) documents of these owners: id, state, version, owner code."""
        return (select(DocumentRow.id, DocumentRow.state, DocumentRow.version, User.code)
                .join(User, DocumentRow.owner_id == User.id)
                .where(DocumentRow.kind == kind, User.code.in_(owner_codes), DocumentRow.period == period))

    def of_owners(self, owner_codes, periods) -> list[DocumentState]:
        rows = self.session.execute(
            select(DocumentRow.id, DocumentRow.kind, User.code, DocumentRow.period, DocumentRow.state,
                   DocumentRow.version)
            .join(User, DocumentRow.owner_id == User.id)
            .where(User.code.in_(owner_codes), DocumentRow.period.in_(periods))).all()
        return [DocumentState(*row) for row in rows]

    def lock(self, kind, owner_code, period) -> DocumentState | None:
        return self.lock_many(kind, [owner_code], period).get(owner_code)

    def lock_many(self, kind, owner_codes, period) -> dict[str, DocumentState]:
        # found first, then locked by primary key, so that only their rows are locked: a locking read through the join
        # would lock the owners' users rows too where there is no FOR UPDATE OF (MariaDB), and MariaDB locks every
        # row an index range visits (another kind's document of the same owner); the locking read returns the state
        # and version as last committed, whatever the first read saw. PostgreSQL locks only the rows of the table FOR
        # UPDATE OF names and only the rows it returns, each re-read as last committed after a wait: one statement
        if self.session.get_bind().dialect.name == "postgresql":
            return {code: DocumentState(doc_id, kind, code, period, state, version) for doc_id, state, version, code
                    in self.session.execute(self._of(kind, owner_codes, period).with_for_update(of=DocumentRow))}
        found = self.get_many(kind, owner_codes, period)
        if not found:
            return found
        rows = dict((doc_id, (state, version)) for doc_id, state, version in self.session.execute(
            select(DocumentRow.id, DocumentRow.state, DocumentRow.version)
            .where(DocumentRow.id.in_([doc.id for doc in found.values()]))
            .with_for_update(of=DocumentRow)))
        return {code: replace(doc, state=rows[doc.id][0], version=rows[doc.id][1]) for code, doc in found.items()}

    def create_many(self, kind, owner_codes, period, state) -> dict[str, DocumentState]:
        owners = self.session.execute(select(User.id).where(User.code.in_(owner_codes))).scalars().all()
        at = now()
        if owners:
            _insert_or_keep(self.session, DocumentRow, [
                {"kind": kind, "owner_id": owner_id, "period": period, "state": state, "version": 1, "updated_at": at}
                for owner_id in owners], ("kind", "owner_id", "period"))
        return self.get_many(kind, owner_codes, period)

    def touch(self, doc: DocumentState) -> DocumentState:
        self.session.execute(update(DocumentRow).where(DocumentRow.id == doc.id)
                             .values(version=DocumentRow.version + 1, updated_at=now())
                             .execution_options(synchronize_session=False))
        return replace(doc, version=doc.version + 1)

    def in_month(self, kind, owner_codes, month) -> list[DocumentState]:
        rows = self.session.execute(
            select(DocumentRow.id, DocumentRow.period, DocumentRow.state, DocumentRow.version, User.code)
            .join(User, DocumentRow.owner_id == User.id)
            .where(DocumentRow.kind == kind, User.code.in_(owner_codes),
                   DocumentRow.period.like(f"{month}-%") | DocumentRow.period.like(f"{month}/%"))
            .order_by(User.code, DocumentRow.period))
        return [DocumentState(doc_id, kind, code, period, state, version)
                for doc_id, period, state, version, code in rows]

    def move_many(self, docs: list[DocumentState], states: list[str], *, transition: str, actor_code: str,
                  note: str = "") -> list[DocumentState]:
        if self._secured():
            return self._fire(docs, transition, actor_code, note)
        at = now()
        for state in set(states):
            ids = [doc.id for doc, target in zip(docs, states) if target == state]
            self.session.execute(update(DocumentRow).where(DocumentRow.id.in_(ids))
                                 .values(state=state, version=DocumentRow.version + 1, updated_at=at)
                                 .execution_options(synchronize_session="fetch"))
        # the rows are locked by lock_many (or made) in this transaction, so each version is the one read plus one
        moved = [replace(doc, state=state, version=doc.version + 1) for doc, state in zip(docs, states)]
        if moved:
            self.session.execute(insert(DocumentDecisionRow), [
                {"document_id": doc.id, "transition": transition, "actor_code": actor_code, "at": at, "source": doc.state,
                 "target": new.state, "version": new.version, "reason": note} for doc, new in zip(docs, moved)])
            self.session.execute(insert(AuditEntry), [
                _audit_row(at, actor=actor_code, action=transition, entity=doc.kind, key=f"{doc.owner_code}/{doc.period}",
                           field="state", old=doc.state, new=new.state, note=note) for doc, new in zip(docs, moved)])
        return moved

    def _secured(self) -> bool:
        """Whether the database moves states itself (personal logins granted: storage/security.py), read once per
        App (storage/kept.py)."""
        facts = kept(self.session)
        if facts.secured is None:
            facts.secured = self.session.get_bind().dialect.name != "sqlite" and is_secured(self.session.connection())
        return facts.secured

    def _fire(self, docs: list[DocumentState], transition: str, actor_code: str, note: str) -> list[DocumentState]:
        """The moves through the database's own function (cmw_fire on PostgreSQL, the cmw_fire procedure on
        MariaDB): it applies its copy of the workflow and writes the decision and audit rows."""
        answers = fire_in_database(self.session, [doc.id for doc in docs], transition, actor_code, note)
        return [replace(doc, state=answers[doc.id][0], version=answers[doc.id][1]) for doc in docs]


def _insert_or_keep(session: Session, row_class, rows: list[dict], key: tuple[str, ...]) -> None:
    """Insert rows of row_class, leaving a row whose unique key (the columns key) exists as it is instead of failing:
    another user's transaction may make the same row between our read and our insert (a document made on first use
    by two people at once). The insert waits for that transaction; once it has committed, ours keeps its row and
    raises no IntegrityError. PostgreSQL and SQLite: ON CONFLICT DO NOTHING. MariaDB: the insert in a savepoint;
    on a duplicate key, back to the savepoint and again with the rows still missing (its ON DUPLICATE KEY UPDATE
    would need UPDATE on every column of the key, which no login holds on documents, and INSERT IGNORE would hide
    every other error too)."""
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        from sqlalchemy.dialects import postgresql, sqlite

        statement = (postgresql if dialect == "postgresql" else sqlite).insert(row_class)
        session.execute(statement.on_conflict_do_nothing(index_elements=list(key)), rows)
        return
    from sqlalchemy import tuple_
    from sqlalchemy.exc import IntegrityError

    columns = [getattr(row_class, name) for name in key]
    while rows:
        try:
            with session.begin_nested():
                session.execute(insert(row_class), rows)
            return
        except IntegrityError:
            made = {tuple(found) for found in session.execute(select(*columns).where(tuple_(*columns).in_(
                [tuple(row[name] for name in key) for row in rows])))}
            missing = [row for row in rows if tuple(row[name] for name in key) not in made]
            if len(missing) == len(rows):  # no row of ours exists: not a key another user took
                raise
            rows = missing


class SqlDecisions:
    """engine.ports.Decisions: the moves of documents' states, append-only."""

    def __init__(self, session: Session):
        self.session = session

    def latest(self, document_ids: list[int], transitions) -> dict[int, Decision]:
        if not document_ids:
            return {}
        newest = (select(func.max(DocumentDecisionRow.id))
                  .where(DocumentDecisionRow.document_id.in_(document_ids),
                         DocumentDecisionRow.transition.in_(list(transitions)))
                  .group_by(DocumentDecisionRow.document_id))
        rows = self.session.execute(select(DocumentDecisionRow).where(DocumentDecisionRow.id.in_(newest))).scalars()
        return {row.document_id: _decision(row) for row in rows}

    def history(self, document_id: int) -> list[Decision]:
        rows = self.session.execute(
            select(DocumentDecisionRow, DocumentSnapshotRow.body)
            .outerjoin(DocumentSnapshotRow, (DocumentSnapshotRow.document_id == DocumentDecisionRow.document_id)
                       & (DocumentSnapshotRow.version == DocumentDecisionRow.version))
            .where(DocumentDecisionRow.document_id == document_id).order_by(DocumentDecisionRow.id))
        return [_decision(row, json.loads(body) if body else None) for row, body in rows]


def _decision(row: DocumentDecisionRow, snapshot: dict[str, str] | None = None) -> Decision:
    kept = None if snapshot is None else {(key.rpartition("#")[0], int(key.rpartition("#")[2])): text
                                          for key, text in snapshot.items()}
    return Decision(row.document_id, row.transition, row.actor_code, row.source, row.target, row.version, row.reason or "",
                    row.at, kept)


class SqlSnapshots:
    """engine.ports.Snapshots: declared documents as a whole after each move, append-only."""

    def __init__(self, session: Session):
        self.session = session

    def record_many(self, snapshots: list[tuple[int, int, dict[tuple[str, int], str]]]) -> None:
        if snapshots:
            at = now()
            self.session.execute(insert(DocumentSnapshotRow), [
                {"document_id": doc_id, "version": version, "at": at,
                 "body": json.dumps({f"{field}#{line}": text for (field, line), text in sorted(values.items())},
                                    ensure_ascii=False)}
                for doc_id, version, values in snapshots])


class SqlDocumentValues:
    """engine.ports.DocumentValues: the fields of declared documents, a row per field (and line)."""

    def __init__(self, session: Session):
        self.session = session

    def of_many(self, document_ids: list[int]) -> dict[int, dict[tuple[str, int], str]]:
        found: dict[int, dict[tuple[str, int], str]] = {doc_id: {} for doc_id in document_ids}
        for start in range(0, len(document_ids), 500):
            rows = self.session.execute(
                select(DocumentValueRow.document_id, DocumentValueRow.field, DocumentValueRow.line,
                       DocumentValueRow.value)
                .where(DocumentValueRow.document_id.in_(document_ids[start:start + 500])))
            for doc_id, field, line, value in rows:
                found[doc_id][(field, line)] = value or ""
        return found

    def put_many(self, document_id: int, values: list[tuple[str, int, str]], *, version: int) -> None:
        if not values:
            return
        at = now()
        existing = set(self.of_many([document_id])[document_id])
        changed = [{"d": document_id, "f": f, "l": line, "v": text} for f, line, text in values if (f, line) in existing]
        added = [{"document_id": document_id, "field": f, "line": line, "value": text, "changed_in": version,
                  "updated_at": at} for f, line, text in values if (f, line) not in existing]
        if changed:
            table = DocumentValueRow.__table__  # Core, not the ORM's bulk update by primary key: rows are by field
            self.session.execute(
                update(table).where(table.c.document_id == bindparam("d"), table.c.field == bindparam("f"),
                                    table.c.line == bindparam("l"))
                .values(value=bindparam("v"), changed_in=version, updated_at=at), changed)
        if added:
            self.session.execute(insert(DocumentValueRow), added)

    def changed_since(self, since: dict[int, int]) -> dict[int, int]:
        return changed_since(self.session, DocumentValueRow, since)


def changed_since(session: Session, rows, since: dict[int, int]) -> dict[int, int]:
    """How many rows of each document (rows: a table with document_id and changed_in) changed after its version
    (since: document id → version): one read counting them by document and version, the few versions summed here."""
    found = dict.fromkeys(since, 0)
    ids = list(since)
    for start in range(0, len(ids), 500):
        counted = session.execute(select(rows.document_id, rows.changed_in, func.count())
                                  .where(rows.document_id.in_(ids[start:start + 500]),
                                         rows.changed_in > min(since[i] for i in ids[start:start + 500]))
                                  .group_by(rows.document_id, rows.changed_in))
        for doc_id, version, count in counted:
            if version > since[doc_id]:
                found[doc_id] += count
    return found


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
