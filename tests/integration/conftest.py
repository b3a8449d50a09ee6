"""Fixtures shared by the integration tests (the database ones are in tests/conftest.py)."""
from __future__ import annotations

import pytest

from addin.app import App
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
