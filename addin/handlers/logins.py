"""Personal database logins (`cmw users grant | revoke`): run by the administrator with the tables' owner's URL."""
from __future__ import annotations

import csv
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, bindparam, select, text

from engine.actors import Role
from engine.errors import Refused
from storage.database import require_current_schema
from storage.schema import User
from storage.logins import Login, grant_logins, revoke_login
from storage.security import GROUPS


@dataclass(frozen=True)
class Granted:
    """What `cmw users grant` did for one person."""

    code: str
    name: str
    role: Role
    new: bool
    password: str | None  # the password given now, None when unchanged or none


def users_to_grant(engine: Engine, codes: list[str], everyone: bool) -> list[tuple[str, str, Role]]:
    """(code, name, role) of the users named, or of every user; Refused for codes that are no user."""
    if not codes and not everyone:
        raise Refused("请写出要开通账号的用户编码（例如 cmw users grant cm001 cm002），或用 --all 为全部用户开通。")
    require_current_schema(engine)
    with engine.connect() as connection:
        query = select(User.code, User.name, User.role).order_by(User.code)
        rows = connection.execute(query if everyone else query.where(User.code.in_(codes))).all()
    unknown = sorted(set(codes) - {code for code, _, _ in rows})
    if unknown:
        raise Refused(f"这些用户编码不存在：{'、'.join(unknown)}，没有开通任何账号。运行 cmw users list 查看全部用户。")
    return [(code, name, Role(role)) for code, name, role in rows]


def grant(engine: Engine, people: list[tuple[str, str, Role]], *, passwords: Path | None, no_password: bool,
          reset: bool) -> list[Granted]:
    """Create or update the people's logins; new ones (and all with reset) get a random password, written with
    their names to the passwords file for the administrator to hand out (or none: certificate / Kerberos)."""
    if not no_password and passwords is None:
        raise Refused("请用 --passwords 文件.csv 指定初始密码的保存位置（交给各人后请删除该文件）；"
                      "使用证书或 Kerberos 登录时改用 --no-password。")
    if passwords is not None and passwords.exists():
        raise Refused(f"文件 {passwords} 已存在，为防覆盖别人的密码已停止。请换一个文件名。")
    with engine.connect() as connection:
        existing = set() if engine.dialect.name == "sqlite" else _existing_logins(connection, [p[0] for p in people])
    given = {code: None if no_password or (code in existing and not reset) else secrets.token_urlsafe(9)
             for code, _, _ in people}
    logins = [Login(code, GROUPS[role], given[code], reset=reset) for code, _, role in people]
    created = set(grant_logins(engine, logins))
    done = [Granted(code, name, role, code in created, given[code]) for code, name, role in people]
    written = [g for g in done if g.password]
    if passwords is not None and written:
        passwords.parent.mkdir(parents=True, exist_ok=True)
        with passwords.open("w", encoding="utf-8-sig", newline="") as stream:  # Excel reads UTF-8 with its BOM
            out = csv.writer(stream)
            out.writerow(["数据库账号", "姓名", "角色", "初始密码"])
            out.writerows([g.code, g.name, g.role.label, g.password] for g in written)
    return done


def _existing_logins(connection, codes: list[str]) -> set[str]:
    """Which of these codes already have a login on the server."""
    query = ("SELECT rolname FROM pg_roles WHERE rolname IN :codes" if connection.dialect.name == "postgresql"
             else "SELECT DISTINCT User FROM mysql.user WHERE User IN :codes")
    rows = connection.execute(text(query).bindparams(bindparam("codes", expanding=True)), {"codes": codes})
    return {row[0] for row in rows}


def revoke(engine: Engine, code: str) -> bool:
    """Take a person's login away; whether they had one."""
    require_current_schema(engine)
    return revoke_login(engine, code)
