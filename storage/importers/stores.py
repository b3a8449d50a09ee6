"""Stores (零售户 / CO_CUST): upsert by 客户编码; a changed store gets a new version."""
from __future__ import annotations

from operator import attrgetter

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.actors import ROLE_LABELS, Role
from engine.errors import Finding, Refused
from engine.stores import (
    FORMATS, MARKETS, SCALES, Category, StoreStatus, default_visit_cycle, parse_tier, parse_visit_cycle,
    parse_weekday, parse_yes_no,
)
from storage.importers.columns import STORES, locate
from storage.importers.reading import Table
from storage.importers.upsert import existing, upsert
from storage.importers.validation import Parsed, Problems, parse_column, text
from storage.schema import StoreRow, User

WHAT = "客户"
_TEXTS = {"licence": 32, "owner": 32, "contact": 32, "phone": 32, "address": 200, "notes": 400}
_PARTS = ("market", "format", "scale")


def _optional(parse):
    return lambda value: parse(value) if value else None


def _status(value: str) -> str:
    if not value:
        raise ValueError("不能为空，请填 有效、暂停 或 注销")
    return StoreStatus.parse(value).value


def _category(value: str) -> Category:
    if not value:
        raise ValueError("不能为空，例如 CZ1")
    return Category.parse(value)


def _part(names: dict[str, str], what: str):
    """One letter of the category, given as its letter or its Chinese name (城镇, 食杂店, 大)."""
    by_name = {name: letter for letter, name in names.items()}

    def parse(value: str) -> str:
        letter = by_name.get(value, value.upper())
        if letter not in names:
            raise ValueError(f"{what}只能是 " + "、".join(f"{k} {v}" for k, v in names.items()))
        return letter
    return parse


def _cm(users: dict[str, tuple[int, str]]):
    def parse(value: str) -> int | None:
        if not value:
            return None
        if value not in users:
            raise ValueError("用户不存在，请填客户经理的用户编码（先导入组织机构：cmw import org）")
        user_id, role = users[value]
        if role != Role.CM.value:
            raise ValueError(f"该用户是{ROLE_LABELS[Role(role)]}，不是客户经理")
        return user_id
    return parse


def _parsers(session: Session) -> dict:
    users = {code: (uid, role) for code, uid, role in session.execute(select(User.code, User.id, User.role))}
    return {
        "code": text(32, required=True), "name": text(100, required=True),
        **{field: text(length) for field, length in _TEXTS.items()},
        "cm_code": _cm(users), "status": _status, "online_ordering": parse_yes_no, "category": _category,
        "market": _part(MARKETS, "城乡"), "format": _part(FORMATS, "业态"), "scale": _part(SCALES, "规模"),
        "tier": parse_tier, "order_weekday": _optional(parse_weekday),
        "visit_cycle": _optional(parse_visit_cycle), "visit_weekday": _optional(parse_weekday),
    }


def import_stores(session: Session, table: Table) -> tuple[int, int, str]:
    """Check every row, then insert new stores and update changed ones; return (inserted, updated, detail)."""
    headers = locate(table, STORES, WHAT)
    if "category" not in headers and not all(p in headers for p in _PARTS):
        raise Refused(f"{WHAT}文件 {table.filename} 缺少“综合分类”列（也可以用“城乡”“业态”“规模”三列代替），"
                      "没有导入任何数据。", [Finding("missing_column", "综合分类例如 CZ1：城乡 + 业态 + 规模。", column="综合分类")])
    if "category" in headers:
        headers = {f: h for f, h in headers.items() if f not in _PARTS}
    problems = Problems(table, headers)
    parsed = {f: parse_column(table.frame[h], parse, key=f == "code")
              for f, parse in _parsers(session).items() if (h := headers.get(f))}
    for field, column in parsed.items():
        problems.check(field, column, f"bad_{field}")
    problems.check_repeated("code", parsed["code"], "客户编码")
    _check_cm_given(problems, parsed)
    problems.raise_if_any(WHAT)
    given, fill = _rows(session, parsed)
    inserted, updated = upsert(session, StoreRow, "code", given, fill, versioned=True)
    return inserted, updated, ""


def _check_cm_given(problems: Problems, parsed: dict[str, Parsed]) -> None:
    """Every store but a closed one has its CM."""
    blank = parsed["cm_code"].rows() == None  # noqa: E711 — elementwise over an object array
    closed = parsed["status"].rows() == StoreStatus.CLOSED.value if "status" in parsed else np.zeros_like(blank)
    problems.flag("cm_code", blank & ~closed & ~parsed["cm_code"].bad, "missing_cm",
                  "不能为空，请填负责该户的客户经理用户编码（只有注销户可以不填）")


def _rows(session: Session, parsed: dict[str, Parsed]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The fields the file gives (per store) and what a new store gets for the others."""
    columns = {f: p.rows() for f, p in parsed.items() if f not in ("category", *_PARTS, "cm_code")}
    columns["cm_id"] = parsed["cm_code"].rows()
    for part in _PARTS:
        columns[part] = (parsed["category"].rows_of(attrgetter(part))
                         if "category" in parsed else parsed[part].rows())
    given = pd.DataFrame(columns, dtype=object)
    cycle, visit_day = _visit_defaults(session, given)
    if "visit_cycle" in given:
        given["visit_cycle"] = given["visit_cycle"].where(given["visit_cycle"].notna(), cycle)
    if "visit_weekday" in given:
        given["visit_weekday"] = given["visit_weekday"].where(given["visit_weekday"].notna(), visit_day)
    fill = pd.DataFrame({"status": StoreStatus.ACTIVE.value, "online_ordering": False, "tier": None,
                         "order_weekday": None, "visit_cycle": cycle, "visit_weekday": visit_day,
                         **{f: "" for f in _TEXTS}}, index=given.index, dtype=object)
    return given, fill


def _visit_defaults(session: Session, given: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per store, the visit cycle its tier implies and the visit weekday its order weekday implies.

    Tier and order weekday come from the file, or, where the file has no such column, from the store as stored.
    """
    before = existing(session, StoreRow, "code", ["tier", "order_weekday"]).set_index("code")
    stored = {f: given["code"].map(before[f]).astype(object).where(given["code"].isin(before.index), None)
              for f in ("tier", "order_weekday")}
    tier = pd.to_numeric(given["tier"] if "tier" in given else stored["tier"]).fillna(0).to_numpy()
    weekday = pd.to_numeric(given["order_weekday"] if "order_weekday" in given else stored["order_weekday"])
    cycle = [default_visit_cycle(t or None) for t in range(31)]  # by tier, 0 = untiered
    return (pd.Series(np.asarray(cycle, dtype=object)[tier.astype(int)], index=given.index, dtype=object),
            weekday.fillna(1).astype(int).astype(object))
