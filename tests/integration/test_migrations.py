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
    from storage.order_lines import compared

    with db.engine.connect() as connection:  # the months' tables of order lines are the program's, not declared
        diffs = compare_metadata(MigrationContext.configure(connection, opts={"include_name": compared}),
                                 Base.metadata)
    assert [d for d in diffs if _significant(d)] == []


def test_upgrade_from_0011_names_the_transition_columns_and_keeps_their_rows(db):
    """0012 renames document_decisions.action and workflow_moves.action to transition (issue 10's one noun): the
    decisions made before it keep their transition, the declared moves are copied in again, and the next move
    writes the new column."""
    from alembic import command
    from sqlalchemy import inspect, text

    from engine.documents import open_document, transition_document
    from storage.database import _alembic_config, current_revision, head_revision, upgrade
    from tests.analysis_helpers import actor
    from tests.factories import make_company

    make_company(db.sessions)
    cm = actor(db, "cm001")
    with db.uow() as uow:
        open_document(uow, "summary", "cm001", "2026-11")
        uow.commit()
    transition_document(db.uow(), actor=cm, kind="summary", owner_code="cm001", period="2026-11",
                        transition="submit")
    command.downgrade(_alembic_config(db.engine), "0011")
    try:
        with db.engine.begin() as connection:
            assert "action" in {c["name"] for c in inspect(connection).get_columns("document_decisions")}
            assert "action" in {c["name"] for c in inspect(connection).get_columns("workflow_moves")}
            connection.execute(text(  # a decision written by the program of 0011
                "INSERT INTO document_decisions (document_id, action, actor_code, at, source, target, version, reason)"
                " SELECT document_id, 'reject', 'mm01', at, 'submitted', 'rejected', version + 1, '再写具体些'"
                " FROM document_decisions"))
            connection.execute(text("UPDATE documents SET state = 'rejected', version = version + 1"))
    finally:
        assert upgrade(db.engine) == ("0011", head_revision())  # 0012, and what came after it (0013: §14)
    assert current_revision(db.engine) == head_revision()
    with db.engine.connect() as connection:
        for table in ("document_decisions", "workflow_moves"):
            columns = {c["name"] for c in inspect(connection).get_columns(table)}
            assert "transition" in columns and "action" not in columns, table
        assert connection.execute(text("SELECT transition, reason FROM document_decisions ORDER BY id")).all() == [
            ("submit", ""), ("reject", "再写具体些")]
        assert connection.scalar(text("SELECT count(*) FROM workflow_moves WHERE transition = 'review'")) > 0
    transition_document(db.uow(), actor=cm, kind="summary", owner_code="cm001", period="2026-11",
                        transition="submit")
    with db.uow() as uow:
        doc = uow.documents.get("summary", "cm001", "2026-11")
        assert [d.transition for d in uow.decisions.history(doc.id)] == ["submit", "reject", "submit"]
