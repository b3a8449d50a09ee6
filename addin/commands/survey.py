"""cmw survey items | export | import | list | stats: §8 客户需求调查表 and §9 客户需求调查统计表."""
from __future__ import annotations

from pathlib import Path

from addin.app import open_app
from addin.arguments import date_arg, month_arg, require_suffix, subcommand, this_month
from addin.terminal import say, table_lines

ORDER = 52


def register(sub) -> None:
    """Add `cmw survey`."""
    parser = sub.add_parser("survey", help="客户需求调查（§8、§9）：调查问卷、线下录入、网上问卷导入、列表、统计")
    actions = parser.add_subparsers(dest="survey_command", metavar="操作", required=True)
    items = actions.add_parser("items", help="调查问卷的需求项目（管理员维护，按版本保存）")
    item_actions = items.add_subparsers(dest="items_command", metavar="操作", required=True)
    subcommand(item_actions, "show", "查看当前版本的需求项目", run_items_show, act="questionnaire.view")
    subcommand(item_actions, "export", "导出当前版本供修改（.xlsx 或 .csv）", run_items_export, output="输出文件 .xlsx 或 .csv",
               act="questionnaire.view")
    load = subcommand(item_actions, "import", "导入修改后的需求项目为新版本（管理员）", run_items_import,
                      act="questionnaire.import")
    load.add_argument("file", type=Path, help="需求项目文件 .xlsx 或 .csv")
    month = f"调查月份 YYYY-MM，默认本月（{this_month()}）"
    subcommand(actions, "export", "§8 客户经理导出本月的客户需求调查表（线下录入、网上问卷确认；填好后用 cmw submit 提交）",
               run_export, month=month, output="输出文件 .xlsx", act="edit:survey")
    imported = subcommand(actions, "import", "§8 管理员导入网上订货平台的问卷答案（CSV 或 .xlsx，全部正确才写入，待客户经理确认）",
                          run_import, month=month, act="survey.import")
    imported.add_argument("file", type=Path, help="网上问卷文件（列名见 docs/import-formats.md）")
    listing = subcommand(actions, "list", "§8 查看问卷列表（按录入日期、问卷类型、客户编码、名称、状态筛选）", run_list,
                         month=month, cm="客户经理编码（市场经理、管理员用）", act="view:survey")
    listing.add_argument("--from", dest="entered_from", help="录入日期从 YYYY-MM-DD")
    listing.add_argument("--to", dest="entered_to", help="录入日期到 YYYY-MM-DD")
    listing.add_argument("--type", dest="channel", help="问卷类型：线下 或 网上")
    listing.add_argument("--code", help="客户编码（包含）")
    listing.add_argument("--name", help="客户名称（包含）")
    listing.add_argument("--state", help="状态：待确认 或 已确认")
    stats = subcommand(actions, "stats", "§9 客户需求调查统计表（.xlsx 带条形图，或 .pdf/.html 打印页）", run_stats,
                       month=month, cm="只看一位客户经理", output="输出文件 .xlsx、.pdf 或 .html", act="view:survey")
    stats.add_argument("--dept", help="营销部编码（管理员查看某个营销部；市场经理默认本营销部）")


def run_items_show(args) -> int:
    """Print the current questionnaire."""
    from addin.handlers.questionnaire import show_items

    app = open_app()
    say(show_items(app, app.actor(args.user)))
    return 0


def run_items_export(args) -> int:
    """Write the current questionnaire to a file."""
    from addin.handlers.questionnaire import export_items

    require_suffix(args.output, (".xlsx", ".csv"), "调查问卷")
    app = open_app()
    say(export_items(app, app.actor(args.user), args.output).lines())
    return 0


def run_items_import(args) -> int:
    """Import an edited questionnaire as a new version."""
    from addin.handlers.questionnaire import import_items

    app = open_app()
    say(import_items(app, app.actor(args.user), args.file).lines())
    return 0


def run_export(args) -> int:
    """Write the CM's entry workbook."""
    from addin.handlers.survey import export_survey

    require_suffix(args.output, (".xlsx",), "客户需求调查表")
    app = open_app()
    say(export_survey(app, app.actor(args.user), month_arg(args.month), args.output).lines())
    return 0


def run_import(args) -> int:
    """Load the platform's answers file."""
    from addin.handlers.survey_import import import_survey

    app = open_app()
    say(import_survey(app, app.actor(args.user), args.file, month_arg(args.month)).lines())
    return 0


def run_list(args) -> int:
    """The list screen of §8."""
    from addin.handlers.survey import AnswerFilter, list_answers

    app = open_app()
    where = AnswerFilter(month_arg(args.month), args.cm, date_arg(args.entered_from) if args.entered_from else None,
                         date_arg(args.entered_to) if args.entered_to else None, args.channel, args.code, args.name,
                         args.state)
    rows = list_answers(app, app.actor(args.user), where)
    if not rows:
        say(["没有符合条件的问卷。"])
        return 0
    say([f"共 {len(rows)} 份问卷：", *table_lines(("客户经理", "客户编码", "客户名称", "类型", "日期", "需求项目", "最急需",
                                               "状态", "录入时间"), rows)])
    return 0


def run_stats(args) -> int:
    """§9 as a workbook or a print page."""
    from addin.handlers.survey import survey_stats

    app = open_app()
    say(survey_stats(app, app.actor(args.user), month_arg(args.month), args.output, args.dept, args.cm).lines())
    return 0
