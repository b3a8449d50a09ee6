"""Fixtures shared by the command-line tests (the database ones are in tests/conftest.py)."""
from __future__ import annotations

import pytest

from addin.cli import main
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
