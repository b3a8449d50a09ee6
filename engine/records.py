"""A record handed in by a user (a workbook row or an imported line) and the result of handling it."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Record:
    """One row as the user left it: where it is, its raw values by field, and each field's cell."""

    sheet: str
    number: int
    values: dict[str, object]
    cells: dict[str, str]


#: How a partly saved action's answer begins, on screen and in the archive.
PARTIAL = "部分保存"


@dataclass(frozen=True)
class Outcome:
    """What an accepted action did, in Chinese, for a message box or the command line; partial when some of what
    was handed in was saved and some refused (its message then starts with PARTIAL)."""

    message: str
    details: tuple[str, ...] = field(default_factory=tuple)
    changed: int = 0
    partial: bool = False

    def lines(self) -> list[str]:
        """The summary first, then the details."""
        return [self.message, *self.details]
