"""cmw brands export | import | list: the month's key and backbone brands (重点品牌 / 骨干品牌), kept by the brand
manager; filter: §6's assisted filter of a CM's stores for a brand."""
from __future__ import annotations

from pathlib import Path

from addin.app import open_app
from addin.arguments import month_arg, require_suffix, subcommand, this_month
from addin.terminal import EXIT_PARTIAL, say, table_lines

ORDER = 47


def register(sub) -> None:
    """Add `cmw brands`."""
    parser = sub.add_parser("brands", help="重点品牌与骨干品牌（品牌经理按月维护）；辅助筛选目标客户（§6）")
    actions = parser.add_subparsers(dest="brands_command", metavar="操作", required=True)
    month = f"月份 YYYY-MM，默认本月（{this_month()}）"
    subcommand(actions, "export", "品牌经理：导出某月的重点品牌表（每个品牌选 是/否），填好后用 cmw submit 或 cmw brands import 提交",
               run_export, month=month, output="输出文件 .xlsx")
    imported = subcommand(actions, "import", "品牌经理：提交填好的重点品牌表（与 cmw submit 相同，文件会存档）", run_import)
    imported.add_argument("file", type=Path, help="导出并填好的重点品牌表 .xlsx")
    imported.add_argument("--month", help="核对文件的月份（可省略：按文件中的月份）")
    subcommand(actions, "list", "查看某月的重点品牌与骨干品牌", run_list, month=month)


def run_export(args) -> int:
    """Write the brand manager's workbook of the month."""
    from addin.handlers.key_brands import export_key_brand_book

    require_suffix(args.output, (".xlsx",), "重点品牌表")
    app = open_app()
    say(export_key_brand_book(app, app.actor(args.user), month_arg(args.month), args.output).lines())
    return 0


def run_import(args) -> int:
    """Hand the filled-in workbook in, through the submission path (archived like every submitted file)."""
    from addin.handlers import submit_workbook
    from engine.errors import Refused
    from engine.key_brands import MODULE
    from workbooks.reader import read_meta

    if not args.file.is_file():
        raise Refused(f"找不到文件 {args.file}。")
    content = args.file.read_bytes()
    try:
        meta = read_meta(content)
    except Refused:
        meta = None
    if meta is not None and meta.module != MODULE:
        raise Refused(f"{args.file.name} 不是重点品牌表（cmw brands export 导出的文件）。其他工作簿请用 cmw submit 提交。")
    if meta is not None and args.month and month_arg(args.month) != meta.period:
        raise Refused(f"{args.file.name} 是 {meta.period} 的重点品牌表，不是 {month_arg(args.month)} 的。"
                      f"请去掉 --month，或导出 {month_arg(args.month)} 的表：cmw brands export --month {month_arg(args.month)}。")
    app = open_app()
    outcome = submit_workbook(app, app.actor(args.user), args.file.name, content)
    say(outcome.lines())
    return EXIT_PARTIAL if outcome.partial else 0


def run_list(args) -> int:
    """The month's list."""
    from addin.handlers.key_brands import HEADERS, key_brand_rows

    app = open_app()
    rows, source = key_brand_rows(app, month_arg(args.month))
    say([source, *table_lines(HEADERS, rows)] if rows else [source, "没有重点或骨干品牌。"])
    return 0
