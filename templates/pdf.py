"""HTML → PDF with WeasyPrint: the same self-contained print page a browser prints, laid out as A4 pages.

WeasyPrint needs Pango (with HarfBuzz and fontconfig) from the system; it is imported on first use, not at
import time, so that a machine without those libraries still runs everything but the PDF. The Chinese
glyphs come from the fonts print.css names (Noto Sans CJK SC first, with lang="zh-CN" on the page).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Iterable

from engine.errors import Refused

SUFFIXES = (".html", ".pdf")
MISSING = ("生成 PDF 需要 WeasyPrint 及系统库 Pango（Debian/Ubuntu：apt-get install libpango-1.0-0 "
           "libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk），本机没有：{why}。可先输出 .html，用浏览器打开后打印。")
MISSING_ON_WINDOWS = ("本机不能直接生成 PDF（WeasyPrint 需要的 Pango 库没有安装：{why}）。请改为生成网页（.html，"
                      "例如“打印大表”按钮或 -o 文件名.html），用 Edge 打开后点“打印”，打印机选“Microsoft Print to PDF”"
                      "即可另存为 PDF；或请管理员按 WeasyPrint 的 Windows 安装说明装好 Pango。")


def missing(why: str, platform: str | None = None) -> str:
    """Why no PDF can be made, and how to get one on this system (Windows has no apt-get)."""
    import sys

    return (MISSING_ON_WINDOWS if (platform or sys.platform) == "win32" else MISSING).format(why=why)


@lru_cache(maxsize=1)
def unavailable() -> str:
    """Why no PDF can be made on this machine ("" when WeasyPrint and its system libraries load)."""
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi)
    except (ImportError, OSError) as exc:
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return ""


def _weasyprint():
    why = unavailable()
    if why:
        raise Refused(missing(why))
    import weasyprint

    return weasyprint


@dataclass(frozen=True)
class PdfDocument:
    """A laid-out document: its pages can be written on their own or joined with other documents' pages."""

    rendered: object

    @property
    def pages(self) -> int:
        """How many pages it has."""
        return len(self.rendered.pages)

    def write(self, target: Path | BinaryIO) -> int:
        """Write it as a PDF file; return its page count."""
        if isinstance(target, Path):
            target.parent.mkdir(parents=True, exist_ok=True)
        self.rendered.write_pdf(target)
        return self.pages


def lay_out(html: str) -> PdfDocument:
    """Lay out a self-contained HTML page (no external resources) as A4 pages."""
    return PdfDocument(_weasyprint().HTML(string=html, base_url=None).render())


def joined(documents: Iterable[PdfDocument]) -> PdfDocument:
    """One document of the pages of several, in order (each keeps its own page numbers, 第 x 页 / 共 y 页)."""
    parts = [d.rendered for d in documents]
    if not parts:
        raise ValueError("nothing to join")
    return PdfDocument(parts[0].copy([page for part in parts for page in part.pages]))


def write_page(html: str, target: Path) -> int:
    """Write a print page to target as .html (as it is) or .pdf (laid out); return the PDF's pages (0 for HTML)."""
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise Refused(f"打印文件只能是 .html 或 .pdf，请把“{target.name}”改为这两种扩展名之一。")
    target.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".html":
        target.write_text(html, encoding="utf-8")
        return 0
    return lay_out(html).write(target)


#: Below so many pages a bundle is laid out here; above, in parts on a pool of processes (WeasyPrint is single-threaded
#: and spends ~0.1 s a page: a CM's 200 one-page store sheets).
PARALLEL_FROM = 24


def _pdf_bytes(html: str) -> bytes:
    """One part of a bundle laid out and written (in a worker process)."""
    import io

    buffer = io.BytesIO()
    lay_out(html).write(buffer)
    return buffer.getvalue()


def write_bundle(parts: list[str], pages: int, target: Path, workers: int | None = None) -> int:
    """Write self-contained HTML documents, whose pages follow each other, as one PDF: laid out in parallel (one
    process a part, started with spawn like the workbook writer's) when there are many pages, then joined in order
    (pypdf); return the page count. Each part keeps its own fonts, so parts are best few and large."""
    import io
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    target.parent.mkdir(parents=True, exist_ok=True)
    if len(parts) == 1 or pages < PARALLEL_FROM:
        documents = [lay_out(html) for html in parts]
        return (documents[0] if len(documents) == 1 else joined(documents)).write(target)
    _weasyprint()  # the same refusal as a single part when this machine cannot lay out at all
    try:
        with ProcessPoolExecutor(workers or min(len(parts), os.cpu_count() or 1),
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            written = list(pool.map(_pdf_bytes, parts))
    except BrokenProcessPool:  # no worker could start (a locked-down PC): laid out here
        written = [_pdf_bytes(html) for html in parts]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in written:
        writer.append(PdfReader(io.BytesIO(part)))
    with target.open("wb") as out:
        writer.write(out)
    return len(writer.pages)
