"""The administrator's log of unexpected failures (cmw.log): one writer for the command line and the ribbon alike."""
from __future__ import annotations

import traceback
from datetime import datetime
from pathlib import Path

from storage.settings import default_sqlite_path


def log_path() -> Path:
    """Where unexpected errors are written in full, for the administrator."""
    return default_sqlite_path().parent / "logs" / "cmw.log"


def log_failure(what: str, otherwise: str) -> str:
    """Append the traceback being handled, headed by what failed; the sentence that tells the user where it went
    (otherwise, when the log cannot be written)."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # appended directly: logging.basicConfig does nothing once anything else has configured logging
        with path.open("a", encoding="utf-8", errors="backslashreplace") as log:  # a GBK file name too
            log.write(f"{datetime.now():%Y-%m-%d %H:%M:%S} {what} failed:\n{traceback.format_exc()}\n")
        return f"详细信息已记录在 {path}，请发给管理员。"
    except OSError:
        return otherwise
