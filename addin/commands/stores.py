"""cmw stores export | show: §2 客户信息维护."""
from __future__ import annotations

ORDER = 40

from pathlib import Path

from addin.app import open_app
from addin.arguments import require_suffix
from addin.terminal import say
from engine.errors import Refused
from engine.ports import StoreFilter
from engine.stores import Category


def register(sub) -> None:
    """Add `cmw stores`."""
    parser = sub.add_parser("stores", help="客户信息维护（§2）：导出客户信息表、查看客户明细")
    actions = parser.add_subparsers(dest="stores_command", metavar="操作", required=True)
    export = actions.add_parser("export", help="导出客户经理的客户信息表（默认只含有效户）")
    export.add_argument("--as", dest="user", help="操作人（客户经理编码），默认取 CMW_USER")
    export.add_argument("--category", help="综合分类，例如 CZ1")
    export.add_argument("--code", help="客户编码（包含即可）")
    export.add_argument("--name", help="客户名称（包含即可）")
    export.add_argument("--all-status", action="store_true", help="含暂停户和注销户")
    export.add_argument("-o", "--output", required=True, type=Path, help="输出文件 .xlsx")
    export.set_defaults(run=run_export, act="stores.maintain")
    show = actions.add_parser("show", help="查看一户客户的明细")
    show.add_argument("code", help="客户编码")
    show.add_argument("--as", dest="user", help="操作人，默认取 CMW_USER")
    show.add_argument("-o", "--output", type=Path, help="同时生成可打印的明细页（.html）")
    show.set_defaults(run=run_show, act="stores.view")


def _filter(args) -> StoreFilter:
    statuses = () if args.all_status else ("active",)
    return StoreFilter(category=args.category, code=args.code, name=args.name, statuses=statuses)


def run_export(args) -> int:
    """Write the store-list workbook."""
    require_suffix(args.output, (".xlsx",), "客户信息表")
    app = open_app()
    actor = app.actor(args.user)
    try:
        where = _filter(args)
        if where.category:
            Category.parse(where.category)
    except ValueError as exc:
        raise Refused(f"--category 有误：{exc}") from None
    from addin.handlers import export_stores

    say(export_stores(app, actor, where, args.output).lines())
    return 0


def run_show(args) -> int:
    """Print one store's detail, and write its printable page when -o is given."""
    if args.output:
        require_suffix(args.output, (".html", ".pdf"), "客户明细打印页")
    app = open_app()
    actor = app.actor(args.user)
    from addin.handlers import find_store, print_store_sheet, store_detail_lines

    say(store_detail_lines(find_store(app, actor, args.code)))
    if args.output:
        say(print_store_sheet(app, actor, args.code, args.output).lines())
    return 0
