"""HTML → PDF with WeasyPrint: the same self-contained print page a browser prints, laid out as A4 pages.

WeasyPrint needs Pango (with HarfBuzz and fontconfig) from the system; it is imported on first use, not at
import time, so that a machine without those libraries still runs everything but the PDF. The Chinese
glyphs come from the fonts print.css names (Noto Sans CJK SC first, with lang="zh-CN" on the page).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Callable, Sequence

from engine.errors import Refused

SUFFIXES = (".html", ".pdf")
#: progress(done, in all, what it is at): the command line's bar, the ribbon's status bar.
Progress = Callable[[int, int, str], None]
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


@lru_cache(maxsize=1)
def _fonts():
    """The fonts, found once per process (fontconfig's lookups) and kept for every document it lays out."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def lay_out(html: str) -> PdfDocument:
    """Lay out a self-contained HTML page (no external resources) as A4 pages."""
    return PdfDocument(_weasyprint().HTML(string=html, base_url=None).render(font_config=_fonts()))


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


#: Below so many pages (estimated) documents are laid out here; above, in parts on a pool of processes (WeasyPrint is
#: single-threaded and spends 0.1–0.3 s a page: a CM's 200 one-page store sheets, 77 pages of district statistics).
PARALLEL_FROM = 24


def write_bundle(parts: list[str], pages: int, target: Path, workers: int | None = None,
                 progress: Progress | None = None) -> int:
    """Write self-contained HTML documents, whose pages follow each other and each keep their own page numbers, as
    one PDF: laid out in parallel when there are many pages (documents_pdf), joined in order (pypdf); return the page
    count. Each part keeps its own fonts, so parts are best few and large."""
    return joined_pdf(documents_pdf([[html] for html in parts], progress, workers), target)


#: What WeasyPrint logs (logger weasyprint.progress) as it starts laying out a page.
_PAGE_STEP = "Step 5 - Creating layout"
#: About so many characters of our print pages' HTML make a page (the district statistics: 690,000 for 77 pages):
#: the progress bar's total before the pages are counted.
_HTML_PER_PAGE = 9000
#: Take the page number (第 x 页 / 共 y 页) off a part of a document laid out on its own: numbered once joined.
_UNNUMBERED = "<style>@page { @bottom-center { content: none; } }</style>"
#: A part that continues a document shows the running header on its first page too (print.css hides it on the
#: document's first page only).
_CONTINUED = ("<style>@page :first { @top-left { content: string(company); } @top-center { content: string(title); }"
              " @top-right { content: string(owner) \"\u3000\" string(period); } }</style>")


def _listen(pages):
    """Put 1 on pages (a queue) for each page WeasyPrint starts laying out (the progress bar): a worker's start, or
    around laying out here; the handler, to remove."""
    import logging

    class Pages(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if str(record.msg).startswith(_PAGE_STEP):
                pages.put(1)

    logger = logging.getLogger("weasyprint.progress")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = Pages()
    logger.addHandler(handler)
    return handler


def _part(html: str) -> bytes:
    """A part laid out and written as PDF (in a worker process, whose fonts are kept from part to part)."""
    import io

    buffer = io.BytesIO()
    lay_out(html).write(buffer)
    return buffer.getvalue()


def _page_numbers(landscape: list[bool]) -> bytes:
    """Blank pages of these orientations with only print.css's page number, 第 x 页 / 共 y 页, as PDF."""
    from templates.render import render_html

    return _part(render_html("page_numbers.html.j2", landscape=landscape))


def _numbered(parts: list[bytes]) -> bytes:
    """The parts' pages joined and numbered as one document, as PDF."""
    import io

    from pypdf import PdfReader, PdfWriter

    if len(parts) == 1:
        return parts[0]
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    numbers = PdfReader(io.BytesIO(_page_numbers([p.mediabox.width > p.mediabox.height for p in writer.pages])))
    for page, number in zip(writer.pages, numbers.pages):
        page.merge_page(number)
        page.compress_content_streams()  # merging leaves the page's content uncompressed (8 MB for 77 pages)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def documents_pdf(documents: Sequence[Sequence[str]], progress: Progress | None = None,
                  workers: int | None = None) -> list[bytes]:
    """Lay out documents, each given as parts (self-contained HTML pages of print.css whose first page starts a new
    page: a report's sections), as PDF: every part of every document on a pool of processes (one per CPU, started
    with spawn like the workbook writer's; WeasyPrint is single-threaded), or here when they are few pages; each
    document's parts then joined in order and numbered as one (第 x 页 / 共 y 页 stamped on each page, the parts
    having left theirs off). progress(pages laid out, pages expected, what) is called as pages are laid out, at
    most once a second (the pages expected are estimated from the HTML's length until they are counted). Refused
    where no PDF can be made."""
    import multiprocessing
    import os
    import queue
    import time
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    _weasyprint()
    tick = progress or (lambda done, total, label: None)
    tasks = {(d, p): _part_html(html, p, len(parts)) for d, parts in enumerate(documents) for p, html in enumerate(parts)}
    pages = {key: max(1, len(html) // _HTML_PER_PAGE) for key, html in tasks.items()}  # counted once laid out
    laid: dict[tuple[int, int], bytes] = {}
    started, shown, done, said = time.monotonic(), 0.0, 0, ()

    def report(force: bool = False) -> None:
        nonlocal shown, said
        if force or time.monotonic() - shown >= 1:
            shown, total = time.monotonic(), sum(pages.values())
            saying = (total if len(laid) == len(tasks) else min(done, total - 1), total,
                      f"已排版 {min(done, total)} 页（{time.monotonic() - started:.0f} 秒）")
            if saying != said:
                said = saying
                tick(*saying)

    def keep(key: tuple[int, int], pdf: bytes) -> None:
        laid[key], pages[key] = pdf, pdf_pages(pdf)

    workers = min(len(tasks), workers or os.cpu_count() or 1)
    context = multiprocessing.get_context("spawn")
    counter = context.Queue() if workers > 1 and sum(pages.values()) >= PARALLEL_FROM else queue.Queue()
    try:
        if isinstance(counter, queue.Queue):
            raise BrokenProcessPool("few pages: laid out here")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_listen, initargs=(counter,)) as pool:
            # the longest parts first: a long one started last would keep one process busy while the others idle
            running = {pool.submit(_part, tasks[key]): key for key in sorted(tasks, key=lambda k: -len(tasks[k]))}
            while running:
                finished, _ = wait(running, timeout=0.25, return_when=FIRST_COMPLETED)
                while True:
                    try:
                        done += counter.get_nowait()
                    except queue.Empty:
                        break
                for future in finished:
                    keep(running[future], future.result())
                    del running[future]
                report()
    except BrokenProcessPool:  # few pages, or no worker could start (a locked-down PC): laid out here
        import logging

        class Here:
            def put(self, page: int) -> None:
                nonlocal done
                done += page
                report()

        handler = _listen(Here())
        try:
            for key, html in tasks.items():
                if key not in laid:
                    keep(key, _part(html))
        finally:
            logging.getLogger("weasyprint.progress").removeHandler(handler)
    done, joined = sum(pages.values()), []
    for d, parts in enumerate(documents):  # joined and numbered here: a tick for each (~1 s for 80 pages)
        report()
        joined.append(_numbered([laid[(d, p)] for p in range(len(parts))]))
    report(force=True)
    return joined


def _part_html(html: str, number: int, parts: int) -> str:
    """A part of a document as laid out on its own: without its page numbers when the document has several parts,
    and with the running header on its first page when it continues one."""
    if parts == 1:
        return html
    return html.replace("</head>", _UNNUMBERED + (_CONTINUED if number else "") + "</head>", 1)


def pdf_pages(pdf: bytes) -> int:
    """How many pages a PDF has."""
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def joined_pdf(documents: Sequence[bytes], target: Path) -> int:
    """PDF documents joined into one file, each keeping its own page numbers; return its page count."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for document in documents:
        writer.append(PdfReader(io.BytesIO(document)))
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        writer.write(out)
    return len(writer.pages)
