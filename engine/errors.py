"""Findings (validation results as data) and refusals (an action the user may not take)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One problem in what a user handed in: where it is, what is wrong, what to do."""

    code: str
    message: str
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None

    def where(self) -> str:
        """The place as a user reads it: 工作表!单元格, or 第 N 行 / 列 for imported files."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        parts = []
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"“{self.column}”列")
        return "，".join(parts)

    @classmethod
    def at(cls, code: str, message: str, where: tuple[str, str] | None, column: str) -> "Finding":
        """A finding at its cell (sheet, cell) where the file has one; else naming the column of what it is about — a
        value the file does not show (added meanwhile by someone else, or its row deleted)."""
        if where:
            return cls(code, message, sheet=where[0], cell=where[1])
        return cls(code, message, column=column)

    def text(self) -> str:
        """One line for a message box, a 提示 sheet or the command line (a long value cut, see shorten)."""
        where = self.where()
        shown = "" if self.value in (None, "") else f"（填写的值：{shorten(self.value)}）"
        return f"【{where}】{self.message}{shown}" if where else f"{self.message}{shown}"


#: How much of a value a message shows, and how many findings a refusal lists (the rest are counted): a file with
#: 100,000 bad cells gets a refusal a user can read, not 177 MB of lines.
VALUE_SHOWN = 60
FINDINGS_LISTED = 200


def shorten(value: object) -> str:
    """A value as a message shows it: at most VALUE_SHOWN characters, then …."""
    text = str(value)
    return text if len(text) <= VALUE_SHOWN else text[:VALUE_SHOWN] + "…"


class Refused(Exception):
    """An action the user may not take now; says why and, where known, every finding."""

    def __init__(self, message: str, findings: tuple[Finding, ...] | list[Finding] = (), *, total: int | None = None):
        super().__init__(message)
        self.message = message
        findings = tuple(findings)
        self.total = max(total or 0, len(findings))  # how many there were; at most FINDINGS_LISTED are kept
        # cut only when a count line saves something (one more finding is listed rather than counted)
        self.findings = findings[:FINDINGS_LISTED] if len(findings) > FINDINGS_LISTED + 1 else findings

    def lines(self) -> list[str]:
        """The refusal as lines of Chinese text, the summary first, then the findings kept and how many more."""
        more = self.total - len(self.findings)
        return [self.message, *(f.text() for f in self.findings),
                *([f"……另有 {more:,} 处问题未列出（共 {self.total:,} 处）；请先改正以上各处，再提交一次即可看到其余的。"]
                  if more else [])]


class NotAllowed(Refused):
    """A refusal because of who is acting: the policy (engine/policy.py) does not let them do this."""


#: What the operating system says of a file, in the user's words (its own text is English on most machines).
_OS_REASONS = {2: "文件或文件夹不存在", 13: "没有权限（文件可能正被 Excel 或其他程序打开，或文件夹只读）",
               17: "已经存在", 20: "路径中有一部分不是文件夹", 21: "这是一个文件夹，不是文件",
               28: "磁盘空间不足", 30: "磁盘或文件夹只读", 36: "文件名太长"}


def os_reason(exc: OSError) -> str:
    """Why a file could not be read or written, in Chinese (the system's own words for a reason not known here)."""
    return _OS_REASONS.get(exc.errno or -1, exc.strerror or str(exc))
