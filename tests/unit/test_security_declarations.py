"""The database's half of the policy is declared for every table (storage/security.py): a new table without an entry
would be out of every person's reach, or — worse — readable by every CM, once logins are granted."""
from __future__ import annotations

from storage.schema import Base
from storage.security import GRANTS, GROUPS, REFERENCE, SCOPES, WRITE_CHECKS

#: Columns that tie a row to a person, a store or a document: such a table needs a row-level scope.
_PERSONAL = {"cm_id", "owner_id", "store_id", "document_id", "analysis_id", "actor_code", "owner_code"}


def test_every_table_is_granted_to_the_groups():
    tables = set(Base.metadata.tables)
    for group in GROUPS.values():
        missing = tables - set(GRANTS[group])
        # order lines are the administrator's alone (the importer writes them; analyses read monthly totals)
        assert missing <= ({"order_lines"} if group != "cmw_admin" else set()), (
            f"{group} has no entry in storage/security.py GRANTS for {sorted(missing)}")
    assert set(GRANTS["cmw_admin"]) - {"alembic_version"} <= tables, "GRANTS names a table that does not exist"


def test_every_table_of_a_person_store_or_document_has_a_row_scope():
    for name, table in Base.metadata.tables.items():
        if name == "order_lines" or name in REFERENCE:  # no person's login reads it (see above); shared by all
            continue
        if _PERSONAL & set(table.columns.keys()):
            assert name in SCOPES, f"{name} holds per-person rows but has no row-level scope in storage/security.py"
    assert set(WRITE_CHECKS) <= set(SCOPES)


def test_no_group_may_change_a_state_a_decision_or_the_audit_log():
    for group, tables in GRANTS.items():
        assert tables["documents"] == "SELECT, INSERT, UPDATE (version, updated_at)", group
        assert tables["document_decisions"] == "SELECT", group
        assert tables["document_snapshots"] == "SELECT, INSERT", group  # kept once, never changed
        assert tables["audit_log"] == "SELECT, INSERT", group


def test_sqlite_has_no_logins_to_grant(sqlite_db, tmp_path, monkeypatch, capsys):
    from addin import cli
    from tests.factories import make_company

    make_company(sqlite_db.sessions)
    monkeypatch.setenv("CMW_DATABASE_URL", sqlite_db.url)
    assert cli.main(["users", "grant", "cm001", "--passwords", str(tmp_path / "p.csv")]) == 2
    assert "SQLite 是单人使用的本地数据库" in capsys.readouterr().err
