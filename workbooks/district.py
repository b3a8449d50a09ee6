"""§10 片区统计 workbook: the report's pages as sheets with native charts; read-only, nothing comes back.

Its sheets follow the rubric (one column per indicator), so it has no declared layout: the pages are
laid out by engine/district_report.py and written by workbooks/report.py (build_report); this module names it.
"""
from __future__ import annotations

MODULE = "district"
TITLE = "片区统计"
TEMPLATE_VERSION = 1

