"""What every worksheet function shares: a lazily opened database, and answers that never raise into Excel."""
from __future__ import annotations

import time
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, TypeVar

from engine.errors import Refused
from engine.periods import parse_month

if TYPE_CHECKING:  # the database layer is imported at the first call, not when Excel imports the functions
    from storage.unit_of_work import SqlUnitOfWork


@lru_cache(maxsize=1)
def _sessions():
    # Opened on the first call, never at import: Excel imports this module when it starts. The database is the
    # environment's CMW_DATABASE_URL, else cmw.conf's, read here: Excel hands this process nothing.
    from storage.database import make_engine, require_current_schema, session_factory
    from storage.settings import configured

    engine = make_engine(configured("CMW_DATABASE_URL"))
    require_current_schema(engine)
    return session_factory(engine)


def unit_of_work() -> SqlUnitOfWork:
    """A read-only unit of work on the configured database (never committed)."""
    from storage.unit_of_work import SqlUnitOfWork

    return SqlUnitOfWork(_sessions())


#: Seconds a worksheet function keeps what it read (kept): one recalculation of a sheet reads each thing once; data
#: imported meanwhile shows at the first recalculation (F9) once this long has passed.
KEPT_FOR = 60.0
_kept: dict[object, tuple[float, object]] = {}
T = TypeVar("T")


def kept(key: tuple, read: Callable[[], T]) -> T:
    """What read() answers, kept in this process for KEPT_FOR seconds per database and key; a refusal is not kept
    (the user fixes its cause and recalculates)."""
    sessions, now = _sessions(), time.monotonic()
    if _kept.get(None, (0.0, None))[1] is not sessions:  # another database (cmw.conf changed, a test): start afresh
        _kept.clear()
        _kept[None] = (now, sessions)
    found = _kept.get(key)
    if found is None or now - found[0] > KEPT_FOR:
        if len(_kept) > 10_000:
            _kept.clear()
            _kept[None] = (now, sessions)
        found = _kept[key] = (now, read())
    return found[1]  # type: ignore[return-value]


def month_text(value: object) -> str:
    """A month from a cell: 2026-11, 2026/11, or a date (Excel passes dates as datetime)."""
    if isinstance(value, (date, datetime)):
        return f"{value:%Y-%m}"
    year, mon = parse_month(str(value).strip().replace("/", "-")[:7])
    return f"{year}-{mon:02d}"


def code_text(value: object) -> str:
    """A code from a cell: numbers typed without a leading apostrophe come as floats (440101000001.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value or "").strip()


def answer(compute: Callable[[], object]) -> object:
    """The value, or '#错误: …' text a user can read in the cell; a worksheet function never raises."""
    try:
        return compute()
    except Refused as refusal:
        return f"#错误: {refusal.message}"
    except ValueError as exc:
        return f"#错误: {exc}"
    except Exception as exc:  # a cell shows a sentence, not a traceback
        return f"#错误: 程序出错（{type(exc).__name__}），请联系管理员"
