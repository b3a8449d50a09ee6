"""§10 片区统计 workbook: the report's pages as sheets with native charts; read-only, nothing comes back.

Its sheets follow the rubric (one column per indicator), so it has no declared layout: the pages are
laid out by engine/district_report.py and written by workbooks/report.py.
"""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from engine.report import Page
from workbooks.builder import Heading
from workbooks.meta import Meta
from workbooks.report import build_report

MODULE = "district"
TITLE = "片区统计"
TEMPLATE_VERSION = 1


def build_district_book(target: Path | BinaryIO, pages: tuple[Page, ...], meta: Meta, heading: Heading) -> None:
    """Write the district statistics workbook (概况, 潜力分布, 明细 sheets, _meta)."""
    build_report(target, pages, meta, heading)
