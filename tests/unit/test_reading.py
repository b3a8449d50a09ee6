"""A large file read by Arrow's CSV reader (an orders month, compact) gives what pandas' reader gives: the same
headers, texts and Excel row numbers; where it could not, pandas reads the file (and words what is wrong)."""
from __future__ import annotations

import sys

import pytest

from engine.errors import Refused
from storage.importers import reading

HEADER = "订单号,客户编码,订货日期,卷烟编码,订购量,单价\n"
PLAIN = HEADER + "CO1,420101100001,20261005,6901000000000,3,71.43\nCO1,420101100001,20261005,6901000000001,2,5\n"
FILES = {
    "plain": PLAIN,
    "byte order mark": "\ufeff" + PLAIN,
    "crlf": PLAIN.replace("\n", "\r\n"),
    "quoted cells": HEADER + '"CO,1",420101100001,"2026-10-05",6901000000000,"1,200","71.43"\n',
    "blank cells": HEADER + "CO1,,20261005,,,\n",
    "a blank line keeps the row numbers": HEADER + "CO1,420101100001,20261005,6901000000000,3,71.43\n\nCO2,4,5,6,7,8\n",
    "spaces before cells": HEADER + "CO1, 420101100001,  20261005,6901000000000,3,71.43\n",
    "a line break inside a cell": HEADER + 'CO1,"4201\n01",20261005,6901000000000,3,71.43\n',
    "fewer cells than the header": HEADER + "CO1,420101100001\n",
    "repeated and blank headers": "订单号,订单号,,卷烟编码\nA,B,C,D\n",
    "full-width and Chinese texts": HEADER + "ＣＯ１,４２０１,2026年10月5日,6901000000000,３,７１．４３\n",
    "tab separated": PLAIN.replace(",", "\t"),
    "no data rows": HEADER,
}


def _as_read(path, compact: bool):
    try:
        table = reading.read_table(path, compact=compact)
    except Refused as refusal:
        return "refused", refusal.message
    frame = table.frame
    return table.headers, frame.index.tolist(), [[str(v) for v in row] for row in frame.astype(object).to_numpy().tolist()]


@pytest.mark.parametrize("name", FILES)
def test_the_arrow_reading_of_a_file_is_the_pandas_reading(tmp_path, name):
    path = tmp_path / "orders.csv"
    path.write_bytes(FILES[name].encode("utf-8"))
    assert _as_read(path, compact=True) == _as_read(path, compact=False)


def test_a_row_with_more_cells_than_the_header_is_refused_in_the_same_words(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "CO1,420101100001,20261005,6901000000000,3,71.43,多余\n", encoding="utf-8")
    with pytest.raises(Refused) as refusal:
        reading.read_table(path, compact=True)
    assert "第 2 行有 7 个值，比列名（6 列）多" in refusal.value.message


def test_plain_files_are_read_by_arrow_and_others_by_pandas(tmp_path):
    head = PLAIN.encode("utf-8")
    path = tmp_path / "plain.csv"
    path.write_bytes(head)
    assert reading._read_csv_arrow(path, head) is not None
    for name in ("spaces before cells", "fewer cells than the header"):
        path.write_bytes(FILES[name].encode("utf-8"))
        assert reading._read_csv_arrow(path, FILES[name].encode("utf-8")) is None, name


def test_without_arrow_the_file_is_read_by_pandas(tmp_path, monkeypatch):
    """A 32-bit Windows Python installs without pyarrow (pyproject.toml): the orders file is read all the same."""
    path = tmp_path / "orders.csv"
    path.write_bytes(PLAIN.encode("utf-8"))
    with_arrow = _as_read(path, compact=True)
    for name in ("pyarrow", "pyarrow.compute", "pyarrow.csv"):
        monkeypatch.setitem(sys.modules, name, None)  # import raises ImportError
    assert reading._read_csv_arrow(path, PLAIN.encode("utf-8")) is None
    assert _as_read(path, compact=True) == with_arrow
