"""key brands per month and per-store per-brand monthly totals

The brand manager keeps the month's key and backbone brands (key_brands); the orders importer keeps each store's
orders per brand and price class per month (store_brand_months), as it keeps store_months. Orders imported before
this version get their brand totals now.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('key_brands',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('brand', sa.String(length=32), nullable=False),
    sa.Column('is_key', sa.Boolean(), nullable=False),
    sa.Column('is_backbone', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('actor_code', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('month', 'brand')
    )
    op.create_table('store_brand_months',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('brand', sa.String(length=32), nullable=False),
    sa.Column('price_class', sa.SmallInteger(), nullable=False),
    sa.Column('volume', sa.BigInteger(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.PrimaryKeyConstraint('month', 'store_id', 'brand', 'price_class')
    )

    from storage.store_months import refresh_all_brand_months
    refresh_all_brand_months(op.get_bind(), dated_lines=False)  # lines carry their date from 0016 on


def downgrade() -> None:
    op.drop_table('store_brand_months')
    op.drop_table('key_brands')
