"""§1 导航流程: a CM's month at a glance — every step of the monthly cycle in order, with its state for this CM
(done, open, waiting for the market manager, blocked and by what, not reached yet, not built yet) and the command
that does the next step.

The steps are derived, never listed by hand: each declared kind of engine/kinds/ (document_types()) contributes the
transitions of its workflow's main path (from its initial state, each state's first declared move to a state not
seen yet: 提交 → 审核 → …, never 驳回 or 重新打开), kept by month or, for a weekly kind, by the month's weeks, for a
campaign's kind by the month's campaigns covering the CM; a kind a company may keep by quarter (§18) shows the
quarter's document in each of the quarter's months where the CM has one. What a
declaration cannot say is here, named by kind and transition: the §3 plan is opened by 计划新增 (blocked until §10's
strategies exist), §10's steps wait on last month's orders and on every store's capability score. A function of the
monthly cycle whose kind is not declared yet is shown as 尚未提供, never hidden.

Everything is read for all CMs at once (read_facts: a few set-based reads, whatever the number of CMs and kinds);
stages_of is a pure function of what was read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

from engine.actors import Actor, Role
from engine.document_types import DocumentType, document_types
from engine.errors import Refused
from engine.marks import Mark
from engine.periods import previous_month, quarter_of, weeks_of
from engine.ports import DocumentState
from engine.scope import target_cms
from engine.workflow import Relation, Transition, Workflow

DONE, OPEN, WAITING, BLOCKED, LATER, NOT_BUILT = "已完成", "待办理", "待市场经理", "受阻", "未到", "尚未提供"
#: How urgent a status is, for the market manager's order and a weekly kind's weeks (most urgent first).
URGENCY = (BLOCKED, OPEN, WAITING, LATER, DONE, NOT_BUILT)

#: The monthly cycle (DOMAIN "The monthly cycle"): the functions a CM works through each month, in the order of the
#: work — analyse (§4–§8, §10), plan (§3, §11), execute (§14), close (§15, §16, §18). A declared kind is placed by
#: its section; a section with no declared kind yet shows as 尚未提供 under this title.
CYCLE: tuple[tuple[str, str], ...] = (
    ("§4", "月度市场状态分析"), ("§5", "品牌状态分析目标设置"), ("§6", "品牌状态分析目标客户设置"),
    ("§7", "月度品牌状态分析"), ("§8", "客户需求调查表"), ("§10", "月度经营状态分析"), ("§3", "客户经理任务执行标注表"),
    ("§11", "客户经理月工作计划"), ("§14", "客户经理月度片区品牌培育执行表"), ("§15", "客户经理周自我评估"),
    ("§16", "客户经理月度工作总结"), ("§18", "绩效合约书"))

#: The command of a step of a kind with workbooks of its own (a kind with parts is exported by `cmw form export`).
STEP_COMMANDS = {("analysis", "compute_effect"): "cmw analysis effect",
                 ("analysis", "finish_scoring"): "cmw analysis capability export",
                 ("analysis", "generate_strategies"): "cmw analysis strategies",
                 ("bigtable", "submit_plan"): "cmw plan export", ("bigtable", "submit_results"): "cmw plan export"}
#: A kind whose document is opened by a step of its own before its workflow starts: (step, command).
OPENINGS = {"bigtable": ("计划新增", "cmw plan generate")}
REVIEW_COMMAND = "cmw review export"


@dataclass(frozen=True)
class Stage:
    """One step of a CM's month: its section and function, the step, its status, why, and what does it."""

    section: str
    function: str
    name: str
    status: str
    detail: str = ""
    command: str = ""
    kind: str = ""


@dataclass(frozen=True)
class CmMonth:
    """A CM's month: every stage in the cycle's order."""

    code: str
    name: str
    stages: tuple[Stage, ...]

    def blocked(self) -> list[Stage]:
        """The stages that cannot go on, and why."""
        return [s for s in self.stages if s.status == BLOCKED]

    def functions(self) -> list[tuple[str, str]]:
        """(section, function) of every function shown, in order."""
        return list(dict.fromkeys((s.section, s.function) for s in self.stages))

    def current(self, section: str, function: str) -> Stage | None:
        """The function's step that is next (its first not done), or its last when all are done; None when the CM
        has no such function this month (another CM's campaign, §14)."""
        mine = [s for s in self.stages if (s.section, s.function) == (section, function)]
        return next((s for s in mine if s.status != DONE), mine[-1]) if mine else None

    def rank(self) -> tuple:
        """The market manager's order: blocked first, then open work, then waiting for them; then by code."""
        statuses = {s.status for s in self.stages}
        return (min(URGENCY.index(s) for s in statuses), self.code)


def functions_of(months: list[CmMonth]) -> list[tuple[str, str]]:
    """(section, function) of every function any of these CMs shows, in order (campaigns, §14, differ by CM)."""
    return list(dict.fromkeys(f for m in months for f in m.functions()))


@dataclass(frozen=True)
class Facts:
    """What §1 reads for all CMs at once."""

    month: str
    today: date
    docs: dict[tuple[str, str, str], DocumentState]  # (kind, cm, period)
    reasons: dict[int, str]  # document id → the reason of the 驳回 / 退回 that left it where it is
    scoring: dict[str, tuple[int, int]]  # cm → (stores in scope, stores scored) of the month's analysis
    ordered: set[str]  # CMs whose stores have last month's orders
    marks: dict[int, dict[str, int]]  # big table id → mark → cells
    unmet: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, cm) → why the kind cannot open yet
    surveys: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # cm → §8 (active stores, entered, confirmed)
    campaigns: dict[str, list[str]] = field(default_factory=dict)  # cm → the month's campaigns covering them (§14)


def main_path(workflow: Workflow) -> list[Transition]:
    """The workflow's forward moves from its initial state: each state's first declared move to a new state."""
    moves: list[Transition] = []
    state, seen = workflow.initial, {workflow.initial}
    while True:
        forward = [t for t in workflow.transitions_from(state) if t.target not in seen]
        if not forward:
            return moves
        moves.append(forward[0])
        seen.add(forward[0].target)
        state = forward[0].target


def _position(workflow: Workflow, path: list[Transition], state: str) -> int:
    """How many path steps a document in state has done (an off-path state: the step that leaves it is next)."""
    states = [workflow.initial, *(t.target for t in path)]
    if state in states:
        return states.index(state)
    return next((i for i, t in enumerate(path) if state in t.sources), len(path))


def _supervisors_only(move: Transition) -> bool:
    return Relation.OWNER not in move.relations or Role.CM not in move.roles


def _name(move: Transition) -> str:
    return move.label if not _supervisors_only(move) or move.label.endswith("审核") else f"市场经理{move.label}"


def _command(kind: DocumentType, transition: str, state: str, cm: str) -> str:
    """What does the step: the review workbook for a review, else the kind's export (or its own command)."""
    if state in kind.reviews:
        return REVIEW_COMMAND
    if (kind.code, transition) in STEP_COMMANDS:
        return STEP_COMMANDS[kind.code, transition]
    if kind.parts:
        supervisor = kind.editor(state) is Relation.SUPERVISOR
        week = " --week 周一日期" if kind.period == "week" else ""
        return f"cmw form export {kind.code}{week}" + (f" --cm {cm}" if supervisor else "")
    return kind.command


def _document_stages(kind: DocumentType, doc: DocumentState | None, facts: Facts, cm: str) -> list[Stage]:
    """The stages of one document (None: not opened yet) of a kind kept by month."""
    flow, path = kind.workflow, main_path(kind.workflow)
    state = doc.state if doc else flow.initial
    at = _position(flow, path, state) if doc else 0
    stages: list[Stage] = []
    if kind.code in OPENINGS:
        name, command = OPENINGS[kind.code]
        stages.append(Stage(kind.section, kind.title, name, DONE if doc else OPEN, "" if doc else "尚未生成",
                            "" if doc else command, kind.code))
    if not path:  # a kind only saved, never moved: filled in or not
        stages.append(Stage(kind.section, kind.title, "填写", DONE if doc else OPEN,
                            "已填写，可随时修改" if doc else "未开始",
                            "" if doc else _command(kind, "", state, cm), kind.code))
    for i, move in enumerate(path):
        if i < at:
            status, detail = DONE, ""
        elif i == at and not (stages and stages[0].status != DONE):
            status = WAITING if _supervisors_only(move) else OPEN
            step = kind.steps.get(state)
            rejected = state not in [flow.initial, *(t.target for t in path)]
            detail = (f"{flow.states[state]}：{facts.reasons.get(doc.id, '')}".rstrip("：") if rejected and doc
                      else ("未开始" if doc is None else (step.guide if step and status == OPEN else flow.states[state])))
        else:
            status, detail = LATER, ""
        stages.append(Stage(kind.section, kind.title, _name(move), status, detail,
                            _command(kind, move.name, state, cm) if status in (OPEN, WAITING) else "", kind.code))
    unmet = facts.unmet.get((kind.code, cm))
    if unmet and doc is None:
        stages = [_replace(stages[0], BLOCKED, unmet), *stages[1:]]
    hook = HOOKS.get(kind.code)
    return hook(stages, doc, facts, cm) if hook else stages


def _replace(stage: Stage, status: str, detail: str, command: str | None = None) -> Stage:
    return Stage(stage.section, stage.function, stage.name, status, detail,
                 stage.command if command is None else command, stage.kind)


def _analysis(stages: list[Stage], doc: DocumentState | None, facts: Facts, cm: str) -> list[Stage]:
    """§10: the effect waits on last month's orders; scoring counts the stores; strategies wait on every score."""
    out: list[Stage] = []
    stores, scored = facts.scoring.get(cm, (0, 0))
    for stage, transition in zip(stages, [t.name for t in main_path(document_types()["analysis"].workflow)]):
        if transition == "compute_effect" and stage.status == OPEN and cm not in facts.ordered:
            stage = _replace(stage, BLOCKED, f"上月（{previous_month(facts.month)}）订单尚未导入，请管理员先导入订单")
        elif transition == "finish_scoring" and stage.status == OPEN:
            stage = (_replace(stage, DONE, f"全部 {stores} 户已评分", "") if stores and scored >= stores else
                     _replace(stage, OPEN, f"已评分 {scored} / {stores} 户，还有 {stores - scored} 户未评分"))
        elif transition == "generate_strategies" and stage.status == LATER and out and out[-1].status in (OPEN, DONE) \
                and doc is not None and doc.state == "computed":
            stage = (_replace(stage, OPEN, "全部客户已评分，可以生成策略", STEP_COMMANDS["analysis", transition])
                     if out[-1].status == DONE else _replace(stage, BLOCKED, f"还有 {stores - scored} 户未评分"))
        out.append(stage)
    return out


def _big_table(stages: list[Stage], doc: DocumentState | None, facts: Facts, cm: str) -> list[Stage]:
    """§3: 计划新增 waits on §10's strategies; marking shows the marks so far."""
    analysis = facts.docs.get(("analysis", cm, facts.month))
    out: list[Stage] = []
    for stage in stages:
        if stage.name == OPENINGS["bigtable"][0] and stage.status == OPEN and \
                (analysis is None or analysis.state != "strategies"):
            stage = _replace(stage, BLOCKED, "§10 月度经营状态分析尚未生成策略")
        elif stage.status == OPEN and doc is not None and doc.state in ("approved", "results_rejected"):
            n = facts.marks.get(doc.id, {})
            done = f"已完成 ★ {n.get(Mark.DONE.value, 0)}，未完成 ☆ {n.get(Mark.PLANNED.value, 0)}，" \
                   f"临时任务 △ {n.get(Mark.TEMPORARY.value, 0)} / ▲ {n.get(Mark.TEMPORARY_DONE.value, 0)}"
            stage = _replace(stage, OPEN, f"标注中：{done}" if doc.state == "approved" else f"{stage.detail}（{done}）")
        out.append(stage)
    return out


def _survey(stages: list[Stage], doc: DocumentState | None, facts: Facts, cm: str) -> list[Stage]:
    """§8 is kept per store (its answers), not as one document: how many stores are entered and confirmed."""
    stores, entered, confirmed = facts.surveys.get(cm, (0, 0, 0))
    if not stages or stages[0].status not in (OPEN, DONE):
        return stages
    first = stages[0]
    if stores and confirmed >= stores:
        first = _replace(first, DONE, f"全部 {stores} 户已确认", "")
    elif entered:
        first = _replace(first, OPEN, f"已录入 {entered} 户，已确认 {confirmed} / {stores} 户")
    else:
        first = _replace(first, OPEN, f"未开始（有效客户 {stores} 户）")
    return [first, *stages[1:]]


HOOKS: dict[str, Callable] = {"analysis": _analysis, "bigtable": _big_table, "survey": _survey}


def mondays(month: str) -> list[str]:
    """The Mondays (YYYY-MM-DD) of the weeks of a month, as a weekly kind keeps them."""
    return [f"{first - timedelta(days=first.weekday()):%Y-%m-%d}" for first, _ in weeks_of(month)]


def _weekly_stages(kind: DocumentType, facts: Facts, cm: str) -> list[Stage]:
    """A kind kept by week: each step over the month's weeks that have begun (done n of m weeks)."""
    weeks = [w for w in mondays(facts.month) if date.fromisoformat(w) <= facts.today]
    per_week = [_document_stages(kind, facts.docs.get((kind.code, cm, w)), facts, cm) for w in weeks]
    if not per_week:
        return [_replace(s, LATER, "本月尚无已开始的周", "") for s in
                _document_stages(kind, None, facts, cm)]
    stages = []
    for parts in zip(*per_week):
        done = sum(s.status == DONE for s in parts)
        worst = min(parts, key=lambda s: URGENCY.index(s.status))
        status = DONE if done == len(parts) else worst.status
        todo = [w for w, s in zip(weeks, parts) if s.status == worst.status and status != DONE]
        detail = f"{done} / {len(parts)} 周已完成" + (f"；{worst.status}：{'、'.join(todo)} 这周" if todo else "")
        stages.append(_replace(worst, status, detail, worst.command if status in (OPEN, WAITING) else ""))
    return stages


def stages_of(facts: Facts, cm: str, kinds: dict[str, DocumentType]) -> tuple[Stage, ...]:
    """Every stage of a CM's month, in the cycle's order: the declared kinds of CMs, and the functions of the cycle
    not declared yet (尚未提供); a declared kind outside the cycle follows it, by section."""
    mine = [k for k in kinds.values() if k.owner_role == "cm"]
    order = {section: n for n, (section, _) in enumerate(CYCLE)}
    listed: list[tuple[int, int, str, DocumentType | None, str]] = []
    for declared_kind in mine:
        listed.append((order.get(declared_kind.section, len(CYCLE)), int(declared_kind.section.lstrip("§")),
                       declared_kind.code, declared_kind, declared_kind.title))
    declared = {k.section for k in mine}
    listed += [(n, int(section.lstrip("§")), "", None, title) for n, (section, title) in enumerate(CYCLE)
               if section not in declared]
    stages: list[Stage] = []
    for _, number, _, kind, title in sorted(listed, key=lambda item: item[:3]):
        if kind is None:
            stages.append(Stage(f"§{number}", title, "—", NOT_BUILT, "本功能尚未提供"))
        elif kind.period == "week":
            stages += _weekly_stages(kind, facts, cm)
        elif kind.period == "campaign":
            stages += _campaign_stages(kind, facts, cm)
        else:
            stages += _month_stages(kind, facts, cm)
    return tuple(stages)


def _of_period(stage: Stage, kind: DocumentType, option: str, *, function: str = "", name: str = "") -> Stage:
    """A stage of a document kept by another period than the month: its export command names the period (option),
    its function or its step name says which."""
    command = stage.command.replace(f"cmw form export {kind.code}", f"cmw form export {kind.code} {option}")
    return Stage(stage.section, function or stage.function, name or stage.name, stage.status, stage.detail, command,
                 stage.kind)


def _campaign_stages(kind: DocumentType, facts: Facts, cm: str) -> list[Stage]:
    """A kind kept per month and campaign (§14): the steps of each campaign of the month covering the CM, each named
    by its campaign; none running: said so."""
    codes = facts.campaigns.get(cm, [])
    if not codes:
        return [_replace(s, LATER, "本月没有覆盖本片区的促销战役", "") for s in _document_stages(kind, None, facts, cm)[:1]]
    return [_of_period(stage, kind, f"--campaign {code}", function=f"{stage.function}（{code}）")
            for code in codes
            for stage in _document_stages(kind, facts.docs.get((kind.code, cm, f"{facts.month}/{code}")), facts, cm)]


def _month_stages(kind: DocumentType, facts: Facts, cm: str) -> list[Stage]:
    """A kind kept by month — and, when the company so chooses, by quarter (also_by, §18): in each month of the
    quarter, the quarter's document where the CM has one (its steps named by the quarter, its commands with
    --quarter), and the month's where it exists or where no quarter's does (not opened yet: 未开始)."""
    month = _document_stages(kind, facts.docs.get((kind.code, cm, facts.month)), facts, cm)
    quarter = quarter_of(facts.month)
    kept = facts.docs.get((kind.code, cm, quarter)) if "quarter" in kind.periods else None
    if kept is None:
        return month
    by_quarter = [_of_period(stage, kind, f"--quarter {quarter}", name=f"{stage.name}（{quarter} 季度）")
                  for stage in _document_stages(kind, kept, facts, cm)]
    return [*month, *by_quarter] if (kind.code, cm, facts.month) in facts.docs else by_quarter


def _campaigns_of(uow, cms: list[str], month: str) -> dict[str, list[str]]:
    """The month's campaigns covering each CM (by a unit above them; by store, where a campaign names stores): a read
    per unit a campaign names, not per CM."""
    running = [c for c in uow.campaigns.all() if c.runs_in(month)]
    if not running:
        return {}
    within: dict[str, set[str]] = {}
    for code in {code for c in running for code in c.covers}:
        path = uow.users.unit_path_of(code)
        within[code] = set(uow.users.cms_in(path)) if path is not None else set()
    stores: dict[str, set[str]] = {}
    if any(not within[code] for c in running for code in c.covers):  # store codes named: whose stores they are
        for store in uow.analyses.scope(cms):
            if store.status == "active":
                stores.setdefault(store.cm_code, set()).add(store.code)
    return {cm: [c.code for c in running if any(cm in within[code] or code in stores.get(cm, ()) for code in c.covers)]
            for cm in cms}


def read_facts(uow, cms: list[str], month: str, today: date, kinds: dict[str, DocumentType]) -> Facts:
    """Everything §1 needs for these CMs' month, in a few set-based reads (not per CM, not per kind), plus one
    check per CM and kind not opened yet whose declaration says what it requires first."""
    campaigns = _campaigns_of(uow, cms, month) if any(k.period == "campaign" for k in kinds.values()) else {}
    periods = [month, *mondays(month), *(f"{month}/{code}" for code in {c for codes in campaigns.values() for c in codes}),
               *([quarter_of(month)] if any("quarter" in k.periods for k in kinds.values()) else [])]
    found = uow.documents.of_owners(cms, periods)
    docs = {(d.kind, d.owner_code, d.period): d for d in found}
    rejects = {review.reject for kind in kinds.values() for review in kind.reviews.values()}
    decided = uow.decisions.latest([d.id for d in found], rejects)
    reasons = {doc_id: d.reason for doc_id, d in decided.items()}
    scoring = {row["code"]: (int(row["stores"] or 0), int(row["scored"] or 0))
               for row in uow.analyses.listing(cms, month=month, state=None)}
    ordered = set(uow.analyses.cm_totals(cms, previous_month(month)))
    tables = [d.id for d in found if d.kind == "bigtable" and d.period == month]
    marks = uow.big_tables.counts_of_many(tables)
    unmet: dict[tuple[str, str], str] = {}
    for kind in kinds.values():
        requires: Callable | None = getattr(kind.draft, "requires", None)
        many: Callable | None = getattr(kind.draft, "requires_many", None)
        waiting = [cm for cm in cms if (kind.code, cm, month) not in docs]
        if many is not None and kind.period == "month":  # one set-based check for every CM (§4–§7)
            unmet.update({(kind.code, cm): why for cm, why in (many(uow, waiting, month) if waiting else {}).items()})
            continue
        for cm in cms if requires is not None and kind.period == "month" else ():
            if (kind.code, cm, month) not in docs:
                try:
                    requires(uow, cm, month)  # type: ignore[misc]
                except Refused as refusal:
                    unmet[kind.code, cm] = refusal.message
    surveys: dict[str, tuple[int, int, int]] = {}
    if "survey" in kinds:  # §8's answers, when the kind is declared
        counts = uow.surveys.store_counts(cms)
        answered: dict[str, list[int]] = {cm: [0, 0] for cm in cms}
        for answer in uow.surveys.answers(month, cms).values():
            if answer.cm_code in answered:
                answered[answer.cm_code][0] += 1
                answered[answer.cm_code][1] += answer.state != kinds["survey"].workflow.initial
        surveys = {cm: (counts.get(cm, 0), *answered[cm]) for cm in cms}
    return Facts(month, today, docs, reasons, scoring, ordered, marks, unmet, surveys, campaigns)


def navigation(uow, actor: Actor, month: str, cm_codes: list[str] | None = None, *,
               today: date | None = None) -> list[CmMonth]:
    """§1 for the actor's month: a CM their own; a market manager (or administrator) every CM of their scope (or
    those named), the blocked first. Reads only; nothing is written."""
    with uow:
        cms = target_cms(uow, actor, cm_codes, "navigation")
        if not cms:
            raise Refused(f"{actor.label}管辖范围内没有客户经理，没有可显示的导航。")
        kinds = document_types()
        facts = read_facts(uow, cms, month, today or date.today(), kinds)
        names = uow.users.names(cms)
    months = [CmMonth(cm, names.get(cm, cm), stages_of(facts, cm, kinds)) for cm in cms]
    return sorted(months, key=CmMonth.rank) if len(months) > 1 else months
