"""§8 use cases of the CM's entry workbook: what it shows for a month (the month's questionnaire pinned on first
use), and the filled-in file handed back — offline rows saved as 待确认 (a row emptied again is no longer surveyed),
rows confirmed, all or nothing, one audit row per store changed or confirmed, in one unit of work.

A file is compared three ways per cell — as exported, as handed back, as stored now: a store whose answer changed
since the export (an import, another copy's save) and that the file changes too is a collision, reported cell by
cell with nothing saved; the user's own saves from the file (or a copy of it) never make it stale.
"""
from __future__ import annotations

from dataclasses import dataclass

from engine.actors import Actor
from engine.errors import Finding, Refused
from engine.policy import require, require_move
from engine.ports import AnswerRow, SurveyStore, UnitOfWork
from engine.questionnaire import KIND, Questionnaire, month_questionnaire, questionnaire_from_dict
from engine.records import Outcome, Record
from engine.scope import owner_of
from engine.stores import normalize_text
from engine.surveys import (CONFIRMED, DATE, DRAFT, OFFLINE, ONLINE, SUGGESTION, TICK, URGENT, Answer, is_blank,
                            item_key, read_day, read_item, read_suggestion, read_tick, summary_text, urgent_problems)
from engine.workflow import fire
from engine.workflows import DEMAND_SURVEY

CONFIRM = "确认"
STATES = DEMAND_SURVEY.states


@dataclass(frozen=True)
class SurveyView:
    """A CM's month as the entry workbook shows it: the questionnaire, the offline stores with their answers (None:
    not surveyed), the online answers, and the snapshot an export keeps."""

    questionnaire: Questionnaire
    offline: list[tuple[str, str, Answer | None]]
    online: list[Answer]

    def snapshot(self, month: str) -> dict:
        """Per store code: the cells, state and channel the file shows."""
        shown = {code: _kept(self.questionnaire, month, a) for code, _, a in self.offline}
        shown.update({a.store_code: _kept(self.questionnaire, month, a) for a in self.online})
        return {"questionnaire": self.questionnaire.version, "month": month, "answers": shown}


def _kept(questionnaire: Questionnaire, month: str, answer: Answer | None) -> dict:
    if answer is None:
        return {"cells": {}, "state": "", "channel": ""}
    return {"cells": answer.cells(questionnaire, month), "state": answer.state, "channel": answer.channel}


def survey_view(uow: UnitOfWork, actor: Actor, month: str) -> SurveyView:
    """The actor's (a CM's) month, inside the caller's unit of work (pins the month's questionnaire: commit)."""
    require(actor, "edit:survey")
    questionnaire = month_questionnaire(uow, month, actor.code)
    stores: list[SurveyStore] = uow.surveys.stores([actor.code])
    answers = uow.surveys.answers(month, [actor.code])
    online = sorted((a for a in answers.values() if a.channel == ONLINE), key=lambda a: a.store_code)
    offline = [(s.code, s.name, answers.get(s.code)) for s in stores
               if (answers.get(s.code) is None and not s.online) or
               (answers.get(s.code) is not None and answers[s.code].channel == OFFLINE)]
    kept = {code for code, _, _ in offline}
    offline += [(a.store_code, a.store_name, a) for a in answers.values()  # a store no longer the CM's, answered
                if a.channel == OFFLINE and a.store_code not in kept]
    return SurveyView(questionnaire, offline, online)


def _finding(code: str, message: str, record: Record, key: str, value: object = None) -> Finding:
    return Finding(code, message, sheet=record.sheet, cell=record.cells.get(key), value=None if value in (None, "")
                   else str(value)[:60])


def _read_row(record: Record, questionnaire: Questionnaire, month: str, findings: list[Finding]) -> dict[str, str] | None:
    """A row's cells as texts (None when a cell is wrong: its finding is added)."""
    values, cells, bad = record.values, {}, False
    try:
        cells[DATE] = read_day(values.get(DATE), month)
    except ValueError as exc:
        findings.append(_finding("INVALID", f"{exc}。", record, DATE, values.get(DATE)))
        cells[DATE] = "?"  # said; not "missing" too
        bad = True
    for item in questionnaire.of_month(month):
        key = item_key(item.code)
        try:
            cells[key] = read_tick(values.get(key), item.name)
        except ValueError as exc:
            findings.append(_finding("INVALID", f"{exc}。", record, key, values.get(key)))
            bad = True
    urgent = []
    for n, key in enumerate(URGENT):
        try:
            urgent.append(read_item(values.get(key), questionnaire, month, ("最急需一", "最急需二", "最急需三")[n]))
        except ValueError as exc:
            findings.append(_finding("INVALID", f"{exc}。", record, key, values.get(key)))
            urgent.append(None)
            bad = True
    cells.update({key: item.name if item else "" for key, item in zip(URGENT, urgent)})
    ticked = tuple(i.code for i in questionnaire.of_month(month) if cells.get(item_key(i.code)) == TICK)
    for n, problem in urgent_problems(ticked, urgent):
        findings.append(_finding("URGENT", f"{problem}。", record, URGENT[n], values.get(URGENT[n])))
        bad = True
    try:
        cells[SUGGESTION] = read_suggestion(values.get(SUGGESTION))
    except ValueError as exc:
        findings.append(_finding("INVALID", f"{exc}。", record, SUGGESTION, values.get(SUGGESTION)))
        bad = True
    if not cells[DATE] and any(normalize_text(values.get(k)) for k in values if k not in (DATE, "code", "name", "state",
                                                                                         "confirm")
                                     and not k.startswith("pick_")):
        findings.append(_finding("REQUIRED", "填写了问卷就要填调查日期（本月内的拜访日期），整行留空表示未调查。", record, DATE))
        bad = True
    return None if bad else cells


def _raw(record: Record, keys) -> dict[str, str]:
    """A row's cells as typed, for telling that they changed."""
    return {key: normalize_text(record.values.get(key)) for key in keys}


def _confirm_flag(record: Record, findings: list[Finding]) -> bool:
    text = normalize_text(record.values.get("confirm"))
    if text in ("", ):
        return False
    if text in (CONFIRM, TICK, "√", "✔"):
        return True
    findings.append(_finding("INVALID", f"“确认”只能选“{CONFIRM}”或留空。", record, "confirm", text))
    return False


def _shown(text: str) -> str:
    return f"“{text}”" if text else "空白"


def _label(questionnaire: Questionnaire, key: str) -> str:
    labels = {DATE: "调查日期", SUGGESTION: "建议意见", **dict(zip(URGENT, ("最急需一", "最急需二", "最急需三")))}
    labels.update({item_key(i.code): i.name for i in questionnaire.items})
    return labels.get(key, key)


def _collisions(questionnaire, code, record, exported: dict, current: dict, mine: dict) -> list[Finding]:
    """Per cell of one store: the user's changes, the changes made meanwhile, and where the two collide."""
    yours, theirs, both = [], [], []
    for key in dict.fromkeys([*mine, *exported, *current]):
        was, now, typed = exported.get(key, ""), current.get(key, ""), mine.get(key, exported.get(key, ""))
        what = f"客户 {code} 的“{_label(questionnaire, key)}”"
        if typed != was and now != was and typed != now:
            both.append(_finding("COLLISION", f"冲突：{what}您改为{_shown(typed)}，期间已被改为{_shown(now)}"
                                              f"（导出时为{_shown(was)}）", record, key))
        elif typed != was and now == was:
            yours.append(_finding("YOURS", f"您的修改（未保存）：{what}{_shown(was)}→{_shown(typed)}", record, key))
        elif now != was and typed == was:
            theirs.append(_finding("THEIRS", f"期间的修改：{what}{_shown(was)}→{_shown(now)}", record, key))
    return [*yours, *both, *theirs]


def take_back_survey(uow: UnitOfWork, actor: Actor, *, owner_code: str, month: str, export_id: int, version: int,
                     offline: list[Record], online: list[Record], findings: list[Finding], operation: str,
                     submission_id: int | None) -> Outcome:
    """The entry workbook handed back by its CM: all or nothing (see the module's text)."""
    with uow:
        require(actor, "edit:survey", owner_of(uow, owner_code))
        export = uow.exports.get(export_id)
        if export is None or export.module != "survey" or export.owner_code != owner_code or \
                export.snapshot.get("month") != month:
            raise Refused("找不到这份客户需求调查表的导出记录（可能来自另一个数据库）。请重新导出后再填写提交。")
        if findings:
            raise Refused("客户需求调查表的格式被改动，全部未保存。请重新导出后再填写：", findings)
        pinned = uow.surveys.pinned(month)
        if pinned != version:
            raise Refused(f"这份调查表按第 {version} 版问卷导出，{month} 使用第 {pinned} 版问卷。请重新导出后再填写提交。")
        body = uow.rubrics.get(KIND, version)
        if body is None:  # a pinned version is kept forever
            raise LookupError(f"questionnaire version {version} is missing")
        questionnaire = questionnaire_from_dict(body)
        stores = {s.code: s for s in uow.surveys.stores([owner_code])}
        current = uow.surveys.answers(month, [owner_code])
        shown = export.snapshot["answers"]
        rows: dict[str, tuple[Record, dict | None, bool, bool]] = {}
        problems: list[Finding] = []
        for records, is_offline in ((offline, True), (online, False)):
            for record in records:
                code = normalize_text(record.values.get("code"))
                if code in rows or code not in shown:
                    twice = f"（与 {rows[code][0].sheet} 第 {rows[code][0].number} 行重复）" if code in rows else ""
                    problems.append(_finding("ROW", f"客户编码被改动{twice}，这一行无法对应导出时的客户。请不要修改客户编码，"
                                                    "重新导出后再填写。", record, "code", code))
                    continue
                if is_offline:
                    cells = _read_row(record, questionnaire, month, problems)
                else:  # the platform's answer: read only to tell a change (refused below) from none
                    cells = _read_row(record, questionnaire, month, []) or _raw(record, shown[code]["cells"])
                rows[code] = (record, cells, _confirm_flag(record, problems), is_offline)
        if problems:
            raise Refused(f"客户需求调查表有 {len(problems)} 处填写有误，全部未保存。请按提示修改后重新提交：", problems)
        saves, removes, confirms, stale, locked = [], [], [], [], []
        for code, (record, cells, confirm, is_offline) in rows.items():
            was = shown[code]
            answer = current.get(code)
            now = _kept(questionnaire, month, answer)
            mine = cells if cells is not None else was["cells"]
            changed = {k: v for k, v in mine.items() if v != was["cells"].get(k, "")}
            if changed and now != was:
                stale += _collisions(questionnaire, code, record, was["cells"], now["cells"], mine)
                continue
            if changed and (not is_offline or (answer is not None and
                                               (answer.state == CONFIRMED or answer.channel == ONLINE))):
                why = "已确认的问卷已锁定" if answer is not None and answer.state == CONFIRMED else \
                    "这户的问卷已由网上订货平台导入"
                locked += [_finding("LOCKED", f"客户 {code} 的“{_label(questionnaire, k)}”不能修改：{why}。请改回"
                                              f"{_shown(was['cells'].get(k, ''))}。", record, k, v) for k, v in changed.items()]
                continue
            if changed and code not in stores and answer is None:
                problems.append(_finding("MOVED", f"客户 {code} 已不是您的有效客户（已调整给其他客户经理或已停业），"
                                                  "不能录入问卷。请清空这一行后重新提交。", record, DATE))
                continue
            if confirm and not changed and now != was and now["state"] != CONFIRMED:
                stale += [_finding("THEIRS", f"客户 {code} 的问卷在您导出后已有变化（例如网上问卷重新导入），不能按旧的内容确认。"
                                             "请重新导出，核对后再确认。", record, "confirm")]
                continue
            after = mine if changed else now["cells"]
            if changed and is_blank(mine):
                if answer is not None:
                    removes.append((code, answer))
            elif changed:
                saves.append((code, answer, mine))
            answered = not is_blank(after) if is_offline else answer is not None
            if (confirm or operation == CONFIRM) and not (answer is not None and answer.state == CONFIRMED):
                if answered:
                    confirms.append(code)
                elif confirm:
                    problems.append(_finding("CONFIRM", f"客户 {code} 没有填写问卷，不能确认。", record, "confirm", CONFIRM))
        if stale:
            raise Refused("客户需求调查表在您导出后已有变化，本次提交未保存。请重新导出，把下列“您的修改”填入新表后再提交：", stale)
        if locked or problems:
            raise Refused(f"客户需求调查表有 {len(locked) + len(problems)} 处修改不允许，全部未保存：", [*locked, *problems])
        owner, me = uow.users.owner(owner_code), uow.surveys.cm_id(owner_code)
        if owner is None or me is None:
            raise Refused(f"用户 {owner_code} 不存在。运行 cmw users list 查看客户经理编码。")
        if confirms:
            fire(DEMAND_SURVEY, DRAFT, "confirm")
            require_move(actor, DEMAND_SURVEY, "confirm", owner)
        uow.surveys.remove_many(month, [a.store_id for _, a in removes])
        uow.surveys.put_many(month, [_answer_row(stores, current, code, me, mine, questionnaire, month)
                                     for code, _, mine in saves], actor=actor.code, submission_id=submission_id)
        ids = {code: (stores[code].id if code in stores else current[code].store_id) for code in confirms}
        uow.surveys.confirm_many(month, list(ids.values()))
        key = f"{owner_code}/{month}"
        old = {code: summary_text(questionnaire, _kept(questionnaire, month, current.get(code))["cells"])
               for code in [*(c for c, _, _ in saves), *(c for c, _ in removes)]}
        uow.audit.record_many(
            [dict(actor=actor.code, action="edit", entity="survey", key=key, field=code, old=old[code],
                  new=summary_text(questionnaire, mine), submission_id=submission_id) for code, _, mine in saves] +
            [dict(actor=actor.code, action="clear", entity="survey", key=key, field=code, old=old[code], new="",
                  submission_id=submission_id) for code, _ in removes] +
            [dict(actor=actor.code, action="confirm", entity="survey", key=key, field=code, old=DRAFT, new=CONFIRMED,
                  submission_id=submission_id) for code in confirms])
        answers = {**shown}
        for code, _, mine in saves:
            answers[code] = {"cells": mine, "state": DRAFT if code not in confirms else CONFIRMED, "channel": OFFLINE}
        for code, _ in removes:
            answers[code] = {"cells": {}, "state": "", "channel": ""}
        for code in confirms:
            answers[code] = {**answers[code], "state": CONFIRMED}
        uow.exports.update_snapshot(export_id, {**export.snapshot, "answers": answers})
        outcome = _outcome(questionnaire, saves, removes, confirms, current)
        uow.submissions.conclude(submission_id, "accepted", outcome.lines(), "survey") if submission_id else None
        uow.commit()
        return outcome


def _answer_row(stores: dict[str, SurveyStore], current: dict[str, Answer], code: str, cm_id: int, cells: dict,
                questionnaire: Questionnaire, month: str) -> AnswerRow:
    from datetime import date

    names = {i.name: i.code for i in questionnaire.items}
    store_id = stores[code].id if code in stores else current[code].store_id
    items = tuple(i.code for i in questionnaire.of_month(month) if cells.get(item_key(i.code)) == TICK)
    urgent = tuple(names[cells[k]] for k in URGENT if cells.get(k))
    return AnswerRow(store_id, cm_id, OFFLINE, date.fromisoformat(cells[DATE]), items, urgent, cells[SUGGESTION])


def _outcome(questionnaire, saves, removes, confirms, current) -> Outcome:
    added = sum(1 for _, answer, _ in saves if answer is None)
    parts = [f"新增 {added} 户", f"修改 {len(saves) - added} 户"] + ([f"清空 {len(removes)} 户"] if removes else [])
    pending = sum(1 for code, _, _ in saves if code not in confirms)
    message = (f"已保存 {len(saves) + len(removes)} 户问卷（{'，'.join(parts)}）"
               f"{f'，{pending} 户待确认' if pending else ''}。" if saves or removes else "文件中没有新的问卷修改。")
    if confirms:
        message += f"已确认 {len(confirms)} 户（已锁定）。"
    lines = [f"{code}：{summary_text(questionnaire, mine)}" for code, _, mine in saves[:50]]
    lines += [f"{code}：已清空（未调查）" for code, _ in removes[:50]]
    if len(saves) + len(removes) > 100:
        lines.append(f"……共 {len(saves) + len(removes)} 户")
    if confirms:
        lines.append("已确认：" + "、".join(confirms[:30]) + (f" 等 {len(confirms)} 户" if len(confirms) > 30 else ""))
    return Outcome(message, tuple(lines), len(saves) + len(removes) + len(confirms))
