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

    def text(self) -> str:
        """One line for a message box, a 提示 sheet or the command line."""
        where = self.where()
        shown = "" if self.value in (None, "") else f"（填写的值：{self.value}）"
        return f"【{where}】{self.message}{shown}" if where else f"{self.message}{shown}"


class Refused(Exception):
    """An action the user may not take now; says why and, where known, every finding."""

    def __init__(self, message: str, findings: tuple[Finding, ...] | list[Finding] = ()):
        super().__init__(message)
        self.message = message
        self.findings = tuple(findings)

    def lines(self) -> list[str]:
        """The refusal as lines of Chinese text, the summary first."""
        return [self.message, *(f.text() for f in self.findings)]
