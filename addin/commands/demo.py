"""cmw demo: (re)create the database with a generated demo company and run everything for the month."""
from __future__ import annotations

ORDER = 15

from datetime import date
from pathlib import Path

from addin.cli import say


def register(sub) -> None:
    """Add `cmw demo`."""
    parser = sub.add_parser(
        "demo", help="演示：重建数据库，生成并导入一家演示公司，导出各客户经理的工作簿",
        description="清空并重建数据库（CMW_DATABASE_URL 指定的，或本机内置的 SQLite），生成一家演示公司"
                    "（组织机构、客户、卷烟规格、指定月份之前 3 个月的订单），通过导入功能写入，生成当月拜访计划，"
                    "为每位客户经理导出客户信息维护表，并演示一次修改和提交。同样的参数重复运行，结果相同。")
    # tiny is for the tests only, so the help shows small|city
    parser.add_argument("--size", default="small", choices=("small", "city", "tiny"), metavar="{small,city}",
                        help="规模：small 6 位客户经理约 1200 户（默认）；city 150 位客户经理 30000 户")
    parser.add_argument("--seed", type=int, default=1, help="随机种子，默认 1（同样的种子生成同样的数据）")
    parser.add_argument("--month", default=f"{date.today():%Y-%m}", help="当前月份 YYYY-MM，默认本月；订单覆盖此前 3 个整月")
    parser.add_argument("--out", type=Path, default=Path("demo-output"), help="输出文件夹，默认 ./demo-output")
    parser.add_argument("--force", action="store_true", help="即使数据库不是 cmw demo 建立的，也清空重建")
    parser.set_defaults(run=run)


def run(args) -> int:
    """Run the demo and print its progress and summary."""
    from addin.demo import DemoOptions, run_demo

    run_demo(DemoOptions(args.size, args.seed, args.month, args.out, args.force), say)
    return 0
