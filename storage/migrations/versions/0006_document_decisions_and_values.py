"""document decisions and values

Decisions are data: every move of a document's state (who, which action, when, the version it made, the
reason) gets a row of its own, written with the move. The rejection banner and "changes since the last
decision" read it instead of searching the audit log by action name. The moves already in the audit log
(field "state") are copied in, so a table rejected before this version still shows its reason.

Values are the fields of the documents declared as document types (§11 monthly work plan, §16 monthly
summary and the kinds that follow): one row per field, or per field and line of a table.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table('document_decisions',
    sa.Column('id', _BigId, nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('actor_code', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('source', sa.String(length=24), nullable=False),
    sa.Column('target', sa.String(length=24), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('document_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_document_decisions_document', ['document_id', 'id'], unique=False)
    op.create_table('document_values',
    sa.Column('id', _BigId, nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=48), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('changed_in', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'field', 'line', name='uq_document_values_doc_field_line')
    )
    _copy_moves_from_the_audit_log()


def _copy_moves_from_the_audit_log() -> None:
    """Every state move the audit log holds becomes a decision row (so a reason given before this version still shows)."""
    bind = op.get_bind()
    meta = sa.MetaData()
    audit = sa.Table("audit_log", meta, autoload_with=bind)
    documents = sa.Table("documents", meta, autoload_with=bind)
    users = sa.Table("users", meta, autoload_with=bind)
    decisions = sa.Table("document_decisions", meta, autoload_with=bind)
    ids = {(kind, code, period): (doc_id, version) for doc_id, kind, code, period, version in bind.execute(
        sa.select(documents.c.id, documents.c.kind, users.c.code, documents.c.period, documents.c.version)
        .join(users, users.c.id == documents.c.owner_id))}
    rows = []
    for at, actor, action, entity, key, old, new, note in bind.execute(
            sa.select(audit.c.at, audit.c.actor_code, audit.c.action, audit.c.entity, audit.c.entity_key,
                      audit.c.old_value, audit.c.new_value, audit.c.note)
            .where(audit.c.field == "state").order_by(audit.c.id)):
        owner, _, period = key.partition("/")
        found = ids.get((entity, owner, period))
        if found is not None:  # the version each move made is not in the log: the document's current one stands in
            rows.append({"document_id": found[0], "action": action, "actor_code": actor, "at": at,
                         "source": old or "", "target": new or "", "version": found[1], "reason": note or ""})
    if rows:
        bind.execute(decisions.insert(), rows)


def downgrade() -> None:
    op.drop_table('document_values')
    with op.batch_alter_table('document_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_document_decisions_document')
    op.drop_table('document_decisions')
