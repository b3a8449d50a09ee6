"""cmw status: §1 导航流程 — the month's steps and where each stands, in the terminal, as the 导航 workbook or a page."""
from __future__ import annotations

from pathlib import Path

from addin.app import open_app
from addin.arguments import month_arg, this_month
from addin.terminal import say

ORDER = 35


def register(sub) -> None:
    """Add `cmw status`."""
    month_now = this_month()
    parser = sub.add_parser(
        "status", help="§1 工作导航：本月每一步走到哪里（已完成、待办理、待市场经理、受阻及原因），下一步用哪个命令或按钮",
        description="客户经理看本人本月的每一步；市场经理看所辖每位客户经理一行（受阻的排在前面），用 --cm 看某一位的明细。"
                    "-o 导航.xlsx 写成导航工作簿（链接同一文件夹中本月已有的工作簿），-o 导航.pdf 或 .html 写成打印页。")
    parser.add_argument("--as", dest="user", help="操作人，默认取 CMW_USER")
    parser.add_argument("--month", default=month_now, help=f"月份 YYYY-MM，默认本月（{month_now}）")
    parser.add_argument("--cm", action="append", help="客户经理编码（市场经理看某几位时用，可重复）")
    parser.add_argument("-o", "--output", type=Path, help="输出文件 .xlsx（导航工作簿）、.pdf 或 .html（打印页）；不给则显示在屏幕上")
    parser.set_defaults(run=run, act="navigation")


def run(args) -> int:
    """Show or write §1."""
    from addin.buttons import button_labels
    from addin.handlers.navigation import export_status, month_status, status_lines

    app = open_app()
    actor = app.actor(args.user)
    month = month_arg(args.month)
    if args.output:
        say(export_status(app, actor, month, args.output, args.cm, commands=button_labels()).lines())
    else:
        say(status_lines(month_status(app, actor, month, args.cm), month, button_labels()))
    return 0
