"""The way without macros (issue 17, item 5): the ribbon's buttons in a small window of their own, for WPS users
(xlwings does not support WPS) and for PCs whose IT will not let Office start Python.

The user works on the generated workbooks in WPS or Excel as usual, saves, and in the window picks the saved
workbook (a file picker, or by dropping it on the launcher's icon) and clicks a button. Every click is the ribbon's
own dispatcher on the file (addin/dispatch.py over workbooks/file_book.py): the same buttons, handlers and Chinese
answers; the refusals' 提示 sheet is written into the file; the files an action writes open in their programs (WPS
or Excel, the browser, the PDF reader), and a workbook an action exported becomes the one in front, as it would in
Excel. This module is the window's logic without tkinter (addin/launcher_window.py draws it), so that a test calls
it the way the window's buttons do.
"""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from addin.buttons import BUTTONS, GROUPS, Button
from addin.failure_log import log_failure
from addin.dispatch import Reply, dispatch, module_title, output_folder
from engine.errors import Refused
from storage.settings import configured
from workbooks.file_book import FileBook

WORKBOOKS = (".xlsx", ".xlsm")
SAVE_FIRST = "在 WPS 或 Excel 中修改工作簿后，请先保存（Ctrl+S），再点下面的按钮：按钮读的是保存在磁盘上的文件。"
HINTS_UNWRITTEN = ("工作簿正在 WPS 或 Excel 中打开，未能写入“提示”工作表；问题已列在上面。"
                   "如需带链接的“提示”表：关闭该工作簿，再点一次按钮。")
HINTS_LEFT = "工作簿正在 WPS 或 Excel 中打开，其中旧的“提示”工作表未能删除：关闭工作簿后可手动删除它。"


def open_file(path: Path) -> None:
    """Open a file or folder in its program, as a double-click would (WPS or Excel, the browser, Explorer)."""
    if sys.platform == "win32":
        os.startfile(path)  # noqa: S606 (a path the action wrote, opened as the user's double-click would)
    else:
        opener = "open" if sys.platform == "darwin" else "xdg-open"
        subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class LauncherBook(FileBook):
    """The chosen file, as the ribbon's book; a file another program holds open (Excel and WPS lock what they
    have open on Windows) gets no 提示 sheet, and the launcher says so instead of failing after a saved submission."""

    def __init__(self, path: Path | None):
        super().__init__(path)
        self.notes: list[str] = []

    def write_hints(self, rows) -> None:
        """The 提示 sheet, or a note when the file is held open (the dispatcher then leaves out its pointer to it)."""
        try:
            super().write_hints(rows)
        except PermissionError:
            self.notes.append(HINTS_UNWRITTEN)
            raise

    def clear_hints(self) -> None:
        """Remove the 提示 sheet after a good submission; a held file keeps it, and the note says so."""
        try:
            super().clear_hints()
        except PermissionError:
            self.notes.append(HINTS_LEFT)


@dataclass(frozen=True)
class Answer:
    """What the window shows after a click: the ribbon's reply, the files it opened, and the launcher's own notes."""

    reply: Reply
    opened: tuple[Path, ...] = ()
    notes: tuple[str, ...] = ()


class Launcher:
    """One user's launcher: who acts (cmw.conf's CMW_USER unless given), where new files go, the workbook in front."""

    def __init__(self, user: str | None = None, folder: Path | None = None, *, opener: Callable | None = None,
                 show: Callable[[Path], None] = open_file):
        self.user = user or configured("CMW_USER")
        self.folder = folder or output_folder()
        self.current: Path | None = None
        self._opener = opener
        self._show = show
        self._asked = None

    def who(self) -> str:
        """The acting user as messages name them, or why they cannot act (no user set, unknown, no database)."""
        actor, trouble = self._acting()
        return actor.label if actor else trouble

    def _acting(self):
        """(the actor, None) or (None, why not), asked of the database once per window (a server that does not
        answer costs its connect timeout once, not once per question)."""
        if self._asked is None:
            from addin.app import open_app

            try:
                self._asked = ((self._opener or open_app)().actor(self.user), None)
            except Refused as refusal:
                self._asked = (None, refusal.message)
            except Exception:  # the database is down, or the address in cmw.conf is wrong: said, and logged in full
                where = log_failure("launcher start", "")
                self._asked = (None, f"无法连接数据库，按钮暂时不能使用。请检查网络，或请管理员检查 cmw.conf 中的数据库地址。{where}")
        return self._asked

    def buttons(self) -> dict[str, list[Button]]:
        """The ribbon's buttons by group, those of the user's role only (all of them when the role is unknown)."""
        actor, _ = self._acting()
        role = actor.role if actor else None
        shown = {group: [b for b in BUTTONS.values() if b.group == group and (role is None or role in b.roles)]
                 for group in GROUPS}
        return {group: buttons for group, buttons in shown.items() if buttons}

    def choose(self, path: Path | None) -> str:
        """Make path the workbook in front (None: none, as a blank workbook); what it is, in a sentence."""
        if path is not None:
            path = Path(path)
            if path.suffix.lower() not in WORKBOOKS:
                raise Refused(f"{path.name} 不是 Excel 工作簿（.xlsx）。请选择本系统导出的工作簿。")
            if not path.is_file():
                raise Refused(f"找不到文件 {path}。")
        self.current = path
        return self.describe()

    def describe(self) -> str:
        """The workbook in front: its name, what it is, whose and when it was saved; or that none is chosen."""
        if self.current is None:
            return "未选择工作簿（导出类按钮不需要工作簿）。"
        from addin.book import book_meta

        if not self.current.is_file():
            return f"{self.current.name}：文件已不存在（被移动或删除）。请重新选择工作簿。"
        try:
            meta = book_meta(FileBook(self.current))
        except Refused as refusal:
            return f"{self.current.name}：{refusal.message}"
        saved = datetime.fromtimestamp(self.current.stat().st_mtime)
        what = module_title(meta.module if meta else None)
        whose = f"，{meta.owner}" if meta and meta.owner else ""
        period = f"，{meta.period}" if meta and meta.period else ""
        return f"{self.current.name}（{what}{whose}{period}；保存于 {saved:%m-%d %H:%M:%S}）"

    def click(self, tag: str) -> Answer:
        """A button, as the ribbon's: dispatched on the workbook in front; what it wrote is opened, and a workbook it
        exported becomes the one in front."""
        book = LauncherBook(self.current)
        reply = dispatch(tag, book, user=self.user, folder=self.folder, opener=self._opener)
        notes = list(book.notes)
        for path in book.opened:
            try:
                self._show(path)
            except OSError:
                notes.append(f"无法自动打开 {path}：请在文件夹中双击打开它。")
        workbooks = [p for p in book.opened if p.suffix.lower() in WORKBOOKS and p != self.current]
        if len(workbooks) == 1:
            self.current = workbooks[0]
            notes.append(f"当前工作簿已换成刚导出的 {workbooks[0].name}：修改、保存后可直接点“提交”。")
        return Answer(reply, tuple(book.opened), tuple(notes))
