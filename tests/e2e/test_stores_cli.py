"""§2 from the command line, as a new user would try it, on each database."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from addin.cli import main
from tests.factories import make_company, store_code
from workbooks.stores import LAYOUT, SHEET

SHEET_LAYOUT = LAYOUT.sheet(SHEET)
FIRST = SHEET_LAYOUT.first_data_row


@pytest.fixture
def cli(db, monkeypatch, tmp_path, capsys):
    """Run cmw against the test database; returns (exit code, stdout, stderr)."""
    make_company(db.sessions)
    monkeypatch.setenv("CMW_DATABASE_URL", db.url)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("CMW_USER", raising=False)

    def run(*argv):
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err
    return run


def test_export_edit_submit_show(cli, tmp_path):
    path = tmp_path / "客户信息维护.xlsx"
    code, out, _ = cli("stores", "export", "--as", "cm001", "-o", path)
    assert code == 0 and "已导出 5 户客户" in out
    book = load_workbook(path)
    book[SHEET][SHEET_LAYOUT.cell("phone", FIRST)] = "13912345678"
    book[SHEET][SHEET_LAYOUT.cell("visit_weekday", FIRST + 1)] = "周六"
    book.save(path)
    code, out, _ = cli("submit", path, "--as", "cm001")
    assert code == 0 and "已保存 2 处修改" in out and "提交编号" in out
    code, out, _ = cli("stores", "show", store_code(1, 1), "--as", "cm001", "-o", tmp_path / "明细.html")
    assert code == 0 and "联系电话：13912345678" in out
    html = (tmp_path / "明细.html").read_text(encoding="utf-8")
    assert "客户信息明细" in html and "13912345678" in html and 'lang="zh-CN"' in html


def test_refusals_exit_2_in_chinese_with_cells(cli, tmp_path):
    path = tmp_path / "stores.xlsx"
    cli("stores", "export", "--as", "cm001", "-o", path)
    book = load_workbook(path)
    book[SHEET][SHEET_LAYOUT.cell("tier", FIRST)] = 30
    book.save(path)
    code, out, err = cli("submit", path, "--as", "cm001")
    assert code == 2 and out == ""
    assert f"{SHEET}!{SHEET_LAYOUT.cell('tier', FIRST)}" in err and "档位" in err and "Traceback" not in err
    code, _, err = cli("stores", "export", "--as", "nobody", "-o", path)
    assert code == 2 and "用户“nobody”不存在" in err
    code, _, err = cli("stores", "export", "-o", path)
    assert code == 2 and "--as" in err
    code, _, err = cli("stores", "export", "--as", "cm001", "--category", "QQ9", "-o", path)
    assert code == 2 and "综合分类" in err
    code, _, err = cli("submit", tmp_path / "missing.xlsx", "--as", "cm001")
    assert code == 2 and "找不到文件" in err
    code, _, err = cli("stores", "show", store_code(2, 1), "--as", "cm001")
    assert code == 2 and "无权查看" in err


def test_filters_narrow_the_list(cli, tmp_path):
    path = tmp_path / "cz.xlsx"
    code, out, _ = cli("stores", "export", "--as", "cm001", "--category", "cz1", "-o", path)
    assert code == 0 and "已导出 1 户客户" in out
    code, out, _ = cli("stores", "export", "--as", "cm001", "--all-status", "-o", path)
    assert "已导出 6 户客户" in out


def test_a_file_whose_name_is_not_utf8_is_submitted_and_its_name_kept_readable(cli, tmp_path, db):
    """A Chinese name in GBK bytes, as unzipped from a Windows archive: no traceback, the submission goes through,
    the archive keeps the name as best it can (issue #11, item 7b)."""
    import os

    from sqlalchemy import select

    from storage.schema import Submission

    exported = tmp_path / "stores.xlsx"
    assert cli("stores", "export", "--as", "cm001", "-o", exported)[0] == 0
    named = tmp_path / os.fsdecode("客户信息".encode("gbk") + b".xlsx")
    exported.rename(named)
    code, out, err = cli("submit", named, "--as", "cm001")
    assert code == 0 and "没有新的修改" in out and "Traceback" not in err and "程序出错" not in err
    with db.sessions() as session:
        assert session.scalars(select(Submission.filename)).all() == ["客户信息.xlsx"]


def test_readable_names():
    from addin.handlers.submission import readable_name

    assert readable_name("大表.xlsx") == "大表.xlsx"
    assert readable_name(b"\xff\xfe.xlsx".decode("utf-8", "surrogateescape")).endswith(".xlsx")
    assert readable_name("\ud800x") == "?x" and len(readable_name("长" * 300)) == 255
