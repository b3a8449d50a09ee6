"""cmw visits plan --month YYYY-MM: materialise the month's visit plan (客户拜访计划)."""
from __future__ import annotations

ORDER = 45

from datetime import date

from addin.app import open_app
from addin.cli import say


def register(sub) -> None:
    """Add `cmw visits`."""
    parser = sub.add_parser("visits", help="拜访计划：按客户的拜访频次和拜访日生成某月的拜访计划")
    actions = parser.add_subparsers(dest="visits_command", metavar="操作", required=True)
    plan = actions.add_parser("plan", help="生成（或重新生成）某月全部有效客户的拜访计划",
                              description="按每户有效客户的拜访频次（每周/每两周/每四周）和拜访日，生成该月的拜访计划；"
                                          "重复运行会替换该月原有的计划。暂停户和注销户不安排拜访。")
    plan.add_argument("--month", default=f"{date.today():%Y-%m}", help="月份 YYYY-MM，默认本月")
    plan.add_argument("--as", dest="user", default="admin", help="操作人（须为管理员），默认 admin")
    plan.set_defaults(run=run_plan)


def run_plan(args) -> int:
    """Plan one month in one transaction and print what it did."""
    from storage.visit_plans import plan_visits

    app = open_app()
    actor = app.actor(args.user)
    with app.sessions.begin() as session:
        report = plan_visits(session, args.month, actor)
    say(report.lines())
    return 0
