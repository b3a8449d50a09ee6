"""The Alembic migrations build, on each database, the schema storage/schema.py declares."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storage.schema import Base


def _significant(diff) -> bool:
    """Tables, columns, indexes and constraints that differ; a type the database spells its own way is not."""
    kind = diff[0][0] if isinstance(diff, list) else diff[0]
    return kind not in ("modify_type", "modify_nullable", "modify_default", "modify_comment")


def test_the_migrated_schema_is_the_declared_one(db):
    with db.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diffs if _significant(d)] == []
