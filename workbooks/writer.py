"""Many workbooks at once: each a BookJob (what builder.build_workbook takes, as plain data), written in a pool of
processes when there are enough of them to pay for starting it."""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from xlsxwriter.exceptions import FileCreateError

from workbooks.builder import Heading, SheetData, build_workbook
from workbooks.layout import BookLayout
from workbooks.meta import Meta


@dataclass(frozen=True)
class BookJob:
    """One workbook to write to a file: everything build_workbook takes, as plain data that pickles (for a worker)."""

    target: Path
    layout: BookLayout
    meta: Meta
    heading: Heading
    rows: dict[str, list[dict] | SheetData]


def build_job(job: BookJob) -> OSError | None:
    """Write one job's workbook; the OSError when its file cannot be written (open in Excel, no permission, disk)."""
    try:
        build_workbook(job.target, job.layout, job.meta, job.heading, job.rows)
    except FileCreateError as exc:  # XlsxWriter's wrapper of the OSError of writing the file
        cause = exc.args[0] if exc.args else None
        return cause if isinstance(cause, OSError) else OSError(str(exc))
    except OSError as exc:
        return exc
    return None


#: Fewer workbooks than this are written in the calling process: starting the workers would take longer.
POOL_FROM = 4


def _ready() -> None:
    """A worker's first task: nothing (unpickling it imports this module, and XlsxWriter with it)."""


class BookWriter:
    """Writes many workbooks, each BookJob as it is handed over, in a pool of os.cpu_count() processes when there are
    enough of them to pay for starting it, else in this process. Made before the caller reads its data, so that
    the workers start meanwhile; jobs handed over are written while the caller makes the next.

    The workers only build files from the jobs' data: they never open the database. They are started with "spawn"
    (a fresh interpreter that imports this module), never "fork", on every system: the calling process holds
    database connections (driver sockets, SQLite handles, SQLAlchemy's pool) and threads, which a forked child
    would inherit — a child tidying up an inherited connection can break the parent's, and forking a process with
    threads can deadlock on a lock held at that moment. Windows, where Excel runs, has only spawn anyway, so this is
    the path the users take. Starting costs a few tenths of a second per worker, in parallel, once per batch.
    Like any use of spawn, a script that gets here must start from `if __name__ == "__main__":`.
    """

    def __init__(self, count: int, workers: int | None = None):
        workers = min(workers or os.cpu_count() or 1, count)
        self._pool = None
        if workers >= 2 and count >= POOL_FROM:
            self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
            for _ in range(workers):  # one task each starts every worker now, not on the first jobs
                self._pool.submit(_ready)
        self._written: list[tuple[BookJob, Future | None]] = []

    def write(self, job: BookJob) -> None:
        """Hand a job over (written in this process at finish() when there is no pool)."""
        future = None
        if self._pool is not None:
            try:
                future = self._pool.submit(build_job, job)
            except BrokenProcessPool:  # no worker could start (a locked-down PC): written here, at finish()
                pass
        self._written.append((job, future))

    def finish(self) -> dict[Path, OSError]:
        """Wait for every job; the files that could not be written, with why."""
        failed: dict[Path, OSError] = {}
        for job, future in self._written:
            try:
                error = build_job(job) if future is None else future.result()
            except BrokenProcessPool:
                error = build_job(job)
            if error is not None:
                failed[job.target] = error
        self.close()
        return failed

    def close(self) -> None:
        """Stop the workers (what was not started yet is dropped: after finish(), nothing)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> "BookWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
