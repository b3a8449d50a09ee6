"""Any value in any cell of any workbook a user hands back: an answer, never an unexpected error (issue #11, item 7).

Hypothesis writes random values of every type a spreadsheet can hold — text (numbers as text such as NaN, sNaN,
1e999, full-width digits, marks and their look-alikes, error values, formulas), integers beyond the databases',
floats that are not finite, booleans, dates — into random cells of a real exported workbook of each kind that comes
back (submittable()), data rows and _meta alike, and submits it: the answer is an outcome, or a refusal in Chinese
whose every finding says where.
"""
from __future__ import annotations

import io
import re
from datetime import date, datetime
from typing import Iterator

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import load_workbook

from addin.app import App
from addin.handlers.submission import submit_workbook, submittable
from engine.errors import Refused
from engine.records import Outcome
from tests.e2e.user_steps import fill
from tests.integration.workbook_samples import PRODUCERS, Sample, sqlite_app
from workbooks.meta import META_SHEET, Meta

CHINESE = re.compile(r"[\u4e00-\u9fff]")
TRICKY = ["NaN", "sNaN", "-nan", "inf", "-Infinity", "1e999", "-1e999", "9" * 5000, "１e９９９", "８", "５.０", "0x10",
          "1_000", "*", "＊", "☆", "★", "△", "▲", "☆★", "√", "#N/A", "#VALUE!", "=1+1", "+1", "-1", "@A1", "是", "否",
          "保存", "提交", "审核通过", "驳回", "", " ", "周一", "ZZ", "CZ1", str(2**63), "-0", "1.5", "1e-999999999"]


def _text() -> st.SearchStrategy[str]:
    """Text an XML cell can hold (no control characters, no lone surrogates)."""
    return st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


#: What a number cell must never be taken for: given a third of the time.
NUMBERISH = ["NaN", "sNaN", "-nan", "inf", "1e999", "1e999999999", "9" * 5000, "８", float("nan"), float("inf"), 2**70]
VALUES = st.one_of(st.sampled_from(NUMBERISH), st.sampled_from(TRICKY), st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**80, max_value=2**80), st.floats(), _text(),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31))))
#: A cell of a declared sheet's data rows (a cell to fill in or any cell; sheet, row, column picks), or a _meta value
#: by key.
EDITS = st.one_of(st.tuples(st.booleans(), st.integers(0, 9), st.integers(0, 99), st.integers(0, 99), VALUES),
                  st.tuples(st.sampled_from(list(Meta.__dataclass_fields__)), VALUES))


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[App]:
    app = sqlite_app(tmp_path_factory.mktemp("hostile-db"))
    yield app
    app.engine.dispose()


@pytest.fixture(scope="module")
def samples(app, tmp_path_factory) -> dict[str, Sample]:
    """One exported workbook of each kind that comes back."""
    folder = tmp_path_factory.mktemp("hostile-files")
    made = {kind: PRODUCERS[kind](app, folder) for kind in submittable()}
    fill(made["capability"].path)  # every row scored, so that a hostile score is read as one
    return made


def _hostile(sample: Sample, edits: list[tuple]) -> bytes:
    """The sample with each edit written: (any cell, sheet, row, column picks, value) into a data row of a declared
    sheet — a cell to fill in or any cell —, or (key, value) into the hidden _meta."""
    book = load_workbook(sample.path)
    sheets = [s for s in sample.layout.sheets if s.name in book.sheetnames]
    for edit in edits:
        if len(edit) == 2:
            meta = book[META_SHEET]
            row = next(r for r in range(1, meta.max_row + 1) if meta.cell(r, 1).value == edit[0])
            meta.cell(row, 2).value = edit[1]
            continue
        any_cell, sheet_pick, row_pick, column_pick, value = edit
        layout = sheets[0] if sheet_pick < 7 else sheets[sheet_pick % len(sheets)]  # mostly the sheet users fill in
        columns = [c.key for c in layout.columns if c.editable or any_cell] or [c.key for c in layout.columns]
        cells = [layout.cell(key, layout.first_data_row + row_pick % 6) for key in columns]
        cells += [field.cell for field in layout.inputs]  # a form's fields, the big table's 本次操作
        if not cells:
            continue
        book[layout.name][cells[column_pick % len(cells)]].value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", sorted(submittable()))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(EDITS, min_size=1, max_size=4))
def test_any_value_in_any_cell_gets_an_answer(app, samples, kind, edits):
    sample = samples[kind]
    content = _hostile(sample, edits)
    try:
        answer = submit_workbook(app, app.actor(sample.owner), "hostile.xlsx", content)
    except Refused as refusal:
        assert CHINESE.search(refusal.message), refusal.message
        for finding in refusal.findings:
            assert CHINESE.search(finding.message), finding.message
            assert (finding.sheet and finding.cell) or finding.row is not None or finding.column, finding
        return
    assert isinstance(answer, Outcome) and CHINESE.search(answer.message)
