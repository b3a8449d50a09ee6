"""§14 campaigns and photos; a document's period may name a campaign

The brand manager keeps promotion campaigns (campaigns, campaign_skus); a CM's photos of the campaign's stores are
kept once by content hash (photo_blobs) and linked to a store and campaign (photos). A §14 execution sheet is kept
per CM, month and campaign: documents.period widens to hold YYYY-MM/CAMPAIGN.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

_BLOB = sa.LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")
_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _period(length_from: int, length_to: int) -> None:
    """documents.period's length; SQLite keeps any length in a VARCHAR (and re-creating the table that every document
    row hangs on would trip its foreign keys), so only the servers change it."""
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column('documents', 'period', existing_type=sa.String(length=length_from),
                        type_=sa.String(length=length_to), existing_nullable=False)


def upgrade() -> None:
    _period(10, 24)
    op.create_table('campaigns',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('first_month', sa.String(length=7), nullable=False),
    sa.Column('last_month', sa.String(length=7), nullable=False),
    sa.Column('covers', sa.String(length=2000), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('campaign_skus',
    sa.Column('campaign', sa.String(length=12), nullable=False),
    sa.Column('sku', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('checks', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['campaign'], ['campaigns.code']),
    sa.PrimaryKeyConstraint('campaign', 'sku')
    )
    op.create_table('photo_blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=16), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', _BLOB, nullable=False),
    sa.Column('thumbnail', _BLOB, nullable=False),
    sa.PrimaryKeyConstraint('sha256')
    )
    op.create_table('photos',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('campaign', sa.String(length=12), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=20), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('actor_code', sa.String(length=32), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['campaign'], ['campaigns.code']),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id']),
    sa.ForeignKeyConstraint(['sha256'], ['photo_blobs.sha256']),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('campaign', 'store_id', 'sha256', name='uq_photos_campaign_store_sha')
    )
    op.create_index('ix_photos_store', 'photos', ['store_id'])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":  # a secured database's photo_blobs policy reads photos
        for policy in ("cmw_scope", "cmw_write", "cmw_change"):
            op.execute(f"DROP POLICY IF EXISTS {policy} ON photo_blobs")
    op.drop_table('photos')  # with its index (MariaDB keeps the index for the foreign key until the table goes)
    op.drop_table('photo_blobs')
    op.drop_table('campaign_skus')
    op.drop_table('campaigns')
    _period(24, 10)
