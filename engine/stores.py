"""Stores (零售户): categories, status, visit cycle and the rules for a CM's edits."""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import SupportsInt, cast

from engine.numbers import folded, read_int


class StoreStatus(StrEnum):
    """有效 / 暂停 / 注销."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        """The status in Chinese."""
        return {"active": "有效", "suspended": "暂停", "closed": "注销"}[self.value]

    @classmethod
    def parse(cls, text: object) -> "StoreStatus":
        """Read a status from Chinese, English, or the marketing system's codes (01/02 active, 03 suspended, 04 closed)."""
        key = normalize_text(text).lower()
        table = {
            "有效": cls.ACTIVE, "active": cls.ACTIVE, "01": cls.ACTIVE, "02": cls.ACTIVE, "1": cls.ACTIVE, "2": cls.ACTIVE,
            "暂停": cls.SUSPENDED, "suspended": cls.SUSPENDED, "03": cls.SUSPENDED, "3": cls.SUSPENDED,
            "注销": cls.CLOSED, "closed": cls.CLOSED, "04": cls.CLOSED, "4": cls.CLOSED,
        }
        if key not in table:
            raise ValueError("状态只能是 有效、暂停 或 注销（或系统代码 01/02/03/04）")
        return table[key]


FORMATS = {"Z": "食杂店", "B": "便利店", "S": "超市", "N": "商场", "Y": "烟酒商店", "F": "娱乐服务类", "Q": "其他"}
MARKETS = {"C": "城镇", "X": "乡村"}
SCALES = {"1": "大", "2": "中", "3": "小"}
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
VISIT_CYCLES = {1: "每周", 2: "每两周", 4: "每四周"}
TIERS = range(1, 31)


@dataclass(frozen=True)
class Category:
    """综合分类: market (城镇/乡村) + format (业态) + scale (规模), written like CZ1."""

    market: str
    format: str
    scale: str

    @property
    def code(self) -> str:
        """The written form, e.g. CZ1."""
        return f"{self.market}{self.format}{self.scale}"

    @property
    def label(self) -> str:
        """E.g. 城镇食杂店（大）."""
        return f"{MARKETS[self.market]}{FORMATS[self.format]}（{SCALES[self.scale]}）"

    @classmethod
    def parse(cls, text: object) -> "Category":
        """Read a written category such as CZ1 (case and full-width letters tolerated)."""
        code = normalize_text(text).upper()
        if len(code) != 3 or code[0] not in MARKETS or code[1] not in FORMATS or code[2] not in SCALES:
            raise ValueError(
                "综合分类应为三位：城乡（C 城镇 / X 乡村）+ 业态（Z 食杂店、B 便利店、S 超市、N 商场、"
                "Y 烟酒商店、F 娱乐服务类、Q 其他）+ 规模（1 大、2 中、3 小），例如 CZ1"
            )
        return cls(code[0], code[1], code[2])


def normalize_text(value: object) -> str:
    """A code or number's text: trimmed, full-width characters (ＣＺ１, １３８…) folded to their plain forms.

    Only for codes, numbers and picked choices: text a user writes in their own words is typed_text."""
    return folded(value)[0]


def typed_text(value: object) -> str:
    """Text a user wrote (an address, a note, a reason) exactly as typed, only leading and trailing blanks trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_tier(value: object) -> int | None:
    """档位 1-30; blank or ZZ means untiered (None)."""
    text = normalize_text(value).upper()
    if text in ("", "ZZ"):
        return None
    try:
        return read_int(text, "档位", low=TIERS.start, high=TIERS.stop - 1)
    except ValueError:
        raise ValueError("档位应为 1 到 30 的整数（未定档填 ZZ 或留空）") from None


def default_visit_cycle(tier: int | None) -> int:
    """Weeks between visits by tier: 25-30 weekly, 15-24 fortnightly, else every four weeks."""
    if tier is not None and tier >= 25:
        return 1
    if tier is not None and tier >= 15:
        return 2
    return 4


def parse_visit_cycle(value: object) -> int:
    """拜访频次 from 每周/每两周/每四周 or 1/2/4 (weeks)."""
    text = normalize_text(value)
    for weeks, label in VISIT_CYCLES.items():
        if text in (label, str(weeks)):
            return weeks
    raise ValueError("拜访频次只能是 每周、每两周 或 每四周")


def parse_weekday(value: object) -> int:
    """周一..周日 (or 1-7, 星期一…) to 1-7."""
    text = normalize_text(value).replace("星期", "周").replace("周天", "周日")
    if text in WEEKDAYS:
        return WEEKDAYS.index(text) + 1
    if text.isdigit() and len(text) == 1 and 1 <= int(text) <= 7:
        return int(text)
    raise ValueError("请从下拉列表选择 周一 到 周日")


def parse_yes_no(value: object) -> bool:
    """是/否, Y/N, 1/0, true/false."""
    text = normalize_text(value).lower()
    if text in ("是", "y", "yes", "1", "true", "网上订货", "网上"):
        return True
    if text in ("否", "n", "no", "0", "false", "", "电话订货", "电话"):
        return False
    raise ValueError("只能填 是 或 否")


@dataclass(frozen=True)
class Store:
    """A licensed retail store as the workbench knows it."""

    code: str
    name: str
    licence: str
    owner: str
    contact: str
    phone: str
    address: str
    cm_code: str
    status: StoreStatus
    online_ordering: bool
    category: Category
    tier: int | None
    order_weekday: int | None
    visit_cycle: int
    visit_weekday: int
    notes: str
    version: int = 1


#: What a CM may change on a store (DOMAIN.md §2 decision), with the Chinese label.
CM_EDITABLE = {
    "contact": "联系人",
    "phone": "联系电话",
    "address": "经营地址",
    "visit_weekday": "拜访日",
    "notes": "备注",
}

#: Fields whose text a person wrote in their own words: kept as typed, never folded like a code.
WORDED = frozenset({"name", "owner", "contact", "address", "notes"})


def cell_text(field: str, value: object) -> str:
    """A cell's text as field reads it: worded text as typed (trimmed), a code or choice folded (normalize_text)."""
    return typed_text(value) if field in WORDED else normalize_text(value)


_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,19}$")


def clean_edit(field: str, value: object) -> object:
    """Check and normalise one value a CM typed for an editable field; ValueError says why in Chinese."""
    text = cell_text(field, value)
    if field == "phone":
        if text and not _PHONE.match(text):
            raise ValueError("联系电话只能含数字、空格、“-”，7 到 20 位，例如 020-81234567 或 13800138000")
        return text
    if field == "address":
        if not text:
            raise ValueError("经营地址不能为空")
        if len(text) > 100:
            raise ValueError("经营地址不能超过 100 个字")
        return text
    if field == "contact":
        if len(text) > 20:
            raise ValueError("联系人不能超过 20 个字")
        return text
    if field == "notes":
        if len(text) > 200:
            raise ValueError("备注不能超过 200 个字")
        return text
    if field == "visit_weekday":
        return parse_weekday(text)
    raise ValueError(f"“{field}”不是客户经理可修改的字段")


def shown_value(field: str, value: object) -> str:
    """A stored value as the workbook shows it (for comparing and for messages)."""
    if field == "tier":
        return "ZZ" if value is None else str(value)
    if value is None:
        return ""
    if field in ("visit_weekday", "order_weekday"):
        return WEEKDAYS[int(cast(SupportsInt, value)) - 1]  # kept as whole numbers
    if field == "visit_cycle":
        return VISIT_CYCLES[int(cast(SupportsInt, value))]
    if field == "status":
        return StoreStatus(str(value)).label
    if field == "online_ordering":
        return "是" if value else "否"
    if field == "category":
        return value.code if isinstance(value, Category) else str(value)
    return cell_text(field, value)
