"""Each database has an identity of its own, carried in every workbook; a file of another database is refused,
naming both (issue 11, item 6)."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from addin.app import App
from addin.handlers import export_stores, submit_workbook
from engine.errors import Refused
from engine.ports import StoreFilter
from storage.database import make_engine, session_factory, upgrade
from storage.schema import Setting, StoreRow, Submission, Unit
from tests.factories import make_company, store_code
from workbooks.meta import META_SHEET
from workbooks.stores import LAYOUT, SHEET

SHEET_LAYOUT = LAYOUT.sheet(SHEET)
PHONE = SHEET_LAYOUT.cell("phone", SHEET_LAYOUT.first_data_row)


@pytest.fixture
def other(tmp_path) -> App:
    """A second company database made with the same seed (the same ids, the same snapshots), renamed."""
    engine = make_engine(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    upgrade(engine)
    app = App(engine, session_factory(engine))
    make_company(app.sessions)
    with app.sessions.begin() as session:
        session.scalars(select(Unit).where(Unit.kind == "company")).one().name = "另一市烟草公司"
    yield app
    engine.dispose()


def edited(path, meta: dict | None = None) -> bytes:
    """The exported file with a phone changed, and _meta keys replaced (None: removed)."""
    book = load_workbook(path)
    book[SHEET][PHONE] = "020-88886666"
    for row in book[META_SHEET].iter_rows(max_col=2):
        if row[0].value in (meta or {}):
            row[1].value = meta[row[0].value]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_upgrade_makes_the_identity_once(db):
    with db.sessions() as session:  # the fixture's tables are emptied, so the identity is made again on first use
        assert session.get(Setting, "database_id") is None
    identity, company = App(db.engine, db.sessions).database_identity()
    assert len(identity) == 32 and company == ""
    upgrade(db.engine)
    with db.sessions() as session:
        assert session.get(Setting, "database_id").value == identity


def test_a_fresh_database_gets_its_identity_at_upgrade(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    try:
        upgrade(engine)
        with engine.connect() as connection:
            first = connection.scalar(select(Setting.value).where(Setting.key == "database_id"))
        upgrade(engine)
        with engine.connect() as connection:
            assert connection.scalar(select(Setting.value).where(Setting.key == "database_id")) == first
        assert first and len(first) == 32
    finally:
        engine.dispose()


def test_a_file_of_another_database_is_refused_naming_both(db, other, tmp_path):
    make_company(db.sessions)
    app = App(db.engine, db.sessions)
    path = tmp_path / "stores.xlsx"
    export_stores(other, other.actor("cm001"), StoreFilter(), path)
    content = edited(path)
    with pytest.raises(Refused) as refused:
        submit_workbook(app, app.actor("cm001"), path.name, content)
    message = refused.value.message
    theirs, ours = other.database_id, app.database_id
    assert theirs != ours
    assert "另一市烟草公司" in message and theirs in message and "示例市烟草公司" in message and ours in message
    with db.sessions() as session:
        assert session.scalar(select(StoreRow.phone).where(StoreRow.code == store_code(1, 1))) != "020-88886666"
        assert session.scalars(select(Submission.outcome)).one() == "refused"
    assert submit_workbook(other, other.actor("cm001"), path.name, content).changed == 1  # its own database takes it


def test_a_file_without_an_identity_is_refused_asking_to_export_again(db, tmp_path):
    make_company(db.sessions)
    app = App(db.engine, db.sessions)
    path = tmp_path / "stores.xlsx"
    export_stores(app, app.actor("cm001"), StoreFilter(), path)
    with pytest.raises(Refused, match="旧版本导出.*重新导出"):
        submit_workbook(app, app.actor("cm001"), path.name, edited(path, {"database": None}))
