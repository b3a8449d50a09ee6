"""Time §10 effect scoring for every CM of a company already in the database (e.g. after benchmarks/run.py).

    .venv/bin/python benchmarks/effect.py --url sqlite:///benchmarks/results/city.sqlite3 --month 2026-11

Prints the median of the whole step (read the month's totals, compute, store every store's score) over --repeat
runs; beside it the two reads it can be compared with: aggregating the month's order lines in SQL (the
issue's "read orders"; since migration 0004 the orders importer does it once per import and keeps
`store_months`) and reading those kept totals (what the step reads now); their ratios, and peak memory.
Between runs the month's analyses are deleted (untimed). It prints; it asserts nothing.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from month import forget_month  # noqa: E402  (beside this file)
from engine.operating_analysis import compute_effect  # noqa: E402
from engine.periods import previous_month  # noqa: E402
from storage.database import describe, make_engine, session_factory  # noqa: E402
from storage.store_months import month_totals  # noqa: E402
from storage.unit_of_work import SqlUnitOfWork  # noqa: E402


def main() -> None:
    """Parse the arguments, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--month", required=True, help="the analysis month; orders of the month before are read")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engine = make_engine(args.url)
    sessions = session_factory(engine)
    with SqlUnitOfWork(sessions) as uow:
        admin = uow.users.actor("admin")
        cms = uow.users.cms_in(admin.unit_path)
    reads, aggregates, wholes = [], [], []
    for _ in range(args.repeat):
        forget_month(sessions, args.month)
        with SqlUnitOfWork(sessions) as uow:
            started = time.perf_counter()
            totals = uow.analyses.totals(cms, previous_month(args.month))
            reads.append(time.perf_counter() - started)
            started = time.perf_counter()
            uow.session.execute(month_totals(previous_month(args.month))).all()
            aggregates.append(time.perf_counter() - started)
        started = time.perf_counter()
        outcome = compute_effect(SqlUnitOfWork(sessions), admin, month=args.month)
        wholes.append(time.perf_counter() - started)
    read, aggregate, whole = statistics.median(reads), statistics.median(aggregates), statistics.median(wholes)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{describe(engine)}: {len(cms)} 位客户经理，{len(totals):,} 户有订单；{outcome.message}")
    print(f"  整步（读月汇总+算+存）中位数 {whole:.2f} 秒（目标 PostgreSQL ≤ 3 秒；SQLite ≤ 2× 读订单）；"
          f"{args.repeat} 次：{', '.join(f'{w:.2f}' for w in wholes)}；峰值内存 {peak:,.0f} MiB")
    print(f"  读订单（SQL 汇总订单明细）中位数 {aggregate:.2f} 秒，整步为其 {whole / aggregate:.2f} 倍；"
          f"读导入时保存的月汇总中位数 {read:.2f} 秒，整步为其 {whole / read:.2f} 倍")


if __name__ == "__main__":
    main()
