"""§1 导航流程 handlers: the month's steps in the terminal, as the 导航 workbook (links to the files already in its
folder) and as a print page — three faces of engine.navigation.navigation."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from addin.app import App
from engine.actors import Actor
from engine.document_types import document_types
from engine.errors import Refused
from engine.navigation import CmMonth, functions_of, navigation
from engine.navigation_report import navigation_pages, stage_text
from engine.records import Outcome
from engine.report import kind_of, shown

TITLE = "工作导航"
MODULE = "navigation"
SUFFIXES = (".xlsx", ".pdf", ".html")


def month_status(app: App, actor: Actor, month: str, cm_codes: list[str] | None = None) -> list[CmMonth]:
    """The stages of the actor's month (a CM) or of every CM in scope (a market manager), blocked first."""
    return navigation(app.uow(), actor, month, cm_codes)


def status_lines(months: list[CmMonth], month: str, commands: dict[str, str] | None = None) -> list[str]:
    """§1 in the terminal: a CM's steps one per line; for many CMs one row per CM, one column per function."""
    from addin.terminal import table_lines

    if len(months) == 1:
        [one] = months
        rows = [(n, s.section, s.function.removeprefix("客户经理"), s.name, s.status, s.detail,
                 _with_button(s.command, commands)) for n, s in enumerate(one.stages, start=1)]
        blocked = one.blocked()
        head = f"{one.name}（{one.code}）{month} 工作导航：" + (f"{len(blocked)} 步受阻。" if blocked else "没有受阻的步骤。")
        return [head, *table_lines(("序号", "章节", "功能", "步骤", "状态", "说明", "下一步"), rows, numeric=(0,))]
    functions = functions_of(months)
    headers = ("客户经理", "受阻", *(f"{section}{title.removeprefix('客户经理')}" for section, title in functions))
    rows = [(f"{m.name}（{m.code}）", len(m.blocked()), *(stage_text(m.current(*f)) for f in functions)) for m in months]
    blocked = sum(1 for m in months if m.blocked())
    return [f"{month} 工作导航：{len(months)} 位客户经理，{blocked} 位有受阻的步骤（排在前面）。"
            "某位客户经理的明细：cmw status --cm 编码", *table_lines(headers, rows, numeric=(1,))]


def _with_button(command: str, commands: dict[str, str] | None) -> str:
    button = (commands or {}).get(command)
    return f"{command}（按钮“{button}”）" if button else command


def folder_files(folder: Path, month: str, skip: Path | None = None) -> dict[tuple[str, str], tuple[str, str]]:
    """The newest workbook of each (owner, kind) of the month already in the folder (read from each file's _meta;
    files that are not ours, or not of this month, are left out): (owner, kind) → (file name, relative path)."""
    from engine.navigation import mondays
    from workbooks.reader import read_meta

    module_kinds = {module: code for code, kind in document_types().items() for module in kind.modules}
    periods = {month, *mondays(month)}
    newest: dict[tuple[str, str], tuple[str, Path]] = {}
    for path in sorted(folder.rglob("*.xlsx")) if folder.is_dir() else ():
        if skip is not None and path.resolve() == skip.resolve():
            continue
        try:
            meta = read_meta(path.read_bytes())
        except (Refused, ValueError, OSError, KeyError):
            continue
        kind = module_kinds.get(meta.module)
        if kind is None or meta.period not in periods:
            continue
        key = (meta.owner, kind)
        if key not in newest or meta.exported_at > newest[key][0]:
            newest[key] = (meta.exported_at, path)
    return {key: (path.name, path.relative_to(folder).as_posix()) for key, (_, path) in newest.items()}


def export_status(app: App, actor: Actor, month: str, target: Path, cm_codes: list[str] | None = None, *,
                  commands: dict[str, str] | None = None) -> Outcome:
    """Write §1 as the 导航 workbook (.xlsx, with links to the month's workbooks already in its folder) or as a print
    page (.pdf or .html)."""
    from templates.pdf import write_page
    from templates.render import render_html
    from workbooks.builder import Heading
    from workbooks.meta import Meta
    from workbooks.report import build_report

    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise Refused(f"工作导航只能写成 .xlsx、.pdf 或 .html 文件，“{target.name}”的扩展名不对。请把 -o 改为例如 -o 导航.xlsx。")
    months = month_status(app, actor, month, cm_codes)
    with app.uow() as uow:
        company = uow.users.company_of(actor)
    one = months[0] if len(months) == 1 else None
    owner_label = f"{one.name}（{one.code}）" if one else f"{actor.name}（{actor.code}）所辖 {len(months)} 位客户经理"
    target.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        files = folder_files(target.parent, month, skip=target)
        pages = navigation_pages(months, files, commands=commands)
        meta = Meta(module=MODULE, template_version=1, owner=one.code if one else actor.code,
                    owner_name=one.name if one else actor.name, period=month, document_id=0, document_version=0,
                    exported_by=actor.code, exported_at=f"{datetime.now():%Y-%m-%d %H:%M:%S}", company=company,
                    database=app.database_id)
        build_report(target, pages, meta, Heading(company, TITLE, owner_label, month, date.today()))
        linked = f"，链接了文件夹中本月的 {len(files)} 个工作簿" if files else ""
    else:
        pages = navigation_pages(months, commands=commands)
        write_page(render_html("report.html.j2", pages=pages, company=company, cm_label=owner_label, title=TITLE,
                               period_label="月份", period=month, printed_on=f"{date.today():%Y-%m-%d}", show=shown,
                               kind_of=kind_of), target)
        linked = ""
    blocked = sum(1 for m in months if m.blocked())
    return Outcome(f"已生成{owner_label}的 {month} 工作导航{linked}：{target}",
                   (f"{blocked} 位客户经理有受阻的步骤。" if len(months) > 1 else
                    f"受阻 {len(months[0].blocked())} 步。",))
