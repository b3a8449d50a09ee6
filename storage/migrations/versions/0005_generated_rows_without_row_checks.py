"""generated rows without per-row foreign-key checks

The strategies (§10, ~240,000 rows for a city's month) and the plan cells (§3, ~150,000) are written in one
bulk load by the use case that read the stores (and analyses) they refer to in the same transaction, and
stores and analyses are never deleted. PostgreSQL checks each foreign key with a trigger per row: measured on
the city, inserting the month's strategies took 2.36 s with the checks and 0.70 s without. So strategies keep
no foreign keys, and plan cells keep only the one to their big table (documents), which guards users' marks.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

#: Names for SQLite's unnamed constraints, so that batch mode can find them (Alembic's documented way).
_NAMES = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
_DROPPED = (("strategies", "analysis_id", "analyses"), ("strategies", "store_id", "stores"),
            ("plan_cells", "store_id", "stores"))


def _foreign_key(table: str, column: str) -> str | None:
    for fk in sa.inspect(op.get_bind()).get_foreign_keys(table):
        if fk["constrained_columns"] == [column]:
            return fk["name"]
    return None


def upgrade() -> None:
    for table in dict.fromkeys(t for t, _, _ in _DROPPED):
        dropped = [(column, referred) for t, column, referred in _DROPPED if t == table]
        if op.get_bind().dialect.name == "sqlite":
            with op.batch_alter_table(table, naming_convention=_NAMES, recreate="always") as batch_op:
                for column, referred in dropped:
                    batch_op.drop_constraint(f"fk_{table}_{column}_{referred}", type_="foreignkey")
        else:
            for column, _ in dropped:
                op.drop_constraint(_foreign_key(table, column), table, type_="foreignkey")


def downgrade() -> None:
    for table, column, referred in _DROPPED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_foreign_key(f"fk_{table}_{column}_{referred}", referred, [column], ["id"])
