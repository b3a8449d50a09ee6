"""A function of the manual declared once: its workflow, period, owner, typed fields, what each state lets its
owner change and what 提交 fires there, its market manager's reviews, its rules and guidance, its ribbon group
and print template. Every registry (workbook layouts, submittable kinds, review rows, ribbon buttons, the
`cmw form` commands) is derived from DOCUMENT_TYPES; none is edited by hand.

A new kind is one module in engine/kinds/ that defines TYPE = DocumentType(…); see docs/document-types.md.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import cache
from typing import Callable, Mapping

from engine.fields import Field, Lines, Part, Values
from engine.periods import PERIOD_KINDS, kind_of_period
from engine.workflow import Relation, Workflow

#: What the file's 本次操作 cell (or --operation beside it) may say: only save, or save and fire the state's 提交.
SAVE, SUBMIT = "保存", "提交"


@dataclass(frozen=True)
class Step:
    """What a state lets the owner do: the fields they may change (keys; a table's key opens all its input
    columns), the transition that 提交 fires (none: the document is locked to them), and the guidance shown.

    A field of a table is opened alone as table.field (the self scores of a contract's lines). by says who edits in
    this state: the owner (the default), or their market manager (Relation.SUPERVISOR: the contract's 考评 scores),
    who then exports the document editable and whose 提交 fires submit.

    A kind whose cells are a grid of marks (the big table) says instead which moves a cell may make (old mark →
    the marks it may become), what may change now in a sentence (may) and in a cell's hint (hint)."""

    guide: str
    edits: tuple[str, ...] = ()
    submit: str = ""
    moves: Mapping | None = None
    may: str = ""
    hint: str = ""
    by: Relation = Relation.OWNER


@dataclass(frozen=True)
class Review:
    """A state in which the document waits for its market manager: what awaits (计划, 总结, …), and the
    transitions their 审核通过 and 驳回 fire."""

    what: str
    approve: str
    reject: str


@dataclass(frozen=True)
class Rule:
    """A rule over the whole document, checked when 提交 fires in a state that opens field: check(values) answers
    None or what is wrong, and the finding points at field's cell — for a column of a table (table.field), at its
    cells on the filled lines, which the message names (the weights that must add up to 100); check may answer
    (what is wrong, the line numbers it is wrong on) to name only those lines' cells."""

    field: str
    check: Callable[[Values], str | tuple[str, list[int]] | None]


@dataclass(frozen=True)
class Draft:
    """What the program fills in from data: figures(uow, owner_code, period) gives the Figure fields' values (and
    the lines of the tables whose columns figures fill), references(uow, owner_code, period) the options of the
    Choice fields with a source, requires(uow, owner_code, period) refuses, saying why and what to do first, when
    the document cannot be made or saved yet (e.g. no key brands kept for the month). Engine functions reading
    through the unit of work's ports."""

    figures: Callable | None = None
    references: Callable | None = None
    requires: Callable | None = None  # requires(uow, owner_code, period): Refused when the document cannot be made yet
    requires_many: Callable | None = None  # requires_many(uow, owner_codes, period) → {owner: why not}, set-based
    many: Callable | None = None  # many(uow, owner_codes, period) → {owner: Values}: figures set-based, for a folder
    # pictures(uow, owner_code, period) → [(caption, [(name, JPEG thumbnail bytes)])]: shown in the print (§14's
    # photos of each store), in one read
    pictures: Callable | None = None
    # attach(uow, actor, period, files [(name, bytes)], where) → Outcome: the files of the folder beside the workbook
    # (DocumentType.attachments) kept with the document when the workbook is handed in (§14's photos)
    attach: Callable | None = None


@dataclass(frozen=True)
class Plot:
    """A native chart of one of the document's tables, in its workbook under the table: categories from one column,
    a series per value column; each: a column whose every value gets a chart of its own lines (the lines of one value
    stand together, as the figures give them); the title may say {each}."""

    table: str
    kind: str  # column or line
    category: str
    values: tuple[str, ...]
    title: str
    each: str = ""
    percent: bool = False

    def drawn(self, lines: list[dict]) -> list[tuple[object, list[int], tuple[str, ...]]]:
        """The charts of these lines (the table's, in order): per value of the each column (one chart without it),
        that value, the positions of its lines and the value columns with a number among them — a series with
        nothing to draw (a brand without a target) has no legend; a chart with none (a month without orders) is
        not drawn."""
        blocks: dict[object, list[int]] = {}
        for n, line in enumerate(lines):
            blocks.setdefault(line.get(self.each) if self.each else "", []).append(n)
        charts = []
        for value, at in blocks.items():
            series = tuple(v for v in self.values if any(_is_number(lines[i].get(v)) for i in at))
            if series:
                charts.append((value, at, series))
        return charts


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


@dataclass(frozen=True)
class DocumentType:
    """One kind of document of the manual."""

    code: str
    title: str
    section: str
    workflow: Workflow
    parts: tuple[Part, ...]
    steps: dict[str, Step]
    period: str = "month"  # month (YYYY-MM), week (the Monday, YYYY-MM-DD), quarter (YYYYQn) or campaign (YYYY-MM/CODE):
    # how it is kept by default
    also_by: tuple[str, ...] = ()  # the other periods a document of it may be kept by, when the company so chooses
    owner_role: str = "cm"
    reviews: dict[str, Review] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
    draft: Draft = Draft()
    summary: Callable[[Values], str] | None = None  # the figures that help the market manager decide
    ribbon_group: str = ""
    template: str = "document.html.j2"
    template_version: int = 1
    command: str = ""  # a kind with workbooks of its own (no parts): the command that exports them
    workbooks: tuple[str, ...] = ()  # … and their module codes (a kind with parts has one, its own code)
    team_table: str = ""  # a table a market manager may fill for every CM of the department in one workbook
    looks_back: bool = False  # analyses a month that is over: its commands and buttons default to last month
    plots: tuple[Plot, ...] = ()  # native charts of its tables, in its workbook
    agreed: str = ""  # the transition whose snapshot is the version agreed on: history and print show changes since
    attachments: str = ""  # the folder beside the workbook (its name_THIS) whose files draft.attach keeps on 提交

    @property
    def periods(self) -> tuple[str, ...]:
        """The periods a document of it may be kept by, its default first."""
        return (self.period, *self.also_by)

    @staticmethod
    def period_option(period: str) -> str:
        """The command-line options that name a period (cmw form …): --month YYYY-MM, --week Monday, --quarter YYYYQn,
        --month YYYY-MM --campaign CODE."""
        if kind_of_period(period) == "campaign":
            month, _, campaign = period.partition("/")
            return f"--month {month} --campaign {campaign}"
        return f"--{kind_of_period(period)} {period}"

    @property
    def modules(self) -> tuple[str, ...]:
        """The module codes of the workbooks this kind is handled in."""
        return self.workbooks or (self.code,)

    def __post_init__(self) -> None:
        if set(self.periods) - set(PERIOD_KINDS) or len(set(self.periods)) < len(self.periods):
            raise ValueError(f"{self.code}: periods {self.periods} are not distinct ones of {PERIOD_KINDS}")
        if self.workflow.kind != self.code:  # the database finds a document's workflow by its kind (storage/security)
            raise ValueError(f"{self.code}: its workflow is declared for kind {self.workflow.kind}")
        states = set(self.workflow.states)
        for state, step in self.steps.items():
            if state not in states:
                raise ValueError(f"{self.code}: step for unknown state {state}")
            if step.submit and state not in self.workflow.transition(step.submit).sources:
                raise ValueError(f"{self.code}: {step.submit} cannot fire from {state}")
            unknown = set(step.edits) - {p.key for p in self.parts} - {
                f"{t.key}.{f.key}" for t in self.tables for f in t.fields}
            if unknown:
                raise ValueError(f"{self.code}: {state} opens unknown fields {sorted(unknown)}")
        for plot in self.plots:
            table = self.part(plot.table)
            if not isinstance(table, Lines):
                raise ValueError(f"{self.code}: plot of {plot.table}, which is not a table")
            for column in (plot.category, *plot.values, *((plot.each,) if plot.each else ())):
                table.field(column)  # KeyError names a column the table does not have
        if self.team_table and not isinstance(self.part(self.team_table), Lines):
            raise ValueError(f"{self.code}: team_table {self.team_table} is not a table")
        if self.agreed:
            self.workflow.transition(self.agreed)  # KeyError for a transition the workflow does not have
        for state, review in self.reviews.items():
            for transition in (review.approve, review.reject):
                if state not in self.workflow.transition(transition).sources:
                    raise ValueError(f"{self.code}: {transition} cannot fire from {state}")

    @property
    def fields(self) -> tuple[Field, ...]:
        """The single fields, in order."""
        return tuple(p for p in self.parts if isinstance(p, Field))

    @property
    def tables(self) -> tuple[Lines, ...]:
        """The tables (repeated lines), in order."""
        return tuple(p for p in self.parts if isinstance(p, Lines))

    @property
    def inputs(self) -> tuple[str, ...]:
        """The value keys a user fills in (field, table.field): every one not filled from data."""
        return tuple([f.key for f in self.fields if not f.computed] +
                     [f"{t.key}.{f.key}" for t in self.tables for f in t.fields if not f.computed])

    def part(self, key: str) -> Part:
        """The field or table called key."""
        for p in self.parts:
            if p.key == key:
                return p
        raise KeyError(key)

    def open_fields(self, state: str) -> set[str]:
        """The value keys (field, or table.field) the owner may change in state."""
        step = self.steps.get(state)
        opened: set[str] = set()
        for key in step.edits if step else ():
            if "." in key:
                opened.add(key)
                continue
            part = self.part(key)
            if isinstance(part, Lines):
                opened.update(f"{part.key}.{f.key}" for f in part.fields if not f.computed)
            elif not part.computed:
                opened.add(key)
        return opened

    def editor(self, state: str) -> Relation:
        """Who edits the document in state: its owner, or their market manager."""
        step = self.steps.get(state)
        return step.by if step else Relation.OWNER

    def state_label(self, state: str) -> str:
        """The state's Chinese name."""
        return self.workflow.states[state]


@cache
def document_types() -> dict[str, DocumentType]:
    """Every declared kind by code, in the manual's order: the TYPE of each module of engine/kinds/ (found, not listed
    by hand)."""
    import engine.kinds as package

    found: dict[str, DocumentType] = {}
    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        declared = getattr(importlib.import_module(f"{package.__name__}.{module.name}"), "TYPE", None)
        if isinstance(declared, DocumentType):
            if declared.code in found:
                raise ValueError(f"two document types are called {declared.code}")
            found[declared.code] = declared
    return dict(sorted(found.items(), key=lambda item: int(item[1].section.lstrip("§"))))


def document_type(code: str) -> DocumentType:
    """The declared kind called code; KeyError when there is none."""
    return document_types()[code]
