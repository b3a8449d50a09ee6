"""打印 handlers (command line and ribbon): the §3 big table as a print page, and a department's pages burst
into one PDF per customer manager plus one review pack for the market manager.

The other printables (§2 store sheet, §10 district statistics, §13/§12 visit lists) are their own handlers'
print pages; templates.pdf turns any of them into a PDF by the target's suffix. A new burstable kind is one
line in BURSTS: a function giving one CM's print page (Refused when the CM has none that month) and one
giving the pack's cover table; every declared document type with fields bursts too (`cmw form print KIND --dept`),
derived from its declaration (bursts()).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import Callable

from addin.app import App
from addin.handlers.district import district_parts
from addin.handlers.feedback import feedback_cover, feedback_page
from addin.handlers.big_table import plan_view
from addin.handlers.forms import form_page
from engine.actors import Actor
from engine.errors import Finding, Refused
from engine.document_types import DocumentType, document_types
from engine.policy import owns_documents
from engine.scope import target_cms, unit_cms
from engine.records import Outcome
from engine.report import Field, Page, Table, kind_of, shown
from engine.strategies import ACTIONS
from engine.workflows import BIG_TABLE, OPERATING_ANALYSIS
from templates.pdf import SUFFIXES, documents_pdf, joined_pdf, write_page
from templates.render import render_html
from workbooks import big_table as plan_book
from workbooks.builder import SheetData, Tinted
from workbooks.layout import Column, SheetLayout
from workbooks.text_width import column_units

Progress = Callable[[int, int, str], None]


def _today() -> str:
    return f"{date.today():%Y-%m-%d}"


def _kind(column: Column) -> str:
    """How a big-table column prints: context (store), mark, count or why."""
    if column.key == plan_book.WHY:
        return "why"
    if column.formula:
        return "count"
    return "mark" if column.choices or column.center else "context"


def _cell(value, column: Column) -> dict:
    carried = isinstance(value, Tinted)
    note = value.note if carried else ""
    value = value.value if carried else value
    return {"text": "" if value is None else str(value), "kind": _kind(column), "carried": carried, "note": note}


#: Printed headings of the marketing actions (short names) and of the row counts (the mark alone: the legend
#: under the table says what each mark means), so that no heading breaks inside a word.
_PRINTED = {**{a.code: a.printed for a in ACTIONS}, **{plan_book.count_field(m): m.value for m in plan_book.MARKS}}
#: Millimetres on a landscape A4 page (267 between the margins): a mark column holds its four-character heading
#: at 6.5 pt, a count three digits, the hint at least a few words; a character of the table's 7.5 pt text (wide,
#: narrow) and a cell's padding and borders.
_MARK_MM, _COUNT_MM, _WHY_MM, _PAGE_MM = 11.5, 6.5, 20, 267
_WIDE, _NARROW, _PADDING = 2.65, 1.46, 2.6


def _on_paper(text: str) -> float:
    return column_units(text, wide=_WIDE, narrow=_NARROW, ambiguous_wide=True) + _PADDING


def _heading_units(header: str) -> float:
    """Millimetres a store column's heading needs: up to three characters on one line, longer ones on two (综合/分类)."""
    per_line = len(header) if len(header) <= 3 else -(-len(header) // 2)
    return _on_paper(header[:per_line])


def _printed(column: Column) -> str:
    return _PRINTED.get(column.key, column.header)


def _widths(layout: SheetLayout, rows: list[list[dict]]) -> list[float]:
    """Each column's share of the page width (%). A mark column is as wide as its four-character heading, a count
    three digits, a store column its longest text and its heading; the widest store column (the name) and the hint
    share what is left of the page, so that the narrow columns never shrink below their headings."""
    needs, flexible = [], {n for n, c in enumerate(layout.columns) if _kind(c) == "why"}
    context = [n for n, c in enumerate(layout.columns) if _kind(c) == "context"]
    if context:
        flexible.add(max(context, key=lambda n: layout.columns[n].width))
    for n, column in enumerate(layout.columns):
        kind = _kind(column)
        if kind == "context":
            need = max((_on_paper(row[n]["text"]) for row in rows), default=0)
            needs.append(max(min(need, 2.5 * _on_paper("字" * round(column.width / 2))), _heading_units(column.header)))
        else:
            needs.append({"mark": _MARK_MM, "count": _COUNT_MM, "why": _WHY_MM}[kind])
    fixed = sum(w for n, w in enumerate(needs) if n not in flexible)
    wanted = sum(needs[n] for n in flexible)
    scale = max(_PAGE_MM - fixed, wanted / 2) / wanted if wanted else 1
    widths = [w * scale if n in flexible else w for n, w in enumerate(needs)]
    return [w / sum(widths) * 100 for w in widths]


def _legend(layout: SheetLayout) -> str:
    """The full names of the actions whose headings print short."""
    shortened = [f"{_printed(c)}＝{c.header}" for c in layout.columns if _printed(c) != c.header and _kind(c) == "mark"]
    return f"表头简称：{'；'.join(shortened)}。" if shortened else ""


def sheet_print(layout: SheetLayout, data: SheetData) -> dict:
    """A declared sheet and its data as big_table.html.j2 takes them: the same columns, groups, rows and totals."""
    rows = [[_cell(record.get(c.key), c) for c in layout.columns] for record in data.rows]
    columns = [{"header": _printed(c), "kind": _kind(c), "width": width}
               for c, width in zip(layout.columns, _widths(layout, rows))]
    groups = [{"label": label, "span": len(list(run))} for label, run in groupby(layout.columns, key=lambda c: c.group)]
    totals = [[_cell(total.label if n == 0 else values.get(c.key), c) for n, c in enumerate(layout.columns)]
              for total, values in zip(layout.totals, data.totals)]
    notes = [{"text": n.value if isinstance(n, Tinted) else n, "alert": isinstance(n, Tinted)} for n in data.notes]
    return {"columns": columns, "groups": groups, "rows": rows, "totals": totals, "notes": notes,
            "legend": _legend(layout)}


def bigtable_page(app: App, actor: Actor, cm_code: str, month: str) -> str:
    """§3: a CM's big table for the month as a print page (landscape, a row per store, a column per action)."""
    with app.uow() as uow:
        [cm] = target_cms(uow, actor, [cm_code], "view:bigtable")
        view, _ = plan_view(uow, cm, month, editable=False)
        company = uow.users.company_of(actor)
    actions = plan_book.DEFAULT_ACTIONS
    layout = plan_book.plan_sheet(actions, view.state, editable=False)
    data = plan_book.plan_data(view, actions)
    owner = view.cm_label.split(" ", 1)[-1]  # "客户经理 张三（cm001）" → "张三（cm001）"
    sheet = sheet_print(layout, data)
    sheet["notes"] = sheet["notes"][:1]  # the state (and a rejection's reason); the rest guides the workbook's user
    return render_html("big_table.html.j2", title=plan_book.TITLE, company=company, cm_label=owner, period=month,
                       printed_on=_today(), **sheet)


def print_bigtable(app: App, actor: Actor, month: str, target: Path, cm_code: str | None = None) -> Outcome:
    """§3 打印: a CM's big table as .html or .pdf (a market manager names the CM)."""
    if not cm_code and not owns_documents(actor):
        raise Refused(f"{actor.label}请用 --cm 指定客户经理，例如 --cm cm001；整个营销部请用 --dept。")
    pages = write_page(bigtable_page(app, actor, cm_code or actor.code, month), target)
    return Outcome(f"已生成 {cm_code or actor.code} {month} 的任务执行标注表打印页：{target}"
                   f"（{f'PDF，{pages} 页' if pages else '用浏览器打开后打印（A4 横向）'}）。")


def _bigtable_cover(uow, cms: list[str], month: str) -> Table:
    rows = tuple((r["code"], r["name"], BIG_TABLE.states[r["state"]], r["version"], r["stores"] or 0,
                  *(r["counts"][m] or 0 for m in "☆★△▲"),
                  (r["counts"]["★"] or 0) / max((r["counts"]["☆"] or 0) + (r["counts"]["★"] or 0), 1))
                 for r in uow.big_tables.listing(cms, month=month, state=None))
    fields = (Field("客户经理"), Field("姓名"), Field("状态"), Field("版本", "count"), Field("客户数", "count"),
              *(Field(m, "count") for m in "☆★△▲"), Field("完成率", "share"))
    return Table("各客户经理的大表", fields, rows, note="完成率 = ★ ÷（☆ + ★）。后附各客户经理的大表，每位客户经理单独编页码。")


def _district_cover(uow, cms: list[str], month: str) -> Table:
    rows = tuple((r["code"], r["name"], OPERATING_ANALYSIS.states[r["state"]], r["stores"] or 0, r["scored"] or 0,
                  r["strategies"] or 0) for r in uow.analyses.listing(cms, month=month, state=None))
    fields = (Field("客户经理"), Field("姓名"), Field("状态"), Field("客户数", "count"), Field("已评分", "count"),
              Field("待提升指标", "count"))
    return Table("各客户经理的经营状态分析", fields, rows, note="后附各客户经理的片区统计，每位客户经理单独编页码。")


@dataclass(frozen=True)
class Burst:
    """A printable that bursts per CM: its title, one CM's print page (or its parts, each starting a page, laid out
    in parallel: parts, which may also print a summary), and the review pack's cover table."""

    title: str
    page: Callable[[App, Actor, str, str], str] | None
    cover: Callable[[object, list[str], str], Table]
    parts: Callable[[App, Actor, str, str, bool], list[str]] | None = None

    def pages_of(self, app: App, actor: Actor, cm: str, month: str, summary: bool) -> list[str]:
        """One CM's print page as parts (a single part for a printable without parts)."""
        if self.parts is not None:
            return self.parts(app, actor, cm, month, summary)
        assert self.page is not None
        return [self.page(app, actor, cm, month)]


#: Printables that `cmw print KIND --dept UNIT` bursts: one line each.
BURSTS: dict[str, Burst] = {
    "bigtable": Burst(plan_book.TITLE, bigtable_page, _bigtable_cover),
    "district": Burst("片区统计", None, _district_cover, district_parts),
    "feedback": Burst("客户月度经营状态反馈表", feedback_page, feedback_cover),
}


def _form_cover(kind: DocumentType) -> Callable[[object, list[str], str], Table]:
    def cover(uow, cms: list[str], period: str) -> Table:
        docs = uow.documents.get_many(kind.code, cms, period)
        names = uow.users.names(cms)
        rows = tuple((cm, names.get(cm, ""), kind.state_label(docs[cm].state), docs[cm].version)
                     for cm in cms if cm in docs)
        return Table(f"各客户经理的{kind.title}", (Field("客户经理"), Field("姓名"), Field("状态"), Field("版本", "count")),
                     rows, note=f"后附各客户经理的{kind.title}，每位客户经理单独编页码。")
    return cover


def _form_page(code: str) -> Callable[[App, Actor, str, str], str]:
    def page(app: App, actor: Actor, cm: str, period: str) -> str:
        return form_page(app, actor, code, cm, period)
    return page


def bursts() -> dict[str, Burst]:
    """Every printable that bursts per CM: BURSTS, and each declared document type with fields."""
    return {**BURSTS, **{code: Burst(kind.title, _form_page(code), _form_cover(kind))
                         for code, kind in document_types().items() if kind.parts}}


def _department(uow, actor: Actor, unit: str) -> tuple[str, dict[str, str]]:
    """The unit's name and its CMs (code → name), when the policy lets the actor print the whole unit."""
    name, codes = unit_cms(uow, actor, "print.department", unit)
    names = uow.users.names(codes)
    return name, {code: names.get(code, "") for code in codes}


def _pack(uow, actor: Actor, spec: Burst, unit: str, unit_name: str, cms: list[str], month: str, title: str) -> str:
    """The review pack's cover page: the unit's CMs and where each stands."""
    page = Page("汇总", (spec.cover(uow, cms, month),))
    return render_html("report.html.j2", pages=(page,), company=uow.users.company_of(actor), owner_label="营销部",
                       cm_label=f"{unit_name}（{unit}）", title=f"{title}审核包", period_label="月份", period=month,
                       printed_on=_today(), show=shown, kind_of=kind_of)


def burst(app: App, actor: Actor, kind: str, unit: str, month: str, folder: Path,
          progress: Progress | None = None, *, summary: bool = False) -> Outcome:
    """One PDF per CM of the unit, then a review pack (a cover, then every CM's pages); CMs with nothing are listed.
    Every CM's pages are laid out on a pool of processes (templates.pdf.documents_pdf), progress told as they are;
    summary: the printable's summary (the district statistics without a row per store)."""
    spec, tick = bursts()[kind], progress or (lambda done, total, label: None)
    with app.uow() as uow:
        unit_name, cms = _department(uow, actor, unit)
    if folder.suffix.lower() in SUFFIXES:
        raise Refused(f"按营销部批量打印时，-o 请给一个文件夹（例如 -o 打印/），不是文件“{folder.name}”。")
    title = f"{spec.title}概要" if summary and spec.parts else spec.title
    printed, skipped = {}, []
    for done, (cm, name) in enumerate(cms.items()):
        tick(done, len(cms), f"读取 {cm} {name}")
        try:
            printed[cm] = spec.pages_of(app, actor, cm, month, summary)
        except Refused as refusal:
            skipped.append(Finding("NOTHING", f"{cm} {name}：{refusal.message}"))
    if not printed:
        raise Refused(f"{unit_name}的 {len(cms)} 位客户经理都没有 {month} 的{spec.title}可打印：", skipped)
    with app.uow() as uow:
        cover = _pack(uow, actor, spec, unit, unit_name, list(cms), month, title)
    [pack_cover, *documents] = documents_pdf([[cover], *printed.values()], progress)
    for (cm, pdf) in zip(printed, documents):
        path = folder / f"{cm}_{cms[cm]}_{title}_{month}.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
    pack = folder / f"{unit}_{unit_name}_{title}审核包_{month}.pdf"
    pages = joined_pdf([pack_cover, *documents], pack)
    return Outcome(f"已在 {folder} 生成 {unit_name} {month} 的{title}：{len(documents)} 位客户经理各一份 PDF，"
                   f"审核包 {pack.name}（{pages} 页）。", tuple(f.text() for f in skipped))
