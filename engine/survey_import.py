"""§8 the ordering platform's answers (网上问卷) imported for a month: all or nothing — every bad row named with its
row and column, nothing written — as 待确认 on each store's CM. A confirmed answer is never changed by an import
(the same answer again is left as it is; a different one is refused with its row); an answer the CM entered offline
is not overwritten. One unit of work, one audit row."""
from __future__ import annotations

from typing import Callable

import re
from collections import Counter
from dataclasses import dataclass

from engine.actors import Actor
from engine.errors import Finding, Refused
from engine.policy import require
from engine.ports import AnswerRow, UnitOfWork
from engine.questionnaire import SurveyItem, month_questionnaire
from engine.records import Outcome
from engine.stores import normalize_text
from engine.surveys import (CONFIRMED, ONLINE, URGENT_LABELS, read_day, read_item, read_suggestion, urgent_problems)

#: How a file lists several items in one cell: 、 , ， ; ； | / or spaces.
_SEPARATORS = re.compile(r"[、,，;；|/\s]+")


@dataclass(frozen=True)
class PlatformRow:
    """One line of the platform's file as text, with the row number the user sees."""

    number: int
    store: str
    day: str
    items: str
    urgent: tuple[str, str, str]
    suggestion: str
    month: str = ""


def _store_problem(found, scope: set[str]) -> str | None:
    if found is None:
        return "客户不存在（请先导入客户资料：cmw import stores）"
    _, _, status, _, cm_code = found
    if not cm_code:
        return "这户客户没有客户经理，请先在客户资料中指定客户经理后再导入"
    if cm_code not in scope:
        return "这户客户不属于本公司（或不在您管辖的范围内），不能导入"
    if status == "closed":
        return "这户客户已注销，不能导入问卷"
    return None


def _items(text: str, questionnaire, month: str, seen: dict) -> tuple[tuple[str, ...], list[str]]:
    """The item codes a cell names (in the order written) and the texts that name none; each distinct cell once."""
    if text not in seen:
        codes, unknown = [], []
        for part in (t for t in _SEPARATORS.split(text.strip()) if t):
            item = questionnaire.find(part, month)
            if item is None:
                unknown.append(part)
            elif item.code not in codes:
                codes.append(item.code)
        seen[text] = (tuple(codes), unknown)
    return seen[text]


def _read(row: PlatformRow, questionnaire, month: str, headers: dict[str, str], add, seen: dict) -> tuple | None:
    """The row's answer (date, item codes, urgent codes, suggestion), or None with its findings added."""
    bad = False
    if row.month and normalize_text(row.month).replace("/", "-")[:7] != month:
        add(row, "month", f"调查月份应为 {month}（导入命令的 --month），这一行是 {row.month}")
        bad = True
    if ("day", row.day) not in seen:  # a month has ~30 distinct dates: each read once
        try:
            seen["day", row.day] = read_day(row.day, month) or ValueError("答卷日期不能为空")
        except ValueError as exc:
            seen["day", row.day] = exc
    day = seen["day", row.day]
    if isinstance(day, ValueError):
        add(row, "answered_on", str(day), row.day)
        bad = True
    ticked, unknown = _items(row.items, questionnaire, month, seen)
    for text in unknown:
        shown = "、".join(f"{i.code} {i.name}" for i in questionnaire.of_month(month))
        add(row, "items", f"“{text}”不是本月问卷的需求项目（可写编码或名称，多项用、或逗号分开）：{shown}", row.items)
        bad = True
    urgent: list[SurveyItem | None] = []
    for n, text in enumerate(row.urgent):
        key = (n, text)
        if key not in seen:
            try:
                seen[key] = read_item(text, questionnaire, month, URGENT_LABELS[n])
            except ValueError as exc:
                seen[key] = str(exc)
        if isinstance(seen[key], str):
            add(row, f"urgent{n + 1}", seen[key], text)
            urgent.append(None)
            bad = True
        else:
            urgent.append(seen[key])
    if not unknown:  # checked against the items ticked, once they are all known
        for n, problem in urgent_problems(tuple(ticked), urgent):
            add(row, f"urgent{n + 1}", problem, row.urgent[n])
            bad = True
    try:
        suggestion = read_suggestion(row.suggestion)
    except ValueError as exc:
        add(row, "suggestion", str(exc), row.suggestion[:20])
        bad = True
    if bad:
        return None
    if "order" not in seen:
        seen["order"] = [i.code for i in questionnaire.of_month(month)]
    return (day, tuple(sorted(ticked, key=seen["order"].index)), tuple(u.code for u in urgent if u), suggestion)


def import_answers(uow: UnitOfWork, actor: Actor, *, month: str,
                   read: Callable[[], tuple[list[PlatformRow], dict[str, str]]], filename: str,
                   submission_id: int | None) -> Outcome:
    """Load one month's platform answers (see the module's text): read() gives the file's rows and each field's
    column as the file heads it, and is called only once the policy lets the actor import."""
    from datetime import date

    require(actor, "survey.import")
    rows, headers = read()
    with uow:
        questionnaire = month_questionnaire(uow, month, actor.code)
        findings: list[Finding] = []

        def add(row: PlatformRow, field: str, message: str, value: object = None) -> None:
            findings.append(Finding("INVALID", f"{message}。", row=row.number, column=headers.get(field, field),
                                    value=value or None))

        codes = [normalize_text(r.store) for r in rows]
        found = uow.surveys.stores_by_code(list(dict.fromkeys(codes)))
        scope = set(uow.users.cms_in(actor.unit_path))
        existing = uow.surveys.answers(month, None)
        first: dict[str, int] = {}
        seen: dict = {}
        writes, unchanged = [], 0
        for row, code in zip(rows, codes):
            if code in first:
                add(row, "store_code", f"与第 {first[code]} 行是同一户客户：一户客户每月只有一份问卷", code)
                continue
            first[code] = row.number
            problem = "客户编码不能为空" if not code else _store_problem(found.get(code), scope)
            if problem:
                add(row, "store_code", problem, code)
                continue
            answer = _read(row, questionnaire, month, headers, add, seen)
            if answer is None:
                continue
            had = existing.get(code)
            if had is not None and had.channel != ONLINE:
                add(row, "store_code", "这户客户本月已有客户经理录入的线下问卷，不能再导入网上问卷", code)
                continue
            if had is not None and had.state == CONFIRMED:
                if (had.answered_on.isoformat() if had.answered_on else "", had.items, had.urgent,
                        had.suggestion) == answer:
                    unchanged += 1
                    continue
                add(row, "store_code", "这户客户本月的网上问卷已由客户经理确认，不能被导入修改（文件中的内容与已确认的不同）", code)
                continue
            sid, _, _, cm_id, _ = found[code]
            assert cm_id is not None  # _store_problem refused a store without a CM
            writes.append((had, AnswerRow(sid, cm_id, ONLINE, date.fromisoformat(answer[0]), *answer[1:])))
        if findings:
            raise Refused(f"网上问卷文件 {filename} 有 {len(findings)} 处错误，没有导入任何数据。请改正后重新导入整个文件：",
                          findings)
        uow.surveys.put_many(month, [w for _, w in writes], actor=actor.code, submission_id=submission_id,
                             existing={a.store_id for a in existing.values()})
        added = sum(1 for had, _ in writes if had is None)
        cms = Counter(found[normalize_text(r.store)][4] for r in rows)
        message = (f"网上问卷：读取 {len(rows)} 行，新增 {added} 份，更新 {len(writes) - added} 份（待确认）"
                   + (f"，{unchanged} 份已确认且内容相同，未改动" if unchanged else "") + "。")
        uow.audit.record(actor=actor.code, action="import", entity="survey", key=month, field="online",
                         new=f"{filename[-80:]}：{message}", submission_id=submission_id)
        outcome = Outcome(message, (f"涉及客户经理 {len(cms)} 位；请各位客户经理导出本月客户需求调查表，在“网上问卷”表中核对并确认。",),
                          len(writes))
        if submission_id:
            uow.submissions.conclude(submission_id, "accepted", outcome.lines(), "survey_import")
        uow.commit()
        return outcome
