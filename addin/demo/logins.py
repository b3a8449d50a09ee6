"""The demo on PostgreSQL plays its month with the users' own database logins, as the company's PCs would: every
user gets a login (`cmw users grant`), and each act runs on its actor's own connection, so the database — its
row-level security and its state function — decides what each may do, not the demo."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url

from addin.app import App
from addin.handlers.logins import grant
from engine.actors import Actor, Role
from storage.database import make_engine, session_factory
from storage.schema import User

#: Where the demo keeps its users' logins and passwords (a demo's: real ones are handed to each person).
LOGINS_FILE = "数据库账号.csv"


@dataclass
class PersonalLogins(App):
    """An App whose every actor acts through their own login: naming an actor signs in as them."""

    url: str = ""
    passwords: dict[str, str] = field(default_factory=dict)
    _people: dict[str, tuple] = field(default_factory=dict, repr=False)

    def actor(self, code: str | None) -> Actor:
        """Sign in as the user (their own connection from now on) and return them as the database sees them."""
        if not code or code not in self.passwords:
            return super().actor(code)
        if code not in self._people:
            url = make_url(self.url).set(username=code, password=self.passwords[code])
            engine = make_engine(url.render_as_string(hide_password=False))
            self._people[code] = (engine, session_factory(engine))
        self.engine, self.sessions = self._people[code]
        self._login = None
        return super().actor(code)

    def dispose(self) -> None:
        """Close every person's connections."""
        for engine, _ in self._people.values():
            engine.dispose()


def sign_everyone_in(engine: Engine, out: Path) -> PersonalLogins:
    """Grant every user of the demo company a login with a fresh password (kept in out/数据库账号.csv) and return
    the App that acts through them."""
    with engine.connect() as connection:
        people = [(code, name, Role(role)) for code, name, role in
                  connection.execute(select(User.code, User.name, User.role).order_by(User.code))]
    path = out / LOGINS_FILE
    path.unlink(missing_ok=True)  # the demo's own file from an earlier run
    done = grant(engine, people, passwords=path, no_password=False, reset=True)
    url = engine.url.render_as_string(hide_password=False)
    return PersonalLogins(engine, session_factory(engine), url=url, passwords={g.code: g.password for g in done})


def read_logins(out: Path) -> dict[str, str]:
    """The demo's logins and passwords as written by sign_everyone_in."""
    with (out / LOGINS_FILE).open(encoding="utf-8-sig", newline="") as stream:
        return {row["数据库账号"]: row["初始密码"] for row in csv.DictReader(stream)}
