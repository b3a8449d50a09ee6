"""The composition root: settings → database engine → units of work, and who is acting."""
from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from engine.actors import Actor
from engine.errors import Refused
from storage.database import make_engine, require_current_schema, session_factory
from storage.unit_of_work import SqlUnitOfWork


@dataclass
class App:
    """What one command (or one ribbon click) works with."""

    engine: Engine
    sessions: sessionmaker[Session]

    def uow(self) -> SqlUnitOfWork:
        """A fresh unit of work: one user action."""
        return SqlUnitOfWork(self.sessions)

    def actor(self, code: str | None) -> Actor:
        """The acting user from --as or CMW_USER; Refused when unknown."""
        code = (code or os.environ.get("CMW_USER", "")).strip()
        if not code:
            raise Refused("请用 --as 指定操作人（例如 --as cm001），或设置环境变量 CMW_USER。")
        with self.uow() as uow:
            actor = uow.users.actor(code)
        if actor is None:
            raise Refused(f"用户“{code}”不存在。运行 cmw users list 查看全部用户。")
        return actor


def open_app(url: str | None = None, *, check_schema: bool = True) -> App:
    """Connect to the configured database; by default refuse when its schema is missing or old."""
    engine = make_engine(url)
    if check_schema:
        require_current_schema(engine)
    return App(engine, session_factory(engine))
