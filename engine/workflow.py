"""The workflow core: one declared table of states and transitions per document kind, one transition function.

Who may fire a transition is the policy's (engine/policy.py: the role and the relation to the document's owner
each transition declares), kept apart from the transition itself (source state → target state).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from engine.actors import Role
from engine.errors import Refused


class Relation(StrEnum):
    """How the acting user stands to the document's owner."""

    OWNER = "owner"  # the CM whose document it is
    SUPERVISOR = "supervisor"  # a market manager (or admin) whose scope covers the owner


@dataclass(frozen=True)
class Transition:
    """A named move from one of several states to one state, fired by a role in a relation."""

    name: str
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
                raise ValueError(f"workflow {self.kind}: transition {t.name} names an unknown state")
        if self.initial not in known:
            raise ValueError(f"workflow {self.kind}: unknown initial state {self.initial}")

    def transition(self, name: str) -> Transition:
        """The declared transition called name."""
        for t in self.transitions:
            if t.name == name:
                return t
        raise KeyError(f"workflow {self.kind} has no transition {name}")

    def transitions_from(self, state: str) -> list[Transition]:
        """Transitions that may leave a state."""
        return [t for t in self.transitions if state in t.sources]


@dataclass(frozen=True)
class Owner:
    """The owner of a document: their code and the unit path of their scope."""

    code: str
    unit_path: tuple[str, ...]


def fire(workflow: Workflow, state: str, transition: str) -> str:
    """The state after the transition fires on a document in state; Refused says why not. Who may fire it is the policy's
    (engine/policy.py: require_move), checked by the use case beside this."""
    move = workflow.transition(transition)
    state_label = workflow.states[state]
    if state not in move.sources:
        allowed = "、".join(t.label for t in workflow.transitions_from(state)) or "无"
        raise Refused(
            f"{workflow.label}当前状态为“{state_label}”，不能{move.label}。此状态下可以：{allowed}。"
        )
    return move.target
