"""The tables of the shared database (SQLAlchemy 2.x declarative rows).

No `from __future__ import annotations` here: SQLAlchemy would evaluate each column's annotation from its text (400
eval calls, ~15% of this module's import, paid by every ribbon click); Python evaluates them once, cheaper."""

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: MySQL/MariaDB TEXT and BLOB stop at 64 KiB; snapshots, messages and workbooks need more.
LongText = Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")
LongBlob = LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")
#: SQLite only auto-numbers a column declared INTEGER.
BigId = BigInteger().with_variant(Integer(), "sqlite")
Money = Numeric(12, 2)


class Base(DeclarativeBase):
    """Base of every row class."""

    # every row class here maps one Table (SQLAlchemy types it as any FromClause): so insert(), update() and the bulk
    # loader may take Row.__table__ as the Table it is
    __table__: ClassVar[Table]


class Unit(Base):
    """A unit of the organisation: company, marketing centre, department, CM district."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))


class User(Base):
    """A person who uses the workbench, with a role and the unit that is their scope."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(8))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))


class StoreRow(Base):
    """A licensed retail store (零售户)."""

    __tablename__ = "stores"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    licence: Mapped[str] = mapped_column(String(32), default="")
    owner: Mapped[str] = mapped_column(String(32), default="")
    contact: Mapped[str] = mapped_column(String(32), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    cm_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    online_ordering: Mapped[bool] = mapped_column(Boolean, default=False)
    market: Mapped[str] = mapped_column(String(1))
    format: Mapped[str] = mapped_column(String(1))
    scale: Mapped[str] = mapped_column(String(1))
    tier: Mapped[int | None] = mapped_column(SmallInteger)
    order_weekday: Mapped[int | None] = mapped_column(SmallInteger)
    visit_cycle: Mapped[int] = mapped_column(SmallInteger)
    visit_weekday: Mapped[int] = mapped_column(SmallInteger)
    notes: Mapped[str] = mapped_column(String(400), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)


class ProductRow(Base):
    """A cigarette SKU (卷烟规格)."""

    __tablename__ = "products"
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    brand: Mapped[str] = mapped_column(String(32), default="")
    transfer_price: Mapped[Decimal | None] = mapped_column(Money)
    price_class: Mapped[int | None] = mapped_column(SmallInteger)
    wholesale_price: Mapped[Decimal | None] = mapped_column(Money)
    retail_price: Mapped[Decimal | None] = mapped_column(Money)
    is_key: Mapped[bool] = mapped_column(Boolean, default=False)
    is_backbone: Mapped[bool] = mapped_column(Boolean, default=False)
    origin: Mapped[int | None] = mapped_column(SmallInteger)
    #: 在销 (on sale) or 停产 (no longer made or sold): a campaign takes only SKUs on sale (§14)
    on_sale: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class OrderRow(Base):
    """An order header (订单): one store, one order date."""

    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_no: Mapped[str] = mapped_column(String(32), unique=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    order_date: Mapped[date] = mapped_column(Date)
    __table_args__ = (Index("ix_orders_date_store", "order_date", "store_id"),)


class OrderLineRow(Base):
    """An order line: one SKU, quantities in 条, price per 条, amount in 元.

    No foreign keys, on purpose: only the orders importer writes this table (~4M rows a month), and it
    resolves every order and product before writing; PostgreSQL's per-row FK triggers cost 35 of the
    48 seconds a million lines took to load.

    Each line repeats its order's date (订货日期): on PostgreSQL the table is partitioned by month on it, a table per
    month (order_lines_YYYY_MM), and its primary key there is (id, order_date) — a partitioned table's keys must
    hold its partition key; ids stay unique, drawn from one sequence (migration 0016, storage/order_lines.py).
    """

    __tablename__ = "order_lines"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(BigId, index=True)
    order_date: Mapped[date] = mapped_column(Date)
    product_id: Mapped[int] = mapped_column(Integer)
    qty_demanded: Mapped[int] = mapped_column(Integer)
    qty_allowed: Mapped[int] = mapped_column(Integer)
    qty_ordered: Mapped[int] = mapped_column(Integer)
    price: Mapped[Decimal] = mapped_column(Money)
    amount: Mapped[Decimal] = mapped_column(Money)


class VisitPlanRow(Base):
    """A planned visit (客户拜访计划): a store on a day."""

    __tablename__ = "visit_plans"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    visit_date: Mapped[date] = mapped_column(Date, index=True)
    __table_args__ = (UniqueConstraint("store_id", "visit_date", name="uq_visit_plans_store_date"),)


class DocumentRow(Base):
    """A workflow document: one kind, one owner, one period, one state."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    period: Mapped[str] = mapped_column(String(24))  # YYYY-MM, a week's Monday, or YYYY-MM/CAMPAIGN (§14)
    state: Mapped[str] = mapped_column(String(24))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (UniqueConstraint("kind", "owner_id", "period", name="uq_documents_kind_owner_period"),)


class WorkbookExport(Base):
    """A workbook handed to a user: what it showed, so that a later submission can be compared."""

    __tablename__ = "workbook_exports"
    id: Mapped[int] = mapped_column(primary_key=True)
    module: Mapped[str] = mapped_column(String(32))
    owner_code: Mapped[str] = mapped_column(String(32))
    actor_code: Mapped[str] = mapped_column(String(32))
    template_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    snapshot: Mapped[str] = mapped_column(LongText)


class Submission(Base):
    """Every file a user submits, kept whole whatever became of it."""

    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    actor_code: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LongBlob)
    module: Mapped[str] = mapped_column(String(32), default="")
    outcome: Mapped[str] = mapped_column(String(16))
    messages: Mapped[str] = mapped_column(LongText, default="[]")


class AuditEntry(Base):
    """One change or transition, written in the same transaction as the change itself. Append-only."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor_code: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32))
    entity_key: Mapped[str] = mapped_column(String(64))
    field: Mapped[str | None] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    note: Mapped[str | None] = mapped_column(Text)  # e.g. the reason a market manager gave for 驳回
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_key"),)


class Setting(Base):
    """Facts about this database itself (e.g. that `cmw demo` made it)."""

    __tablename__ = "cmw_settings"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class RubricRow(Base):
    """A version of a rubric (effect, capability or action catalogue), kept forever: a month keeps its version."""

    __tablename__ = "rubrics"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(LongText)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    actor_code: Mapped[str] = mapped_column(String(32))
    __table_args__ = (UniqueConstraint("kind", "version", name="uq_rubrics_kind_version"),)


class AnalysisRow(Base):
    """§10 one CM's month: which rubric versions it was scored with and the district averages of its effect."""

    __tablename__ = "analyses"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    effect_rubric_version: Mapped[int] = mapped_column(Integer)
    capability_rubric_version: Mapped[int] = mapped_column(Integer)
    effect_averages: Mapped[str] = mapped_column(LongText)
    computed_at: Mapped[datetime] = mapped_column(DateTime)
    computed_by: Mapped[str] = mapped_column(String(32))


class EffectScoreRow(Base):
    """§10 a store's effect score: total and, per indicator, value and points (JSON)."""

    __tablename__ = "effect_scores"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analyses.id"))
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    total: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    details: Mapped[str] = mapped_column(LongText)
    __table_args__ = (UniqueConstraint("analysis_id", "store_id", name="uq_effect_scores_analysis_store"),)


class CapabilityScoreRow(Base):
    """§10 a CM's capability score of a store on one indicator (the detail item picked and the score)."""

    __tablename__ = "capability_scores"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analyses.id"))
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    indicator: Mapped[str] = mapped_column(String(24))
    item: Mapped[str] = mapped_column(String(32))
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    __table_args__ = (
        UniqueConstraint("analysis_id", "store_id", "indicator", name="uq_capability_scores_analysis_store_indicator"),
    )


class StrategyRow(Base):
    """§10 an indicator to improve: the store's value below the district average when strategies were generated."""

    __tablename__ = "strategies"
    # No foreign keys: generated in bulk from the analysis and stores read in the same transaction (migration 0005)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    analysis_id: Mapped[int] = mapped_column(Integer)
    store_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))
    indicator: Mapped[str] = mapped_column(String(24))
    value: Mapped[float] = mapped_column(Numeric(14, 4))
    average: Mapped[float] = mapped_column(Numeric(14, 4))
    __table_args__ = (Index("ix_strategies_analysis_store", "analysis_id", "store_id"),)


class PlanCellRow(Base):
    """§3 one cell of a CM's big table: a store × a marketing action, its mark, and why it was planned."""

    __tablename__ = "plan_cells"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    store_id: Mapped[int] = mapped_column(Integer)  # no foreign key: generated in bulk from the scope (migration 0005)
    action: Mapped[str] = mapped_column(String(24))
    mark: Mapped[str] = mapped_column(String(2))
    carried: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(String(64), default="")
    changed_in: Mapped[int] = mapped_column(Integer)  # the document version of the last change
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (UniqueConstraint("document_id", "store_id", "action", name="uq_plan_cells_doc_store_action"),)


class StoreMonthRow(Base):
    """A store's order totals for one month, kept by the orders importer: §10 reads 30,000 rows, not 4M lines."""

    __tablename__ = "store_months"
    store_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    volume: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    class12: Mapped[int] = mapped_column(BigInteger)
    key: Mapped[int] = mapped_column(BigInteger)
    order_count: Mapped[int] = mapped_column(Integer)
    sku_count: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_store_months_month", "month"),)


class DocumentDecisionRow(Base):
    """A move of a document's state (提交, 审核通过, 驳回, 确认, …): who fired which transition, when, the version it
    made, and the reason given. Written by the one function that moves states, in the same transaction; the
    rejection banner and "changes since the last decision" read it, never the audit log."""

    __tablename__ = "document_decisions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    transition: Mapped[str] = mapped_column(String(32))
    actor_code: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(24))
    target: Mapped[str] = mapped_column(String(24))
    version: Mapped[int] = mapped_column(Integer)  # the document's version after the move
    reason: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index("ix_document_decisions_document", "document_id", "id"),)


class DocumentSnapshotRow(Base):
    """A declared document as a whole (every kept value, JSON field#line → text) as it stood right after a move of
    its state, beside the decision of that move (same document, same version): written once, never changed — the
    repository only inserts, and a person's login may only insert and read it."""

    __tablename__ = "document_snapshots"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime)
    body: Mapped[str] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("document_id", "version", name="uq_document_snapshots_doc_version"),)


class DocumentValueRow(Base):
    """A value of a declared document's field: line 0 for a single field, 1, 2, … for the lines of a table."""

    __tablename__ = "document_values"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    field: Mapped[str] = mapped_column(String(48))
    line: Mapped[int] = mapped_column(Integer, default=0)
    value: Mapped[str] = mapped_column(Text, default="")
    changed_in: Mapped[int] = mapped_column(Integer)  # the document version of the last change
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (UniqueConstraint("document_id", "field", "line", name="uq_document_values_doc_field_line"),)


class KeyBrandRow(Base):
    """A brand the brand manager keeps as key (重点) or backbone (骨干) for one month: §4–§7 read the month's list."""

    __tablename__ = "key_brands"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    brand: Mapped[str] = mapped_column(String(32), primary_key=True)
    is_key: Mapped[bool] = mapped_column(Boolean, default=False)
    is_backbone: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    actor_code: Mapped[str] = mapped_column(String(32))


class StoreBrandMonthRow(Base):
    """A store's orders of one brand (per price class of its SKUs) in one month, kept by the orders importer beside
    store_months: shelf rates, brand volumes, price-class structure and the assisted filter read these, never the
    order lines. price_class 0: SKUs without a class."""

    __tablename__ = "store_brand_months"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    store_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand: Mapped[str] = mapped_column(String(32), primary_key=True)
    price_class: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    volume: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    # no other index: the primary key (month, store) serves every read, and a second index doubled the write of a
    # city month's ~1M rows (benchmarks/brands.py)


class WorkflowRow(Base):
    """A declared workflow as the database knows it (copied from engine/kinds by `cmw db upgrade`): the state a new
    document of the kind starts in. The database's own checks (the state-moving function, the insert policy of
    documents) read it, so that they apply the same declaration as the program."""

    __tablename__ = "workflows"
    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    initial: Mapped[str] = mapped_column(String(24))


class WorkflowMoveRow(Base):
    """One allowed move of a declared workflow, flattened: from this state, this transition, fired by this role in this
    relation to the document's owner, leads to that state."""

    __tablename__ = "workflow_moves"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    transition: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(24))
    target: Mapped[str] = mapped_column(String(24))
    role: Mapped[str] = mapped_column(String(8))
    relation: Mapped[str] = mapped_column(String(12))
    __table_args__ = (UniqueConstraint("kind", "transition", "source", "role", "relation", name="uq_workflow_moves"),)


class SurveyMonthRow(Base):
    """§8 the questionnaire version a month is surveyed with, pinned when the month is first used."""

    __tablename__ = "survey_months"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    pinned_at: Mapped[datetime] = mapped_column(DateTime)
    pinned_by: Mapped[str] = mapped_column(String(32))


class SurveyAnswerRow(Base):
    """§8 one store's demand questionnaire of a month: offline (entered by its CM) or online (imported from the
    ordering platform), the items ticked (codes, comma-separated, in the questionnaire's order), the three most
    urgent, the suggestion, and its state (待确认 draft / 已确认 confirmed)."""

    __tablename__ = "survey_answers"
    # No foreign keys: a city's month of platform answers (~20,000) is loaded in bulk from stores and users read in
    # the same transaction, as plan_cells and strategies are (migration 0005)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    store_id: Mapped[int] = mapped_column(Integer)
    cm_id: Mapped[int] = mapped_column(Integer)  # the store's CM when it was answered: whose answer it is
    channel: Mapped[str] = mapped_column(String(8))
    answered_on: Mapped[date | None] = mapped_column(Date)
    items: Mapped[str] = mapped_column(String(400), default="")
    urgent1: Mapped[str] = mapped_column(String(8), default="")
    urgent2: Mapped[str] = mapped_column(String(8), default="")
    urgent3: Mapped[str] = mapped_column(String(8), default="")
    suggestion: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(12))
    entered_at: Mapped[datetime] = mapped_column(DateTime)
    entered_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    submission_id: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (UniqueConstraint("month", "store_id", name="uq_survey_answers_month_store"),
                      Index("ix_survey_answers_cm_month", "cm_id", "month"))


class CampaignRow(Base):
    """§14 a promotion campaign (促销战役) the brand manager keeps: its months, and the units (营销部, 片区) or stores it
    covers (codes, comma-separated)."""

    __tablename__ = "campaigns"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    first_month: Mapped[str] = mapped_column(String(7))
    last_month: Mapped[str] = mapped_column(String(7))
    covers: Mapped[str] = mapped_column(String(2000), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(32))


class CampaignSkuRow(Base):
    """A SKU of a campaign, in the campaign's order, and the checks (engine.campaigns.CHECKS codes, comma-separated)
    the CM makes for it at each store."""

    __tablename__ = "campaign_skus"
    campaign: Mapped[str] = mapped_column(String(12), ForeignKey("campaigns.code"), primary_key=True)
    sku: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    checks: Mapped[str] = mapped_column(String(64))


class PhotoBlobRow(Base):
    """A photo's bytes, kept once by their SHA-256 (re-encoded without EXIF), with a small JPEG thumbnail."""

    __tablename__ = "photo_blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(16))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LongBlob)
    thumbnail: Mapped[bytes] = mapped_column(LongBlob)


class PhotoRow(Base):
    """§14 照片维护: a photo of a store in a campaign (and of one SKU, or of the store as a whole: sku empty), added by
    its CM; the same bytes once per store and campaign."""

    __tablename__ = "photos"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    campaign: Mapped[str] = mapped_column(String(12), ForeignKey("campaigns.code"))
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    sku: Mapped[str] = mapped_column(String(20), default="")
    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("photo_blobs.sha256"))
    filename: Mapped[str] = mapped_column(String(255))
    added_at: Mapped[datetime] = mapped_column(DateTime)
    actor_code: Mapped[str] = mapped_column(String(32))
    submission_id: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (UniqueConstraint("campaign", "store_id", "sha256", name="uq_photos_campaign_store_sha"),
                      Index("ix_photos_store", "store_id"))
