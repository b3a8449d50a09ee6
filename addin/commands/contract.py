"""cmw contract history: §18 a performance contract's moves and what changed between the version its market manager
confirmed and the evaluated one (filling in, listing and printing it: cmw form … contract)."""
from __future__ import annotations

from addin.app import open_app
from addin.arguments import period_arg, subcommand, this_month
from addin.terminal import say

ORDER = 63


def register(sub) -> None:
    """Add `cmw contract`."""
    parser = sub.add_parser("contract", help="§18 绩效合约书：确认后的变化与流转记录（导出填写、打印用 cmw form … contract）")
    actions = parser.add_subparsers(dest="contract_command", metavar="操作", required=True)
    history = subcommand(actions, "history", "流转记录（谁、何时、哪一步、理由），以及市场经理确认时的版本与现在（考评后）相比的每处变化",
                         run_history, month=f"合约月份 YYYY-MM，默认本月（{this_month()}）",
                         cm="客户经理编码（市场经理、管理员查看时必填；客户经理默认本人）", act="view:contract")
    history.add_argument("--quarter", help="按季度签订的合约：季度 YYYYQn，例如 2026Q4")


def run_history(args) -> int:
    """Show a contract's moves and its changes since confirmation."""
    from addin.handlers.history import show_agreed_changes
    from engine.document_types import document_type

    app = open_app()
    period = period_arg(document_type("contract"), args.month, quarter=args.quarter)
    say(show_agreed_changes(app, app.actor(args.user), "contract", period, args.cm).lines())
    return 0
