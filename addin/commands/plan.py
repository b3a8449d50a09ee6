"""cmw plan generate | export | list: §3 客户经理任务执行标注表 (the big table)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from addin.app import open_app
from addin.cli import say
from addin.commands.analysis import month_arg
from engine.workflows import BIG_TABLE

ORDER = 60
_MARKS = ("☆", "★", "△", "▲")


def register(sub) -> None:
    """Add `cmw plan`."""
    parser = sub.add_parser("plan", help="任务执行标注表（大表，§3）：生成计划、导出填写、查看列表")
    actions = parser.add_subparsers(dest="plan_command", metavar="操作", required=True)
    this_month = f"{date.today():%Y-%m}"

    def add(name, help_text, run):
        p = actions.add_parser(name, help=help_text)
        p.add_argument("--as", dest="user", help="操作人，默认取 CMW_USER")
        p.add_argument("--month", default=this_month, help=f"计划月份 YYYY-MM，默认本月（{this_month}）")
        p.add_argument("--cm", help="客户经理编码（市场经理指定某位客户经理时用；默认本人）")
        p.set_defaults(run=run)
        return p

    add("generate", "计划新增：按本月策略和上月未完成的任务生成大表（每月一次）", run_generate)
    export = add("export", "导出大表（填好后用 cmw submit 保存或提交）", run_export)
    export.add_argument("-o", "--output", required=True, type=Path, help="输出文件 .xlsx")
    listing = add("list", "查看大表列表", run_list)
    listing.set_defaults(month=None)
    listing.add_argument("--unit", help="营销中心或营销部编码")
    listing.add_argument("--state", help=f"状态：{'、'.join(BIG_TABLE.states.values())}")


def run_generate(args) -> int:
    """计划新增."""
    from addin.handlers.plans import generate_plan

    app = open_app()
    say(generate_plan(app, app.actor(args.user), month_arg(args.month), args.cm).lines())
    return 0


def run_export(args) -> int:
    """Write the big-table workbook."""
    from addin.handlers.plans import export_plan

    app = open_app()
    say(export_plan(app, app.actor(args.user), month_arg(args.month), args.output, args.cm).lines())
    return 0


def run_list(args) -> int:
    """The list screen."""
    from addin.handlers.analysis import ListFilter
    from addin.handlers.plans import list_plans

    app = open_app()
    month = month_arg(args.month) if args.month else None
    rows = list_plans(app, app.actor(args.user), ListFilter(args.unit, month, args.cm, args.state))
    if not rows:
        say(["没有符合条件的大表。"])
        return 0
    say(["客户经理\t姓名\t月份\t状态\t\t版本\t客户数\t" + "\t".join(_MARKS)])
    say([f"{r['code']}\t{r['name']}\t{r['period']}\t{BIG_TABLE.states[r['state']]:<8}\t{r['version']}\t"
         f"{r['stores'] or 0}\t" + "\t".join(str(r["counts"][m] or 0) for m in _MARKS) for r in rows])
    return 0
