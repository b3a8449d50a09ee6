"""Printing: every printable through `cmw print` to PDF (its Chinese text, page count, orientation, simplified-Chinese
font), a department burst into one PDF per CM plus a review pack, and every generated workbook print-ready (A4, one
page wide, repeated header rows, header and footer) — in the file and in what LibreOffice prints.

One database is enough (the printables read through repositories tested on every database): a module-scoped SQLite
one. Without WeasyPrint's system libraries, poppler-utils or LibreOffice the checks skip, unless
CMW_REQUIRE_LIBREOFFICE=1 (CI), where they fail.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Iterator

import pytest
from openpyxl import load_workbook

from addin.app import App
from templates.pdf import unavailable
from tests.analysis_helpers import MONTH
from tests.factories import store_code
from tests.integration.libreoffice_pdf import require
from tests.integration.workbook_samples import MONDAY, WORKBOOKS, sqlite_app

TODAY = f"{date.today():%Y-%m-%d}"
PAGE = re.compile(r"第\s*(\d+)\s*页\s*/\s*共\s*(\d+)\s*页")
#: what each printable is asked for, text its PDF must show, and how its pages lie (portrait, landscape or mixed)
PRINTABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "store": (("store", store_code(2, 1), "--as", "cm002"),
              ("客户信息明细", "cm002的第1家烟酒店", "示例路1号", "每周", "客户经理签字", "李四（cm002）"), "portrait"),
    "district": (("district", "--as", "mm01", "--cm", "cm001", "--month", MONTH),
                 ("片区统计", "张三（cm001）", "经营效果得分分布", "潜在需求占比", store_code(1, 1)), "mixed"),
    "day": (("day", "--as", "cm002", "--date", f"{MONDAY}"),
            ("日拜访记录表", "2026-11-02 周一", "cm002的第1家烟酒店", "拜访情况（手写）"), "landscape"),
    "week": (("week", "--as", "mm01", "--cm", "cm002", "--week-start", f"{MONDAY}"),
             ("周工作安排表", "2026-11-02 周一", "2026-11-08 周日", "cm002的第2家烟酒店"), "landscape"),
    "bigtable": (("bigtable", "--as", "cm002", "--month", MONTH),
                 ("客户经理任务执行标注表", "状态：已审批", "cm002的第6家烟酒店", "客户编码", "合计 ☆", "策略触发"), "landscape"),
}


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[App]:
    app = sqlite_app(tmp_path_factory.mktemp("printing-db"))
    yield app
    app.engine.dispose()


def _require(*tools: str, pdf: bool = True) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if pdf and unavailable():
        missing.append(f"WeasyPrint ({unavailable()})")
    require(missing, "libpango-1.0-0 libpangoft2-1.0-0 poppler-utils libreoffice-calc")


def _run(*argv: str) -> str:
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=True).stdout


def pdf_text(pdf: Path) -> str:
    """The PDF's text as pdftotext reads it."""
    return _run("pdftotext", "-layout", str(pdf), "-")


def pdf_text_page(pdf: Path, page: int) -> str:
    """The text of one page of a PDF (pdftotext)."""
    return _run("pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-")


def page_shapes(pdf: Path) -> list[str]:
    """portrait or landscape, page by page (pdfinfo's page sizes)."""
    pages = int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(pdf)), re.M).group(1))
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", _run("pdfinfo", "-f", "1", "-l", str(pages), str(pdf)))
    return ["landscape" if float(w) > float(h) else "portrait" for w, h in sizes]


def fonts(pdf: Path) -> set[str]:
    """The font names embedded in the PDF, subset prefix dropped (pdffonts)."""
    lines = _run("pdffonts", str(pdf)).splitlines()[2:]
    return {line.split()[0].split("+", 1)[-1] for line in lines if line.strip()}


def check_pdf(pdf: Path, texts: tuple[str, ...], shape: str) -> str:
    """Text, numbered pages 第 x 页 / 共 y 页 matching the page count, orientation, and a simplified-Chinese font."""
    text, shapes = pdf_text(pdf), page_shapes(pdf)
    assert [t for t in texts if t not in text] == [], f"{pdf.name} lacks text; it reads:\n{text}"
    numbers = [(int(x), int(y)) for x, y in PAGE.findall(text)]
    assert numbers == [(n, len(shapes)) for n in range(1, len(shapes) + 1)], f"page numbers {numbers} of {len(shapes)}"
    assert f"打印日期：{TODAY}" in text
    if shape == "mixed":
        assert shapes[0] == "portrait" and "landscape" in shapes, shapes
    else:
        assert set(shapes) == {shape}, shapes
    # Noto Sans CJK SC (or WenQuanYi), never the JP/KR/TC faces, whose shared Han glyphs (骨, 返, 直) differ
    used = fonts(pdf)
    assert used and all(f.startswith(("Noto-Sans-CJK-SC", "WenQuanYi")) for f in used), used
    return text


@pytest.mark.parametrize("kind", sorted(PRINTABLES))
def test_every_printable_prints_as_pdf_and_html(kind, cmw, tmp_path):
    _require("pdftotext", "pdfinfo", "pdffonts")
    argv, texts, shape = PRINTABLES[kind]
    code, out, err = cmw("print", *argv, "-o", tmp_path / f"{kind}.pdf")
    assert code == 0, err
    assert "PDF" in out or "页" in out or str(tmp_path) in out
    check_pdf(tmp_path / f"{kind}.pdf", texts, shape)
    code, _, err = cmw("print", *argv, "-o", tmp_path / f"{kind}.html")
    html = (tmp_path / f"{kind}.html").read_text(encoding="utf-8")
    assert code == 0 and '<html lang="zh-CN">' in html and "@page" in html and "<link" not in html, err
    assert "table-header-group" in html and "counter(pages)" in html


def test_a_department_bursts_into_one_pdf_per_cm_and_a_review_pack(cmw, tmp_path):
    _require("pdftotext", "pdfinfo", "pdffonts")
    folder = tmp_path / "打印"
    code, out, err = cmw("print", "bigtable", "--dept", "D01", "--as", "mm01", "--month", MONTH, "-o", folder)
    assert code == 0, err
    # the progress bar: each CM read, then the pages laid out (the pack's cover and cm002's table)
    assert "读取 cm002 李四" in err and "[2/2] 已排版 2 页" in err
    assert "cm001 张三" in out and "大表尚未生成" in out  # cm001 has no big table this month: listed, not printed
    single = folder / f"cm002_李四_客户经理任务执行标注表_{MONTH}.pdf"
    pack = folder / f"D01_东区营销部_客户经理任务执行标注表审核包_{MONTH}.pdf"
    assert sorted(p.name for p in folder.iterdir()) == sorted([single.name, pack.name])
    check_pdf(single, PRINTABLES["bigtable"][1], "landscape")
    text = pdf_text(pack)
    assert "客户经理任务执行标注表审核包" in text and "东区营销部（D01）" in text and "已审批" in text
    assert "cm002的第1家烟酒店" in text and len(page_shapes(pack)) == 1 + len(page_shapes(single))
    code, out, err = cmw("print", "district", "--dept", "D01", "--as", "admin", "--month", MONTH, "-o", tmp_path / "d")
    assert code == 0 and "2 位客户经理各一份 PDF" in out, err
    assert len(list((tmp_path / "d").glob("*.pdf"))) == 3
    code, out, err = cmw("print", "district", "--dept", "D01", "--as", "admin", "--month", MONTH, "--summary",
                         "-o", tmp_path / "s")
    assert code == 0 and "片区统计概要：2 位客户经理各一份 PDF" in out, err
    for summary in (tmp_path / "s").glob("cm*.pdf"):  # the overview and potential, no store's row
        text = pdf_text(summary)
        assert len(page_shapes(summary)) <= 3 and "片区统计（概要）" in text and "潜力分布" in text
        assert "经营效果明细" not in text and "待提升指标" not in text


def test_the_district_statistics_laid_out_in_parts_are_numbered_as_one(cmw, tmp_path):
    """Its sections are laid out apart (in parallel) and joined: one numbering, 第 x 页 / 共 y 页, over all pages,
    and the running header on every page but the first, also on the first page of each later section."""
    _require("pdftotext", "pdfinfo", "pdffonts")
    code, out, err = cmw("print", "district", "--as", "cm002", "--month", MONTH, "-o", tmp_path / "d.pdf")
    assert code == 0, err
    pages = [pdf_text_page(tmp_path / "d.pdf", n) for n in range(1, len(page_shapes(tmp_path / "d.pdf")) + 1)]
    assert len(pages) > 3 and f"PDF {len(pages)} 页" in out
    for n, text in enumerate(pages, start=1):
        assert re.search(rf"第\s*{n}\s*页\s*/\s*共\s*{len(pages)}\s*页", text), (n, text[-200:])
        header = next(line for line in text.splitlines() if line.strip())
        assert n == 1 or ("片区统计" in header and "cm002" in header), (n, header)  # the running header
    assert sum("经营效果明细" in text or "经营能力明细" in text for text in pages) == 2  # each section's first page


@pytest.mark.parametrize("argv, refusal", [
    (("bigtable", "--month", MONTH, "--dept", "D01", "--as", "cm001"), "无权批量打印营销部的表：只能由管辖其单位的市场经理、管理员批量打印"),
    (("bigtable", "--month", MONTH, "--dept", "D01", "--as", "mm02"), "无权批量打印 东区营销部（D01） 的营销部的表"),
    (("bigtable", "--month", MONTH, "--dept", "D09", "--as", "admin"), "不存在"),
    (("bigtable", "--month", MONTH, "--as", "mm01"), "--cm"),
    (("bigtable", "--month", MONTH, "--as", "cm001"), "尚未生成"),
    (("day", "--as", "cm002", "--date", "2026-11-31"), "YYYY-MM-DD"),
    (("day", "--as", "cm001", "--date", f"{MONDAY}"), "审批通过后"),
    (("store", store_code(2, 1), "--as", "cm001"), "无权查看"),
])
def test_refusals_say_why_and_write_nothing(argv, refusal, cmw, tmp_path):
    code, _, err = cmw("print", *argv, "-o", tmp_path / "out.pdf")
    assert code == 2 and refusal in err, err
    assert not (tmp_path / "out.pdf").exists()


def test_wrong_output_names_are_refused(cmw, tmp_path):
    code, _, err = cmw("print", "bigtable", "--month", MONTH, "--dept", "D01", "--as", "mm01", "-o", tmp_path / "p.pdf")
    assert code == 2 and "请给一个文件夹" in err
    code, _, err = cmw("print", "bigtable", "--month", MONTH, "--as", "cm002", "-o", tmp_path / "x.docx")
    assert code == 2 and ".pdf 或 .html" in err and not (tmp_path / "x.docx").exists()


# --- print-ready workbooks ---------------------------------------------------------------------------------------

def _heading_parts(book) -> tuple[str, str, str]:
    meta = {row[0].value: row[1].value for row in book["_meta"].iter_rows()}
    return meta.get("company", ""), meta.get("owner", ""), meta.get("period", "")


@pytest.mark.parametrize("kind", sorted(WORKBOOKS))
def test_every_workbook_is_print_ready(kind, app, tmp_path):
    """A4, one page wide, header rows repeated, header (company | title | CM and month), footer (print date |
    第 &P 页 / 共 &N 页), a wide left margin for the binder: on every visible sheet."""
    sample = WORKBOOKS[kind](app, tmp_path)
    book = load_workbook(sample.path)
    company, owner, period = _heading_parts(book)
    for sheet in (s for s in book.worksheets if s.sheet_state == "visible"):
        setup, where = sheet.page_setup, f"{kind}/{sheet.title}"
        assert setup.paperSize == 9 and sheet.sheet_properties.pageSetUpPr.fitToPage, where
        assert (setup.fitToWidth or 1) == 1 and setup.fitToHeight == 0, where
        assert re.fullmatch(r"\$\d+:\$\d+", sheet.print_title_rows or ""), f"{where}: no repeated header rows"
        assert company and sheet.oddHeader.left.text == company, where
        assert owner in sheet.oddHeader.right.text and period in sheet.oddHeader.right.text, where
        assert sheet.oddFooter.center.text == "第 &P 页 / 共 &N 页", where
        assert sheet.oddFooter.left.text == f"打印日期：{TODAY}", where
        assert sheet.page_margins.left >= 0.75 and sheet.page_margins.left > sheet.page_margins.right, where


def test_libreoffice_prints_every_workbook_with_header_and_footer(app, tmp_path):
    """One LibreOffice run converts every kind; each PDF shows the page header's CM and month and the footer."""
    _require("soffice", "pdftotext", pdf=False)
    samples = {kind: produce(app, tmp_path / kind) for kind, produce in WORKBOOKS.items()}
    files = []
    for kind, sample in samples.items():
        files.append(tmp_path / f"{kind}.xlsx")
        shutil.copy(sample.path, files[-1])
    profile = tmp_path / "profile"
    result = subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                             "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *map(str, files)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    for kind in samples:
        pdf = tmp_path / "pdf" / f"{kind}.pdf"
        assert pdf.is_file(), f"no PDF of {kind}: {result.stdout}{result.stderr}"
        text = pdf_text(pdf)
        company, owner, period = _heading_parts(load_workbook(files[list(samples).index(kind)]))
        assert re.search(r"第\s*1\s*页\s*/\s*共\s*\d+\s*页", text), f"{kind}: no 第 1 页 / 共 N 页:\n{text}"
        assert re.search(rf"打印日期：\s*{TODAY}", text), f"{kind}: no print date in the footer:\n{text}"
        assert company in text and period in text, f"{kind}: no page header:\n{text}"
