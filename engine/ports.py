"""What the use cases need from the outside world (implemented in storage/)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable, Protocol

from engine.actors import Actor
from engine.surveys import Answer
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
    def lock(self, codes: Iterable[str]) -> dict[str, Store]:
        """Stores by code as last committed, their rows (only theirs) locked until the transaction ends: what a use
        case reads of the stores it is about to change (missing codes absent)."""
    def update(self, code: str, changes: dict[str, object]) -> Store:
        """Apply field changes to a store locked by lock, bump the version."""


class Users(Protocol):
    def actor(self, code: str) -> Actor | None: """The user as an actor, or None."""
    def owner(self, code: str) -> Owner | None: """The user as a document owner, or None."""
    def cms_in(self, unit_path: tuple[str, ...]) -> list[str]: """CM codes within a unit, in code order."""
    def unit_path_of(self, code: str) -> tuple[str, ...] | None: """The path (company first) of a unit, or None."""
    def unit_name(self, code: str) -> str: """A unit's name."""
    def names(self, codes: list[str]) -> dict[str, str]: """The names of these users, by code, in one read."""
    def paths(self, codes: list[str]) -> dict[str, tuple[str, ...]]:
        """The unit paths (company first) of these users, by code, in one read."""
    def unit_names(self, codes: list[str]) -> dict[str, str]: """The names of these units, by code, in one read."""
    def company_of(self, actor: Actor) -> str: """The name of the actor's company, for headings."""


@dataclass(frozen=True)
class AuditRecord:
    """One audit row as read back: when, who, which action on what, the field's old and new value, from which
    submitted file, and any note."""

    at: datetime
    actor_code: str
    action: str
    entity: str
    key: str
    field: str | None
    old: str | None
    new: str | None
    submission_id: int | None
    note: str | None


class AuditLog(Protocol):
    def record(self, *, actor: str, action: str, entity: str, key: str, field: str | None = None,
               old: object = None, new: object = None, submission_id: int | None = None, note: str | None = None) -> None:
        """Append one audit row in the current transaction."""
    def record_many(self, entries: list[dict]) -> None:
        """Append many audit rows (each a dict of record()'s arguments) in one statement, in the current transaction."""
    def of_document(self, entity: str, key: str) -> list[AuditRecord]:
        """The rows of a document (its key, and the keys under it: key/…), oldest first."""
    def marks_done(self, cm_codes: list[str], start: datetime, end: datetime) -> dict[str, tuple[int, int, int]]:
        """Per CM (by code): the stores given a ★ or ▲ in their big tables from start to before end, and how many ★
        and ▲ were marked then, from the marks' audit rows (CMs with none absent)."""
    def of_store(self, code: str) -> list[AuditRecord]:
        """The rows of a store: its own edits and its cells in any big table, oldest first."""


class Exports(Protocol):
    def add(self, *, module: str, owner_code: str, actor_code: str, template_version: int, snapshot: dict) -> int:
        """Remember a workbook handed out; return its document id."""
    def get(self, export_id: int) -> ExportRecord | None: """A workbook handed out, by id."""
    def update_snapshot(self, export_id: int, snapshot: dict) -> None:
        """What the workbook now stands for, after its owner's save from it was accepted (so it is not stale)."""


class Documents(Protocol):
    def get(self, kind: str, owner_code: str, period: str) -> DocumentState | None:
        """A document, if it exists, as last committed; no lock (to look at it)."""
    def get_many(self, kind: str, owner_codes: list[str], period: str) -> dict[str, DocumentState]:
        """The documents of these owners that exist, by owner code; no lock (to look at them)."""
    def lock(self, kind: str, owner_code: str, period: str) -> DocumentState | None:
        """A document, if it exists, its row locked until the transaction ends (to change it)."""
    def lock_many(self, kind: str, owner_codes: list[str], period: str) -> dict[str, DocumentState]:
        """The documents of these owners that exist, by owner code, their rows (only theirs: not their owners')
        locked until the transaction ends: what a use case that changes them reads first."""
    def create_many(self, kind: str, owner_codes: list[str], period: str, state: str) -> dict[str, DocumentState]:
        """New documents, one per owner, in one statement; a document another user's transaction made meanwhile (two
        people's first use of it at once) is kept as that one committed it, without an error. The documents of these
        owners as they now stand, by owner code, not locked (those made here are this transaction's)."""
    def move_many(self, docs: list[DocumentState], states: list[str], *, transition: str, actor_code: str,
                  note: str = "") -> list[DocumentState]:
        """The one way a document's state changes: set each document's state by the transition, bump its version, and
        write its decision row and audit row (on a database with personal logins, its own function does all of
        it, applying its copy of the declared workflow: a move it refuses raises)."""
    def touch(self, doc: DocumentState) -> DocumentState: """Bump the version (its content changed, its state did not)."""
    def in_month(self, kind: str, owner_codes: list[str], month: str) -> list[DocumentState]:
        """The documents of a kind kept by week whose week starts in the YYYY-MM month, by owner then period; read
        only (not locked)."""
    def of_owners(self, owner_codes: list[str], periods: list[str]) -> list[DocumentState]:
        """Every document of any kind of these owners in these periods, in one read that locks nothing (§1)."""


@dataclass(frozen=True)
class Decision:
    """A move of a document's state as recorded: the transition fired, by whom, when, from and to which state, the
    version it made, the reason given (a 驳回's, or empty), and — for a declared document with fields — the whole
    document as it stood after the move (its kept values by (field, line)), kept immutable with the move."""

    document_id: int
    transition: str
    actor_code: str
    source: str
    target: str
    version: int
    reason: str = ""
    at: datetime | None = None  # set by the database's clock when recorded
    snapshot: dict[tuple[str, int], str] | None = None  # read by history() only


class Decisions(Protocol):
    def latest(self, document_ids: list[int], transitions: Iterable[str]) -> dict[int, Decision]:
        """The newest decision among these transitions of each document that has one, by document id, in one read."""
    def history(self, document_id: int) -> list[Decision]:
        """Every move of the document, oldest first, with its snapshot."""


class Snapshots(Protocol):
    def record_many(self, snapshots: list[tuple[int, int, dict[tuple[str, int], str]]]) -> None:
        """Keep each (document id, version, its kept values by (field, line)) as it stands after a move: written
        once beside the move's decision, never changed."""


class Products(Protocol):
    def brands(self) -> dict[str, tuple[bool, bool]]:
        """Every brand of the products, with whether any of its SKUs is a key brand and a backbone brand."""
    def catalogue(self) -> dict:
        """Every brand of the products, by name: engine.brands.BrandInfo (its SKU count and price classes)."""
    def names(self, skus: list[str]) -> dict[str, str]:
        """The names of these SKUs (卷烟编码) found in the catalogue, by SKU, in one read."""
    def stopped(self, skus: list[str]) -> set[str]:
        """Those of these SKUs the catalogue says are no longer on sale (停产), in one read."""


class Campaigns(Protocol):
    """§14 the promotion campaigns the brand manager keeps (engine.campaigns.Campaign)."""

    def all(self) -> list: """Every campaign, by code."""
    def get(self, code: str): """The campaign called code, or None."""
    def save(self, campaign, actor_code: str) -> None: """Add or replace the campaign and its SKUs."""


class Photos(Protocol):
    """§14 photos of a campaign's stores, their bytes kept once by SHA-256."""

    def known(self, hashes: list[str]) -> set[str]: """Which of these hashes already have their bytes kept."""
    def add_blob(self, photo) -> None: """Keep a photo's bytes (engine.photos.Photo), new hashes only."""
    def linked(self, campaign: str, store_ids: list[int]) -> set[tuple[int, str]]:
        """(store id, hash) of the photos already kept for these stores in the campaign."""
    def link(self, rows: list[dict]) -> None: """Add photo rows (campaign, store_id, sku, sha256, filename, actor_code, submission_id)."""
    def listing(self, campaign: str | None, store_ids: list[int]) -> list[dict]:
        """The photos of these stores (of one campaign or all), newest last, without their bytes."""
    def thumbnails(self, hashes: list[str]) -> dict[str, bytes]: """Thumbnails (JPEG) by hash, in one read."""


class KeyBrands(Protocol):
    """The key and backbone brands the brand manager keeps per month."""

    def of_month(self, month: str) -> dict[str, tuple[bool, bool]]:
        """The month's list: brand → (key, backbone); empty when none is kept."""
    def latest_before(self, month: str) -> tuple[str, dict[str, tuple[bool, bool]]] | None:
        """The newest month before this one that has a list, and its list; None when there is none."""
    def replace(self, month: str, flags: dict[str, tuple[bool, bool]], actor_code: str) -> None:
        """Make the month's list exactly these brands (each flagged key, backbone or both)."""


class BrandMonths(Protocol):
    """Per-store, per-brand monthly order totals (kept by the orders importer)."""

    def totals(self, cm_codes: list[str], months: list[str], brands: list[str] | None = None):
        """The totals of these CMs' stores in these months (all brands when None): a DataFrame with columns month,
        store (id), brand, price_class (0: none), volume (条), amount (元)."""
    def stocking(self, cm_codes: list[str], months: list[str], brands: list[str], minimum: int,
                 by: tuple[str, ...] = (), stores: list[int] | None = None):
        """The shelf rule's count, by the database (engine.brands.shelf_rates divides it): per month, CM, group and
        brand, how many of the CMs' active stores ordered at least minimum 条 of the brand in the month, all price
        classes together (shelved), and 条 all their stores ordered (volume). A DataFrame with columns month, cm, the
        group's columns (by: of tier, format and store — the store's id), brand, shelved, volume; only
        the stores named (ids) when stores is given; a group whose stores ordered none of the brands has no row."""
    def sums(self, cm_codes: list[str], month: str) -> dict[tuple[str, int], int]:
        """条 the CMs' stores ordered in the month, added up per (brand, price class), in the database."""
    def months_with_orders(self, months: list[str]) -> set[str]:
        """Which of these months have any orders imported (of any store)."""


class DocumentValues(Protocol):
    """The values of declared documents' fields, kept as text (engine.fields says how each reads)."""

    def of_many(self, document_ids: list[int]) -> dict[int, dict[tuple[str, int], str]]:
        """Every kept value of these documents, by document id, then (field — table.field for a line —, line)."""
    def put_many(self, document_id: int, values: list[tuple[str, int, str]], *, version: int) -> None:
        """Set these (field, line, text) values of a document, made in its version."""
    def changed_since(self, since: dict[int, int], fields: list[str] | None = None) -> dict[int, int]:
        """How many of each document's values (of these fields only, when given) changed after its version (since:
        document id → version), in one read for all."""


class Submissions(Protocol):
    def archive(self, *, actor_code: str, filename: str, content: bytes, sha256: str) -> int:
        """Keep a submitted file whole, before anything is done with it; its submission number."""
    def conclude(self, submission_id: int, outcome: str, lines: list[str], module: str = "") -> None:
        """Record what became of a submitted file (accepted / refused / failed) and the messages shown."""


class Report(Protocol):
    """What a bulk action did, as its user reads it."""

    def lines(self) -> list[str]: """The summary in Chinese, line by line."""


class Imports(Protocol):
    def load(self, kind: str, path: Path, actor: Actor) -> Report:
        """Check a file of reference data or orders whole and write it with its audit row in the current transaction;
        Refused, listing every bad row, writes nothing."""

    def archive(self, month: str, folder: Path, actor: Actor) -> Report:
        """Write a month's orders to an archive file in folder (the orders import's format) and take them out of the
        database with an audit row, in the current transaction; the monthly totals stay. Refused (a month of the
        kept window, a month without orders, a file already there) changes nothing."""


class Settings(Protocol):
    def database_identity(self) -> tuple[str, str]:
        """This database's identity (made again when missing) and its company's name, for a workbook's _meta."""


class NestedUnitOfWork(RuntimeError):
    """A unit of work entered while it is already open: a programming error, never a user's (a helper that needs
    the action's transaction takes the open unit of work; it does not enter it again)."""


class UnitOfWork(Protocol):
    """One user action: everything inside commits together or not at all. Only an engine use case enters it
    (`with uow: … uow.commit()`), once: entering it while it is open raises NestedUnitOfWork. Its repositories are
    there while it is open (read-only members: an implementation may hold any subtype of each port)."""

    @property
    def stores(self) -> Stores: ...
    @property
    def users(self) -> Users: ...
    @property
    def audit(self) -> AuditLog: ...
    @property
    def exports(self) -> Exports: ...
    @property
    def documents(self) -> Documents: ...
    @property
    def decisions(self) -> Decisions: ...
    @property
    def snapshots(self) -> Snapshots: ...
    @property
    def values(self) -> DocumentValues: ...
    @property
    def products(self) -> Products: ...
    @property
    def key_brands(self) -> KeyBrands: ...
    @property
    def campaigns(self) -> Campaigns: ...
    @property
    def photos(self) -> Photos: ...
    @property
    def brand_months(self) -> BrandMonths: ...
    @property
    def submissions(self) -> Submissions: ...
    @property
    def analyses(self) -> Analyses: ...
    @property
    def rubrics(self) -> Rubrics: ...
    @property
    def big_tables(self) -> BigTables: ...
    @property
    def visits(self) -> Visits: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def imports(self) -> Imports: ...
    @property
    def surveys(self) -> Surveys: ...

    def __enter__(self) -> "UnitOfWork": ...
    def __exit__(self, *exc) -> None: ...
    def commit(self) -> None: """Make the action's changes permanent."""


@dataclass(frozen=True)
class ScopeStore:
    """A store in a §10 analysis: active or suspended, with what the district statistics group by."""

    id: int
    code: str
    name: str
    cm_code: str
    tier: int | None
    category: str
    status: str


@dataclass(frozen=True)
class Analysis:
    """§10 one CM's month as stored: its document, rubric versions, and the effect averages."""

    id: int
    document: DocumentState
    effect_rubric_version: int
    capability_rubric_version: int
    effect_averages: dict


class Analyses(Protocol):
    """§10 data: scope, monthly order totals, scores and strategies."""

    def scope(self, cm_codes: list[str]) -> list[ScopeStore]: """Active and suspended stores of these CMs."""
    def totals(self, cm_codes: list[str], month: str): """Per-store totals (engine.effect.TOTAL_COLUMNS) of a YYYY-MM month, indexed by store id."""
    def volumes(self, cm_codes: list[str], month: str): """条 ordered per store id in a YYYY-MM month (a Series)."""
    def ordering_stores(self, month: str) -> int: """How many stores of the company ordered in a YYYY-MM month."""
    def cm_totals(self, cm_codes: list[str], month: str) -> dict[str, tuple[int, float]]:
        """条 and 元 ordered by each CM's stores in a YYYY-MM month, by CM code, in one aggregate read (CMs without
        orders absent)."""
    def get(self, document_id: int) -> Analysis | None: """The analysis of a document."""
    def of_documents(self, document_ids: list[int]) -> dict[int, Analysis]: """The analyses of documents, by document id."""
    def create_many(self, document_ids: list[int], effect_version: int, capability_version: int,
                    averages: list[dict], actor: str) -> list[int]:
        """Record computed analyses (one per document, with its district averages); return their ids in order."""
    def save_effect(self, analysis_ids: list[int], store_ids: list[int], totals: list[float], details: list[dict]) -> None:
        """Store every store's effect score (each row with its analysis) in one bulk write."""
    def effect(self, analysis_id: int): """Effect values per store id (DataFrame: indicator codes + total)."""
    def effect_of(self, analysis_ids: list[int]): """Effect values of many analyses, with an analysis_id column."""
    def effect_points(self, analysis_id: int): """Effect points per indicator per store id (DataFrame)."""
    def effect_total(self, analysis_id: int, store_code: str) -> float | None:
        """One store's effect total (a worksheet function's cell: one row read, not the district's)."""
    def capability(self, analysis_id: int): """Capability scores, long (store_id, indicator, item, score)."""
    def capability_of(self, analysis_ids: list[int]): """Capability scores of many analyses, with an analysis_id column."""
    def save_capability(self, analysis_id: int, scores: list[tuple[int, str, str, object]], submission_id: int) -> int:
        """Insert or change capability scores (store_id, indicator, item, score); return how many differed."""
    def save_strategies(self, rows) -> None:
        """Replace the strategies of the analyses in rows (analysis_id, store, kind, indicator, value, average)."""
    def strategies(self, analysis_id: int): """Strategies (store_id, kind, indicator, value, average)."""
    def remove(self, analysis_id: int) -> int: """Delete a computed analysis and its effect scores; how many scores."""
    def remove_strategies(self, analysis_id: int) -> int: """Delete an analysis' strategies; return how many."""
    def indicators_to_improve(self, analysis_ids: list[int]) -> dict[int, list[str]]:
        """Per store id, the indicators the analyses' strategies name (what the big table's ☆ come from)."""
    def store_indicators(self, analysis_id: int, store_code: str) -> list[str]:
        """The indicators one store's strategies name (a worksheet function's cell)."""
    def listing(self, cm_codes: list[str], *, month: str | None, state: str | None) -> list[dict]:
        """One row per analysis of these CMs: code, name, period, state, stores, scored, strategies."""


class Rubrics(Protocol):
    """Versioned rubrics, kept forever."""

    def get(self, kind: str, version: int | None = None) -> dict | None: """A version (latest when None) as plain data."""
    def add(self, kind: str, body: dict, actor: str) -> int: """Store a new version; return its number."""


@dataclass(frozen=True)
class PlanCell:
    """§3 a stored cell of a big table."""

    store_code: str
    action: str
    mark: str
    carried: bool
    reason: str


class BigTables(Protocol):
    """§3 the cells of big tables."""

    def cells(self, document_id: int) -> dict[tuple[str, str], PlanCell]: """Every non-blank cell by (store code, action)."""
    def cells_of_many(self, document_ids: list[int]) -> dict[int, dict[tuple[str, str], PlanCell]]:
        """Every non-blank cell of many tables in one read, by document id, then (store code, action)."""
    def counts_of_many(self, document_ids: list[int]) -> dict[int, dict[str, int]]:
        """How many cells of each table hold each mark, by document id then mark, in one read."""
    def store_visits(self, cm_codes: list[str]) -> dict[str, tuple[int, int]]:
        """The visit cycle and weekday of these CMs' stores, by store code."""
    def owner_names(self, cm_codes: list[str]) -> dict[str, str]: """The names of these big tables' owners, by code."""
    def put_many(self, document_id: int, cells: list[tuple[int, str, str]], *, version: int, carried: bool = False,
                 reason: str = "") -> None:
        """Set the marks of a table's cells (store id, action, mark) in a few statements, however many cells."""
    def add_many(self, cells: list[tuple[int, int, str, str, bool, str, int]]) -> None:
        """Insert generated tables' cells (document id, store id, action, mark, carried, reason, version) in bulk."""
    def changed_since(self, since: dict[int, int]) -> dict[int, int]:
        """How many of each table's cells changed after the document's version (since: document id → version; 1:
        since it was generated), in one read for all."""
    def listing(self, cm_codes: list[str], *, month: str | None, state: str | None) -> list[dict]:
        """One row per big table of these CMs: code, name, period, state, version, stores, counts (mark → n)."""


class Visits(Protocol):
    """§12/§13 the visit plan as the lists read it."""

    def due(self, cm_code: str, start, end) -> list: """engine.visit_lists.DueVisit rows of the CM's active stores in the period."""
    def counts(self, cm_codes: list[str], start, end) -> dict[str, tuple[int, int]]:
        """Per CM (by code): the planned visits to their active stores from start to end (inclusive) and the stores
        they go to, in one aggregate read (CMs with none absent)."""
    def plan(self, month: str, actor: Actor) -> Report:
        """Replace the month's visit plan of every active store with its audit row, in the current transaction."""


@dataclass(frozen=True)
class SurveyStore:
    """A store a §8 survey may cover: an active store of a CM, and whether it orders online."""

    id: int
    code: str
    name: str
    cm_code: str
    online: bool


@dataclass(frozen=True)
class AnswerRow:
    """An answer to write: the store, its CM's user id, channel, date, ticked and urgent item codes, suggestion."""

    store_id: int
    cm_id: int
    channel: str
    answered_on: object
    items: tuple[str, ...]
    urgent: tuple[str, ...]
    suggestion: str


class Surveys(Protocol):
    """§8/§9: the month's questionnaire version, the answers, their lists and statistics."""

    def pinned(self, month: str) -> int | None: """The questionnaire version pinned to a YYYY-MM month, if any."""
    def pin(self, month: str, version: int, actor: str) -> None: """Pin a version to a month."""
    def stores(self, cm_codes: list[str]) -> list[SurveyStore]: """The active stores of these CMs, by CM then code."""
    def store_counts(self, cm_codes: list[str]) -> dict[str, int]: """How many active stores each CM has, by code."""
    def answered_counts(self, month: str, cm_codes: list[str], state: str) -> dict[str, int]:
        """How many of the month's answers in a state each CM has (whose they were when answered), by code."""
    def cm_id(self, cm_code: str) -> int | None: """The user id of a CM (whose answers are kept by it)."""
    def stores_by_code(self, codes: list[str]) -> dict[str, tuple[int, str, str, int | None, str]]:
        """(id, name, status, CM's user id, CM code) of the stores of these codes, by code (missing codes absent)."""
    def answers(self, month: str, cm_codes: list[str] | None) -> dict[str, Answer]:
        """The month's answers of these CMs (whose they were when answered; None: every CM), by store code."""
    def put_many(self, month: str, rows: list[AnswerRow], *, actor: str, submission_id: int | None,
                 existing: set[int] | None = None) -> None:
        """Insert or replace these stores' answers of the month as 待确认 (existing: the stores that have one, when
        the caller knows)."""
    def remove_many(self, month: str, store_ids: list[int]) -> None: """Delete these stores' answers of the month."""
    def confirm_many(self, month: str, store_ids: list[int]) -> None: """Mark these stores' answers 已确认."""
