"""Fixtures shared by the command-line tests (the database ones are in tests/conftest.py)."""
from __future__ import annotations

import pytest

from addin.cli import main
from engine.document_types import document_types
from tests.factories import make_company, make_orders


@pytest.fixture
def cli(db, monkeypatch, tmp_path, capsys):
    """Run cmw against the test database (company with October's orders); returns (exit code, stdout, stderr)."""
    make_company(db.sessions)
    make_orders(db.sessions, "2026-10")
    monkeypatch.setenv("CMW_DATABASE_URL", db.url)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("CMW_USER", raising=False)

    def run(*argv):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exit_:  # argparse refuses bad arguments by exiting
            code = exit_.code
        out, err = capsys.readouterr()
        return code, out, err
    return run


RIBBON_MONTH = "2026-11"


@pytest.fixture
def ribbon_company(sqlite_db, monkeypatch, tmp_path):
    """The test company with October's orders, as a ribbon click's process sees it: the database from the
    environment, no CMW_USER (each click names its user), this month RIBBON_MONTH. On SQLite only: the dispatcher
    is the same on every database; its handlers are tested on each."""
    make_company(sqlite_db.sessions)
    make_orders(sqlite_db.sessions, "2026-10")
    monkeypatch.setenv("CMW_DATABASE_URL", sqlite_db.url)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CMW_USER", raising=False)
    monkeypatch.setattr("addin.dispatch.Click.month", lambda self: self.meta.period if self.meta and
                        self.module in ("capability", "district", "bigtable", *document_types()) else RIBBON_MONTH)
    return sqlite_db
