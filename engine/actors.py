"""Who acts: a user with a role and a scope in the organisation."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """The four roles of the manual."""

    CM = "cm"
    MM = "mm"
    BM = "bm"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """The role's Chinese name."""
        return ROLE_LABELS[self]

    @classmethod
    def parse(cls, text: str) -> "Role":
        """Read a role from its code or Chinese name."""
        text = (text or "").strip()
        for role, label in ROLE_LABELS.items():
            if text in (role.value, label, role.name):
                return role
        raise ValueError(f"角色“{text}”不存在，可填：{'、'.join(ROLE_LABELS.values())}")


ROLE_LABELS = {Role.CM: "客户经理", Role.MM: "市场经理", Role.BM: "品牌经理", Role.ADMIN: "管理员"}


class UnitKind(StrEnum):
    """Levels of the organisation, top down."""

    COMPANY = "company"
    CENTRE = "centre"
    DEPARTMENT = "department"
    DISTRICT = "district"

    @property
    def label(self) -> str:
        """The level's Chinese name."""
        return UNIT_LABELS[self]

    @classmethod
    def parse(cls, text: str) -> "UnitKind":
        """Read a level from its code or Chinese name."""
        text = (text or "").strip()
        for kind, label in UNIT_LABELS.items():
            if text in (kind.value, label):
                return kind
        raise ValueError(f"单位类型“{text}”不存在，可填：{'、'.join(UNIT_LABELS.values())}")


UNIT_LABELS = {
    UnitKind.COMPANY: "公司",
    UnitKind.CENTRE: "营销中心",
    UnitKind.DEPARTMENT: "营销部",
    UnitKind.DISTRICT: "片区",
}

#: The level each level hangs under.
PARENT_KIND = {
    UnitKind.COMPANY: None,
    UnitKind.CENTRE: UnitKind.COMPANY,
    UnitKind.DEPARTMENT: UnitKind.CENTRE,
    UnitKind.DISTRICT: UnitKind.DEPARTMENT,
}


@dataclass(frozen=True)
class Actor:
    """A user acting now: code, name, role and the unit path (company first) of their scope."""

    code: str
    name: str
    role: Role
    unit_path: tuple[str, ...]

    @property
    def label(self) -> str:
        """How messages name this user, e.g. 客户经理 张三（cm001）."""
        return f"{self.role.label} {self.name}（{self.code}）"

    def covers(self, unit_path: tuple[str, ...]) -> bool:
        """True when the given unit lies inside this actor's scope."""
        return unit_path[: len(self.unit_path)] == self.unit_path
