"""cmw analysis effect | capability export | strategies | district | list: §10 月度经营状态分析."""
from __future__ import annotations

from pathlib import Path

from addin.app import open_app
from addin.arguments import cm_of, month_arg, require_suffix, subcommand, this_month
from addin.terminal import ProgressBar, say, table_lines
from engine.workflows import OPERATING_ANALYSIS

ORDER = 50


def register(sub) -> None:
    """Add `cmw analysis`."""
    parser = sub.add_parser("analysis", help="月度经营状态分析（§10）：计算经营效果、经营能力评分、生成策略、片区统计")
    actions = parser.add_subparsers(dest="analysis_command", metavar="操作", required=True)
    month_now = this_month()

    month = f"分析月份 YYYY-MM，默认本月（{month_now}），数据取上月"
    cms = "客户经理编码（市场经理可指定，可重复；默认全部）"
    cm = "客户经理编码（市场经理查看某位客户经理时用；默认本人）"

    def add(name, help_text, run, act, **options):
        return subcommand(actions, name, help_text, run, month=month, act=act, **options)

    effect = add("effect", "计算经营效果（每位客户经理每月只能计算一次；上月没有订单或订货客户远少于前一月时拒绝）",
                 run_effect, "analysis:compute_effect", cms=cms)
    effect.add_argument("--force", action="store_true", help="订单确实如此时强制计算（没有订单或订货客户远少于前一月）")
    reopen = add("reopen", "市场经理或管理员：重新打开某位客户经理本月最近一步（已生成策略且未生成大表时重新打开策略；"
                           "已计算经营效果且未录入评分时重新打开经营效果），须说明原因", run_reopen,
                 "analysis:reopen_effect")
    reopen.add_argument("--cm", required=True, help="客户经理编码")
    reopen.add_argument("--reason", required=True, help="原因（记入审计日志，最多 200 字）")
    capability = actions.add_parser("capability", help="经营能力评分表")
    capability_actions = capability.add_subparsers(dest="capability_command", metavar="操作", required=True)
    export = capability_actions.add_parser("export", help="导出经营能力评分表（填好后用 cmw submit 提交）")
    export.add_argument("--as", dest="user", help="操作人（客户经理），默认取 CMW_USER")
    export.add_argument("--month", default=month_now, help="分析月份 YYYY-MM")
    export.add_argument("-o", "--output", required=True, type=Path, help="输出文件 .xlsx")
    export.set_defaults(run=run_capability_export, act="capability.score")
    add("strategies", "生成策略（全部客户完成经营能力评分后；市场经理可一次为所辖客户经理生成）", run_strategies, "analysis:generate_strategies", cms=cms)
    add("district", "生成片区统计（.xlsx 或 .html）", run_district, "view:analysis", output="输出文件", cm=cm)
    listing = add("list", "查看经营状态分析列表", run_list, "view:analysis", cm=cm)
    listing.set_defaults(month=None)
    listing.add_argument("--unit", help="营销中心或营销部编码")
    listing.add_argument("--state", help=f"状态：{'、'.join(OPERATING_ANALYSIS.states.values())}")


def run_effect(args) -> int:
    """计算经营效果."""
    from addin.handlers.analysis import run_effect as handler

    app = open_app()
    say(handler(app, app.actor(args.user), month_arg(args.month), args.cm, ProgressBar(), args.force).lines())
    return 0


def run_reopen(args) -> int:
    """重新打开 a CM's month's latest once-only step."""
    from addin.handlers.analysis import run_reopen as handler

    app = open_app()
    say(handler(app, app.actor(args.user), month_arg(args.month), args.cm, args.reason).lines())
    return 0


def run_capability_export(args) -> int:
    """Write the capability-scoring workbook."""
    from addin.handlers.capability import export_capability

    require_suffix(args.output, (".xlsx",), "经营能力评分表")
    app = open_app()
    say(export_capability(app, app.actor(args.user), month_arg(args.month), args.output).lines())
    return 0


def run_strategies(args) -> int:
    """生成策略."""
    from addin.handlers.analysis import run_strategies as handler

    app = open_app()
    say(handler(app, app.actor(args.user), month_arg(args.month), args.cm).lines())
    return 0


def run_district(args) -> int:
    """生成片区统计."""
    from addin.handlers.district import export_district

    app = open_app()
    actor = app.actor(args.user)
    say(export_district(app, actor, cm_of(actor, args), month_arg(args.month), args.output).lines())
    return 0


def run_list(args) -> int:
    """The list screen."""
    from addin.handlers.analysis import ListFilter, list_analyses

    app = open_app()
    month = month_arg(args.month) if args.month else None
    rows = list_analyses(app, app.actor(args.user), ListFilter(args.unit, month, args.cm, args.state))
    if not rows:
        say(["没有符合条件的经营状态分析。"])
        return 0
    say(table_lines(("客户经理", "姓名", "月份", "状态", "客户数", "已评分", "待提升指标"),
                    ((r["code"], r["name"], r["period"], OPERATING_ANALYSIS.states[r["state"]], r["stores"] or 0,
                      r["scored"] or 0, r["strategies"] or 0) for r in rows), numeric=range(4, 7)))
    return 0
