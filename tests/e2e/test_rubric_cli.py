"""Rubrics from the command line: export, edit as an administrator would, import as a new version."""
import csv

import pytest

from addin.cli import main
from engine.operating_analysis import compute_effect
from tests.analysis_helpers import actor
from tests.factories import make_company, make_orders


@pytest.fixture
def cli(db, monkeypatch, tmp_path, capsys):
    make_company(db.sessions)
    monkeypatch.setenv("CMW_DATABASE_URL", db.url)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    def run(*argv):
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err
    return run


def test_new_version_applies_to_new_months_only(cli, db, tmp_path):
    make_orders(db.sessions, "2026-10")
    compute_effect(db.uow(), actor(db, "cm001"), month="2026-11")
    path = tmp_path / "效果.csv"
    assert cli("rubric", "export", "effect", "--as", "admin", "-o", path)[0] == 0
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    rows[0]["权重"], rows[2]["权重"] = "30", "10"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=rows[0].keys())
        writer.writeheader()
        writer.writerows(rows)
    code, out, _ = cli("rubric", "import", "effect", path, "--as", "admin")
    assert code == 0 and "第 2 版" in out
    make_orders(db.sessions, "2026-11")  # December is scored from November's orders
    compute_effect(db.uow(), actor(db, "cm001"), month="2026-12")
    with db.uow() as uow:
        versions = {m: uow.analyses.get(uow.documents.get("analysis", "cm001", m).id).effect_rubric_version
                    for m in ("2026-11", "2026-12")}
    assert versions == {"2026-11": 1, "2026-12": 2}
    code, out, _ = cli("rubric", "show", "effect", "--as", "cm001")
    assert "第 2 版" in out and "权重=30" in out


def test_bad_files_and_non_admins_are_refused(cli, tmp_path):
    path = tmp_path / "能力.csv"
    cli("rubric", "export", "capability", "--as", "admin", "-o", path)
    text = path.read_text(encoding="utf-8-sig").replace(",8,10,1", ",10,8,1", 1)
    path.write_text(text, encoding="utf-8-sig")
    code, _, err = cli("rubric", "import", "capability", path)
    assert code == 2 and "请用 --as 指定操作人" in err  # no administrator by default any more
    code, _, err = cli("rubric", "import", "capability", path, "--as", "admin")
    assert code == 2 and "下限大于上限" in err
    code, _, err = cli("rubric", "import", "capability", path, "--as", "cm001")
    assert code == 2 and "无权导入评分标准：只能由管理员导入" in err


@pytest.mark.parametrize("kind, figures", [("capability", ("最低分", "最高分", "步长")), ("effect", ("权重",))])
def test_the_exported_workbook_prints_and_keeps_numbers_as_numbers(kind, figures, cli, tmp_path):
    """A4, one page wide, header row repeated, page header and footer; figures are numbers, not text; the file
    reads back unchanged (a round trip makes a new version equal to the old)."""
    from openpyxl import load_workbook

    path = tmp_path / f"{kind}.xlsx"
    assert cli("rubric", "export", kind, "--as", "admin", "-o", path)[0] == 0
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for name in figures:
        column = [row[header.index(name)] for row in sheet.iter_rows(min_row=2)]
        filled = [c for c in column if c.value not in (None, "")]
        assert filled and all(isinstance(c.value, (int, float)) and c.data_type == "n" for c in filled), name
    setup = sheet.page_setup
    assert setup.paperSize == 9 and sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToHeight == 0
    assert sheet.print_title_rows == "$1:$1" and "示例市烟草公司" in sheet.oddHeader.left.text
    assert "评分标准" in sheet.oddHeader.center.text and "第 1 版" in sheet.oddHeader.right.text
    assert sheet.oddFooter.center.text == "第 &P 页 / 共 &N 页"
    before = cli("rubric", "show", kind, "--as", "admin")[1].splitlines()[1:]
    code, out, err = cli("rubric", "import", kind, path, "--as", "admin")
    assert code == 0 and "第 2 版" in out, err
    assert cli("rubric", "show", kind, "--as", "admin")[1].splitlines()[1:] == before
    if kind == "capability":  # an edited figure is read as the number it is
        sheet.cell(2, header.index("最低分") + 1).value = 9
        book.save(path)
        assert cli("rubric", "import", kind, path, "--as", "admin")[0] == 0
        assert "最低分=9  最高分=10" in cli("rubric", "show", kind, "--as", "admin")[1].splitlines()[1]
