"""§3 month open from the command line, on each database: `cmw plan export` into a folder, one file per CM, and the
refusals that say how to ask for it (exit code 2, in Chinese)."""
from __future__ import annotations

from openpyxl import load_workbook

from tests.analysis_helpers import MONTH
from tests.e2e.user_steps import PLAN, ROWS, ok, ready, refused
from workbooks import big_table as plan_book

FILES = {"cm001": f"任务执行标注表-cm001-张三-{MONTH}.xlsx", "cm002": f"任务执行标注表-cm002-李四-{MONTH}.xlsx"}


def test_a_market_manager_exports_the_department_into_a_folder(cli, tmp_path):
    ready(cli, tmp_path, "cm001", "cm002")
    ok(cli("plan", "generate", "--as", "cm001", "--month", MONTH))
    ok(cli("plan", "generate", "--as", "cm002", "--month", MONTH))
    folder = tmp_path / "开月"
    out = ok(cli("plan", "export", "--as", "mm01", "--month", MONTH, "-o", f"{folder}/"))
    assert out.startswith(f"已导出 2 位客户经理 {MONTH} 的任务执行标注表到 {folder}")
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES.values())
    assert all(name in out for name in FILES.values()) and "cmw submit" in out
    # the CM fills in the file the market manager handed over and submits it
    path = folder / FILES["cm002"]
    book = load_workbook(path)
    sheet = book[plan_book.SHEET]
    cell = next(PLAN.cell(c, r) for r in ROWS for c in plan_book.DEFAULT_ACTIONS if not sheet[PLAN.cell(c, r)].value)
    sheet[cell] = "☆"
    book.save(path)
    assert "已保存 1 处修改" in ok(cli("submit", path, "--as", "cm002"))
    # named CMs, a folder without a trailing slash, view-only
    look = tmp_path / "查看"
    out = ok(cli("plan", "export", "--as", "mm01", "--cm", "cm001", "--cm", "cm002", "--month", MONTH, "-o", look,
                 "--view-only"))
    assert sorted(p.name for p in look.iterdir()) == sorted(FILES.values()) and "仅供查看" in out
    # a CM's own file, as before
    out = ok(cli("plan", "export", "--as", "cm001", "--month", MONTH, "-o", tmp_path / "plan.xlsx"))
    assert "cmw submit plan.xlsx --as cm001" in out


def test_refusals_say_how_to_ask(cli, tmp_path):
    ready(cli, tmp_path, "cm001")
    ok(cli("plan", "generate", "--as", "cm001", "--month", MONTH))
    err = refused(cli("plan", "export", "--as", "mm01", "--month", MONTH, "-o", tmp_path / "all.xlsx"))
    assert "请给一个文件夹" in err and "--cm" in err
    err = refused(cli("plan", "export", "--as", "mm01", "--cm", "cm001", "--cm", "cm002", "--month", MONTH,
                      "-o", tmp_path / "two.xlsx"))
    assert "请给一个文件夹" in err
    assert "无权查看 cm002 的任务执行标注表" in refused(cli("plan", "export", "--as", "cm001", "--cm", "cm002", "--month", MONTH,
                                           "-o", f"{tmp_path}/x/"))
    assert "尚未生成" in refused(cli("plan", "export", "--as", "mm01", "--cm", "cm002", "--month", MONTH,
                                   "-o", f"{tmp_path}/y/"))
    (tmp_path / "file").write_text("x")
    assert "不是文件夹" in refused(cli("plan", "export", "--as", "mm01", "--month", MONTH, "-o", f"{tmp_path}/file"))
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()
