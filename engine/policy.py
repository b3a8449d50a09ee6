"""Who may do what: one policy, asked by every layer, refusing only inside the engine's use cases.

A rule names an act (`import`, `stores.view`, `view:bigtable`, `bigtable:approve_plan`, …), what it is in Chinese
(a verb and an object: 导入 基础数据) and who may do it, as pairs of a role and a relation to the owner of what is
acted on (the owner themself, or a manager — MM, BM, administrator — whose unit covers the owner). An act outside
anyone's things (an import, the rubric) has no relation: its roles may do it for the whole company.

The rules of the documents are derived from their declared workflows (engine/workflows.py, through the document
types of engine/kinds/): firing a transition (`KIND:TRANSITION`) is the transition's roles in its relations; viewing,
exporting or printing a document (`view:KIND`) is open to whoever may fire any of its transitions, in that relation;
filling it in (`edit:KIND`) to whoever fires its transitions as its owner. Only a customer manager owns a
document. The other acts are the small table DECLARED below. `cmw` commands and ribbon buttons name their act
(the commands with `act=` in their parser's defaults, the buttons in addin/buttons.py) and ask allows() to choose
a scope or grey a button; the engine's use cases call require(), which raises NotAllowed saying who may.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from engine.actors import ROLE_LABELS, Actor, Role
from engine.errors import NotAllowed
from engine.workflow import Owner, Relation, Workflow

OWN, SUP = Relation.OWNER, Relation.SUPERVISOR
CM, MM, BM, ADMIN = Role.CM, Role.MM, Role.BM, Role.ADMIN


class Reach(StrEnum):
    """Whose things an actor's act reaches when they name nobody."""

    OWN = "own"  # their own (a CM)
    SCOPE = "scope"  # every CM their unit covers (an MM, a BM, an administrator)
    COMPANY = "company"  # the act is not about anyone's things


@dataclass(frozen=True)
class Rule:
    """One act: its code, Chinese verb and object, and the (role, relation) pairs that may do it — relation None:
    the act is not about anyone's things. nobody: the act needs no acting user, and says who runs it instead."""

    act: str
    verb: str
    what: str
    grants: tuple[tuple[Role, Relation | None], ...] = ()
    nobody: str = ""
    title: str = ""

    @property
    def label(self) -> str:
        """What the act is, e.g. 查看任务执行标注表, 计划提交（任务执行标注表）."""
        return self.title or f"{self.verb}{self.what}"

    @property
    def roles(self) -> tuple[Role, ...]:
        """The roles that may do it in some relation (in the roles' order)."""
        return tuple(role for role in Role if any(r is role for r, _ in self.grants))

    def who(self) -> str:
        """Who may do it, as a message says it: 客户经理本人或管辖其单位的市场经理、管理员."""
        if self.nobody:
            return self.nobody
        own = [ROLE_LABELS[r] for r in Role if (r, OWN) in self.grants]
        sup = [ROLE_LABELS[r] for r in Role if (r, SUP) in self.grants]
        anyone = [ROLE_LABELS[r] for r in Role if (r, None) in self.grants]
        parts = ([f"{'、'.join(own)}本人"] if own else []) + ([f"管辖其单位的{'、'.join(sup)}"] if sup else [])
        return "或".join(parts + (["、".join(anyone)] if anyone else [])) or "任何人都不能"


def _grants(roles, relations=(None,)) -> tuple[tuple[Role, Relation | None], ...]:
    return tuple((role, relation) for role in roles for relation in relations)


_MANAGERS = (MM, BM, ADMIN)
_SUPERVISORS = (MM, ADMIN)
_OWN_AND_SUPERVISORS = ((CM, OWN), *_grants(_SUPERVISORS, (SUP,)))
_LOOKERS = _grants(_SUPERVISORS, (SUP,))  # who may look at any document of a CM they supervise
_NO_ACTOR = "任何能连接数据库的人（不需要 --as）"
_DATABASE_OWNER = "数据库的所有者（表结构的所有者，不需要 --as）"

#: The acts outside a workflow. A new command or button whose act is in neither this table nor the derived rules
#: fails the role matrix test (tests/integration/test_role_matrix.py), which says so.
DECLARED = (
    Rule("import", "导入", "基础数据（组织机构、客户、卷烟规格、订单）", _grants((ADMIN,))),
    Rule("orders.archive", "归档", "过了保留期的订单明细", _grants((ADMIN,))),
    Rule("users.grant", "开通或收回", "个人数据库账号",
         nobody="管理员，以数据库所有者的账号连接（cmw users grant / revoke，不需要 --as）"),
    Rule("visits.plan", "生成", "拜访计划", _grants((ADMIN,))),
    Rule("rubric.import", "导入", "评分标准", _grants((ADMIN,))),
    Rule("rubric.view", "查看", "评分标准", _grants(Role)),
    Rule("questionnaire.import", "导入", "调查问卷", _grants((ADMIN,))),
    Rule("questionnaire.view", "查看", "调查问卷", _grants(Role)),
    Rule("survey.import", "导入", "网上问卷答案", _grants((ADMIN,))),
    Rule("brands", "维护", "重点品牌", _grants((BM, ADMIN))),
    Rule("brands.view", "查看", "重点品牌名单", _grants(Role)),
    Rule("campaigns", "维护", "促销战役", _grants((BM, ADMIN))),
    Rule("campaigns.view", "查看", "促销战役", _grants(Role)),
    Rule("photos", "维护", "门店照片", ((CM, OWN),)),
    Rule("photos.view", "查看", "门店照片", _OWN_AND_SUPERVISORS + _grants((BM,), (SUP,))),
    Rule("cultivation.rates", "查看", "品牌培育执行率", _grants((MM, BM, ADMIN), (SUP,))),
    Rule("submissions", "查看", "本人的提交记录", _grants(Role)),
    Rule("submissions.all", "查看", "全部用户的提交记录", _grants((ADMIN,))),
    Rule("submit", "提交", "工作簿（各表按其自身的规则检查）", _grants(Role)),
    Rule("print.book", "打印", "当前工作簿", _grants(Role)),
    Rule("button", "使用", "功能区按钮（按该按钮的规则检查）", _grants(Role)),
    Rule("refresh", "刷新", "当前工作簿（按导出它的按钮的规则检查）", _grants(Role)),
    Rule("review", "审核", "计划、结果和单据", _grants(_SUPERVISORS, (SUP,))),
    Rule("print.department", "批量打印", "营销部的表", _grants(_SUPERVISORS, (SUP,))),
    Rule("stores.view", "查看", "客户信息", ((CM, OWN), *_grants(_MANAGERS, (SUP,)))),
    Rule("stores.unassigned", "查看", "未分配客户经理的客户", _grants((ADMIN,))),
    Rule("stores.maintain", "维护", "客户信息（客户信息维护表）", ((CM, OWN),)),
    Rule("capability.score", "填写", "经营能力评分表", ((CM, OWN),)),
    Rule("bigtable.generate", "生成", "任务执行标注表", _OWN_AND_SUPERVISORS),
    Rule("visits.view", "查看", "日拜访记录表和周工作安排表", _OWN_AND_SUPERVISORS),
    Rule("navigation", "查看", "工作导航", _OWN_AND_SUPERVISORS),
    Rule("feedback", "打印", "客户月度经营状态反馈表", _OWN_AND_SUPERVISORS),
    Rule("session", "查看", "组织机构、用户和单据种类", nobody=_NO_ACTOR),
    Rule("addin", "生成或安装", " Excel 加载项", nobody="本机的用户（不需要 --as，不连接数据库）"),
    Rule("database", "建立或升级", "数据库表结构", nobody=_DATABASE_OWNER),
    Rule("demo", "重建", "演示数据库", nobody=_DATABASE_OWNER),
)


def _document_rules(kind: str, workflow: Workflow, editors: set[Relation]) -> list[Rule]:
    """view:KIND, edit:KIND and KIND:TRANSITION of each transition, derived from the kind's workflow: only a CM owns a
    document, and only a manager (relation_of) is anyone's supervisor; whoever fires a move may look at the document,
    and so may the owner's market manager and the administrator even where the workflow has no move of theirs (the
    demand survey: the CM confirms, the market manager reads); editors: who fills a state in (the owner, and for
    some kinds the owner's market manager: the contract's 考评)."""
    fires = [(t, tuple((role, rel) for role in t.roles for rel in t.relations if (rel is OWN) == (role is CM)))
             for t in workflow.transitions]
    every = tuple(dict.fromkeys(pair for _, grants in fires for pair in grants))
    return [Rule(f"view:{kind}", "查看", workflow.label, tuple(dict.fromkeys((*every, *_LOOKERS)))),
            Rule(f"edit:{kind}", "填写", workflow.label, tuple(p for p in every if p[1] in editors)),
            *(Rule(f"{kind}:{t.name}", "操作", f"{workflow.label}的“{t.label}”", grants,
                   title=f"{t.label}（{workflow.label}）") for t, grants in fires)]


@cache
def rules() -> dict[str, Rule]:
    """Every rule by act: the declared ones, then those derived from the document types' workflows."""
    from engine.document_types import document_types

    found = {rule.act: rule for rule in DECLARED}
    for code, kind in document_types().items():
        editors = {OWN, *(step.by for step in kind.steps.values())}
        found.update((rule.act, rule) for rule in _document_rules(code, kind.workflow, editors))
        if not kind.workflow.transitions and kind.parts:  # kept without moves (§5, §6): its owner fills it in, and
            team = _grants(_SUPERVISORS, (SUP,)) if kind.team_table else ()  # a team table its managers too
            found[f"edit:{code}"] = Rule(f"edit:{code}", "填写", kind.workflow.label, ((CM, OWN), *team))
            found[f"view:{code}"] = Rule(f"view:{code}", "查看", kind.workflow.label, ((CM, OWN), *_LOOKERS))
    return found


def rule(act: str) -> Rule:
    """The rule of an act; a LookupError names an act nobody declared (a programming error, not a user's)."""
    try:
        return rules()[act]
    except KeyError:
        raise LookupError(f"engine/policy.py has no rule for the act {act!r}: declare it in DECLARED") from None


def relation_of(actor: Actor, owner: Owner) -> Relation | None:
    """How the actor stands to the owner: the owner themself, a manager whose unit covers the owner, or neither."""
    if actor.code == owner.code:
        return OWN
    if actor.role is not CM and actor.covers(owner.unit_path):
        return SUP
    return None


def allows(actor: Actor | None, act: str, owner: Owner | None = None) -> bool:
    """Whether the actor may do the act — to the owner's things, or (no owner) to anyone's at all."""
    found = rule(act)
    if found.nobody:
        return True
    if actor is None:
        return False
    if owner is None:
        return actor.role in found.roles
    return (actor.role, relation_of(actor, owner)) in found.grants or (actor.role, None) in found.grants


def require(actor: Actor, act: str, owner: Owner | None = None, whose: str = "") -> None:
    """Refuse (NotAllowed, saying who may) unless allows(); whose names the owners the message speaks of."""
    if allows(actor, act, owner):
        return
    found = rule(act)
    whose = whose or (owner.code if owner is not None else "")
    raise NotAllowed(f"{actor.label}无权{found.verb}{f' {whose} 的' if whose else ''}{found.what}："
                     f"只能由{found.who()}{found.verb}。")


def reach(actor: Actor, act: str) -> Reach:
    """Whose things the act reaches when the actor names nobody; NotAllowed when the actor's role may not do it."""
    require(actor, act)
    grants = rule(act).grants
    if (actor.role, None) in grants:
        return Reach.COMPANY
    return Reach.SCOPE if (actor.role, SUP) in grants else Reach.OWN


def supervises(actor: Actor, act: str) -> bool:
    """Whether the actor's role may do the act to the things of those their unit covers (their scope's checked
    apart)."""
    return (actor.role, SUP) in rule(act).grants


def owns_documents(actor: Actor) -> bool:
    """Whether the actor's documents are their own (a CM's): naming nobody then means themself, while a manager
    names whose, or takes every CM in their scope."""
    return actor.role is CM


def move_act(kind: str, transition: str) -> str:
    """The act of firing a workflow's transition."""
    return f"{kind}:{transition}"


def move_grants(kind: str, transition: str) -> list[tuple[Role, Relation]]:
    """Who may fire a workflow's transition: its (role, relation) pairs, as the database's copy of the workflow keeps
    them (storage/security.py)."""
    return [(role, relation) for role, relation in rule(move_act(kind, transition)).grants if relation is not None]


def require_move(actor: Actor, workflow: Workflow, transition: str, owner: Owner) -> None:
    """Refuse unless the actor may fire the transition on the owner's document."""
    require(actor, move_act(workflow.kind, transition), owner)


def table() -> list[tuple[str, str, str]]:
    """Who may do what, one line per act (act, what, who), as the README's table shows it."""
    return [(r.act, r.label, r.who()) for r in rules().values()]
