"""cmw demo: (re)create the database with a generated demo company and run everything for the month."""
from __future__ import annotations

ORDER = 15

import time
from datetime import date
from pathlib import Path

from addin.terminal import say



def register(sub) -> None:
    """Add `cmw demo`."""
    parser = sub.add_parser(
        "demo", help="演示：重建数据库，生成并导入一家演示公司，导出各客户经理的工作簿",
        description="清空并重建数据库（CMW_DATABASE_URL 指定的，或本机内置的 SQLite；不是 cmw demo 建立的数据库需加 --force），"
                    "生成一家演示公司（组织机构、客户、卷烟规格、指定月份之前 3 个月的订单）并通过导入功能写入，生成当月拜访计划，"
                    "在 PostgreSQL 上为每位用户开通个人数据库账号（cmw users grant，密码写在输出文件夹的 数据库账号.csv），此后每一步都用操作人自己的账号连接；"
                    "然后像用户一样走完一个月，每一步都经过同样的工作簿和 cmw submit："
                    "§2 客户信息维护表导出、修改、提交；§10 市场经理计算经营效果，每位客户经理填写经营能力评分表、生成策略和片区统计；"
                    "§8 管理员导入网上订货平台的问卷（参考数据/网上问卷-月份.csv），每位客户经理在客户需求调查表中录入约三分之二线下客户的问卷并确认，"
                    "§9 市场经理生成本营销部的客户需求调查统计表（工作簿和 PDF）；"
                    "§3 每位客户经理生成并提交大表，一份被驳回后修改重交，市场经理在审核工作簿中审批，拜访后标注并提交结果，再审核；"
                    "生成 cm001 的日拜访记录表和周工作安排表；§15 每位客户经理填写两周的周自我评估并确认；"
                    "§11 每位客户经理填写月工作计划并确认，市场经理审核；"
                    "§16 月末每位客户经理提交月度工作总结，一份被退回后修改重交；"
                    "§18 第一个营销部的每位客户经理起草绩效合约书，市场经理确认（一份退回后修改重交），客户经理自评，市场经理考评，"
                    "按营销部打印；§17 为第一位客户经理打印客户月度经营状态反馈表；§1 最后为每位客户经理和市场经理生成工作导航（工作簿和打印页）。"
                    "所有文件写到 --out 文件夹（参考数据/ 和每个用户一个文件夹），"
                    "结尾列出写出的每一类文件、数量和用时。同样的参数重复运行，结果相同。")
    # tiny is for the tests only, so the help shows small|city|province
    parser.add_argument("--size", default="small", choices=("small", "city", "province", "tiny"),
                        metavar="{small,city,province}",
                        help="规模：small 6 位客户经理约 1200 户（默认）；city 150 位客户经理 30000 户；province 十个城市、"
                             "1500 位客户经理 30 万户（只在 PostgreSQL 上，只建立公司、订单和拜访计划，用于规模测试）")
    parser.add_argument("--seed", type=int, default=1, help="随机种子，默认 1（同样的种子生成同样的数据）")
    parser.add_argument("--month", default=f"{date.today():%Y-%m}", help="当前月份 YYYY-MM，默认本月；订单覆盖此前 3 个整月")
    parser.add_argument("--out", type=Path, default=Path("demo-output"), help="输出文件夹，默认 ./demo-output")
    parser.add_argument("--force", action="store_true", help="即使数据库不是 cmw demo 建立的，也清空重建")
    parser.set_defaults(run=run, act="demo")


def run(args) -> int:
    """Run the demo and print its progress and summary, then every kind of file it wrote."""
    from addin.demo.run import DemoOptions, run_demo

    started = time.time()
    run_demo(DemoOptions(args.size, args.seed, args.month, args.out, args.force), say)
    say(written_files(args.out, since=started))
    return 0


def written_files(folder: Path, since: float) -> list[str]:
    """Each kind of file written under folder since a moment (by file name), with the folders that hold one."""
    kinds: dict[str, list[str]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.stat().st_mtime >= since - 1):
        kinds.setdefault(path.name, []).append(path.parent.relative_to(folder).as_posix())
    lines = [f"写出的文件（{folder}，共 {sum(len(v) for v in kinds.values())} 个）："]
    for name, places in sorted(kinds.items(), key=lambda kind: (kind[1][0], kind[0])):
        where = "、".join(places) if len(places) <= 3 else f"{places[0]} … {places[-1]}"
        lines.append(f"  {name}：{where}（{len(places)} 个）")
    return lines
