"""cmw visits plan | day | week: the month's visit plan (客户拜访计划), and the §13 daily list and §12 weekly arrangement."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from addin.app import open_app
from addin.arguments import cm_of, date_arg, this_month
from addin.terminal import say

ORDER = 45


def register(sub) -> None:
    """Add `cmw visits`."""
    parser = sub.add_parser("visits", help="拜访计划：按客户的拜访频次和拜访日生成某月的拜访计划")
    actions = parser.add_subparsers(dest="visits_command", metavar="操作", required=True)
    plan = actions.add_parser("plan", help="生成（或重新生成）某月全部有效客户的拜访计划",
                              description="按每户有效客户的拜访频次（每周/每两周/每四周）和拜访日，生成该月的拜访计划；"
                                          "重复运行会替换该月原有的计划。暂停户和注销户不安排拜访。")
    plan.add_argument("--month", default=this_month(), help="月份 YYYY-MM，默认本月")
    plan.add_argument("--as", dest="user", help="操作人（须为管理员），默认取 CMW_USER")
    plan.set_defaults(run=run_plan, act="visits.plan")
    today = date.today()
    for kind, help_text, flag, default, what in (
            ("day", "§13 日拜访记录表：某天按拜访频次到期的客户及其计划动作（大表审批后）", "--date",
             today, "拜访日期 YYYY-MM-DD，默认今天"),
            ("week", "§12 周工作安排表：一周内每天的拜访客户及计划动作", "--week-start",
             today - timedelta(days=today.weekday()), "周开始日期 YYYY-MM-DD，默认本周一")):
        listing = actions.add_parser(kind, help=help_text)
        listing.add_argument(flag, dest="date", default=f"{default:%Y-%m-%d}", help=what)
        listing.add_argument("--as", dest="user", help="操作人，默认取 CMW_USER")
        listing.add_argument("--cm", help="客户经理编码（市场经理查看某位客户经理时用；默认本人）")
        listing.add_argument("-o", "--output", required=True, type=Path, help="输出文件 .html、.pdf 或 .xlsx")
        listing.set_defaults(run=run_list, kind=kind, act="visits.view")
    campaign = actions.add_parser("campaign", help="§14 生成拜访计划：某天按拜访频次到期的促销战役客户，及要检查的规格和项目（可打印）")
    campaign.add_argument("--campaign", required=True, help="促销战役编号（cmw campaigns list 列出）")
    campaign.add_argument("--date", default=f"{today:%Y-%m-%d}", help="拜访日期 YYYY-MM-DD，默认今天")
    campaign.add_argument("--as", dest="user", help="操作人，默认取 CMW_USER")
    campaign.add_argument("--cm", help="客户经理编码（市场经理查看某位客户经理时用；默认本人）")
    campaign.add_argument("-o", "--output", required=True, type=Path, help="输出文件 .pdf、.html 或 .xlsx")
    campaign.set_defaults(run=run_campaign, act="visits.view")


def run_campaign(args) -> int:
    """§14 生成拜访计划 for a campaign and a day."""
    from addin.handlers.visits import campaign_visit_list

    app = open_app()
    actor = app.actor(args.user)
    say(campaign_visit_list(app, actor, cm_code=cm_of(actor, args), campaign=args.campaign, day=date_arg(args.date),
                            target=args.output).lines())
    return 0


def run_plan(args) -> int:
    """Plan one month in one transaction and print what it did."""
    from engine.visits import plan_visits

    app = open_app()
    actor = app.actor(args.user)
    report = plan_visits(app.uow(), actor, args.month)
    say(report.lines())
    return 0


def run_list(args) -> int:
    """§13 day or §12 week as .html, .pdf or .xlsx."""
    from addin.handlers.visits import visit_list

    app = open_app()
    actor = app.actor(args.user)
    say(visit_list(app, actor, kind=args.kind, cm_code=cm_of(actor, args), start=date_arg(args.date),
                   target=args.output).lines())
    return 0
