"""Time §17 客户月度经营状态反馈表 for one CM's stores as one PDF (the issue: 200 stores ≤ 20 s). Prints; asserts
nothing.

    .venv/bin/python benchmarks/feedback.py --url postgresql+psycopg://postgres@127.0.0.1:5432/cmw_nav --built
    .venv/bin/python benchmarks/feedback.py --url URL            # builds the company first (benchmarks/navigation.py's)

Timed, median of --repeat: reading and rendering the pages (one HTML part per CPU), then laying the parts out on a
pool of processes and joining them into the PDF (templates.pdf.write_bundle); wall and CPU seconds (a busy machine's wall time says more about the machine). The floor, measured in the
same run: WeasyPrint laying out and writing as many pages of one heading and one line each (what any PDF of that
many pages costs here).
"""
from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from addin.handlers.feedback import feedback_parts  # noqa: E402
from navigation import company  # noqa: E402  (beside this file)
from storage.database import describe  # noqa: E402
from templates.pdf import lay_out, write_bundle  # noqa: E402

LIMIT = 20.0  # the figure, seconds, for 200 stores


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(work) -> tuple[float, float, float]:
    """Wall seconds of work(), CPU seconds of this process, and of the worker processes it waited for."""
    wall, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu, _children_cpu() - children


def floor_html(pages: int) -> str:
    body = "".join(f'<section style="break-before: page"><h1>第 {n} 页</h1><p>客户月度经营状态反馈表</p></section>'
                   for n in range(pages))
    return f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>{body}</body></html>'


def main() -> None:
    parser = argparse.ArgumentParser(description="§17 客户月度经营状态反馈表的基准测试（只打印，不断言）")
    parser.add_argument("--url", required=True, help="数据库 URL（不加 --built 时会被清空重建）")
    parser.add_argument("--built", action="store_true", help="使用数据库中已有的公司，不重建")
    parser.add_argument("--cm", default="cm001", help="客户经理编码，默认 cm001")
    parser.add_argument("--month", default="2026-11", help="月份，默认 2026-11（订货为此前六个月）")
    parser.add_argument("--repeat", type=int, default=1, help="重复几次，默认 1")
    args = parser.parse_args()
    app = company(args.url, args.built, 1, args.month)
    engine = app.engine
    actor = app.actor(args.cm)
    scratch = tempfile.mkdtemp()
    runs = []
    for _ in range(args.repeat):
        found: dict = {}
        read = timed(lambda: found.update(html=feedback_parts(app, actor, args.cm, args.month,
                                                              parts=os.cpu_count() or 1)))
        parts, pages = found["html"]
        laid = timed(lambda: write_bundle(parts, pages, Path(scratch) / "反馈表.pdf"))
        runs.append((read, laid, pages))
    read, laid, pages = sorted(runs, key=lambda r: r[0][0] + r[1][0])[len(runs) // 2]
    floor = timed(lambda: lay_out(floor_html(pages)).write(io.BytesIO()))
    total = read[0] + laid[0]
    print(f"§17 客户月度经营状态反馈表，数据库 {describe(engine)}，{args.cm} 的 {pages} 户客户合成一个 PDF（每户一页）：")
    print(f"  读取与生成网页：{read[0]:.2f} s（CPU {read[1]:.2f} s）")
    print(f"  排版并写出 PDF（{len(parts)} 个进程各排一段，再合并）：{laid[0]:.2f} s（本进程 CPU {laid[1]:.2f} s，"
          f"各进程 CPU 合计 {laid[2]:.2f} s）")
    print(f"  合计 {total:.2f} s；议题要求 200 户 ≤ {LIMIT:.0f} s，按 {pages} 户折算为 {LIMIT * pages / 200:.1f} s")
    print(f"  底线：WeasyPrint 排版并写出 {pages} 页只有一行字的页面：{floor[0]:.2f} s（CPU {floor[1]:.2f} s）；"
          f"反馈表为底线的 {total / floor[0]:.1f} 倍")
    engine.dispose()


if __name__ == "__main__":
    main()
