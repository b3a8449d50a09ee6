"""A generated workbook printed to PDF by LibreOffice headless, and the PDF's text as pdftotext reads it.

LibreOffice exits 0 even when it cannot load a file, so the PDF must exist and its text is what is checked.
Without soffice or pdftotext the checks skip, unless CMW_REQUIRE_LIBREOFFICE=1 (CI), where they fail.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

CONVERT_TIMEOUT = 120
#: the page footer of the first page, as the PDF's text shows it
FOOTER = re.compile(r"第\s*1\s*页")


def require_tools() -> None:
    """Skip the test (fail it under CMW_REQUIRE_LIBREOFFICE=1) when soffice or pdftotext is not installed."""
    require([tool for tool in ("soffice", "pdftotext") if shutil.which(tool) is None],
            "libreoffice-calc poppler-utils fonts-noto-cjk")


def require(missing: list[str], packages: str) -> None:
    """Skip the test when anything is missing (fail it under CMW_REQUIRE_LIBREOFFICE=1), naming what to install."""
    if not missing:
        return
    message = f"missing {', '.join(missing)} (apt-get install {packages})"
    if os.environ.get("CMW_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def to_pdf(workbook: Path, profile: Path, outdir: Path) -> Path:
    """Convert with LibreOffice headless; the PDF must exist (soffice exits 0 even when loading failed)."""
    result = subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "pdf", "--outdir", str(outdir), str(workbook)],
        capture_output=True, text=True, timeout=CONVERT_TIMEOUT,
    )
    pdf = outdir / f"{workbook.stem}.pdf"
    assert result.returncode == 0, f"soffice failed ({result.returncode}): {result.stdout}{result.stderr}"
    assert pdf.is_file() and pdf.stat().st_size > 0, f"no PDF from soffice: {result.stdout}{result.stderr}"
    return pdf


def resave(workbook: Path, profile: Path, outdir: Path) -> Path:
    """The workbook opened and saved again as .xlsx by LibreOffice headless, as a user of LibreOffice hands it back."""
    outdir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), str(workbook)],
        capture_output=True, text=True, timeout=CONVERT_TIMEOUT,
    )
    saved = outdir / f"{workbook.stem}.xlsx"
    assert result.returncode == 0 and saved.is_file(), f"soffice did not save: {result.stdout}{result.stderr}"
    return saved


def pdf_text(pdf: Path) -> str:
    """The PDF's text, laid out (pdftotext -layout)."""
    result = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60,
                            check=True)
    return result.stdout
