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
               run_export, month=month, output="输出文件 .xlsx", act="brands")
    imported = subcommand(actions, "import", "品牌经理：提交填好的重点品牌表（与 cmw submit 相同，文件会存档）", run_import,
                          act="brands")
    imported.add_argument("file", type=Path, help="导出并填好的重点品牌表 .xlsx")
    imported.add_argument("--month", help="核对文件的月份（可省略：按文件中的月份）")
    subcommand(actions, "list", "查看某月的重点品牌与骨干品牌", run_list, month=month, act="brands.view")
    filtering = subcommand(actions, "filter", "辅助筛选（§6）：按条件列出客户经理的有效客户及每个条件背后的数据；"
                           "加 -o 则写入本人的目标客户设置表（§6），保留想要的客户后 cmw submit", run_filter, month=month,
                           cm="客户经理编码（市场经理查看某位客户经理时用；默认本人）", act="view:target_stores")
    filtering.add_argument("--brand", required=True, help="品牌（本月的重点或骨干品牌，须已在 §5 设置目标才能写入 -o）")
    filtering.add_argument("--category", help="综合分类，例如 CZ1（城乡+业态+规模；与下面三项二选一）")
    filtering.add_argument("--format", dest="formats", help="业态，可多个，逗号分开：Z 食杂店、B 便利店、S 超市、N 商场、Y 烟酒商店、F 娱乐服务类、Q 其他")
    filtering.add_argument("--market", dest="markets", help="城乡：C 城镇、X 乡村")
    filtering.add_argument("--scale", dest="scales", help="规模，可多个：1 大、2 中、3 小")
    filtering.add_argument("--tier", dest="tiers", help="档位范围，例如 10-30（也可 20- 或 -15）")
    filtering.add_argument("--online", help="网上订货：是 / 否")
    filtering.add_argument("--class-not-brand", action="store_true",
                           help="上月订了该品牌价类的其他品牌、却没订该品牌的客户")
    filtering.add_argument("--volume", help="上月销量范围（条），例如 0-200")
    filtering.add_argument("-o", "--output", type=Path, help="写入目标客户设置表（.xlsx），符合条件的客户已加入，不要的清空后提交")


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
    from engine.policy import require

    app = open_app()
    actor = app.actor(args.user)
    require(actor, "brands")  # before the file is read: a list only its keepers hand in
    outcome = submit_workbook(app, actor, args.file.name, content)
    say(outcome.lines())
    return EXIT_PARTIAL if outcome.partial else 0


def run_list(args) -> int:
    """The month's list."""
    from addin.handlers.key_brands import HEADERS, key_brand_rows

    from engine.policy import require

    app = open_app()
    require(app.actor(args.user), "brands.view")
    rows, source = key_brand_rows(app, month_arg(args.month))
    say([source, *table_lines(HEADERS, rows)] if rows else [source, "没有重点或骨干品牌。"])
    return 0


def run_filter(args) -> int:
    """Print the assisted filter's result, or write it into the CM's §6 workbook."""
    from addin.handlers.brand_filter import HEADERS, export_filtered, filtered_rows, run_filter as filter_stores
    from engine.brand_filter import conditions_of

    conditions = conditions_of(category=args.category, formats=args.formats, markets=args.markets,
                               scales=args.scales, tiers=args.tiers, online=args.online,
                               class_not_brand=args.class_not_brand, volume=args.volume)
    app = open_app()
    actor, month = app.actor(args.user), month_arg(args.month)
    if args.output:
        require_suffix(args.output, (".xlsx",), "目标客户设置表")
        say(export_filtered(app, actor, month, args.brand.strip(), conditions, args.output).lines())
        return 0
    filtered = filter_stores(app, actor, args.cm, month, args.brand.strip(), conditions)
    said = [f"{what}：{chosen}" for what, chosen in filtered.condition_lines()]
    said.append(f"{filtered.cm_code} 的 {filtered.scope} 户有效客户中，符合条件的 {len(filtered.rows)} 户：")
    say([*said, *(table_lines(HEADERS, filtered_rows(filtered), numeric=(3, 5, 6, 7)) if filtered.rows else ["（没有）"])])
    return 0
