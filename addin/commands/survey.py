"""cmw survey items | export | import | list | stats: §8 客户需求调查表 and §9 客户需求调查统计表."""
from __future__ import annotations

from pathlib import Path

from addin.app import open_app
from addin.arguments import month_arg, require_suffix, subcommand, this_month
from addin.terminal import say

ORDER = 52


def register(sub) -> None:
    """Add `cmw survey`."""
    parser = sub.add_parser("survey", help="客户需求调查（§8、§9）：调查问卷、线下录入、网上问卷导入、列表、统计")
    actions = parser.add_subparsers(dest="survey_command", metavar="操作", required=True)
    items = actions.add_parser("items", help="调查问卷的需求项目（管理员维护，按版本保存）")
    item_actions = items.add_subparsers(dest="items_command", metavar="操作", required=True)
    subcommand(item_actions, "show", "查看当前版本的需求项目", run_items_show)
    subcommand(item_actions, "export", "导出当前版本供修改（.xlsx 或 .csv）", run_items_export, output="输出文件 .xlsx 或 .csv")
    load = subcommand(item_actions, "import", "导入修改后的需求项目为新版本（管理员）", run_items_import)
    load.add_argument("file", type=Path, help="需求项目文件 .xlsx 或 .csv")
    month = f"调查月份 YYYY-MM，默认本月（{this_month()}）"
    subcommand(actions, "export", "§8 客户经理导出本月的客户需求调查表（线下录入、网上问卷确认；填好后用 cmw submit 提交）",
               run_export, month=month, output="输出文件 .xlsx")


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
