"""cmw archive orders --month YYYY-MM [--to FOLDER]: a month of orders older than the kept window, written to a file
of the import's format and taken out of the database (its monthly totals stay)."""
from __future__ import annotations

ORDER = 31

from pathlib import Path

from addin.app import open_app
from addin.arguments import month_arg
from addin.terminal import say


def register(sub) -> None:
    """Add `cmw archive`."""
    parser = sub.add_parser(
        "archive", help="归档过了保留期的订单明细（写成可重新导入的文件，再从数据库移出；月度汇总保留）",
        description="把一个月的订单写成“订单归档-YYYY-MM.csv.gz”（与订单导入的格式相同），文件完整写好后才从数据库中移出"
                    "这个月的订单和明细。最近 3 个有订单的月份不能归档。客户和品牌的月度汇总保留，分析不受影响。"
                    "要恢复：cmw import orders 归档文件。")
    parser.add_argument("kind", choices=["orders"], metavar="类型", help="orders 订单")
    parser.add_argument("--month", required=True, metavar="YYYY-MM", help="要归档的月份，例如 2026-07")
    parser.add_argument("--to", type=Path, default=Path("."), metavar="文件夹", help="归档文件放在哪个文件夹，默认当前文件夹")
    parser.add_argument("--as", dest="user", help="操作人（须为管理员），默认取 CMW_USER")
    parser.set_defaults(run=run, act="orders.archive")


def run(args) -> int:
    """Archive one month in one transaction and print what it did."""
    from engine.reference_data import archive_orders

    month = month_arg(args.month)
    app = open_app()
    report = archive_orders(app.uow(), app.actor(args.user), month, args.to)
    say(report.lines())
    return 0
