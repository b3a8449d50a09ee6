"""The ribbon's dispatcher: a button's tag → its action, checked against the workbook and the user, run, answered in Chinese.

Excel's one VBA callback runs `import addin.dispatch; addin.dispatch.run_from_excel('TAG')` through xlwings'
RunPython; `cmw addin run TAG FILE` and the tests call dispatch() with the file adapter. The user never sees a
traceback: refusals are listed (and written to the 提示 sheet with links to their cells), anything unexpected is one
sentence, with the details in the log for the administrator.
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from addin.buttons import BUTTONS
from addin.click import Click
from storage.settings import configured
from addin.failure_log import log_failure
from engine.errors import Refused
from engine.policy import require

MAX_LINES = 25  # a message box taller than the screen hides its OK button
HINTS_NOTE = "全部问题已写入“提示”工作表，点击其中的位置可跳到对应单元格。"


@dataclass(frozen=True)
class Reply:
    """What the user is told: accepted or refused, in lines of Chinese text."""

    ok: bool
    lines: tuple[str, ...]
    partial: bool = False  # accepted in part: the rest was refused (the first line says 部分保存)

    def text(self) -> str:
        """The lines for a message box, shortened to what fits on a screen."""
        lines = list(self.lines)
        if len(lines) > MAX_LINES:
            rest = len(lines) - MAX_LINES + 1
            lines = lines[: MAX_LINES - 1] + [f"……另有 {rest} 条，见“提示”工作表。"]
        return "\n".join(lines)


def module_title(module: str | None) -> str:
    """A module's workbook as users call it."""
    from workbooks.registry import LAYOUTS

    from engine.document_types import document_types

    titles = {"district": "片区统计", "review": "审核表", "bigtable": "任务执行标注表"}
    if module is None:
        return "空白或非本系统导出的工作簿"
    kinds = document_types()
    return LAYOUTS[module].title if module in LAYOUTS else kinds[module].title if module in kinds else \
        titles.get(module, module)


def _ribbon_words(lines: list[str]) -> tuple[str, ...]:
    """Command-line advice in a handler's answer, said as the button that does the same (the general one first)."""
    buttons: dict[str, str] = {}
    for action in sorted(BUTTONS.values(), key=lambda a: a.modules not in (None, ("*",))):
        for command in filter(None, action.cli.split(" / ")):
            buttons.setdefault(command, action.label)
    said = []
    for line in lines:
        for command, label in buttons.items():
            line = re.sub(r"(运行：?|用)\s*" + re.escape(command) + r"(\s+(?!…)[^\s，。；）]+)*", f"点“{label}”", line)
        said.append(line)
    return tuple(said)


def _check(action, meta, actor) -> None:
    """Refused when the user's role may not do the button's act at all (the policy says so, and who may), or the
    button does not apply to the workbook in front. Whose things they may do it to is the use case's to refuse."""
    require(actor, action.act)
    module = meta.module if meta else None
    if not action.applies_to(module):
        wanted = "本系统导出的工作簿" if action.modules == ("*",) else "、".join(module_title(m) for m in action.modules)
        raise Refused(f"“{action.label}”不适用于当前工作簿（{module_title(module)}）。请先打开{wanted}，再点“{action.label}”。")


def _refused(book, refusal: Refused) -> Reply:
    lines = list(refusal.lines())
    if refusal.findings:
        from addin.book import hint_rows

        try:
            book.write_hints(hint_rows(refusal.message, refusal.findings))
            lines.insert(1, HINTS_NOTE)
        except Exception:  # the list is in the message box anyway; a read-only workbook must not hide it
            _log("write_hints")
    return Reply(False, _ribbon_words(lines))


def _log(what: str) -> str:
    """Append the current exception to the administrator's log; the sentence that tells the user where it is."""
    return log_failure(f"ribbon {what}", "请把操作和时间告诉管理员。")


def press(action, book, app, actor, folder: Path):
    """Run a button for the actor on the book in front: its outcome, or the refusal raised (dispatch answers it)."""
    from addin.book import book_meta

    meta = book_meta(book)
    _check(action, meta, actor)
    return action.run(Click(app, actor, book, meta, folder))


def dispatch(tag: str, book, *, user: str | None = None, folder: Path | None = None,
             opener: Callable | None = None) -> Reply:
    """Run the action tagged tag on book for the configured user; the answer, never an exception."""
    action = BUTTONS.get(tag)
    if action is None:
        return Reply(False, (f"按钮“{tag}”在本版本中不存在。请升级加载项：cmw addin install。",))
    try:
        from addin.app import open_app

        app = (opener or open_app)()
        outcome = press(action, book, app, app.actor(user or configured("CMW_USER")), folder or output_folder())
        return Reply(True, _ribbon_words(outcome.lines()), outcome.partial)
    except Refused as refusal:
        return _refused(book, refusal)
    except Exception as exc:
        from storage.database import database_trouble

        where = _log(tag)
        trouble = database_trouble(exc)
        if trouble:  # the server rolled the click's action back: to be retried, not a bug (logged all the same)
            return Reply(False, (trouble,))
        return Reply(False, (f"程序出错，“{action.label}”未完成：{type(exc).__name__}。", where))


def output_folder() -> Path:
    """Where the ribbon's exports go: CMW_OUTPUT_DIR, else Documents\\客户经理工作法."""
    chosen = configured("CMW_OUTPUT_DIR")
    return Path(chosen) if chosen else Path.home() / "Documents" / "客户经理工作法"


def run_from_excel(tag: str) -> None:
    """The VBA callback's entry: answer in a message box over Excel; only if even that fails, one line on stderr."""
    try:
        database = configured("CMW_DATABASE_URL")
        if database:
            os.environ["CMW_DATABASE_URL"] = database
        from addin.xlwings_book import XlwingsBook

        book = XlwingsBook.caller()
    except Exception:
        where = _log(f"{tag} (connecting to Excel)")
        print(f"客户经理工作法：无法连接 Excel，操作未完成。{where}", file=sys.stderr)
        raise SystemExit(1) from None
    button = BUTTONS.get(tag)
    _status(book, f"客户经理工作法：正在运行“{button.label if button else tag}”，请稍候……")
    try:
        reply = dispatch(tag, book)
    finally:
        _status(book, None)
    try:
        book.alert(reply.text(), ok=reply.ok and not reply.partial)
    except Exception:
        _log(f"{tag} (message box)")
        print(reply.text(), file=sys.stderr)
        raise SystemExit(1) from None


def _status(book, text: str | None) -> None:
    """Excel's status bar while a button runs; a status bar that cannot be set never stops the action."""
    try:
        book.status(text)
    except Exception:
        _log("status bar")
