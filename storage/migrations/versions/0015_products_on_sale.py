"""A product is on sale or no longer (停产): §14 refuses a campaign SKU that is not on sale

products.on_sale, true for every product kept so far (the catalogue had no status); the products import keeps it from
the file's 状态 column (在销 / 停产) when the file has one.

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('products') as batch_op:
        batch_op.add_column(sa.Column('on_sale', sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table('products') as batch_op:
        batch_op.drop_column('on_sale')
