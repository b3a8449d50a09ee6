"""What a PDF button says when this PC cannot make PDFs: how to get one on this system (issue 17, item 7)."""
from __future__ import annotations

import pytest

from engine.errors import Refused
from templates import pdf

WHY = "OSError: cannot load library 'libgobject-2.0-0'"


def test_windows_is_told_how_to_get_a_pdf_there_not_apt_get(monkeypatch):
    monkeypatch.setattr(pdf, "unavailable", lambda: WHY)
    monkeypatch.setattr("sys.platform", "win32")
    with pytest.raises(Refused) as refused:
        pdf.lay_out("<html></html>")
    said = refused.value.message
    assert "apt-get" not in said and "Microsoft Print to PDF" in said and ".html" in said and WHY in said
    assert "apt-get install libpango" in pdf.missing(WHY, "linux")
