"""cmw plan generate | export | list: §3 客户经理任务执行标注表 (the big table)."""
from __future__ import annotations

from pathlib import Path

from addin.app import open_app
from addin.arguments import is_folder, month_arg, require_suffix, subcommand, this_month
from addin.terminal import say, table_lines
from engine.workflows import BIG_TABLE

ORDER = 60
_MARKS = ("☆", "★", "△", "▲")


def register(sub) -> None:
    """Add `cmw plan`."""
    parser = sub.add_parser("plan", help="任务执行标注表（大表，§3）：生成计划、导出填写、查看列表")
    actions = parser.add_subparsers(dest="plan_command", metavar="操作", required=True)
    month_now = this_month()

    month = f"计划月份 YYYY-MM，默认本月（{month_now}）"
    cms = "客户经理编码（市场经理可指定，可重复；默认所辖全部）"
    cm = "客户经理编码（市场经理指定某位客户经理时用；默认本人）"

    def add(name, help_text, run, act, *, many=False):
        return subcommand(actions, name, help_text, run, month=month, act=act, **({"cms": cms} if many else {"cm": cm}))

    add("generate", "计划新增：按本月策略和上月未完成的任务生成大表（每月一次；市场经理可一次为所辖客户经理生成）",
        run_generate, "bigtable.generate", many=True)
    export = add("export", "导出大表（填好后用 cmw submit 保存或提交）；市场经理可一次导出所辖全部客户经理的大表到一个文件夹",
                 run_export, "view:bigtable", many=True)
    export.add_argument("-o", "--output", required=True,
                        help="输出文件 .xlsx；或一个文件夹（以 / 结尾，或没有扩展名），每位客户经理一个文件："
                             "任务执行标注表-客户经理编码-姓名-月份.xlsx")
    export.add_argument("--view-only", action="store_true",
                        help="导出到文件夹时：文件仅供查看（默认可以直接交给客户经理本人填写和提交）")
    listing = add("list", "查看大表列表", run_list, "view:bigtable")
    listing.set_defaults(month=None)
    listing.add_argument("--unit", help="营销中心或营销部编码")
    listing.add_argument("--state", help=f"状态：{'、'.join(BIG_TABLE.states.values())}")


def run_generate(args) -> int:
    """计划新增."""
    from addin.handlers.big_table import generate_plan

    app = open_app()
    say(generate_plan(app, app.actor(args.user), month_arg(args.month), args.cm).lines())
    return 0


def run_export(args) -> int:
    """Write the big-table workbook: one file, or every CM's (the named, or all in scope) into a folder."""
    from addin.handlers.big_table import export_plan, export_plans
    from engine.errors import Refused
    from engine.policy import owns_documents

    if not is_folder(args.output):
        require_suffix(Path(args.output), (".xlsx",), "任务执行标注表")
    app = open_app()
    actor, month, cms = app.actor(args.user), month_arg(args.month), list(dict.fromkeys(args.cm or ()))
    if is_folder(args.output):
        if Path(args.output).is_file():
            raise Refused(f"{args.output} 是一个已有的文件，不是文件夹。请给一个文件夹，例如 -o 大表/。")
        say(export_plans(app, actor, month, Path(args.output), cms or None, for_owner=not args.view_only).lines())
        return 0
    if len(cms) > 1 or (not cms and not owns_documents(actor)):
        raise Refused(f"-o {args.output} 是一个文件。导出多位客户经理的大表请给一个文件夹（每人一个文件），"
                      f"例如 -o 大表/；只看某一位客户经理的请加 --cm，例如 --cm cm001。")
    say(export_plan(app, actor, month, Path(args.output), cms[0] if cms else None).lines())
    return 0


def run_list(args) -> int:
    """The list screen."""
    from addin.handlers.analysis import ListFilter
    from addin.handlers.big_table import list_plans

    app = open_app()
    month = month_arg(args.month) if args.month else None
    rows = list_plans(app, app.actor(args.user), ListFilter(args.unit, month, args.cm, args.state))
    if not rows:
        say(["没有符合条件的大表。"])
        return 0
    say(table_lines(("客户经理", "姓名", "月份", "状态", "版本", "客户数", *_MARKS),
                    ((r["code"], r["name"], r["period"], BIG_TABLE.states[r["state"]], r["version"], r["stores"] or 0,
                      *(r["counts"][m] or 0 for m in _MARKS)) for r in rows), numeric=range(4, 10)))
    return 0
