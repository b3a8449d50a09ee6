"""Fixtures shared by the integration tests (the database ones are in tests/conftest.py)."""
from __future__ import annotations

from typing import Callable

import pytest

from addin.app import App
from addin.cli import main
from tests.factories import make_company, make_orders


@pytest.fixture
def app(db) -> App:
    """The test company with October's orders, as the add-in's handlers see it.

    Modules whose App needs another set-up (one SQLite database for the module, more months, computed effects)
    define their own `app`, which takes precedence over this one.
    """
    make_company(db.sessions)
    make_orders(db.sessions, "2026-10")
    return App(db.engine, db.sessions)


@pytest.fixture
def cmw(app, monkeypatch, tmp_path, capsys) -> Callable[..., tuple[int, str, str]]:
    """Run cmw in-process against the module's App (its own `app`, where it defines one); returns (exit code, stdout,
    stderr)."""
    monkeypatch.setenv("CMW_DATABASE_URL", app.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    def run(*argv) -> tuple[int, str, str]:
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exit_:
            code = exit_.code
        out, err = capsys.readouterr()
        return code, out, err
    return run
