"""What row-level security and personal logins cost (issue #12): §3's month open and the ingest of a submitted big
table on PostgreSQL, on the owner's connection (row-level security does not apply to the tables' owner) and on
every user's own login (`cmw users grant`: the database enforcing who may see and do what), in alternating rounds
on the same database in the same run, so the first figures are the floor of the second. Prints; asserts nothing.

    .venv/bin/python benchmarks/security.py --url postgresql+psycopg://postgres@127.0.0.1:5432/cmw_bench --month 2026-11

The database must hold a company with last month's orders (benchmarks/run.py, or `cmw demo` with --size small); the
run secures it (grants, policies, logins — left in place, it is a benchmark's database) and deletes the month's
analyses and big tables before each pass.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from month import forget_month, ingest, month_open  # noqa: E402  (beside this file)
from addin.app import App  # noqa: E402
from addin.demo.logins import PersonalLogins  # noqa: E402
from addin.handlers.logins import grant  # noqa: E402
from engine.actors import Role  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402
from storage.database import describe, make_engine, session_factory  # noqa: E402
from storage.schema import User  # noqa: E402


def one_pass(app: App, month: str, ingests: int, owner_sessions) -> tuple[float, list[float]]:
    """Month open for every CM as the administrator, then ingests by the first CM of mm01's department."""
    admin = app.actor("admin")
    with app.uow() as uow:
        cms = uow.users.cms_in(admin.unit_path)
        department = uow.users.cms_in(uow.users.actor("mm01").unit_path)
    forget_month(owner_sessions, month)
    with tempfile.TemporaryDirectory() as scratch:
        steps = month_open(app, app.actor("admin"), cms, month, Path(scratch))
        total = sum(steps.values())  # the timed steps: the capability scores seeded between them are no step of it
        print("    " + "，".join(f"{k} {v:.2f} 秒" for k, v in steps.items()))
        return total, ingest(app, department[0], month, Path(scratch), ingests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the owner's (or a superuser's) URL of a PostgreSQL database")
    parser.add_argument("--month", required=True)
    parser.add_argument("--ingests", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="passes of each, alternating (a busy machine's noise)")
    args = parser.parse_args()
    engine = make_engine(args.url)
    # login roles are the cluster's: a test run's teardown drops those named like the demo's users, so wait for
    # (and hold) the lock those tests take
    server = create_engine(engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    lock = server.connect()
    lock.execute(text("SELECT pg_advisory_lock(hashtext('cmw test roles'))"))
    owner = App(engine, session_factory(engine))
    with engine.connect() as connection:
        people = [(c, n, Role(r)) for c, n, r in connection.execute(select(User.code, User.name, User.role))]
    with tempfile.TemporaryDirectory() as scratch:
        done = grant(engine, people, passwords=Path(scratch) / "p.csv", no_password=False, reset=True)
    logins = PersonalLogins(engine, session_factory(engine), url=args.url, passwords={g.code: g.password for g in done})
    print(f"{describe(engine)}，{args.month}；{len(done)} 个个人账号；每种各 {args.rounds} 轮，交替进行")
    # each side warmed once, not counted, alike: a side's first pass reads cold pages and plans its statements (the
    # personal logins' first pass was 2× its later ones on a quiet machine), which is no cost of row-level security
    for name, app in (("所有者连接", owner), ("个人账号", logins)):
        print(f"  预热（不计），{name}：")
        one_pass(app, args.month, 3, owner.sessions)
    opens = {"plain": [], "secured": []}
    ingests = {"plain": [], "secured": []}
    for n in range(args.rounds):
        for name, app in (("plain", owner), ("secured", logins)):
            print(f"  第 {n + 1} 轮，{'所有者连接（不受行级权限约束）' if name == 'plain' else '个人账号 + 行级权限'}：")
            total, seconds = one_pass(app, args.month, args.ingests, owner.sessions)
            opens[name].append(total)
            ingests[name] += seconds
    logins.dispose()
    forget_month(owner.sessions, args.month)
    lock.close()
    med = statistics.median
    plain, secured = med(opens["plain"]), med(opens["secured"])
    print(f"  开月合计（中位数）：无 {plain:.2f} 秒 → 有 {secured:.2f} 秒（×{secured / plain:.2f}；目标 ≤ ×1.10）；"
          f"最快：无 {min(opens['plain']):.2f} → 有 {min(opens['secured']):.2f} 秒")
    p_plain, p_secured = med(ingests["plain"]), med(ingests["secured"])
    print(f"  提交一张大表 p50：无 {p_plain * 1000:.0f} ms → 有 {p_secured * 1000:.0f} ms（×{p_secured / p_plain:.2f}；"
          f"目标 ≤ ×1.10；各 {len(ingests['plain'])} 次）")


if __name__ == "__main__":
    main()
