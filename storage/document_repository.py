"""The documents of the declared kinds in the database: each document's state and version (SqlDocuments), the
decisions on it (SqlDecisions), the snapshot kept at each transition (SqlSnapshots), its values (SqlDocumentValues),
and the reads every kind's list and review share (document_listing, changed_since)."""
from __future__ import annotations

import json
from dataclasses import replace

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from engine.periods import kind_of_period, quarter_of
from engine.ports import Decision, DocumentState
from storage.kept import kept
from storage.repositories import audit_row, now
from storage.security import fire_in_database, is_secured
from storage.schema import AuditEntry, DocumentDecisionRow, DocumentRow, DocumentSnapshotRow, DocumentValueRow, User


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
                audit_row(at, actor=actor_code, action=transition, entity=doc.kind, key=f"{doc.owner_code}/{doc.period}",
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

    def changed_since(self, since: dict[int, int], fields: list[str] | None = None) -> dict[int, int]:
        return changed_since(self.session, DocumentValueRow, since,
                             None if fields is None else DocumentValueRow.field.in_(fields))


def changed_since(session: Session, rows, since: dict[int, int], only=None) -> dict[int, int]:
    """How many rows of each document (rows: a table with document_id and changed_in; only: a condition on them)
    changed after its version (since: document id → version): one read counting them by document and version, the
    few versions summed here."""
    found = dict.fromkeys(since, 0)
    ids = list(since)
    for start in range(0, len(ids), 500):
        counted = session.execute(select(rows.document_id, rows.changed_in, func.count())
                                  .where(rows.document_id.in_(ids[start:start + 500]),
                                         rows.changed_in > min(since[i] for i in ids[start:start + 500]),
                                         *(() if only is None else (only,)))
                                  .group_by(rows.document_id, rows.changed_in))
        for doc_id, version, count in counted:
            if version > since[doc_id]:
                found[doc_id] += count
    return found
