"""declared workflows in the database

The database learns the declared workflows (engine/kinds): the state each kind starts in and every allowed move
(kind, action, source state, role, relation → target state). `cmw db upgrade` copies them in after the
migrations, every time, so they follow the program. On PostgreSQL and MariaDB with personal logins (`cmw users
grant`), the one database function that moves a document's state and the policy on new documents read them:
the database applies the same workflow as the program.

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
    op.create_table('workflows',
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('initial', sa.String(length=24), nullable=False),
    sa.PrimaryKeyConstraint('kind')
    )
    op.create_table('workflow_moves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('source', sa.String(length=24), nullable=False),
    sa.Column('target', sa.String(length=24), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('relation', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'action', 'source', 'role', 'relation', name='uq_workflow_moves')
    )


def downgrade() -> None:
    op.drop_table('workflow_moves')
    op.drop_table('workflows')
