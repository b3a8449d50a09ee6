"""§8 the questionnaire (客户需求调查表) as data: the demand items (需求项目) with their codes, groups and the month
each applies from, versioned like the §10 rubrics. A month is surveyed with one version, pinned when the month is
first used (an export, an import or an entry), so that its answers always read with the items they were given with;
a later version applies to the months after it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Callable

from engine.actors import Actor
from engine.errors import Finding, Refused
from engine.periods import parse_month
from engine.policy import require
from engine.stores import normalize_text

if TYPE_CHECKING:  # the ports name the survey's answers, which read the questionnaire
    from engine.ports import UnitOfWork

#: The rubrics table keeps the questionnaire's versions under this kind.
KIND = "survey"
HEADERS = ("项目编码", "项目名称", "分组", "启用月份")
_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,7}$")
NAME_LIMIT = 12  # a column header of the entry workbook and a bar of the §9 chart
LIMIT = 30  # items: one ✓ column each in the entry workbook


@dataclass(frozen=True)
class SurveyItem:
    """One demand item: its code (what the ordering platform sends), its name, its group and the first month it
    is asked in (YYYY-MM; "" = from the start)."""

    code: str
    name: str
    group: str
    active_from: str = ""


@dataclass(frozen=True)
class Questionnaire:
    """A version of the questionnaire: its items in the order the workbook shows them."""

    version: int
    items: tuple[SurveyItem, ...]

    def __post_init__(self) -> None:
        codes = [i.code for i in self.items]
        names = [i.name for i in self.items]
        if len(set(codes)) != len(codes) or len(set(names)) != len(names):
            raise ValueError("项目编码和项目名称都不能重复")

    def of_month(self, month: str) -> tuple[SurveyItem, ...]:
        """The items asked in a YYYY-MM month (those whose 启用月份 has come)."""
        return tuple(i for i in self.items if not i.active_from or i.active_from <= month)

    def find(self, text: object, month: str) -> SurveyItem | None:
        """The item of the month a code or a name stands for (codes read case- and width-blind), or None."""
        key = normalize_text(text)
        index = _index(self, month)
        return index.get(key.upper()) or index.get(key)


@cache
def _index(questionnaire: Questionnaire, month: str) -> dict[str, SurveyItem]:
    """The month's items by code and by name (a city's import looks up some 60,000 of them)."""
    return {**{i.name: i for i in questionnaire.of_month(month)}, **{i.code: i for i in questionnaire.of_month(month)}}


DEFAULT = Questionnaire(1, (
    SurveyItem("D01", "货源供应", "货源与订货"),
    SurveyItem("D02", "新品引进", "货源与订货"),
    SurveyItem("D03", "网上订货帮助", "货源与订货"),
    SurveyItem("D04", "送货服务", "货源与订货"),
    SurveyItem("D05", "陈列指导", "经营指导"),
    SurveyItem("D06", "价格咨询", "经营指导"),
    SurveyItem("D07", "经营培训", "经营指导"),
    SurveyItem("D08", "店面形象提升", "经营指导"),
    SurveyItem("D09", "金融服务", "其他服务"),
    SurveyItem("D10", "政策法规咨询", "其他服务"),
    SurveyItem("D11", "其他需求", "其他服务"),
))


def questionnaire_to_dict(questionnaire: Questionnaire) -> dict:
    """As the rubrics table keeps it."""
    return {"version": questionnaire.version,
            "items": [{"code": i.code, "name": i.name, "group": i.group, "active_from": i.active_from}
                      for i in questionnaire.items]}


def questionnaire_from_dict(body: dict) -> Questionnaire:
    """A kept version back."""
    return Questionnaire(int(body.get("version", 0)), tuple(SurveyItem(i["code"], i["name"], i["group"],
                                                                       i.get("active_from", ""))
                                                            for i in body["items"]))


def questionnaire_rows(questionnaire: Questionnaire) -> list[dict[str, str]]:
    """One row per item, as the administrator edits them."""
    return [dict(zip(HEADERS, (i.code, i.name, i.group, i.active_from))) for i in questionnaire.items]


def _item(row: dict[str, str]) -> SurveyItem:
    code = normalize_text(row.get("项目编码")).upper()
    name = str(row.get("项目名称") or "").strip()
    group = str(row.get("分组") or "").strip()
    month = normalize_text(row.get("启用月份")).replace("/", "-").replace("年", "-").rstrip("月")
    if not _CODE.match(code):
        raise ValueError("项目编码应为 1 到 8 位大写字母或数字、以字母开头，例如 D12", "项目编码", code)
    if not name or len(name) > NAME_LIMIT:
        raise ValueError(f"项目名称不能为空，最多 {NAME_LIMIT} 个字（它是录入表的列名和统计图的标签）", "项目名称", name)
    if not group or len(group) > NAME_LIMIT:
        raise ValueError(f"分组不能为空，最多 {NAME_LIMIT} 个字，例如 货源与订货", "分组", group)
    if month.count("-") == 2:  # a date cell (2027-01-01): its month
        month = month.rsplit("-", 1)[0]
    if month:
        try:
            year, mon = parse_month(month if "-" in month else f"{month[:4]}-{month[4:]}")
            month = f"{year}-{mon:02d}"
        except ValueError:
            raise ValueError("启用月份应为 YYYY-MM，例如 2027-01；从一开始就启用的留空", "启用月份", month) from None
    return SurveyItem(code, name, group, month)


def questionnaire_from_rows(rows: list[tuple[int, dict[str, str]]]) -> Questionnaire:
    """A questionnaire from the edited rows (file row number, row); Refused lists every bad cell with its row."""
    items, findings = [], []
    seen: dict[str, int] = {}
    for number, row in rows:
        try:
            item = _item(row)
        except ValueError as exc:
            message, column, value = exc.args
            findings.append(Finding("INVALID", message, row=number, column=column, value=value or None))
            continue
        for key, column in ((item.code, "项目编码"), (item.name, "项目名称")):
            if key in seen:
                findings.append(Finding("REPEATED", f"与第 {seen[key]} 行重复，{column}不能重复", row=number,
                                        column=column, value=key))
            seen.setdefault(key, number)
        items.append(item)
    if not items and not findings:
        findings.append(Finding("EMPTY", "调查问卷至少要有一个需求项目"))
    if len(items) > LIMIT:
        findings.append(Finding("TOO_MANY", f"需求项目最多 {LIMIT} 个（现有 {len(items)} 个）"))
    if findings:
        raise Refused(f"调查问卷文件有 {len(findings)} 处问题，未导入。请改正后重新导入：", findings)
    return Questionnaire(0, tuple(items))


def current_questionnaire(uow, actor_code: str) -> Questionnaire:
    """The latest version; the default items are stored as version 1 on first use (in the caller's unit of work)."""
    body = uow.rubrics.get(KIND)
    if body is None:
        uow.rubrics.add(KIND, questionnaire_to_dict(DEFAULT), actor_code)
        body = questionnaire_to_dict(DEFAULT)
    return questionnaire_from_dict(body)


def month_questionnaire(uow, month: str, actor_code: str) -> Questionnaire:
    """The version a month is surveyed with: the one pinned to it, else the latest, pinned now (no commit)."""
    version = uow.surveys.pinned(month)
    if version:
        return questionnaire_from_dict(uow.rubrics.get(KIND, version))
    questionnaire = current_questionnaire(uow, actor_code)
    uow.surveys.pin(month, questionnaire.version, actor_code)
    return questionnaire


def questionnaire_in_use(uow: UnitOfWork, actor: Actor) -> tuple[Questionnaire, str]:
    """The latest questionnaire and the actor's company (for a heading), in a unit of work of its own that keeps the
    default items as version 1 on first use."""
    with uow:
        questionnaire = current_questionnaire(uow, actor.code)
        company = uow.users.company_of(actor)
        uow.commit()
    return questionnaire, company


def _same(one: Questionnaire, other: Questionnaire) -> bool:
    return [(i.code, i.name, i.group, i.active_from) for i in one.items] == \
        [(i.code, i.name, i.group, i.active_from) for i in other.items]


def import_questionnaire(uow: UnitOfWork, actor: Actor, read: Callable[[], Questionnaire],
                         source: str) -> tuple[Questionnaire, int, Questionnaire]:
    """Store an edited questionnaire (read(): from the file called source, read only once the policy lets the actor
    import) as a new version with its audit row, in one unit of work: the version it follows, the new one's number
    and the new one. Refused, storing nothing, when it is the current one unchanged."""
    require(actor, "questionnaire.import")
    questionnaire = read()
    with uow:
        before = current_questionnaire(uow, actor.code)
        if _same(before, questionnaire):
            raise Refused(f"{source} 与当前第 {before.version} 版调查问卷完全相同，没有导入新版本。")
        version = uow.rubrics.add(KIND, questionnaire_to_dict(questionnaire), actor.code)
        uow.audit.record(actor=actor.code, action="import_questionnaire", entity="survey", key="questionnaire",
                         old=str(before.version), new=str(version))
        uow.commit()
    return before, version, questionnaire
