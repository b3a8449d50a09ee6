"""Each person's own database login (`cmw users grant | revoke`): a PostgreSQL login role named by their user code
in the group of their role (storage/security.py declares the groups and what they may do; MariaDB's accounts are
storage/security_mariadb.py), and which login a connection signed in with."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text

from engine.errors import Refused
from storage.security import GROUPS, secure

#: A login role's name: a user code as the organisation import accepts it, lower case (PostgreSQL folds names).
LOGIN_NAME = re.compile(r"^[a-z0-9_][a-z0-9_.-]{0,62}$")


@dataclass(frozen=True)
class Login:
    """A person's database login to grant: their user code, role group, how they sign in, and whether an existing
    login's password is replaced (else only a new login gets one: re-granting everyone changes nobody's password)."""

    code: str
    group: str
    password: str | None  # None: no password (certificate or Kerberos sign-in, set up in pg_hba.conf)
    reset: bool = False


def grant_logins(engine: Engine, logins: list[Login]) -> list[str]:
    """Create or update each person's login role (SCRAM password, or none for certificate / Kerberos sign-in) as a
    member of exactly their role's group, the database secured first; the codes whose login is new."""
    secure(engine)
    backend = engine.url.get_backend_name()
    if backend in ("mysql", "mariadb"):
        from storage.security_mariadb import grant_mariadb_logins

        return grant_mariadb_logins(engine, logins)
    created = []
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL password_encryption = 'scram-sha-256'"))
        for login in logins:
            check_name(login.code)
            exists = connection.execute(text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :name"),
                                        {"name": login.code}).first()
            if exists and exists[0]:
                raise Refused(f"数据库里已有名为“{login.code}”的账号，而且它是超级用户或可绕过行级安全，不能用作个人账号，"
                              f"没有授予任何账号。请数据库管理员改名或取消它的这些权限后再运行。")
            if not exists:
                connection.execute(text(f'DO $$ BEGIN CREATE ROLE "{login.code}"; '
                                        f'EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$'))
                created.append(login.code)
            password = ""
            if not exists or login.reset:
                password = " PASSWORD " + ("NULL" if login.password is None else _literal(connection, login.password))
            connection.execute(text(f'ALTER ROLE "{login.code}" LOGIN NOCREATEDB NOCREATEROLE INHERIT{password}'))
            for group in GROUPS.values():
                verb = "GRANT {group} TO" if group == login.group else "REVOKE {group} FROM"
                connection.execute(text(verb.format(group=group) + f' "{login.code}"'))
    return created


def revoke_login(engine: Engine, code: str) -> bool:
    """Take a person's login away (they left, or changed role and get a new one); whether there was one."""
    check_name(code)
    backend = engine.url.get_backend_name()
    if backend in ("mysql", "mariadb"):
        from storage.security_mariadb import revoke_mariadb_login

        return revoke_mariadb_login(engine, code)
    with engine.begin() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": code}):
            return False
        connection.execute(text(f'DROP ROLE "{code}"'))
        return True


def check_name(code: str) -> None:
    if not LOGIN_NAME.match(code):
        raise Refused(f"用户编码“{code}”不能用作数据库账号名：只能含小写字母、数字、下划线、点和连字符，最长 63 个字符。")


def _literal(connection: Connection, value: str) -> str:
    """A string as a quoted SQL literal (CREATE ROLE takes no bound parameters)."""
    return connection.scalar(text("SELECT quote_literal(:value)"), {"value": value})


def session_login(connection: Connection) -> str:
    """The database login this connection signed in with (PostgreSQL's session_user; MariaDB's account name)."""
    backend = connection.engine.url.get_backend_name()
    if backend == "postgresql":
        return connection.scalar(text("SELECT session_user"))
    return connection.scalar(text("SELECT SUBSTRING_INDEX(SESSION_USER(), '@', 1)"))
