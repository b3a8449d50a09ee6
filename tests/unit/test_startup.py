"""`cmw --help` and `cmw --version` list and answer without the heavy libraries (issue #18, target 1): building the
whole command tree, every declared document type included, imports no database layer, no pandas, no workbook or
print library. A command module that imports one at its top fails here, naming it; import it where it runs."""
from __future__ import annotations

import subprocess
import sys

HEAVY = ("sqlalchemy", "pandas", "numpy", "openpyxl", "xlsxwriter", "weasyprint", "jinja2", "psycopg", "pymysql",
         "alembic", "xlwings", "rich")


def test_the_command_tree_loads_without_the_heavy_libraries():
    probe = ("import sys; from addin.cli import build_parser; build_parser(); "
             "from engine.document_types import document_types; document_types(); "
             f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "", f"building `cmw --help` imported {loaded}: import them inside the function that uses them"


def test_the_schema_check_reads_the_same_head_as_alembic():
    from storage.database import head_revision, known_head

    assert known_head() == head_revision()


CLICK_HEAVY = tuple(m for m in HEAVY if m not in ("sqlalchemy", "rich"))  # a click connects (SQLAlchemy) and may answer


def test_a_ribbon_click_connects_without_the_heavy_libraries(sqlite_db):
    """The Python side of a ribbon click (issue #18: ≤ 0.5 s; benchmarks/startup.py) — the dispatcher and its button
    registry, the settings, the App, its connection, the database identity and who is acting — loads no pandas, no
    workbook or print library, no other database's driver: a unit of work makes each repository on first use."""
    probe = ("import sys; from addin.dispatch import dispatch; from addin.app import open_app; "
             f"app = open_app({sqlite_db.url!r}); app.database_identity(); "
             "uow = app.uow()\nwith uow: uow.users.actor('cm001'); uow.stores; uow.documents\n"
             f"print(','.join(m for m in {CLICK_HEAVY!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "", f"a ribbon click imported {loaded} before its own work: import them where they are used"


def test_excel_imports_the_worksheet_functions_without_the_database_layer():
    """Excel imports udfs/ when it starts: the database layer is imported at the first call."""
    probe = ("import sys; import udfs.analysis, udfs.answers, udfs.brands; "
             "print(','.join(m for m in ('sqlalchemy', 'storage.database', 'engine.effect') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "", f"importing the worksheet functions imported {loaded}"
