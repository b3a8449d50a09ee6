"""document snapshots

Every move of a declared document's state keeps the whole document as it stood after the move: one row per
document and version (the decision row of the move has the same), its body every kept value as JSON (field#line →
text). Written once, never changed: the repository only inserts, and once personal logins exist a login may only
read and insert (storage/security.py). `cmw contract history` and the contract's print compare the version the
market manager confirmed with the evaluated one from these. Moves made before this version have none.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

_BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table('document_snapshots',
    sa.Column('id', _BigId, nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'version', name='uq_document_snapshots_doc_version')
    )


def downgrade() -> None:
    op.drop_table('document_snapshots')
