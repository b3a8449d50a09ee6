"""database identity

Each database gets an identity of its own, made once here (at its first `cmw db upgrade` that reaches this
version): a random id kept in cmw_settings under "database_id". Every workbook carries it in _meta, and a file of
any other database is refused: two companies' databases (or two demo databases made with the same seed) can share
export ids and snapshots.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""
import uuid

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

KEY = "database_id"


def upgrade() -> None:
    settings = sa.table("cmw_settings", sa.column("key", sa.String), sa.column("value", sa.String))
    bind = op.get_bind()
    if bind.execute(sa.select(settings.c.value).where(settings.c.key == KEY)).first() is None:
        bind.execute(settings.insert().values(key=KEY, value=uuid.uuid4().hex))


def downgrade() -> None:
    settings = sa.table("cmw_settings", sa.column("key", sa.String))
    op.get_bind().execute(settings.delete().where(settings.c.key == KEY))
