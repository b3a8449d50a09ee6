"""document snapshots

Every move of a declared document's state keeps the whole document as it stood after the move, beside the move:
document_decisions gets a column snapshot (JSON of every kept value, field#line → text), written once with the
decision row and never changed (the repository has no update). `cmw contract history` and the print compare the
version the market manager agreed to with the evaluated one from these. Moves made before this version have none.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('document_decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('document_decisions', schema=None) as batch_op:
        batch_op.drop_column('snapshot')
