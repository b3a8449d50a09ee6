"""Printing throughput (issue #18, target 2): one CM's §10 district statistics and a department's pack as PDF, laid
out on a pool of processes (templates.pdf.documents_pdf) and, in the same run, one part after the other in this
process (as before: what one core does), beside the floor measured in the same run: WeasyPrint laying out and
writing one plain page of the same table style (print.css, a 30-row table), times the pages. Wall and processor
seconds (this process and its workers: on a busy machine the wall time says more about the machine), the longest
wait between two progress ticks, and what the parallel run would take per core. Prints; asserts nothing.

    .venv/bin/python benchmarks/printing.py --url sqlite:///demo.sqlite3 --month 2026-12 [--cm cm001 --dept D01 --as mm01]

The database is one `cmw demo` built (its month's strategies generated): nothing is written to it.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from addin.app import open_app  # noqa: E402
from addin.handlers.district import district_parts  # noqa: E402
from addin.handlers.printing import burst  # noqa: E402
from templates.pdf import _part, documents_pdf, pdf_pages  # noqa: E402
from templates.render import render_html  # noqa: E402

LIMIT = 60.0  # the figure, seconds, for a department's pack (~251 pages)


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


class Ticks:
    """A progress callback that keeps the longest wait between two calls."""

    def __init__(self):
        self.last, self.longest, self.calls = time.monotonic(), 0.0, 0

    def __call__(self, done: int, total: int, label: str) -> None:
        now = time.monotonic()
        self.longest, self.last, self.calls = max(self.longest, now - self.last), now, self.calls + 1


def timed(work) -> tuple[object, float, float]:
    """What work() returns, its wall seconds and the processor seconds of this process and its workers."""
    wall, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu + _children_cpu() - children


def floor_page() -> str:
    """One plain page of the report's table style: print.css, a heading, a 30-row table of eight columns."""
    from engine.report import Field, Page, Table, kind_of, shown

    rows = tuple((f"4201011{n:05d}", f"第{n}家便利店", "经营效果", "销量环比", n * 1.5, 20.0, n - 20.0, "价格引导")
                 for n in range(30))
    fields = (Field("客户编码"), Field("客户名称"), Field("类别"), Field("指标"), Field("本店值", "number"),
              Field("片区平均", "number"), Field("与平均之差", "number"), Field("建议营销动作"))
    return render_html("report.html.j2", pages=(Page("底线", (Table("一页表格", fields, rows),)),), company="底线",
                       cm_label="底线", title="底线", period_label="月份", period="2026-12", printed_on="2026-12-01",
                       show=shown, kind_of=kind_of)


def main() -> None:
    parser = argparse.ArgumentParser(description="打印吞吐量的基准测试（只打印，不断言）")
    parser.add_argument("--url", required=True, help="cmw demo 建好的数据库（只读）")
    parser.add_argument("--month", required=True, help="分析月份 YYYY-MM（已生成策略）")
    parser.add_argument("--cm", default="cm001")
    parser.add_argument("--dept", default="D01")
    parser.add_argument("--as", dest="user", default="mm01", help="打印营销部的市场经理")
    args = parser.parse_args()
    app = open_app(args.url)
    manager = app.actor(args.user)
    cores = os.cpu_count() or 1

    html = floor_page()
    _part(html)  # fonts found once, as a worker does
    _, floor_wall, floor_cpu = timed(lambda: [_part(html) for _ in range(3)])
    floor_wall, floor_cpu = floor_wall / 3, floor_cpu / 3
    print(f"打印吞吐量（{cores} 个处理器核心）；底线：WeasyPrint 排版并写出一页同样式的表格 墙钟 {floor_wall:.2f} 秒，"
          f"处理器 {floor_cpu:.2f} 秒")

    parts = district_parts(app, manager, args.cm, args.month)
    [pdf], wall, cpu = timed(lambda: documents_pdf([parts], workers=1))
    pages = pdf_pages(pdf)
    print(f"  {args.cm} 片区统计 {pages} 页，逐部分在本进程排版（改进前的做法）：墙钟 {wall:.1f} 秒，处理器 {cpu:.1f} 秒"
          f"（每页 {cpu / pages:.2f} 秒，×{cpu / (floor_cpu * pages):.1f} 底线）")
    ticks = Ticks()
    [pdf], wall, cpu = timed(lambda: documents_pdf([parts], ticks))
    print(f"  {args.cm} 片区统计 {pages} 页，多进程：墙钟 {wall:.1f} 秒，处理器 {cpu:.1f} 秒；进度最长间隔 {ticks.longest:.1f} 秒")

    for summary in (False, True):
        with tempfile.TemporaryDirectory() as folder:
            ticks = Ticks()
            outcome, wall, cpu = timed(lambda: burst(app, manager, "district", args.dept, args.month, Path(folder),
                                                     ticks, summary=summary))
            pack = next(Path(folder).glob("*审核包*.pdf"))
            pages = pdf_pages(pack.read_bytes())
        what = "概要（--summary）" if summary else "全部"
        target = f"；目标 ≤ {LIMIT:.0f} 秒" if not summary else ""
        print(f"  {args.dept} 营销部片区统计打印包，{what}：审核包 {pages} 页，墙钟 {wall:.1f} 秒{target}；处理器 {cpu:.1f} 秒"
              f"（每页 {cpu / pages:.2f} 秒，×{cpu / (floor_cpu * pages):.1f} 底线；{cores} 核全归本进程时约 "
              f"{cpu / cores:.1f} 秒）；进度最长间隔 {ticks.longest:.1f} 秒")


if __name__ == "__main__":
    main()
