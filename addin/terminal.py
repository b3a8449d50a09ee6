"""What the command line says and draws: lines of Chinese text (say) and the exit codes that go with them, tables
whose columns line up with Chinese text, and a progress bar that only animates for a person watching a terminal (a
log file or a pipe gets one plain line per step, no "\\r" frames). The command modules and the CLI's entry point
both take these from here, so that no command module imports the CLI that discovers it.

Tables and bar come from rich, which measures East Asian wide characters as two cells and knows whether a stream is a
terminal; nothing here is built at import time (Excel imports our modules when it starts).
"""
from __future__ import annotations

import io
import shutil
import sys
from typing import Iterable, Sequence

EXIT_REFUSED = 2
EXIT_FAILED = 1
EXIT_PARTIAL = 3  # part of what was handed in was saved, the rest refused (listed)

#: Wide enough that a table written to a file or a pipe is never wrapped (rich assumes 80 columns there).
_UNWRAPPED = 10_000


def say(lines, stream=None) -> None:
    """Print lines of Chinese text."""
    stream = stream or sys.stdout
    for line in lines:
        print(line, file=stream)


def table_lines(headers: Sequence[str], rows: Iterable[Sequence[object]], *, numeric: Iterable[int] = ()) -> list[str]:
    """A table as lines of text, columns aligned by display width (a Chinese character takes two cells);
    the columns numbered in numeric are right-aligned."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    right = set(numeric)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="", highlight=False)
    for n, header in enumerate(headers):
        table.add_column(header, justify="right" if n in right else "left", no_wrap=True)
    for row in rows:
        table.add_row(*("" if value is None else str(value) for value in row))
    width = shutil.get_terminal_size((_UNWRAPPED, 24)).columns if sys.stdout.isatty() else _UNWRAPPED
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, force_terminal=False, emoji=False,
            markup=False, highlight=False).print(table)
    return [line.rstrip() for line in buffer.getvalue().splitlines() if line.strip()]


class ProgressBar:
    """A progress callback (steps done, steps in all, what it is at): a live bar on a terminal, otherwise one
    line per step, so that logs and pipes read like a list."""

    def __init__(self, stream=None):
        self._stream = stream
        self._live = None
        self._task = None

    def _console(self):
        from rich.console import Console

        return Console(file=self._stream or sys.stderr, emoji=False, markup=False, highlight=False)

    def __call__(self, done: int, total: int, label: str) -> None:
        if self._live is None:
            console = self._console()
            if not console.is_terminal:
                print(f"[{done}/{total}] {label}".rstrip(), file=self._stream or sys.stderr, flush=True)
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._live = Progress(BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                                  console=console, transient=False)
            self._live.start()
            self._task = self._live.add_task(label, total=total)
        self._live.update(self._task, completed=done, total=total, description=label)
        if done >= total:
            self._live.stop()
            self._live = None
