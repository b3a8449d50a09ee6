"""cmw form kinds | export | list | print: every declared document type of the manual (§11 workplan, §16 summary, …)."""
from __future__ import annotations

from pathlib import Path

from addin.app import open_app
from addin.arguments import is_folder, month_arg, period_arg, subcommand, this_month
from addin.terminal import say, table_lines

ORDER = 62


def register(sub) -> None:
    """Add `cmw form`."""
    parser = sub.add_parser("form", help="单据（§11 月工作计划、§16 月度工作总结……）：导出填写、查看列表、打印")
    actions = parser.add_subparsers(dest="form_command", metavar="操作", required=True)
    month_now = this_month()
    kinds = actions.add_parser("kinds", help="列出全部单据种类：代码、名称、状态")
    kinds.set_defaults(run=run_kinds, act="session")

    def add(name, help_text, run):
        p = subcommand(actions, name, help_text, run, act="view:{kind}",
                       month=f"月份 YYYY-MM，默认本月（{month_now}）；分析上月的单据（§4、§7）默认上月")
        p.set_defaults(month=None)
        p.add_argument("kind", help="单据种类代码，例如 workplan（月工作计划）、summary（月度工作总结）；cmw form kinds 列出全部")
        p.add_argument("--week", help="按周填写的单据：那一周周一的日期 YYYY-MM-DD")
        p.add_argument("--campaign", help="按促销战役填写的单据（§14 cultivation）：战役编号（cmw campaigns list 列出）")
        p.add_argument("--quarter", help="可按季度填写的单据（如绩效合约书）按季度时：季度 YYYYQn，例如 2026Q4")
        return p

    export = add("export", "导出单据工作簿（填好后用 cmw submit 保存或提交）；市场经理可一次导出所辖全部客户经理的到一个文件夹",
                 run_export)
    export.add_argument("--cm", action="append", help="客户经理编码（市场经理用；可重复）")
    export.add_argument("-o", "--output", required=True,
                        help="输出文件 .xlsx；或一个文件夹（以 / 结尾，或没有扩展名），每位客户经理一个文件")
    listing = add("list", "查看单据列表", run_list)
    listing.set_defaults(month=None)
    listing.add_argument("--cm", help="客户经理编码")
    listing.add_argument("--unit", help="营销中心或营销部编码")
    listing.add_argument("--state", help="状态（中文名称或代码）")
    printing = add("print", "打印单据（.pdf 或 .html，A4，带签字栏）", run_print)
    printing.add_argument("--cm", help="客户经理编码（市场经理打印某位客户经理的单据时用；默认本人）")
    printing.add_argument("--dept", help="营销部编码（市场经理、管理员用）：为该部每位客户经理各生成一份 PDF，另加一份汇总包（-o 给文件夹）")
    printing.add_argument("-o", "--output", required=True, type=Path, help="输出文件 .pdf 或 .html；用 --dept 时为输出文件夹")


def default_month(kind) -> str:
    """The month a kind's commands take when none is given: last month for a kind that analyses a month that is over
    (§4, §7), else this month."""
    from engine.periods import previous_month

    return previous_month(this_month()) if kind.looks_back else this_month()


def period_of(args) -> str:
    """The document's period from --month, --week, --quarter or --campaign, as its kind is kept (period_arg)."""
    from addin.handlers.forms import kind_of

    kind = kind_of(args.kind)
    return period_arg(kind, args.month or default_month(kind), args.week, args.quarter, args.campaign)


def run_kinds(args) -> int:
    """Every declared kind: code, Chinese name, states."""
    from engine.document_types import document_types

    say(table_lines(("代码", "单据", "状态"), ((code, f"{t.section} {t.title}", " → ".join(t.workflow.states.values()))
                                              for code, t in document_types().items())))
    return 0


def run_export(args) -> int:
    """Write one document's workbook, or every CM's into a folder."""
    from addin.handlers.forms import export_form
    from engine.errors import Refused

    app = open_app()
    folder = is_folder(args.output)
    if folder and Path(args.output).is_file():
        raise Refused(f"{args.output} 是一个已有的文件，不是文件夹。请给一个文件夹，例如 -o 单据/。")
    if not folder and Path(args.output).suffix.lower() != ".xlsx":
        raise Refused(f"单据工作簿只能导出为 .xlsx 文件，请把“{args.output}”改为以 .xlsx 结尾（打印请用 cmw form print）。")
    say(export_form(app, app.actor(args.user), args.kind, period_of(args), Path(args.output),
                    list(dict.fromkeys(args.cm or ())) or None, folder=folder).lines())
    return 0


def run_list(args) -> int:
    """The list screen of a kind."""
    from addin.handlers.analysis import ListFilter
    from addin.handlers.forms import list_forms

    from addin.handlers.forms import kind_of

    app = open_app()
    kept_by = kind_of(args.kind).period
    by_month = kept_by in ("week", "campaign") and args.month and not args.week and not args.campaign
    month = month_arg(args.month) if by_month else period_of(args) \
        if args.month or args.week or args.quarter or args.campaign else None  # --month lists its weeks, campaigns
    rows = list_forms(app, app.actor(args.user), args.kind, ListFilter(args.unit, month, args.cm, args.state))
    if not rows:
        say(["没有符合条件的单据。"])
        return 0
    heading = {"week": "周开始日期", "campaign": "月份/战役"}.get(kept_by, "月份/季度" if "quarter" in kind_of(args.kind).periods
                                                              else "月份")
    say(table_lines(("客户经理", "姓名", heading, "状态"),
                    ((r["code"], r["name"], r["period"], r["state_label"]) for r in rows)))
    return 0


def run_print(args) -> int:
    """A document as a print page."""
    from addin.handlers.forms import print_form
    from addin.handlers.printing import burst
    from addin.terminal import ProgressBar

    app = open_app()
    if args.dept:
        say(burst(app, app.actor(args.user), args.kind, args.dept, period_of(args), args.output, ProgressBar()).lines())
        return 0
    say(print_form(app, app.actor(args.user), args.kind, period_of(args), args.output, args.cm).lines())
    return 0
