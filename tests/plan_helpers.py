"""§3 the big table on a test database, as the use cases see it: cm001's month made ready for planning, its file
exported and taken back, its state."""
from __future__ import annotations

from engine.operating_analysis import compute_effect, generate_strategies
from engine.big_table import SAVE, snapshot_of, take_back
from engine.records import Record
from storage.repositories import SqlSubmissions
from tests.analysis_helpers import MONTH, actor, filled, submit
from tests.factories import STORES_PER_CM, store_code

#: cm001's stores, in the order of the file's rows
CODES = [store_code(1, i) for i in range(1, STORES_PER_CM + 1)]


def ready(db, month=MONTH):
    """Effect, capability (store 1 weak on 商圈位置) and strategies for cm001's month."""
    compute_effect(db.uow(), actor(db, "cm001"), month=month)
    rows = [filled(code, n + 3) for n, code in enumerate(CODES)]
    rows[0] = filled(CODES[0], 3, **{"location.item": "偏远", "location.score": "1"})
    submit(db, rows) if month == MONTH else submit_for(db, rows, month)
    generate_strategies(db.uow(), actor(db, "cm001"), cm_codes=["cm001"], month=month)


def submit_for(db, rows, month):
    """cm001's capability rows for a month other than MONTH."""
    from engine.capability_scoring import submit_capability
    return submit_capability(db.uow(), actor(db, "cm001"), owner_code="cm001", month=month, rubric_version=1,
                             records=rows, shape_findings=[], submission_id=archived(db))


def archived(db) -> int:
    """An archived (empty) submission of cm001's, for use cases that record which file they came from."""
    with db.uow() as uow:
        sid = SqlSubmissions(uow.session).archive(actor_code="cm001", filename="plan.xlsx", content=b"x", sha256="0" * 64)
        uow.commit()
    return sid


def exported(db, month=MONTH):
    """Record an export as the workbook handler will; return (export id, the cells it showed)."""
    with db.uow() as uow:
        doc = uow.documents.get("bigtable", "cm001", month)
        snap = snapshot_of(doc, uow.big_tables.cells(doc.id), ["assortment", "display", "law"])
        export_id = uow.exports.add(module="bigtable", owner_code="cm001", actor_code="cm001", template_version=1,
                                    snapshot=snap)
        uow.commit()
    return export_id, {tuple(k.split("|")): v for k, v in snap["cells"].items()}


def rows(cells: dict) -> list[Record]:
    """The file as the user left it: every store row, the three action columns."""
    out = []
    for n, code in enumerate(CODES, start=3):
        values = {"code": code, **{a: cells.get((code, a), "") for a in ("assortment", "display", "law")}}
        out.append(Record("大表", n, values, {k: f"{k}{n}" for k in values}))
    return out


def back(db, export_id, cells, operation=SAVE):
    """Take cm001's file back (cells: (store, action) → mark) with the operation, 保存 unless told."""
    return take_back(db.uow(), actor(db, "cm001"), owner_code="cm001", month=MONTH, export_id=export_id,
                     records=rows(cells), shape_findings=[], operation=operation, submission_id=archived(db))


def state(db, month=MONTH):
    """The state of cm001's big table for the month."""
    with db.uow() as uow:
        return uow.documents.get("bigtable", "cm001", month).state
