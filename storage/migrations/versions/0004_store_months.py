"""store months

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('store_months',
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('volume', sa.BigInteger(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('class12', sa.BigInteger(), nullable=False),
    sa.Column('key', sa.BigInteger(), nullable=False),
    sa.Column('order_count', sa.Integer(), nullable=False),
    sa.Column('sku_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('store_id', 'month')
    )
    with op.batch_alter_table('store_months', schema=None) as batch_op:
        batch_op.create_index('ix_store_months_month', ['month'], unique=False)

    # Orders imported before this version get their monthly totals now (later imports keep them).
    from storage.store_months import refresh_all
    refresh_all(op.get_bind(), dated_lines=False)  # lines carry their date from 0016 on



def downgrade() -> None:
    with op.batch_alter_table('store_months', schema=None) as batch_op:
        batch_op.drop_index('ix_store_months_month')

    op.drop_table('store_months')
