"""The organisation (units and users): upsert units by 单位编码 and users by 用户编码.

A row defines a unit and, optionally, one user whose scope is that unit; a unit may repeat (one row
per user) with the same name, type and parent each time. Units and users are few (hundreds), so
the checks of the tree loop over units, not over rows of a big file.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.actors import PARENT_KIND, Role, UnitKind
from storage.importers.columns import ORG, locate
from storage.importers.reading import Table
from storage.importers.upsert import upsert
from storage.importers.validation import Parsed, Problems, parse_column, text
from storage.kept import kept
from storage.schema import Unit, User

WHAT = "组织机构"
#: The unit a user of a role must belong to (the others may sit anywhere).
ROLE_UNIT = {Role.CM: UnitKind.DISTRICT, Role.MM: UnitKind.DEPARTMENT}
_LEVELS = list(PARENT_KIND)


def _kind(value: str) -> str:
    if not value:
        raise ValueError("不能为空，请填 公司、营销中心、营销部 或 片区")
    return UnitKind.parse(value).value


def _role(value: str) -> str | None:
    return Role.parse(value).value if value else None


def _user_code(value: str) -> str | None:
    return text(32)(value) or None


_PARSERS = {
    "unit_code": text(32, required=True), "unit_name": text(64, required=True), "unit_kind": _kind,
    "parent_code": text(32), "user_code": _user_code, "user_name": text(32), "role": _role,
}


def import_org(session: Session, table: Table) -> tuple[int, int, str]:
    """Check the whole tree, then upsert units (top level first) and users; return (inserted, updated, detail)."""
    headers = locate(table, ORG, WHAT)
    problems = Problems(table, headers)
    parsed = {f: parse_column(table.frame[h], parse, key=True)
              for f, parse in _PARSERS.items() if (h := headers.get(f))}
    for field, column in parsed.items():
        problems.check(field, column, f"bad_{field}")
    unit = parsed["unit_code"]
    for field in ("unit_name", "unit_kind", "parent_code"):
        if field in parsed:
            problems.check_agree("unit_code", unit, field, parsed[field], "单位")
    rows = pd.DataFrame({f: p.rows() for f, p in parsed.items()}, dtype=object)
    stored = {code: (uid, kind) for uid, code, kind in session.execute(select(Unit.id, Unit.code, Unit.kind))}
    _check_tree(problems, rows, stored)
    if "user_code" in parsed:
        problems.check_repeated("user_code", parsed["user_code"], "用户编码", blank_allowed=True)
        _check_users(problems, rows, parsed)
        _check_one_cm_per_district(session, problems, rows)
    problems.raise_if_any(WHAT)
    units_in, units_up = _write_units(session, rows)
    users_in, users_up = _write_users(session, rows) if "user_code" in rows else (0, 0)
    detail = f"单位新增 {units_in} 个、更新 {units_up} 个；用户新增 {users_in} 个、更新 {users_up} 个"
    return units_in + users_in, units_up + users_up, detail


def _units(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per unit (its first row in the file), the row position kept as `at`."""
    units = rows.assign(at=np.arange(len(rows))).drop_duplicates("unit_code")
    if "parent_code" not in units:
        units = units.assign(parent_code="")
    return units.dropna(subset=["unit_code", "unit_kind"])


def _check_tree(problems: Problems, rows: pd.DataFrame, stored: dict[str, tuple[int, str]]) -> None:
    """Each unit hangs under an existing unit one level up (company: under none); a unit keeps its type."""
    units = _units(rows)
    kinds = {**{code: kind for code, (_, kind) in stored.items()}, **dict(zip(units["unit_code"], units["unit_kind"]))}
    parents, kind_changes = {}, {}
    for code, kind, parent, at in units[["unit_code", "unit_kind", "parent_code", "at"]].itertuples(index=False):
        kind, wanted = UnitKind(kind), PARENT_KIND[UnitKind(kind)]
        if code in stored and stored[code][1] != kind.value:
            kind_changes[at] = f"单位 {code} 在系统中是{UnitKind(stored[code][1]).label}，不能改为{kind.label}"
        if wanted is None and parent:
            parents[at] = "公司是最上级单位，上级单位编码应留空"
        elif wanted is not None and not parent:
            parents[at] = f"{kind.label}应填上级单位编码（一个{wanted.label}）"
        elif wanted is not None and parent not in kinds:
            parents[at] = f"上级单位 {parent} 不存在：请在本文件中定义它，或先导入它"
        elif wanted is not None and kinds[parent] != wanted.value:
            parents[at] = f"上级单位 {parent} 是{UnitKind(kinds[parent]).label}；{kind.label}的上级应是{wanted.label}"
    problems.flag_at("parent_code", parents, "bad_parent")
    problems.flag_at("unit_kind", kind_changes, "unit_kind_changed")


def _check_users(problems: Problems, rows: pd.DataFrame, parsed: dict[str, Parsed]) -> None:
    """A user row names the user and the role; a CM sits in a 片区, an MM in a 营销部."""
    has_user = rows["user_code"].notna().to_numpy()
    for field, label in (("user_name", "用户姓名"), ("role", "角色")):
        if field not in rows:
            problems.flag("user_code", has_user, f"missing_{field}", f"填了用户编码，但文件没有“{label}”列")
            continue
        blank = (rows[field].isna().to_numpy() | (rows[field] == "").to_numpy()) & ~parsed[field].bad
        problems.flag(field, has_user & blank, f"missing_{field}", f"填了用户编码，{label}不能为空")
        problems.flag(field, ~has_user & ~blank, f"{field}_without_user", f"填了{label}但没有填用户编码")
    if "role" in rows:
        for role, kind in ROLE_UNIT.items():
            wrong = (rows["role"] == role.value).to_numpy() & (rows["unit_kind"] != kind.value).to_numpy()
            problems.flag("role", wrong & rows["unit_kind"].notna().to_numpy(), "role_unit",
                          f"{role.label}的所属单位应是{kind.label}，请把该用户写在其{kind.label}的行上")


def _check_one_cm_per_district(session: Session, problems: Problems, rows: pd.DataFrame) -> None:
    """A 片区 is one CM's: after the import no district may have two."""
    if "role" not in rows:
        return
    stored = dict(session.execute(select(User.code, Unit.code).join(Unit, User.unit_id == Unit.id)
                                  .where(User.role == Role.CM.value)).all())
    users = rows[rows["user_code"].notna()].assign(at=lambda f: f.index)
    final = {code: unit for code, unit in stored.items() if code not in set(users["user_code"])}
    holder: dict[str, str] = {unit: code for code, unit in final.items()}
    clashes = {}
    for at, code, unit, role in users[["at", "user_code", "unit_code", "role"]].itertuples(index=False):
        if role != Role.CM.value:
            continue
        if unit in holder and holder[unit] != code:
            clashes[at] = f"片区 {unit} 已有客户经理 {holder[unit]}；一个片区只能有一名客户经理"
        holder.setdefault(unit, code)
    problems.flag_at("user_code", clashes, "district_taken")


def _write_units(session: Session, rows: pd.DataFrame) -> tuple[int, int]:
    """Upsert units level by level, so that each parent has its id before its children are written."""
    units = _units(rows)
    inserted = updated = 0
    for level in _LEVELS:
        batch = units[units["unit_kind"] == level.value]
        if batch.empty:
            continue
        ids = dict(session.execute(select(Unit.code, Unit.id)).all())
        given = pd.DataFrame({"code": batch["unit_code"].to_numpy(), "name": batch["unit_name"].to_numpy(),
                              "kind": batch["unit_kind"].to_numpy(),
                              "parent_id": [ids.get(p) if p else None for p in batch["parent_code"]]}, dtype=object)
        new, changed = upsert(session, Unit, "code", given, given.iloc[:, :0])
        inserted, updated = inserted + new, updated + changed
    kept(session).units = None  # a unit's parent may have changed: the App's next read of the tree reads it again
    return inserted, updated


def _write_users(session: Session, rows: pd.DataFrame) -> tuple[int, int]:
    """Upsert the users the file names, each in the unit of its row."""
    users = rows[rows["user_code"].notna()]
    ids = dict(session.execute(select(Unit.code, Unit.id)).all())
    given = pd.DataFrame({"code": users["user_code"].to_numpy(), "name": users["user_name"].to_numpy(),
                          "role": users["role"].to_numpy(),
                          "unit_id": [ids[u] for u in users["unit_code"]]}, dtype=object)
    return upsert(session, User, "code", given, given.iloc[:, :0])
