"""What every worksheet function shares: a lazily opened database, and answers that never raise into Excel."""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, TypeVar
from weakref import WeakKeyDictionary

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


T = TypeVar("T")
_KEPT: WeakKeyDictionary = WeakKeyDictionary()  # per opened database (its session factory): key → value


def kept(key: tuple, compute: Callable[[], T]) -> T:
    """A value of the opened database that never changes once written (a rubric version's labels: versions are kept
    as they are, a new rubric is a new version), computed at its first call in this process: Excel calls a worksheet
    function for every cell of a column, each call ≤ 5 ms."""
    memo = _KEPT.setdefault(_sessions(), {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


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
