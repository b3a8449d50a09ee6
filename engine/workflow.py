"""The workflow core: one declared table of states and transitions per document kind, one transition function.

Who may fire a transition is policy (role and relation to the document's owner), kept apart
from the transition itself (source state → target state).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from engine.actors import Actor, Role
from engine.errors import Refused


class Relation(StrEnum):
    """How the acting user stands to the document's owner."""

    OWNER = "owner"  # the CM whose document it is
    SUPERVISOR = "supervisor"  # a market manager (or admin) whose scope covers the owner


@dataclass(frozen=True)
class Transition:
    """A named move from one of several states to one state, fired by a role in a relation."""

    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[Role, ...]
    relations: tuple[Relation, ...]


@dataclass(frozen=True)
class Workflow:
    """The states (code → Chinese) and transitions of one document kind."""

    kind: str
    label: str
    initial: str
    states: dict[str, str]
    transitions: tuple[Transition, ...]

    def __post_init__(self) -> None:
        known = set(self.states)
        for t in self.transitions:
            if not set(t.sources) <= known or t.target not in known:
                raise ValueError(f"workflow {self.kind}: transition {t.action} names an unknown state")
        if self.initial not in known:
            raise ValueError(f"workflow {self.kind}: unknown initial state {self.initial}")

    def transition(self, action: str) -> Transition:
        """The declared transition called action."""
        for t in self.transitions:
            if t.action == action:
                return t
        raise KeyError(f"workflow {self.kind} has no action {action}")

    def actions_from(self, state: str) -> list[Transition]:
        """Transitions that may leave a state."""
        return [t for t in self.transitions if state in t.sources]


@dataclass(frozen=True)
class Owner:
    """The owner of a document: their code and the unit path of their scope."""

    code: str
    unit_path: tuple[str, ...]


def relation_of(actor: Actor, owner: Owner) -> Relation | None:
    """How the actor stands to the owner, or None when the document is outside their scope."""
    if actor.code == owner.code:
        return Relation.OWNER
    if actor.role in (Role.MM, Role.ADMIN) and actor.covers(owner.unit_path):
        return Relation.SUPERVISOR
    return None


def fire(workflow: Workflow, state: str, action: str, actor: Actor, owner: Owner) -> str:
    """The state after actor fires action on a document in state; Refused says why not."""
    move = workflow.transition(action)
    state_label = workflow.states[state]
    if state not in move.sources:
        allowed = "、".join(t.label for t in workflow.actions_from(state)) or "无"
        raise Refused(
            f"{workflow.label}当前状态为“{state_label}”，不能{move.label}。此状态下可以：{allowed}。"
        )
    if actor.role not in move.roles or relation_of(actor, owner) not in move.relations:
        who = "、".join(r.label for r in move.roles)
        whose = "本人或其上级" if len(move.relations) > 1 else (
            "本人" if move.relations[0] is Relation.OWNER else "其所属营销部的")
        raise Refused(
            f"{actor.label}不能{move.label}：{workflow.label}（{owner.code}）的“{move.label}”只能由{whose}{who}操作。"
        )
    return move.target
