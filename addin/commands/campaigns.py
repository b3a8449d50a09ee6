"""cmw campaigns export | import | list: §14 promotion campaigns (促销战役), kept by the brand manager."""
from __future__ import annotations

from pathlib import Path

from addin.app import open_app
from addin.arguments import month_arg, require_suffix, subcommand, this_month
from addin.terminal import EXIT_PARTIAL, say, table_lines

ORDER = 48


def register(sub) -> None:
    """Add `cmw campaigns`."""
    parser = sub.add_parser("campaigns", help="§14 促销战役（品牌经理维护：名称、月份、卷烟规格、覆盖范围、检查项目）")
    actions = parser.add_subparsers(dest="campaigns_command", metavar="操作", required=True)
    subcommand(actions, "export", "品牌经理：导出促销战役表（已有战役和空行），填好后用 cmw campaigns import 或 cmw submit 提交",
               run_export, output="输出文件 .xlsx", act="campaigns")
    imported = subcommand(actions, "import", "品牌经理：提交填好的促销战役表（与 cmw submit 相同，文件会存档）", run_import,
                          act="campaigns")
    imported.add_argument("file", type=Path, help="导出并填好的促销战役表 .xlsx")
    listing = subcommand(actions, "list", "查看促销战役（--month：只列该月进行中的）", run_list, act="campaigns.view")
    listing.add_argument("--month", help="月份 YYYY-MM：只列该月进行中的战役")
    rates = subcommand(actions, "rates", "品牌经理、市场经理：某月各促销战役的执行率（按营销部、客户经理）", run_rates,
                       month=f"月份 YYYY-MM，默认本月（{this_month()}）", act="cultivation.rates")
    rates.add_argument("--campaign", help="只看这个促销战役")
    rates.add_argument("-o", "--output", type=Path, help="另存为 .xlsx、.pdf 或 .html")


def run_export(args) -> int:
    """Write the brand manager's campaign workbook."""
    from addin.handlers.campaigns import export_campaign_book

    require_suffix(args.output, (".xlsx",), "促销战役表")
    app = open_app()
    say(export_campaign_book(app, app.actor(args.user), args.output).lines())
    return 0


def run_import(args) -> int:
    """Hand the filled-in workbook in, through the submission path (archived like every submitted file)."""
    from addin.handlers.submission import submit_kept_file
    from engine.campaigns import MODULE

    app = open_app()
    outcome = submit_kept_file(app, app.actor(args.user), args.file, module=MODULE, what="促销战役表",
                               export_command="cmw campaigns export", act="campaigns", month=None)
    say(outcome.lines())
    return EXIT_PARTIAL if outcome.partial else 0


def run_list(args) -> int:
    """The campaigns."""
    from addin.handlers.campaigns import HEADERS, campaign_rows

    app = open_app()
    rows = campaign_rows(app, app.actor(args.user), month_arg(args.month) if args.month else None)
    say(table_lines(HEADERS, rows) if rows else ["没有促销战役。品牌经理用 cmw campaigns export 导出促销战役表维护。"])
    return 0


def run_rates(args) -> int:
    """The execution rates of the month's campaigns."""
    from addin.handlers.campaigns import rates_list

    app = open_app()
    headers, rows, note = rates_list(app, app.actor(args.user), month_arg(args.month), args.campaign, args.output)
    say([*table_lines(headers, rows, numeric=(3, 4, 5, 6, 7)), note, *([f"已另存到 {args.output}。"] if args.output else [])])
    return 0
