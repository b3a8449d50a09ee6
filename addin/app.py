"""The composition root: settings → database engine → units of work, and who is acting."""
from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.actors import Actor
from engine.errors import Refused

if TYPE_CHECKING:  # the database layer is imported when an App is opened, not when a command module is loaded:
    # `cmw --help` and `cmw --version` list and answer without SQLAlchemy (benchmarks/startup.py)
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from storage.kept import Kept
    from storage.unit_of_work import CheckingUnitOfWork, SqlUnitOfWork


@dataclass
class App:
    """What one command (or one ribbon click) works with."""

    engine: Engine
    sessions: sessionmaker[Session]
    _identity: tuple[str, str] | None = field(default=None, repr=False)
    _login: str | None = field(default=None, repr=False)
    _kept: Kept | None = field(default=None, repr=False)

    def database_identity(self) -> tuple[str, str]:
        """This database's identity and company name (stamped into every workbook's _meta), read once per App."""
        if self._identity is None:
            from engine.origin import database_identity

            self._identity = database_identity(self.uow())
        return self._identity

    @property
    def database_id(self) -> str:
        """This database's identity, for a workbook's _meta."""
        return self.database_identity()[0]

    def kept(self) -> Kept:
        """What this App's units of work read once and share (the unit tree, whether the database is secured):
        storage/kept.py says for how long."""
        if self._kept is None:
            from storage.kept import Kept

            self._kept = Kept()
        return self._kept

    def uow(self, *, wait_for_disk: bool = True) -> SqlUnitOfWork:
        """A fresh unit of work: one user action. wait_for_disk=False, for the many transactions of one submission
        (a review workbook's rows): on PostgreSQL its commit does not wait for the database's log to reach the disk
        (most of a small transaction's time on a busy disk) — still all or nothing, seen by everyone at once — and
        the submission's conclusion, a commit that waits, puts every one of them on disk before the user is told
        anything (the log is written in order: a commit on disk has every earlier commit on disk with it). A crash
        in between loses the tail of the rows, never part of one: the archived file, handed in again, applies them."""
        from storage.unit_of_work import SqlUnitOfWork

        return SqlUnitOfWork(self.sessions, self.kept(), wait_for_disk=wait_for_disk)

    def login(self) -> str | None:
        """The user whose personal database login this connection signed in with (`cmw users grant`), or None: on
        SQLite, and for a login that is no user (the tables' owner, an administrator's superuser), read once."""
        if self._login is None:
            from sqlalchemy import select

            from storage.schema import User
            from storage.logins import session_login

            self._login = ""
            if self.engine.dialect.name != "sqlite":
                with self.engine.connect() as connection:
                    name = session_login(connection)
                    if connection.scalar(select(User.code).where(User.code == name)) is not None:
                        self._login = name
        return self._login or None

    def actor(self, code: str | None) -> Actor:
        """The acting user. Signed in with a person's own login, that person (--as or CMW_USER may only repeat it);
        otherwise — SQLite's single user, or the tables' owner setting things up — whom --as or CMW_USER names.
        Refused when unknown."""
        code = (code or os.environ.get("CMW_USER", "")).strip()
        login = self.login()
        if login and code and code != login:
            raise Refused(f"您以数据库账号“{login}”登录，只能以自己的身份操作，不能以“{code}”的身份操作。"
                          f"请去掉 --as {code}（或改正环境变量 CMW_USER），或用该用户自己的账号登录。")
        code = login or code
        if not code:
            raise Refused("请用 --as 指定操作人（例如 --as cm001），或设置环境变量 CMW_USER。")
        with self.uow() as uow:
            actor = uow.users.actor(code)
        if actor is None:
            raise Refused(f"用户“{code}”不存在。运行 cmw users list 查看全部用户。")
        return actor


@dataclass
class CheckingApp(App):
    """The same database, but every unit of work is rolled back: an action run on it checks and changes nothing."""

    def uow(self, *, wait_for_disk: bool = True) -> CheckingUnitOfWork:
        """A unit of work that is never committed."""
        from storage.unit_of_work import CheckingUnitOfWork

        return CheckingUnitOfWork(self.sessions, self.kept(), wait_for_disk=wait_for_disk)


def open_app(url: str | None = None, *, check_schema: bool = True) -> App:
    """Connect to the configured database; by default refuse when its schema is missing or old."""
    from storage.database import make_engine, require_current_schema, session_factory

    engine = make_engine(url)
    if check_schema:
        require_current_schema(engine)
    _freeze_once()
    return App(engine, session_factory(engine))


def _freeze_once() -> None:
    """Hide what is alive at the first opening (~110,000 objects of the modules: SQLAlchemy, pandas, openpyxl…)
    from the garbage collector, once per process: a full collection walking them in the middle of a user's action
    cost 66–110 ms on one submitted big table in three (ingest p95 157 → 63 ms on PostgreSQL). Only once: frozen
    objects are never freed, and a process that opens the app again and again (the ribbon, the tests) must not
    keep every engine and its connections."""
    global _FROZEN
    if not _FROZEN:
        gc.freeze()
        _FROZEN = True


_FROZEN = False
