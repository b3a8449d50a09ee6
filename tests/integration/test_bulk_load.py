"""bulk.load writes every kind of value the importers hand it exactly, on each database — on PostgreSQL both in
binary COPY (storage/importers/copy_binary.py) and, for a table with a column binary does not render, as CSV."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pytest
from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, Integer, MetaData, Numeric, SmallInteger, String, \
    Table, select

from storage.importers import bulk, copy_binary
from storage.importers.validation import objects

TEXTS = ["中文客户", "", "a,b", 'say "hi"', "line\nbreak", "Ｆｕｌｌ", "x" * 32]
DAYS = [date(2026, 10, 31), date(1999, 12, 31), date(2000, 1, 1), date(2026, 2, 28), date(1970, 1, 1),
        date(2030, 6, 15), date(2026, 10, 1)]


def _table(with_timestamp: bool) -> Table:
    columns = [Column("id", Integer, primary_key=True, autoincrement=False), Column("big", BigInteger),
               Column("small", SmallInteger), Column("money", Numeric(14, 2)), Column("score", Numeric(12, 4)),
               Column("name", String(32)), Column("day", Date), Column("flag", Boolean), Column("whole", Numeric(10, 2))]
    if with_timestamp:
        columns.append(Column("at", DateTime))
    return Table("cmw_test_bulk", MetaData(), *columns)


@pytest.mark.parametrize("with_timestamp", [False, True], ids=["binary", "csv"])
def test_every_kind_of_value_comes_back_as_written(db, with_timestamp):
    table = _table(with_timestamp)
    table.create(db.engine)
    try:
        rows = len(TEXTS)
        columns = {
            "id": np.arange(1, rows + 1), "big": np.array([2**40, 0, -5, 2**62, 1, -(2**40), 7]),
            "small": np.array([1, -2, 32767, 0, 5, 6, 7]),
            "money": bulk.Fixed(np.array([5, -5, 99_999_999_999_999, 0, 100, 12345, -100_000])),
            "score": bulk.Fixed(np.array([123456, -1, 0, 99_999_999, 5000, 10_000, -123_456_789]), 4),
            "name": objects(TEXTS), "day": objects(DAYS), "flag": np.array([True, False, True, True, False, False, True]),
            "whole": np.array([7, 0, 12, 99_999_999, 1, 2, 3])}
        if with_timestamp:
            columns["at"] = objects(["2026-12-02 10:00:00"] * rows)
        with db.sessions.begin() as session:
            if db.name == "postgresql":
                types = copy_binary.column_types(session, table.name)
                assert (copy_binary.encoder(types, columns) is None) == with_timestamp
            bulk.load(session, table, columns)
        with db.sessions() as session:
            found = session.execute(select(table).order_by(table.c.id)).all()
        assert [r.big for r in found] == columns["big"].tolist()
        assert [r.small for r in found] == columns["small"].tolist()
        assert [Decimal(r.money).quantize(Decimal("0.01")) for r in found] == [
            Decimal(u) / 100 for u in columns["money"].units.tolist()]
        assert [round(Decimal(r.score), 4) for r in found] == [Decimal(u) / 10_000 for u in columns["score"].units.tolist()]
        assert [r.name for r in found] == TEXTS
        assert [r.day for r in found] == DAYS
        assert [bool(r.flag) for r in found] == columns["flag"].tolist()
        assert [Decimal(r.whole) for r in found] == [Decimal(v) for v in columns["whole"].tolist()]
        if with_timestamp:
            assert {r.at for r in found} == {datetime(2026, 12, 2, 10)}
    finally:
        table.drop(db.engine)


def test_blank_texts_and_dates_are_sent_as_null_in_binary():
    """None among texts or dates is NULL (length -1), not an empty text; a blank text is a text of length 0."""
    render = copy_binary.encoder({"name": "varchar", "day": "date"},
                                 {"name": objects(["a", None, ""]), "day": objects([None, date(2000, 1, 2), None])})
    assert render is not None
    data = render(slice(0, 3))
    field_count = b"\x00\x02"
    assert data == (field_count + b"\x00\x00\x00\x01a" + b"\xff\xff\xff\xff"
                    + field_count + b"\xff\xff\xff\xff" + b"\x00\x00\x00\x04" + (1).to_bytes(4, "big")
                    + field_count + b"\x00\x00\x00\x00" + b"\xff\xff\xff\xff")


def test_values_binary_cannot_render_send_the_table_as_csv():
    assert copy_binary.encoder({"n": "int4"}, {"n": objects(["1"])}) is None  # text for a number
    assert copy_binary.encoder({"n": "jsonb"}, {"n": objects(["{}"])}) is None
    assert copy_binary.encoder({"n": "numeric"}, {"n": bulk.Fixed(np.array([10**20]))}) is None
