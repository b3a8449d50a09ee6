"""A market manager's one workbook for the CMs of the department (a kind with a team table: §5 brand targets):
export, and take it back (through cmw submit)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from addin.app import App
from engine.actors import Actor
from engine.document_types import DocumentType, document_type
from engine.records import Outcome
from engine.team_forms import hand_out_team, take_back_team, team_module
from workbooks.builder import Heading, build_workbook
from workbooks.layout import BookLayout
from workbooks.meta import Meta, exported_meta
from workbooks.reader import SubmittedBook
from workbooks.team_form import team_data, team_layout, team_values


def _options(views) -> dict[str, tuple[str, ...]]:
    """Every CM's drop-down options together (each CM's are checked again at take-back)."""
    merged: dict[str, dict[str, None]] = {}
    for view in views:
        for source, options in view.references.items():
            merged.setdefault(source, {}).update(dict.fromkeys(options))
    return {source: tuple(options) for source, options in merged.items()}


def export_team_form(app: App, actor: Actor, kind: DocumentType, period: str, target: Path) -> Outcome:
    """Write the department's workbook of kind's team table (every CM's documents opened where missing)."""
    views, export_id, company = hand_out_team(app.uow(), actor, kind, period)
    layout = team_layout(kind, _options(views))
    meta = exported_meta(layout, owner=actor.code, owner_name=actor.name, period=period, export_id=export_id,
                         actor_code=actor.code, company=company, database=app.database_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(target, layout, meta, Heading(company, layout.title, actor.label, period, date.today()),
                   team_data(kind, views, layout))
    return Outcome(f"已导出 {period} 的{kind.title}（{len(views)} 位客户经理，一张表）到 {target}。", (
        views[0].step.guide if views and views[0].step else "",
        f"改好保存后运行：cmw submit {target.name} --as {actor.code}"))


def _kind_of_team(module: str) -> DocumentType:
    return document_type(module.removesuffix("_team"))


def team_layout_of(app: App, meta: Meta) -> BookLayout:
    """The layout a submitted team workbook is read with."""
    return team_layout(_kind_of_team(meta.module))


def submit_team_book(app: App, actor: Actor, book: SubmittedBook, submission_id: int) -> Outcome:
    """Hand a read team workbook to its take-back."""
    kind = _kind_of_team(book.meta.module)
    layout = team_layout(kind)
    per_cm, findings = team_values(kind, layout, book.rows[layout.sheets[0].name])
    return take_back_team(app.uow(), actor, kind, period=book.meta.period, export_id=book.meta.document_id,
                          submitted=per_cm, findings=[*book.findings, *findings], submission_id=submission_id)


def team_modules() -> dict[str, DocumentType]:
    """The module code of every kind's team workbook."""
    from engine.document_types import document_types

    return {team_module(kind): kind for kind in document_types().values() if kind.team_table}
