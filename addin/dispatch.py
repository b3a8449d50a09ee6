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
import traceback
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from engine.actors import Actor, Role
from engine.document_types import document_types
from engine.errors import Refused
from workbooks.meta import Meta

CM_BOOKS = ("capability", "district", "bigtable")  # one CM's month (and every declared document type's)
MONTH_BOOKS = (*CM_BOOKS, "review")  # workbooks of one month
MAX_LINES = 25  # a message box taller than the screen hides its OK button
HINTS_NOTE = "全部问题已写入“提示”工作表，点击其中的位置可跳到对应单元格。"


@dataclass
class Click:
    """One button click: who, on which workbook (and its _meta), and where new files go."""

    app: object
    actor: Actor
    book: object
    meta: Meta | None
    folder: Path

    @property
    def module(self) -> str | None:
        """The module of the workbook in front (None for a blank or foreign workbook)."""
        return self.meta.module if self.meta else None

    def month(self) -> str:
        """The month of a CM's workbook in front, else this month."""
        if self.meta and (self.module in MONTH_BOOKS or self.module in document_types()) and self.meta.period:
            return self.meta.period
        return f"{date.today():%Y-%m}"

    def cm(self) -> str:
        """Whose month: the owner of the CM workbook in front, else the acting CM; Refused for others without one."""
        cms = self.cms()
        if cms is None:
            raise Refused(f"{self.actor.label}请先打开要处理的客户经理的工作簿（经营能力评分表、片区统计或大表），再点这个按钮。")
        return cms[0]

    def cms(self) -> list[str] | None:
        """Whose month a button for many works on: the owner of the CM workbook in front, else the acting CM; for a
        market manager (or admin) without one, None — every CM in their scope."""
        if self.meta and (self.module in CM_BOOKS or self.module in document_types()):
            return [self.meta.owner]
        if self.actor.role is Role.CM:
            return [self.actor.code]
        return None

    def output(self, title: str, suffix: str = ".xlsx", who: str | None = None) -> Path:
        """A new file in the output folder, named by title, whose, and the time (never overwrites an open file)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = f"{title}-{who or self.actor.code}-{datetime.now():%Y%m%d-%H%M%S}"
        target, n = self.folder / f"{stem}{suffix}", 1
        while target.exists():
            n += 1
            target = self.folder / f"{stem}-{n}{suffix}"
        return target


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

    titles = {"district": "片区统计", "review": "审核表", "bigtable": "任务执行标注表"}
    if module is None:
        return "空白或非本系统导出的工作簿"
    return LAYOUTS[module].title if module in LAYOUTS else titles.get(module, module)


def _ribbon_words(lines: list[str]) -> tuple[str, ...]:
    """Command-line advice in a handler's answer, said as the button that does the same (the general one first)."""
    from addin.actions import ACTIONS

    buttons: dict[str, str] = {}
    for action in sorted(ACTIONS.values(), key=lambda a: a.modules not in (None, ("*",))):
        for command in filter(None, action.cli.split(" / ")):
            buttons.setdefault(command, action.label)
    said = []
    for line in lines:
        for command, label in buttons.items():
            line = re.sub(r"(运行：?|用)\s*" + re.escape(command) + r"(\s+(?!…)[^\s，。；）]+)*", f"点“{label}”", line)
        said.append(line)
    return tuple(said)


def _check(action, meta, actor) -> None:
    """Refused when the action does not apply to the workbook in front, or the user's role may not use it."""
    module = meta.module if meta else None
    if not action.applies_to(module):
        wanted = "本系统导出的工作簿" if action.modules == ("*",) else "、".join(module_title(m) for m in action.modules)
        raise Refused(f"“{action.label}”不适用于当前工作簿（{module_title(module)}）。请先打开{wanted}，再点“{action.label}”。")
    if actor.role not in action.roles:
        allowed = "、".join(role.label for role in action.roles)
        raise Refused(f"“{action.label}”只能由{allowed}使用，{actor.label}不能使用。")


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
    """Append the current exception to the log; the sentence that tells the user where it is."""
    from addin.cli import log_path

    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8", errors="backslashreplace") as log:
            log.write(f"{datetime.now():%Y-%m-%d %H:%M:%S} ribbon {what} failed:\n{traceback.format_exc()}\n")
        return f"详细信息已记录在 {path}，请发给管理员。"
    except OSError:
        return "请把操作和时间告诉管理员。"


def dispatch(tag: str, book, *, user: str | None = None, folder: Path | None = None,
             opener: Callable | None = None) -> Reply:
    """Run the action tagged tag on book for the configured user; the answer, never an exception."""
    from addin.actions import ACTIONS

    action = ACTIONS.get(tag)
    if action is None:
        return Reply(False, (f"按钮“{tag}”在本版本中不存在。请升级加载项：cmw addin install。",))
    try:
        from addin.app import open_app
        from addin.book import book_meta

        meta = book_meta(book)
        app = (opener or open_app)()
        actor = app.actor(user or configured("CMW_USER"))
        _check(action, meta, actor)
        outcome = action.run(Click(app, actor, book, meta, folder or output_folder()))
        return Reply(True, _ribbon_words(outcome.lines()), outcome.partial)
    except Refused as refusal:
        return _refused(book, refusal)
    except Exception as exc:
        where = _log(tag)
        return Reply(False, (f"程序出错，“{action.label}”未完成：{type(exc).__name__}。", where))


def configured(key: str) -> str | None:
    """A setting from the environment, else from the add-in's user config file (cmw addin install writes it)."""
    from addin.install import read_config, user_config_path

    value = os.environ.get(key, "").strip()
    return value or read_config(user_config_path()).get(key.upper()) or None


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
    reply = dispatch(tag, book)
    try:
        book.alert(reply.text(), ok=reply.ok and not reply.partial)
    except Exception:
        _log(f"{tag} (message box)")
        print(reply.text(), file=sys.stderr)
        raise SystemExit(1) from None
