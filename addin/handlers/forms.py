"""Handlers of every declared document type (command line `cmw form …` and the ribbon): export, take back,
list, print. Nothing here knows a kind: each reads its declaration (engine.document_types)."""
from __future__ import annotations

import re
from itertools import groupby
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from addin.app import App
from addin.handlers.analysis import ListFilter, state_code
from engine.actors import Actor
from engine.scope import listed_cms
from engine.document_types import SAVE, SUBMIT, DocumentType, document_type, document_types
from engine.errors import Finding, Refused
from engine.fields import Figure, Number
from engine.fields import Values
from engine.forms import FormView, exported_values, hand_out_forms, read_forms, take_back
from engine.history import changes_since_agreed
from engine.policy import owns_documents
from engine.records import Outcome
from engine.workflow import Relation
from engine.stores import normalize_text
from storage.document_repository import document_listing
from templates.pdf import write_page
from templates.render import data_uri, render_html
from workbooks.builder import Heading, build_workbook
from workbooks.form import OPERATION, arranged_sheet, form_data, form_layout, submitted_values
from workbooks.layout import BookLayout
from workbooks.meta import Meta
from workbooks.reader import SubmittedBook

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]')


def kind_of(code: str) -> DocumentType:
    """The declared kind called code, one whose workbook is made from its fields; Refused lists the kinds, or names
    the command of a kind with a workbook of its own (the big table)."""
    try:
        kind = document_type(code)
    except KeyError:
        raise Refused(f"没有“{code}”这种单据。可选：{'、'.join(f'{k}（{t.title}）' for k, t in document_types().items())}"
                      "。运行 cmw form kinds 查看。") from None
    if not kind.parts:
        raise Refused(f"{kind.section} {kind.title}有自己的工作簿和命令，请用：{kind.command}（cmw {kind.command.split()[1]} --help）。")
    return kind


def file_name(kind: DocumentType, view: FormView) -> str:
    """A document's file in a folder: 月工作计划-cm001-张三-2026-11.xlsx (what, whose, period; sorts by CM)."""
    name = _UNSAFE.sub("", view.owner_name)
    return f"{kind.title.removeprefix('客户经理')}-{view.doc.owner_code}{'-' + name if name else ''}-{view.doc.period}.xlsx"


def write_form(actor: Actor, view: FormView, export_id: int, target: Path, company: str, database: str, *,
               extra: tuple = (), pictures: list | None = None) -> None:
    """Write a document's workbook, recorded as export_id; extra: (SheetLayout, SheetData) pairs of read-only sheets
    shown after the document's own; pictures: the kind's thumbnails (Draft.pictures) for the rows that show them."""
    kind = view.kind
    layout = form_layout(kind, view.editable, view.references, view.values)
    layout = replace(layout, sheets=(*layout.sheets, *(sheet for sheet, _ in extra)))
    meta = Meta(module=kind.code, template_version=kind.template_version, owner=view.doc.owner_code,
                owner_name=view.owner_name, period=view.doc.period, document_id=export_id,
                document_version=view.doc.version, exported_by=actor.code,
                exported_at=f"{datetime.now():%Y-%m-%d %H:%M:%S}", company=company, database=database)
    target.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(target, layout, meta, Heading(company, kind.title, f"{view.owner_name}（{view.doc.owner_code}）",
                                                 view.doc.period, date.today()),
                   {**form_data(view, layout, pictures=pictures), **{sheet.name: data for sheet, data in extra}})


def export_form(app: App, actor: Actor, code: str, period: str, target: Path, cm_codes: list[str] | None = None, *,
                folder: bool = False) -> Outcome:
    """Write a document's workbook (opened in its initial state on first export): a CM their own, editable as far
    as its state allows; an MM one named CM's to look at, or every CM's of the department (or those named) into a
    folder, each file editable by its CM, to be handed to them."""
    kind = kind_of(code)
    if not folder and not owns_documents(actor) and not cm_codes and kind.team_table:
        from addin.handlers.team_forms import export_team_form

        return export_team_form(app, actor, kind, period, target)
    if not folder and not owns_documents(actor) and len(cm_codes or ()) != 1:
        raise Refused(f"{actor.label}请用 --cm 指定一位客户经理（例如 --cm cm001），或用 -o 给一个文件夹导出所辖全部。")
    database = app.database_id
    views, export_ids, company = hand_out_forms(app.uow(), actor, kind, cm_codes, period, for_owner=folder)
    targets = [target / file_name(kind, v) if folder else target for v in views]
    for view, export_id, path in zip(views, export_ids, targets):
        write_form(actor, view, export_id, path, company, database, pictures=_thumbnails(app, kind, view))
    lines = [f"{path.name}：{v.owner_name}（{v.doc.owner_code}），{kind.state_label(v.doc.state)}（第 {v.doc.version} 版）"
             for v, path in zip(views, targets)] if folder else []
    view = views[0]
    if view.rejection is not None and view.editable:
        lines.append(f"退回理由（{view.rejection.actor_code}）：{view.rejection.reason}")
    scoring = [v for v in views if v.editable and kind.editor(v.doc.state) is Relation.SUPERVISOR]
    if folder:
        if scoring:
            states = "、".join(dict.fromkeys(kind.state_label(v.doc.state) for v in scoring))
            lines.append(f"其中 {len(scoring)} 份{states}，由您填写：黄色单元格填写后运行 cmw submit 文件名 --as {actor.code}。")
        if len(scoring) < len(views):
            lines.append("请把文件交给各位客户经理：黄色单元格填写后，由客户经理本人运行 cmw submit 文件名 --as 本人编码。")
    elif view.editable:
        lines += [view.step.guide, f"改好保存后运行：cmw submit {target.name} --as {actor.code}"
                                   f"（表中“本次操作”选“{SUBMIT}”即同时提交，也可加 --operation {SUBMIT}）"]
    else:
        lines.append(view.step.guide if view.step and actor.code == view.doc.owner_code else "仅供查看。")
    where = f" {len(views)} 份到 {target}" if folder else f"到 {target}"
    return Outcome(f"已导出 {period} 的{kind.title}{where}。", tuple(lines))


def _thumbnails(app: App, kind: DocumentType, view: FormView) -> list:
    """The thumbnails a document's workbook shows on its rows (Lines.across.pictures: §14's photos on each store's
    row), read as the print reads them; none for a kind without such a column."""
    if kind.draft.pictures is None or not any(t.across and t.across.pictures for t in kind.tables):
        return []
    with app.uow() as uow:
        return kind.draft.pictures(uow, view.doc.owner_code, view.doc.period)


def _exported(app: App, kind: DocumentType, meta: Meta) -> Values | None:
    """What a submitted workbook showed (its export's values), for a kind whose sheet has columns made per document
    (Lines.across); None for the others, whose columns are the declaration's."""
    if not any(t.across for t in kind.tables):
        return None
    with app.uow() as uow:
        export = uow.exports.get(meta.document_id)
    if export is None or export.module != kind.code or export.owner_code != meta.owner:
        raise Refused(f"找不到这份{kind.title}的导出记录（可能来自另一个数据库）。请重新导出后再填写提交。")
    return exported_values(kind, export.snapshot)


def _reading(kind: DocumentType, values: Values | None) -> BookLayout:
    """The layout a document's workbook is read with: every input open (the reader needs every cell's place; which
    may change now is the take-back's to say)."""
    return form_layout(kind, frozenset(kind.inputs), values=values)


def layout_of(app: App, meta: Meta) -> BookLayout:
    """The layout a submitted document is read with (_reading), its columns as its export made them."""
    kind = kind_of(meta.module)
    return _reading(kind, _exported(app, kind, meta))


def _operation(book: SubmittedBook) -> str:
    chosen = book.operation or normalize_text(book.inputs.get(OPERATION)) or SAVE
    if chosen not in (SAVE, SUBMIT):
        sheet, cell = book.input_cells.get(OPERATION, ("", ""))
        raise Refused(f"“本次操作”只能选“{SAVE}”或“{SUBMIT}”，全部未保存。请从下拉列表选择后重新提交：",
                      [Finding("INVALID", "请选择“保存”或“提交”", sheet=sheet, cell=cell, value=chosen)])
    return chosen


def submit_form_book(app: App, actor: Actor, book: SubmittedBook, submission_id: int) -> Outcome:
    """Hand a read document workbook to the generic take-back."""
    kind = kind_of(book.meta.module)
    values = _exported(app, kind, book.meta)
    submitted = submitted_values(kind, _reading(kind, values), book.inputs, book.input_cells, book.rows, values)
    submitted.findings[:0] = book.findings
    return take_back(app.uow(), actor, kind, owner_code=book.meta.owner, period=book.meta.period,
                     export_id=book.meta.document_id, submitted=submitted, operation=_operation(book),
                     submission_id=submission_id)


def list_forms(app: App, actor: Actor, code: str, where: ListFilter) -> list[dict]:
    """The documents of a kind the actor may see, filtered by unit, period, CM and state."""
    kind = kind_of(code)
    state = state_code(kind.workflow, where.state)
    with app.uow() as uow:
        rows = uow.session.execute(document_listing(kind.code, listed_cms(uow, actor, f"view:{kind.code}", unit=where.unit, cm=where.cm), where.month, state))
        return [{**row._mapping, "state_label": kind.state_label(row.state)} for row in rows]


#: Column units an A4 portrait page holds; a wider table is printed on landscape pages.
PORTRAIT_UNITS = 110


def _printed(view: FormView) -> tuple[list, list]:
    kind = view.kind
    fields = [(f.label, _shown(f, view.values.single.get(f.key))) for f in kind.fields]
    tables = []
    for table in kind.tables:
        sheet = arranged_sheet(table, view.values)
        if sheet is not None:  # a row per store, a column group per SKU: as the workbook shows it
            tables.append(_arranged_print(table, *sheet))
            continue
        lines = [line for _, line in sorted(view.values.lines.get(table.key, {}).items())
                 if any(line.get(t.key) not in (None, "") for t in table.fields)]
        rows = [[{"text": _shown(t, line.get(t.key)), "number": _is_number(line.get(t.key))} for t in table.fields]
                for line in lines]
        units = sum(t.width for t in table.fields)
        tables.append({"title": table.label, "headers": [t.label for t in table.fields], "rows": rows,
                       "widths": [round(100 * t.width / units, 1) for t in table.fields],
                       "wide": units > PORTRAIT_UNITS, "charts": _charts(kind, table, lines)})
    return fields, tables


def _arranged_print(table, columns: tuple, rows: list[dict]) -> dict:
    """An arranged table's print: its sheet's columns under their group captions, a row per sheet row."""
    units = sum(c.width for c in columns)
    return {"title": table.label, "headers": [c.header for c in columns],
            "groups": [(group, len(list(run))) for group, run in groupby(columns, key=lambda c: c.group)],
            "rows": [[{"text": _text(row.get(c.key)), "number": False} for c in columns] for row in rows],
            "widths": [round(100 * c.width / units, 1) for c in columns], "wide": units > PORTRAIT_UNITS, "charts": []}


def _charts(kind, table, lines: list[dict]) -> list:
    """The kind's plots of the table as SVG pictures for the print (one per value of a plot's each column)."""
    from templates.charts import svg_chart

    pictures = []
    for plot in (p for p in kind.plots if p.table == table.key):
        for value, at, series in plot.drawn(lines):
            mine = [lines[i] for i in at]
            pictures.append(svg_chart(plot.title.format(each=value), plot.kind,
                                      [str(line.get(plot.category)) for line in mine],
                                      [(table.field(v).label, [line.get(v) for line in mine]) for v in series],
                                      plot.percent))
    return pictures


def _shown(f, value) -> str:
    """A value as the print shows it: by its figure's number format where it has one."""
    formatted = f.text(value) if isinstance(f, Figure) else None
    if isinstance(f, Number) and f.unit and isinstance(value, (int, float)) and not isinstance(value, bool):
        formatted = f"{value:g}{f.unit}"  # 55%, not 55.00
    return formatted if formatted is not None else _text(f.show(value))


#: A figure's text that reads as a number (1,234.50, +6.4%, -0.2 个百分点): printed right-aligned like one.
_NUMERIC = re.compile(r"[+-]?\d[\d,]*(\.\d+)?(%| 个百分点)?")


def _is_number(value) -> bool:
    """A figure printed right-aligned (a bool is a tick, not a number)."""
    if isinstance(value, str):
        return bool(_NUMERIC.fullmatch(value.strip()))
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)  # 5,600 / 38.5


def form_page(app: App, actor: Actor, code: str, cm_code: str | None, period: str) -> str:
    """A document's print page (HTML; see _page)."""
    return _page(app, actor, code, cm_code, period)[0]


def _page(app: App, actor: Actor, code: str, cm_code: str | None, period: str) -> tuple[str, FormView]:
    """A document's print page (HTML): its fields and tables, the kind's summary, its moves with their reasons, what
    changed since the version its market manager agreed to (when the kind has one), and its signature lines."""
    kind = kind_of(code)
    with app.uow() as uow:
        [view] = read_forms(uow, actor, kind, [cm_code] if cm_code else None, period, create=False) or [None]
        if view is None:
            raise Refused(f"{cm_code or actor.code} 的 {period} {kind.title}还没有导出或填写过，没有可打印的内容。")
        decided = uow.decisions.history(view.doc.id)
        kept = uow.values.of_many([view.doc.id])[view.doc.id] if kind.agreed else {}
        names = uow.users.names(sorted({d.actor_code for d in decided}))
        company = uow.users.company_of(actor)
        pictures = kind.draft.pictures(uow, view.doc.owner_code, view.doc.period) if kind.draft.pictures else []
    fields, tables = _printed(view)
    moves = [{"at": f"{d.at:%Y-%m-%d %H:%M}", "actor": f"{names.get(d.actor_code, '')}（{d.actor_code}）",
              "transition": kind.workflow.transition(d.transition).label, "reason": d.reason} for d in decided]
    agreed, changes = changes_since_agreed(kind, decided, kept, names) if kind.agreed else (None, [])
    since = f"{kind.workflow.transition(kind.agreed).label}时（第 {agreed.version} 版）" if agreed else ""
    filled = sum(1 for c in changes if not c.agreed or c.computed)  # blanks filled in since, and the data's figures
    changes = [c for c in changes if c.agreed and not c.computed]  # what was agreed and is different now
    return render_html(kind.template, title=kind.title, company=company, period=period,
                       owner_label=f"{view.owner_name}（{view.doc.owner_code}）", printed_on=f"{date.today():%Y-%m-%d}",
                       state=f"状态：{kind.state_label(view.doc.state)}（第 {view.doc.version} 版）", fields=fields,
                       tables=tables, decisions=moves, summary=kind.summary(view.values) if kind.summary else "",
                       since=since, changes=[vars(c) for c in changes], filled=filled,
                       pictures=[(caption, [(name, data_uri(thumb)) for name, thumb in items]) for caption, items in pictures]), view


def print_form(app: App, actor: Actor, code: str, period: str, target: Path, cm_code: str | None = None) -> Outcome:
    """A document as a print page (.html, or .pdf by the target's suffix), with its decisions and signature lines."""
    html, view = _page(app, actor, code, cm_code, period)
    pages = write_page(html, target)
    how = f"PDF，{pages} 页" if pages else "用浏览器打开后打印（A4）"
    return Outcome(f"已生成 {view.owner_name}（{view.doc.owner_code}）{period} 的{view.kind.title}打印页：{target}（{how}）。")
