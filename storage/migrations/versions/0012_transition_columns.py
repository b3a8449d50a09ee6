"""one noun for a workflow's transition: document_decisions.transition and workflow_moves.transition

Issue 10: "action" meant four things. A workflow's named move from state to state is a transition everywhere
(engine/workflow.py `Transition.name`); its two columns follow: document_decisions.action → transition,
workflow_moves.action → transition. The audit log's `action` column stays (what an audit row records: an edit, an
import, a transition's name, …).

On a database with personal logins the database's own state function names the column (PostgreSQL's cmw_fire
function, MariaDB's cmw_fire procedure) and its parameter p_action becomes p_transition, which CREATE OR REPLACE
cannot rename: the function is dropped here, and `cmw db upgrade` makes it again right after the migrations (it
re-secures a secured database: storage/database.py upgrade()). No row-level security policy names either column
(storage/security.py SCOPES), so the policies stay.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

_TABLES = ('document_decisions', 'workflow_moves')


def _drop_state_function() -> None:
    """The state function of a secured database names the old column; `cmw db upgrade` makes the new one."""
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS cmw_fire(bigint[], text, text, text)')
    elif dialect in ('mysql', 'mariadb'):
        op.execute('DROP PROCEDURE IF EXISTS cmw_fire')


def _rename(old: str, new: str) -> None:
    _drop_state_function()
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:  # SQLite: the table is copied; MariaDB needs the type
            batch.alter_column(old, new_column_name=new, existing_type=sa.String(length=32), existing_nullable=False)


def upgrade() -> None:
    _rename('action', 'transition')


def downgrade() -> None:
    _rename('transition', 'action')
