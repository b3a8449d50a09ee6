"""cmw print store | district | day | week | bigtable | feedback: print pages as .html or .pdf; --dept bursts per CM."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from addin.app import open_app
from addin.arguments import cm_of, date_arg, month_arg, require_suffix, subcommand, this_month
from addin.terminal import ProgressBar, say
from engine.errors import Refused

ORDER = 80
_OUTPUT = "输出文件 .pdf（PDF，A4）或 .html（用浏览器打开后打印）"


def register(sub) -> None:
    """Add `cmw print`."""
    parser = sub.add_parser("print", help="打印：客户明细、片区统计、日拜访记录表、周工作安排表、任务执行标注表、客户月度经营状态反馈表（.pdf 或 .html）")
    kinds = parser.add_subparsers(dest="print_command", metavar="打印内容", required=True)
    month_now, today = this_month(), date.today()
    monday = today - timedelta(days=today.weekday())

    def add(name, help_text, run, act, *, cm=True, dept=False):
        p = subcommand(kinds, name, help_text, run, cm=cm and "客户经理编码（市场经理打印某位客户经理的表时用；默认本人）",
                       kind=name, act=act)
        if dept:
            p.add_argument("--dept", help="营销部编码：为该部每位客户经理各生成一份 PDF，另加一份审核包（-o 给文件夹）")
        p.add_argument("-o", "--output", required=True, type=Path,
                       help=_OUTPUT + ("；用 --dept 时为输出文件夹" if dept else ""))
        return p

    store = add("store", "§2 客户信息明细（一户一页）", run_store, "stores.view", cm=False)
    store.add_argument("code", help="客户编码")
    district = add("district", "§10 片区统计", run_period, "view:analysis", dept=True)
    district.add_argument("--month", default=month_now, help=f"分析月份 YYYY-MM，默认本月（{month_now}）")
    district.add_argument("--summary", action="store_true",
                          help="只打印概要：概况与潜力分布（每位客户经理不超过 3 页），不含逐户明细")
    add("day", "§13 日拜访记录表", run_visits, "visits.view").add_argument(
        "--date", default=f"{today:%Y-%m-%d}", help="拜访日期 YYYY-MM-DD，默认今天")
    add("week", "§12 周工作安排表", run_visits, "visits.view").add_argument(
        "--week-start", dest="date", default=f"{monday:%Y-%m-%d}", help="周开始日期 YYYY-MM-DD，默认本周一")
    add("bigtable", "§3 任务执行标注表（大表，A4 横向）", run_period, "view:bigtable", dept=True).add_argument(
        "--month", default=month_now, help=f"计划月份 YYYY-MM，默认本月（{month_now}）")
    feedback = add("feedback", "§17 客户月度经营状态反馈表：每户一页交给零售户（近六个月订货、与片区和同档位比较、价类结构、"
                               "待提升的方面、本月服务安排）；默认该客户经理全部有效客户按拜访顺序合成一个 PDF", run_period, "feedback",
                   dept=True)
    feedback.add_argument("--month", default=month_now, help=f"月份 YYYY-MM，默认本月（{month_now}）：订货为此前六个月")
    feedback.add_argument("--store", help="客户编码：只打印这一户")
    feedback.add_argument("--date", help="拜访顺序从哪天算起 YYYY-MM-DD，默认该月 1 日")


def run_store(args) -> int:
    """§2 store sheet."""
    from addin.handlers import print_store_sheet

    require_suffix(args.output, (".pdf", ".html"), "打印文件")
    app = open_app()
    say(print_store_sheet(app, app.actor(args.user), args.code, args.output).lines())
    return 0


def run_visits(args) -> int:
    """§13 day or §12 week."""
    from addin.handlers.visits import visit_list

    if args.output.suffix.lower() not in (".html", ".pdf"):
        raise Refused(f"打印文件只能是 .pdf 或 .html，请把“{args.output.name}”改为这两种扩展名之一（工作簿请用导出命令）。")
    app = open_app()
    actor = app.actor(args.user)
    say(visit_list(app, actor, kind=args.kind, cm_code=cm_of(actor, args), start=date_arg(args.date),
                   target=args.output).lines())
    return 0


def run_period(args) -> int:
    """§10 district statistics or §3 big table of one CM, or of every CM of a department (--dept)."""
    from addin.handlers.district import export_district
    from addin.handlers.printing import burst, print_bigtable

    app = open_app()
    actor, month = app.actor(args.user), month_arg(args.month)
    if args.dept:
        say(burst(app, actor, args.kind, args.dept, month, args.output, ProgressBar(),
                  summary=getattr(args, "summary", False)).lines())
        return 0
    if args.output.suffix.lower() not in (".html", ".pdf"):
        raise Refused(f"打印文件只能是 .pdf 或 .html，请把“{args.output.name}”改为这两种扩展名之一。")
    if args.kind == "bigtable":
        say(print_bigtable(app, actor, month, args.output, args.cm).lines())
    elif args.kind == "feedback":
        from addin.handlers.feedback import print_feedback

        start = date_arg(args.date) if args.date else None
        say(print_feedback(app, actor, cm_of(actor, args), month, args.output, store=args.store, start=start,
                           progress=ProgressBar()).lines())
    else:
        say(export_district(app, actor, cm_of(actor, args), month, args.output, summary=args.summary,
                            progress=ProgressBar()).lines())
    return 0
