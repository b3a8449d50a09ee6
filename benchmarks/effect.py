"""Time §10 effect scoring for every CM of a company already in the database (e.g. after benchmarks/run.py).

    .venv/bin/python benchmarks/effect.py --url sqlite:///benchmarks/results/city.sqlite3 --month 2026-11

Prints the median of the whole step (read orders, compute, store every store's score) over --repeat runs,
the median of reading the orders alone (the SQL aggregate), their ratio, and peak memory. Between runs
the month's analyses are deleted (untimed). It prints; it asserts nothing.
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
from engine.visits import previous_month  # noqa: E402
from storage.database import describe, make_engine, session_factory  # noqa: E402
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
    reads, wholes = [], []
    for _ in range(args.repeat):
        forget_month(sessions, args.month)
        with SqlUnitOfWork(sessions) as uow:
            started = time.perf_counter()
            totals = uow.analyses.totals(cms, previous_month(args.month))
            reads.append(time.perf_counter() - started)
        started = time.perf_counter()
        outcome = compute_effect(SqlUnitOfWork(sessions), admin, month=args.month)
        wholes.append(time.perf_counter() - started)
    read, whole = statistics.median(reads), statistics.median(wholes)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{describe(engine)}: {len(cms)} 位客户经理，{len(totals):,} 户有订单；{outcome.message}")
    print(f"  读订单（SQL 汇总）中位数 {read:.2f} 秒；整步（读+算+存）中位数 {whole:.2f} 秒；比值 {whole / read:.2f}；"
          f"峰值内存 {peak:,.0f} MiB；{args.repeat} 次：{', '.join(f'{w:.2f}' for w in wholes)}")


if __name__ == "__main__":
    main()
