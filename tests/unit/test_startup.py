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
