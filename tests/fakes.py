"""An in-memory unit of work for unit tests of the engine's use cases: no database. It implements of
engine.ports.UnitOfWork what the use cases under test ask for (a use case asking for more fails with AttributeError,
never silently): the documents, decisions, snapshots, audit, exports, values, submissions, stores, rubrics and settings
whole;
of the analyses and big tables what the refusals and the small happy paths read.

It keeps the rule of the real one: entering it while it is open raises NestedUnitOfWork; leaving it without a commit
puts every table back as it was when it was entered (so a test sees that a refusal changed nothing); and it checks the
locking rule — a document's state or version changes only after the use case locked its row (documents.lock /
lock_many, or made it in the same unit of work), a store only after stores.lock.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import count

import pandas as pd

from engine.actors import Actor, Role
from engine.errors import Refused
from engine.ports import (Analysis, AuditRecord, Decision, DocumentState, ExportRecord, NestedUnitOfWork, PlanCell,
                          ScopeStore, StoreFilter)
from engine.stores import Store
from engine.workflow import Owner

COMPANY = "C01"


@dataclass
class Tables:
    """Everything the fake database holds; copied on entering a unit of work, put back when it is not committed."""

    users: dict[str, Actor] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=lambda: {COMPANY: "测试烟草公司"})
    documents: dict[int, DocumentState] = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)
    snapshots: dict[tuple[int, int], dict[tuple[str, int], str]] = field(default_factory=dict)  # (document, version)
    audit: list[dict] = field(default_factory=list)
    exports: dict[int, ExportRecord] = field(default_factory=dict)
    values: dict[int, dict[tuple[str, int], str]] = field(default_factory=dict)
    changed_in: dict[int, dict[tuple[str, int], int]] = field(default_factory=dict)
    submissions: dict[int, dict] = field(default_factory=dict)
    stores: dict[str, Store] = field(default_factory=dict)
    analyses: dict[int, Analysis] = field(default_factory=dict)  # by document id
    capability: dict[int, list[tuple[int, str, str, object]]] = field(default_factory=dict)  # by analysis id
    strategies: dict[int, int] = field(default_factory=dict)  # analysis id → how many
    cells: dict[int, dict[tuple[str, str], PlanCell]] = field(default_factory=dict)
    rubrics: dict[str, list[dict]] = field(default_factory=dict)
    brands: dict[str, tuple[bool, bool]] = field(default_factory=dict)
    ordering: dict[str, int] = field(default_factory=dict)  # month → how many stores of the company ordered
    settings: dict[str, str] = field(default_factory=dict)
    ids: count = field(default_factory=lambda: count(1))


class _Part:
    def __init__(self, uow: "FakeUnitOfWork"):
        self.uow = uow

    @property
    def t(self) -> Tables:
        return self.uow.tables


class FakeUsers(_Part):
    def actor(self, code: str) -> Actor | None:
        return self.t.users.get(code)

    def owner(self, code: str) -> Owner | None:
        actor = self.t.users.get(code)
        return None if actor is None else Owner(actor.code, actor.unit_path)

    def cms_in(self, unit_path: tuple[str, ...]) -> list[str]:
        return sorted(a.code for a in self.t.users.values()
                      if a.role is Role.CM and a.unit_path[: len(unit_path)] == unit_path)

    def names(self, codes: list[str]) -> dict[str, str]:
        return {c: self.t.users[c].name for c in codes if c in self.t.users}

    def paths(self, codes: list[str]) -> dict[str, tuple[str, ...]]:
        return {c: self.t.users[c].unit_path for c in codes if c in self.t.users}

    def unit_names(self, codes: list[str]) -> dict[str, str]:
        return {c: self.unit_name(c) for c in codes}

    def unit_path_of(self, code: str) -> tuple[str, ...] | None:
        paths = [a.unit_path[: a.unit_path.index(code) + 1] for a in self.t.users.values() if code in a.unit_path]
        return paths[0] if paths else None

    def unit_name(self, code: str) -> str:
        return self.t.units.get(code, code)

    def company_of(self, actor: Actor) -> str:
        return self.t.units.get(actor.unit_path[0], "") if actor.unit_path else ""


class FakeDocuments(_Part):
    def _find(self, kind: str, owner_codes: list[str], period: str) -> dict[str, DocumentState]:
        return {d.owner_code: d for d in self.t.documents.values()
                if d.kind == kind and d.owner_code in owner_codes and d.period == period}

    def get(self, kind: str, owner_code: str, period: str) -> DocumentState | None:
        return self.get_many(kind, [owner_code], period).get(owner_code)

    def get_many(self, kind: str, owner_codes: list[str], period: str) -> dict[str, DocumentState]:
        return self._find(kind, owner_codes, period)

    def lock(self, kind: str, owner_code: str, period: str) -> DocumentState | None:
        return self.lock_many(kind, [owner_code], period).get(owner_code)

    def lock_many(self, kind: str, owner_codes: list[str], period: str) -> dict[str, DocumentState]:
        found = self._find(kind, owner_codes, period)
        self.uow.locked.update(d.id for d in found.values())
        return found

    def create_many(self, kind: str, owner_codes: list[str], period: str, state: str) -> dict[str, DocumentState]:
        made = {}
        for code in owner_codes:
            if code not in self.t.users:
                continue
            if self._find(kind, [code], period):  # made by another user meanwhile: kept, as the unique key keeps it
                made.update(self._find(kind, [code], period))
                continue
            doc = DocumentState(next(self.t.ids), kind, code, period, state, 1)
            self.t.documents[doc.id] = doc
            self.uow.locked.add(doc.id)  # an inserted row is the inserting transaction's
            made[code] = doc
        return made

    def move_many(self, docs: list[DocumentState], states: list[str], *, transition: str, actor_code: str,
                  note: str = "") -> list[DocumentState]:
        """As the SQL store without personal logins: the states set, and a decision row and an audit row each."""
        moved = []
        for doc, state in zip(docs, states):
            if doc.id not in self.uow.locked:
                raise AssertionError(f"document {doc.id} ({doc.kind}/{doc.owner_code}) changed without its row "
                                     "locked: a use case that changes a document reads it with lock / lock_many")
            stored = self.t.documents[doc.id]
            moved.append(replace(stored, state=state, version=stored.version + 1))
            self.t.documents[doc.id] = moved[-1]
            self.uow.decisions.record_many([Decision(doc.id, transition, actor_code, doc.state, state, moved[-1].version,
                                                     note)])
            self.uow.audit.record(actor=actor_code, action=transition, entity=doc.kind, key=f"{doc.owner_code}/{doc.period}",
                                  field="state", old=doc.state, new=state, note=note)
        return moved

    def touch(self, doc: DocumentState) -> DocumentState:
        if doc.id not in self.uow.locked:
            raise AssertionError(f"document {doc.id} changed without its row locked")
        stored = self.t.documents[doc.id]
        self.t.documents[doc.id] = replace(stored, version=stored.version + 1)
        return self.t.documents[doc.id]


class FakeDecisions(_Part):
    def record_many(self, decisions: list[Decision]) -> None:
        self.t.decisions.extend(replace(d, at=d.at or datetime(2026, 11, 1, 9)) for d in decisions)

    def latest(self, document_ids: list[int], transitions) -> dict[int, Decision]:
        wanted = set(transitions)
        return {d.document_id: d for d in self.t.decisions if d.document_id in document_ids and d.transition in wanted}

    def history(self, document_id: int) -> list[Decision]:
        return [replace(d, snapshot=self.t.snapshots.get((d.document_id, d.version))) for d in self.t.decisions
                if d.document_id == document_id]


class FakeSnapshots(_Part):
    def record_many(self, snapshots: list[tuple[int, int, dict[tuple[str, int], str]]]) -> None:
        for document_id, version, values in snapshots:
            if (document_id, version) in self.t.snapshots:
                raise AssertionError(f"document {document_id} version {version} kept twice")
            self.t.snapshots[(document_id, version)] = dict(values)


class FakeAudit(_Part):
    def record(self, **entry) -> None:
        self.record_many([entry])

    def record_many(self, entries: list[dict]) -> None:
        self.t.audit.extend(dict(e) for e in entries)

    def _records(self, keep) -> list[AuditRecord]:
        return [AuditRecord(datetime(2026, 11, 1, 9), e["actor"], e["action"], e["entity"], str(e["key"]),
                            e.get("field"), e.get("old"), e.get("new"), e.get("submission_id"), e.get("note"))
                for e in self.t.audit if keep(e)]

    def of_document(self, entity: str, key: str) -> list[AuditRecord]:
        return self._records(lambda e: e["entity"] == entity and (e["key"] == key or str(e["key"]).startswith(key + "/")))

    def of_store(self, code: str) -> list[AuditRecord]:
        return self._records(lambda e: (e["entity"], e["key"]) == ("store", code)
                             or e["entity"] == "bigtable" and str(e["key"]).endswith("/" + code))


class FakeExports(_Part):
    def add(self, *, module: str, owner_code: str, actor_code: str, template_version: int, snapshot: dict) -> int:
        export_id = next(self.t.ids)
        self.t.exports[export_id] = ExportRecord(export_id, module, owner_code, actor_code, template_version,
                                                 datetime(2026, 11, 1, 9), copy.deepcopy(snapshot))
        return export_id

    def get(self, export_id: int) -> ExportRecord | None:
        return self.t.exports.get(export_id)

    def update_snapshot(self, export_id: int, snapshot: dict) -> None:
        self.t.exports[export_id] = replace(self.t.exports[export_id], snapshot=copy.deepcopy(snapshot))


class FakeValues(_Part):
    def of_many(self, document_ids: list[int]) -> dict[int, dict[tuple[str, int], str]]:
        return {d: dict(self.t.values.get(d, {})) for d in document_ids}

    def put_many(self, document_id: int, values: list[tuple[str, int, str]], *, version: int) -> None:
        for key, line, text in values:
            self.t.values.setdefault(document_id, {})[(key, line)] = text
            self.t.changed_in.setdefault(document_id, {})[(key, line)] = version

    def changed_since(self, since: dict[int, int], fields: list[str] | None = None) -> dict[int, int]:
        return {doc: sum(v > version for (key, _), v in self.t.changed_in.get(doc, {}).items()
                         if fields is None or key in fields) for doc, version in since.items()}


class FakeSubmissions(_Part):
    def archive(self, *, actor_code: str, filename: str, content: bytes, sha256: str) -> int:
        submission_id = next(self.t.ids)
        self.t.submissions[submission_id] = {"actor": actor_code, "filename": filename, "size": len(content),
                                             "outcome": "received", "lines": [], "module": ""}
        return submission_id

    def conclude(self, submission_id: int, outcome: str, lines: list[str], module: str = "") -> None:
        self.t.submissions[submission_id].update(outcome=outcome, lines=list(lines), module=module)


class FakeStores(_Part):
    def by_codes(self, codes) -> dict[str, Store]:
        return {c: self.t.stores[c] for c in codes if c in self.t.stores}

    def of_cm(self, cm_code: str, where: StoreFilter) -> list[Store]:
        return sorted((s for s in self.t.stores.values() if s.cm_code == cm_code and s.status.value in where.statuses),
                      key=lambda s: s.code)

    def lock(self, codes) -> dict[str, Store]:
        found = self.by_codes(codes)
        self.uow.locked_stores.update(found)
        return found

    def update(self, code: str, changes: dict[str, object]) -> Store:
        if code not in self.uow.locked_stores:
            raise AssertionError(f"store {code} changed without its row locked: a use case reads it with stores.lock")
        store = self.t.stores[code]
        self.t.stores[code] = replace(store, **changes, version=store.version + 1)  # type: ignore[arg-type]
        return self.t.stores[code]


class FakeAnalyses(_Part):
    def scope(self, cm_codes: list[str]) -> list[ScopeStore]:
        return [ScopeStore(n, s.code, s.name, s.cm_code, s.tier, s.category.code, s.status.value)
                for n, s in enumerate(sorted(self.t.stores.values(), key=lambda s: s.code), start=1)
                if s.cm_code in cm_codes and s.status.value in ("active", "suspended")]

    def totals(self, cm_codes: list[str], month: str):
        """No orders: a frame of engine.effect.TOTAL_COLUMNS with no rows."""
        from engine.effect import TOTAL_COLUMNS

        return pd.DataFrame(columns=list(TOTAL_COLUMNS), dtype=float)

    def volumes(self, cm_codes: list[str], month: str):
        return pd.Series(dtype=float)

    def ordering_stores(self, month: str) -> int:
        return self.t.ordering.get(month, 0)

    def get(self, document_id: int) -> Analysis | None:
        analysis = self.t.analyses.get(document_id)
        # the document as stored now (the analysis row keeps only its id)
        return None if analysis is None else replace(analysis, document=self.t.documents[document_id])

    def of_documents(self, document_ids: list[int]) -> dict[int, Analysis]:
        return {d: a for d in document_ids if (a := self.get(d)) is not None}

    def capability(self, analysis_id: int):
        return pd.DataFrame(self.t.capability.get(analysis_id, []), columns=["store_id", "indicator", "item", "score"])

    def remove(self, analysis_id: int) -> int:
        [doc_id] = [d for d, a in self.t.analyses.items() if a.id == analysis_id]
        del self.t.analyses[doc_id]
        return 0

    def remove_strategies(self, analysis_id: int) -> int:
        return self.t.strategies.pop(analysis_id, 0)

    def indicators_to_improve(self, analysis_ids: list[int]) -> dict[int, list[str]]:
        return {}


class FakeRubrics(_Part):
    def get(self, kind: str, version: int | None = None) -> dict | None:
        versions = self.t.rubrics.get(kind, [])
        if not versions:
            return None
        return copy.deepcopy(versions[-1] if version is None else versions[version - 1])

    def add(self, kind: str, body: dict, actor: str) -> int:
        versions = self.t.rubrics.setdefault(kind, [])
        versions.append({**copy.deepcopy(body), "version": len(versions) + 1})
        return len(versions)


class FakeBigTables(_Part):
    def cells(self, document_id: int) -> dict[tuple[str, str], PlanCell]:
        return dict(self.t.cells.get(document_id, {}))

    def cells_of_many(self, document_ids: list[int]) -> dict[int, dict[tuple[str, str], PlanCell]]:
        return {d: self.cells(d) for d in document_ids}

    def add_many(self, cells: list[tuple[int, int, str, str, bool, str, int]]) -> None:
        codes = {s.id: s.code for s in self.uow.analyses.scope(sorted({s.cm_code for s in self.t.stores.values()}))}
        for document_id, store_id, action, mark, carried, reason, _ in cells:
            self.t.cells.setdefault(document_id, {})[(codes[store_id], action)] = PlanCell(codes[store_id], action, mark,
                                                                                          carried, reason)


class FakeProducts(_Part):
    def brands(self) -> dict[str, tuple[bool, bool]]:
        return dict(self.t.brands)


class FakeVisits(_Part):
    def due(self, cm_code: str, start, end) -> list:
        return []


class FakeSettings(_Part):
    def database_identity(self) -> tuple[str, str]:
        identity = self.t.settings.setdefault("database_id", "0" * 32)
        return identity, self.t.units.get(COMPANY, "")


class FakeUnitOfWork:
    """engine.ports.UnitOfWork in memory (see the module's docstring). commits counts the commits made."""

    def __init__(self, tables: Tables | None = None):
        self.tables = tables or Tables()
        self.commits = 0
        self.locked: set[int] = set()
        self.locked_stores: set[str] = set()
        self._open = False
        self._before: Tables | None = None
        self.stores = FakeStores(self)
        self.users = FakeUsers(self)
        self.audit = FakeAudit(self)
        self.exports = FakeExports(self)
        self.documents = FakeDocuments(self)
        self.decisions = FakeDecisions(self)
        self.snapshots = FakeSnapshots(self)
        self.values = FakeValues(self)
        self.products = FakeProducts(self)
        self.submissions = FakeSubmissions(self)
        self.analyses = FakeAnalyses(self)
        self.rubrics = FakeRubrics(self)
        self.big_tables = FakeBigTables(self)
        self.visits = FakeVisits(self)
        self.settings = FakeSettings(self)

    def __enter__(self) -> "FakeUnitOfWork":
        if self._open:
            raise NestedUnitOfWork("unit of work entered while open: a use case enters it once; a helper takes the open one")
        self._open = True
        self._before = copy.deepcopy(self.tables)
        self.locked = set()
        self.locked_stores = set()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._before is not None:  # not committed: everything as it was
            self.tables.__dict__.update(self._before.__dict__)
        self._before = None
        self.locked = set()
        self.locked_stores = set()
        self._open = False

    def commit(self) -> None:
        if not self._open:
            raise AssertionError("commit outside the unit of work")
        self.commits += 1
        self._before = copy.deepcopy(self.tables)  # what a later failure in the same unit of work goes back to


#: The fake company: department D01 (market manager mm01, CMs cm001 and cm002), department D02 (cm003), an admin.
D01, D02 = (COMPANY, "Z01", "D01"), (COMPANY, "Z01", "D02")
PEOPLE = (Actor("cm001", "姚杰家", Role.CM, (*D01, "P01")), Actor("cm002", "姜娜", Role.CM, (*D01, "P02")),
          Actor("cm003", "李林", Role.CM, (*D02, "P03")), Actor("mm01", "胡新", Role.MM, D01),
          Actor("mm02", "王强", Role.MM, D02), Actor("admin", "杨琴振", Role.ADMIN, (COMPANY,)))


def company(stores_per_cm: int = 2) -> FakeUnitOfWork:
    """A fake unit of work over the fake company, each CM with stores_per_cm active stores (S<cm><n>)."""
    from engine.stores import Category, StoreStatus

    tables = Tables(users={a.code: a for a in PEOPLE})
    for actor in PEOPLE:
        if actor.role is Role.CM:
            for n in range(1, stores_per_cm + 1):
                code = f"S{actor.code[-3:]}{n:02d}"
                tables.stores[code] = Store(code, f"{actor.name}的客户{n}", f"L{code}", "店主", "联系人", "13800000000",
                                            "地址", actor.code, StoreStatus.ACTIVE, False, Category("C", "Z", "1"), 1,
                                            1, 1, 1, "")
    tables.brands = {"黄鹤楼": (True, False), "红金龙": (False, True)}
    return FakeUnitOfWork(tables)


def person(code: str) -> Actor:
    """One of PEOPLE by code."""
    return next(a for a in PEOPLE if a.code == code)


def refused(uow: FakeUnitOfWork, call) -> Refused:
    """The refusal call() raised, having checked that it left every table as it was and committed nothing."""
    import pytest

    before = repr(uow.tables.__dict__)
    with pytest.raises(Refused) as caught:
        call()
    assert repr(uow.tables.__dict__) == before, "a refusal changed what is stored"
    assert uow.commits == 0, "a refusal committed"
    return caught.value
