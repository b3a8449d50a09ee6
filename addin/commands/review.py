"""cmw review export: §3 the market manager's review workbook (decisions come back through cmw submit)."""
from __future__ import annotations

from pathlib import Path

from addin.app import open_app
from addin.arguments import month_arg, require_suffix, this_month
from addin.terminal import say

ORDER = 65


def register(sub) -> None:
    """Add `cmw review`."""
    parser = sub.add_parser("review", help="大表审核（§3）：市场经理导出待审核的计划和结果，填写审核意见后提交")
    actions = parser.add_subparsers(dest="review_command", metavar="操作", required=True)
    month_now = this_month()
    export = actions.add_parser("export", help="导出审核表：每位待审核的客户经理一行，附各自的大表（填好后用 cmw submit 提交）")
    export.add_argument("--as", dest="user", help="操作人（市场经理），默认取 CMW_USER")
    export.add_argument("--month", default=month_now, help=f"计划月份 YYYY-MM，默认本月（{month_now}）")
    export.add_argument("-o", "--output", required=True, type=Path, help="输出文件 .xlsx")
    export.set_defaults(run=run_export, act="review")


def run_export(args) -> int:
    """Write the review workbook."""
    from addin.handlers.review import export_review

    require_suffix(args.output, (".xlsx",), "审核表")
    app = open_app()
    say(export_review(app, app.actor(args.user), month_arg(args.month), args.output).lines())
    return 0
