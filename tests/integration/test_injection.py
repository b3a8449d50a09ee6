"""Formula injection: user text starting with = + - @ stays text in every workbook we generate (a string cell, never
a formula) and is defused with a leading apostrophe in the CSV files we write; print pages escape markup.

One database is enough (what is checked is the files): the printing tests' SQLite company, with store fields a
user could have typed (or imported) set to formula-like text.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterator

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from addin.app import App
from addin.handlers import print_store_sheet
from addin.handlers.rubrics import export_rubric, import_rubric
from engine.capability import DEFAULT_CAPABILITY_RUBRIC, capability_rubric_to_dict
from engine.formula_text import defused, defused_frame, formula_like, restored
from storage.schema import StoreRow
from tests.factories import store_code
from tests.integration.workbook_samples import WORKBOOKS, sqlite_app

#: What a user might type into a store's fields: each would run as a formula if written as one.
PAYLOADS = {
    "name": '=HYPERLINK("http://example.invalid","点我")',
    "address": "+1+1 示例路",
    "notes": "-2+3 <b>备注</b>",
    "contact": "@SUM(1,1)",
}


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[App]:
    """The printing tests' company, the first store of each CM carrying formula-like text in every text field."""
    app = sqlite_app(tmp_path_factory.mktemp("injection-db"))
    codes = [store_code(cm, 1) for cm in (1, 2, 3)]
    with app.sessions.begin() as session:
        session.execute(update(StoreRow).where(StoreRow.code.in_(codes)).values(**PAYLOADS))
    yield app
    app.engine.dispose()


def _cells(path: Path):
    """Every non-empty cell of every sheet (hidden ones too), as openpyxl reads it (formulas not evaluated)."""
    book = load_workbook(path, data_only=False)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from (cell for cell in row if cell.value is not None)


#: Workbooks that show no store's text at all (the check below would have nothing to look at), and why.
NO_STORE_TEXT = {"summary": "§16 shows the month's figures and the CM's own texts, no store's name or address",
                 "key_brands": "the brand manager's list shows the catalogue's brands, no store's text (the same builder "
                               "writes a brand's name as text)",
                 "brand_targets": "§5 shows brands and the CM's targets, no store's text",
                 "brand_targets_team": "§5 for the department shows brands and targets, no store's text",
                 "market": "§4 shows the month's figures and the CM's own texts, no store's text",
                 "brand_analysis": "§7 names only target stores not stocked in the month: the sample's month has no orders",
                 "contract": "§18 shows indicators, targets, actuals, scores and the CM's own texts, no store's text",
                 "weekly": "§15 shows the week's figures, the rubric and the CM's own texts, no store's text"}


@pytest.mark.parametrize("kind", sorted(WORKBOOKS))
def test_formula_like_store_text_stays_text_in_every_workbook(kind, app, tmp_path):
    sample = WORKBOOKS[kind](app, tmp_path)
    injected = [c for c in _cells(sample.path) if isinstance(c.value, str) and any(p in c.value for p in PAYLOADS.values())]
    if kind in NO_STORE_TEXT:
        assert not injected
        return
    assert injected, f"{kind}: no store text found to check"
    formulas = [c.coordinate for c in injected if c.data_type == "f"]
    assert formulas == [] and {c.data_type for c in injected} == {"s"}, f"{kind}: written as formulas: {formulas}"


def test_the_store_list_keeps_each_field_as_typed(app, tmp_path):
    """§2, where a CM edits these fields: each payload comes back exactly, as a string cell."""
    sample = WORKBOOKS["stores"](app, tmp_path)
    values = {c.value: c.data_type for c in _cells(sample.path)}
    assert {p: values.get(p) for p in PAYLOADS.values()} == {p: "s" for p in PAYLOADS.values()}


def test_print_pages_escape_markup(app, tmp_path):
    print_store_sheet(app, app.actor("cm001"), store_code(1, 1), tmp_path / "store.html")
    html = (tmp_path / "store.html").read_text(encoding="utf-8")
    assert "-2+3 &lt;b&gt;备注&lt;/b&gt;" in html and "<b>备注" not in html
    assert "=HYPERLINK(&#34;http://example.invalid&#34;" in html


@pytest.mark.parametrize("text, safe", [
    ("=1+2", "'=1+2"), ("+86 138", "'+86 138"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("-5", "-5"), ("+3.5", "+3.5"), ("-1e3", "-1e3"), ("1.3=1; 1.1=0.85", "1.3=1; 1.1=0.85"), ("示例", "示例"),
    ("", ""),
])
def test_defused_text_reads_back_as_typed(text, safe):
    assert defused(text) == safe and restored(safe) == text
    assert defused(12) == 12 and defused(None) is None and formula_like("=x") and not formula_like("-0.5")


def test_defused_frame_leaves_the_original_alone():
    import pandas as pd

    frame = pd.DataFrame({"=列": ["=1+1", "ok", -3]})
    safe = defused_frame(frame)
    assert list(safe.columns) == ["'=列"] and safe.iloc[:, 0].tolist() == ["'=1+1", "ok", -3]
    assert frame.iloc[0, 0] == "=1+1"


def _with_formula_like_labels(app: App) -> None:
    """A capability rubric version whose first indicator and first detail item read like formulas."""
    body = capability_rubric_to_dict(DEFAULT_CAPABILITY_RUBRIC)
    body["indicators"][0]["label"] = "=1+2"
    body["indicators"][0]["items"][0][0] = "+好"
    with app.uow() as uow:
        uow.rubrics.add("capability", body, "admin")
        uow.commit()


def test_rubric_files_defuse_formula_like_text_and_read_it_back(app, tmp_path):
    admin = app.actor("admin")
    export_rubric(app, admin, "capability", tmp_path / "default.csv")  # stores the defaults as version 1 first
    _with_formula_like_labels(app)
    export_rubric(app, admin, "capability", tmp_path / "r.csv")
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][1] == "'=1+2" and rows[1][2] == "'+好"
    assert [v for row in rows for v in row if formula_like(v)] == []
    export_rubric(app, admin, "capability", tmp_path / "r.xlsx")
    cells = {c.value: c.data_type for c in _cells(tmp_path / "r.xlsx")}
    assert cells["=1+2"] == "s" and cells["+好"] == "s"
    import_rubric(app, admin, "capability", tmp_path / "r.csv")
    with app.uow() as uow:
        stored = uow.rubrics.get("capability")
    assert stored["indicators"][0]["label"] == "=1+2" and stored["indicators"][0]["items"][0][0] == "+好"
    assert len(stored["indicators"]) == len(DEFAULT_CAPABILITY_RUBRIC.indicators)


@pytest.mark.parametrize("kind", ["stores", "bigtable"])
def test_an_unmodified_file_with_formula_like_store_text_is_taken_back_unchanged(kind, app, tmp_path):
    """Stored text beginning with = + - @ is text on the way in as on the way out: the untouched file is accepted
    and changes nothing (issue #11, item 0)."""
    from addin.handlers import submit_workbook

    sample = WORKBOOKS[kind](app, tmp_path)
    outcome = submit_workbook(app, app.actor(sample.owner), sample.path.name, sample.path.read_bytes())
    assert outcome.changed == 0 and "没有新的修改" in outcome.message
