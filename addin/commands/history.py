"""cmw history: who changed what in a document or a store, when, and from which submission."""
from __future__ import annotations

ORDER = 92

from addin.app import open_app
from addin.arguments import month_arg, this_month
from addin.terminal import say
from engine.document_types import document_types


def register(sub) -> None:
    """Add `cmw history`."""
    month_now = this_month()
    parser = sub.add_parser("history", help="修改历史：一份单据或一户客户的每次修改（谁、何时、改了什么、哪次提交）")
    parser.add_argument("--as", dest="user", help="操作人，默认取 CMW_USER")
    parser.add_argument("--kind", help=f"单据类型：{'、'.join(f'{k}（{w.label}）' for k, w in ((c, t.workflow) for c, t in document_types().items()))}")
    parser.add_argument("--month", default=month_now, help=f"单据月份 YYYY-MM，默认本月（{month_now}）")
    parser.add_argument("--cm", help="客户经理编码（市场经理、管理员查看时必填；客户经理默认本人）")
    parser.add_argument("--store", help="客户编码：查看这户客户的信息修改和大表标注")
    parser.set_defaults(run=run, act="view:{kind}")


def run(args) -> int:
    """Show one history."""
    from addin.handlers.history import show_history

    app = open_app()
    say(show_history(app, app.actor(args.user), kind=args.kind, month=month_arg(args.month), cm_code=args.cm,
                     store=args.store).lines())
    return 0
