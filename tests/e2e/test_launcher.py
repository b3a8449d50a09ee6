"""The way without macros (issue 17, item 5): the launcher's window, driven under a virtual display (Xvfb) through a
whole §3 month for one CM and their market manager, as WPS users would click it; and its logic alone.

The window's buttons are the ribbon's dispatcher on files, so these run on SQLite only (as tests/e2e/test_dispatch.py).
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin.dispatch import HINTS_NOTE
from addin.launcher import HINTS_LEFT, HINTS_UNWRITTEN, Launcher, LauncherBook
from engine.errors import Refused
from tests.e2e.user_steps import decide, edit, planned_and_blank, score
from workbooks.file_book import HINTS_SHEET, FileBook

@pytest.fixture
def display(monkeypatch):
    """A virtual X display for tkinter (Xvfb, apt-get install xvfb); CI has it, elsewhere the test is skipped."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        if os.environ.get("CI"):
            pytest.fail("Xvfb is missing: the launcher's window cannot be driven (apt-get install xvfb)")
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    read, write = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write), "-nolisten", "tcp", "-screen", "0", "1280x1024x24"],
                              pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as fd:
        number = fd.readline().strip()
    monkeypatch.setenv("DISPLAY", f":{number}")
    yield
    server.terminate()
    server.wait(timeout=10)


def test_a_big_table_month_through_the_window(ribbon_company, display, tmp_path, monkeypatch):
    from addin.launcher_window import LauncherWindow

    shown: list[Path] = []
    windows = {user: LauncherWindow(Launcher(user, tmp_path / "out" / user, show=shown.append))
               for user in ("cm001", "mm01")}

    def press(user: str, tag: str) -> str:
        window = windows[user]
        window.buttons[tag].invoke()
        assert window.busy and window.buttons[tag].instate(["disabled"])  # greyed while it runs
        window.wait()
        return window.text()

    def pick(user: str, path: Path) -> None:  # the file picker, as the user answers it
        monkeypatch.setattr("tkinter.filedialog.askopenfilename", lambda **_: str(path))
        windows[user].pick.invoke()

    cm, mm = windows["cm001"], windows["mm01"]
    assert "客户经理" in cm.who.get() and "cm001" in cm.who.get()
    assert "stores_export" in cm.buttons and "review_export" not in cm.buttons  # the buttons of the user's role
    assert "review_export" in mm.buttons and "plan_submit" not in mm.buttons
    assert press("mm01", "effect_compute").startswith("已按 2026-10 的订单计算 2026-11 经营效果")
    assert "已导出" in press("cm001", "capability_export")
    scores = cm.launcher.current
    assert scores is not None and scores.name.startswith("经营能力评分-cm001-") and shown[-1] == scores
    assert "经营能力评分表" in cm.book.get() and "cm001" in cm.book.get()
    score(scores)  # filled in and saved in WPS
    assert "已保存" in press("cm001", "submit")
    assert "策略生成成功" in press("cm001", "strategies_generate")
    text = press("cm001", "plan_generate")
    assert "已生成 cm001 的 2026-11 大表" in text and "当前工作簿已换成" in text, text
    plan = cm.launcher.current
    star, blank = planned_and_blank(plan)
    [cell] = edit(plan, {blank: "★"})  # a ★ where nothing was planned
    text = press("cm001", "plan_mark")
    assert HINTS_NOTE in text and cell in text, text
    assert load_workbook(plan).sheetnames[0] == HINTS_SHEET  # the 提示 sheet, with its links, is in the file
    edit(plan, {blank: "☆"})
    text = press("cm001", "plan_mark")
    assert "已打开最新的大表" in text and cm.launcher.current != plan, text
    assert "待审核" in press("cm001", "plan_submit")
    assert "1 位客户经理待审核" in press("mm01", "review_export")
    decide(mm.launcher.current, {"cm001": ("审核通过", None)})
    assert "cm001 的 2026-11 计划已审核通过，当前状态：已审批。" in press("mm01", "review_submit")
    pick("cm001", plan)  # the old file, chosen again: 刷新 brings the approved table
    assert "已审批" in press("cm001", "refresh")
    marking = cm.launcher.current
    edit(marking, {star: "★"})
    assert "结果待审核" in press("cm001", "results_submit")
    review = press("mm01", "review_export")
    assert "待审核" in review, review
    decide(mm.launcher.current, {"cm001": ("审核通过", "")})
    assert "cm001 的 2026-11 结果已审核通过，当前状态：结果已审核。" in press("mm01", "review_submit")
    pick("mm01", marking)
    assert "cm001 张三  2026-11  结果已审核" in press("mm01", "plan_list")
    text = press("cm001", "bigtable_print")
    assert shown[-1].suffix == ".html" and f"已打开：{shown[-1]}" in text, text
    for window in windows.values():
        window.root.destroy()


def test_what_the_launcher_says_about_files_and_users(ribbon_company, tmp_path):
    launcher = Launcher("cm001", tmp_path / "out", show=lambda path: None)
    assert launcher.describe().startswith("未选择工作簿")
    with pytest.raises(Refused, match="不是 Excel 工作簿"):
        launcher.choose(tmp_path / "notes.txt")
    with pytest.raises(Refused, match="找不到文件"):
        launcher.choose(tmp_path / "gone.xlsx")
    answer = launcher.click("submit")  # nothing chosen: the ribbon's own refusal for a blank workbook
    assert not answer.reply.ok and "本系统导出的工作簿" in answer.reply.lines[0]
    answer = launcher.click("stores_export")
    [exported] = answer.opened
    assert answer.reply.ok and launcher.current == exported and "客户信息" in launcher.describe()
    assert Launcher("nobody", tmp_path).who() == "用户“nobody”不存在。运行 cmw users list 查看全部用户。"
    from addin.buttons import BUTTONS

    everyone = Launcher("nobody", tmp_path).buttons()  # the role unknown: every button, each refusing in its words
    assert sum(map(len, everyone.values())) == len(BUTTONS)


def test_a_workbook_held_open_by_wps_or_excel(ribbon_company, tmp_path, monkeypatch):
    """On Windows the program that has the workbook open locks it: the answer stands, without the 提示 sheet."""
    launcher = Launcher("cm001", tmp_path / "out", show=lambda path: None)
    launcher.click("stores_export")
    path = launcher.current
    from workbooks.stores import LAYOUT, SHEET

    layout = LAYOUT.sheet(SHEET)
    book = load_workbook(path)
    book[SHEET][layout.cell("tier", layout.first_data_row)] = 30
    book.save(path)

    def locked(self, change):
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")
    monkeypatch.setattr(FileBook, "_rewrite", locked)
    answer = launcher.click("submit")
    assert not answer.reply.ok and "档位" in "\n".join(answer.reply.lines) and HINTS_NOTE not in answer.reply.lines
    assert answer.notes == (HINTS_UNWRITTEN,)
    held = LauncherBook(path)
    monkeypatch.setattr(FileBook, "sheet_names", lambda self: [HINTS_SHEET])
    held.clear_hints()
    assert held.notes == [HINTS_LEFT]
