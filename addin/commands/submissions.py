"""cmw submissions list: the files you handed in and what became of each (an administrator: everyone's)."""
from __future__ import annotations

ORDER = 93

from addin.app import open_app
from addin.terminal import say, table_lines
from engine.policy import allows
from engine.submissions import outcome_label


def register(sub) -> None:
    """Add `cmw submissions`."""
    parser = sub.add_parser("submissions", help="提交记录：您提交过的文件及其结果（管理员：全部用户的）")
    actions = parser.add_subparsers(dest="submissions_command", metavar="操作", required=True)
    listing = actions.add_parser("list", help="列出最近的提交：编号、时间、文件、结果（处理未完成的显示为“中断”）")
    listing.add_argument("--as", dest="user", help="操作人，默认取 CMW_USER")
    listing.add_argument("--limit", type=int, default=50, help="最多列出几条，默认 50")
    listing.set_defaults(run=run_list, act="submissions")


def run_list(args) -> int:
    """The newest submissions with their outcome."""
    from storage.database import timeout
    from storage.repositories import SqlSubmissions, now

    app = open_app()
    actor = app.actor(args.user)
    # past the longest a statement may run (and a margin), a file still "received" was left by a process that died
    limit = (timeout("statement") or 600) + 60
    with app.uow() as uow:
        rows = SqlSubmissions(uow.session).listing(None if allows(actor, "submissions.all") else actor.code, max(args.limit, 1))
        at = now()
    if not rows:
        say(["还没有提交记录。"])
        return 0
    say(table_lines(("编号", "提交时间", "提交人", "文件", "结果"),
                    [(r["id"], f"{r['received_at']:%Y-%m-%d %H:%M:%S}", r["actor_code"], r["filename"],
                      outcome_label(r["outcome"], r["received_at"], at, limit)) for r in rows], numeric=(0,)))
    return 0
