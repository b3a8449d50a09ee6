"""What row-level security and personal logins cost (issue #12): §3's month open and the ingest of a submitted big
table on PostgreSQL, first on the database as it is (the owner's connection: no row-level security), then with
every user's own login (`cmw users grant`) and the database enforcing who may see and do what. Same database, same
run, so the second figures are read against the first as the floor. Prints; asserts nothing.

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
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from month import forget_month, ingest, month_open  # noqa: E402  (beside this file)
from addin.app import App  # noqa: E402
from addin.demo.logins import PersonalLogins  # noqa: E402
from addin.handlers.logins import grant  # noqa: E402
from engine.actors import Role  # noqa: E402
from sqlalchemy import select  # noqa: E402
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
        started = time.perf_counter()
        steps = month_open(app, app.actor("admin"), cms, month, Path(scratch))
        total = time.perf_counter() - started
        print("    " + "，".join(f"{k} {v:.2f} 秒" for k, v in steps.items()))
        return total, ingest(app, department[0], month, Path(scratch), ingests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the owner's (or a superuser's) URL of a PostgreSQL database")
    parser.add_argument("--month", required=True)
    parser.add_argument("--ingests", type=int, default=20)
    args = parser.parse_args()
    engine = make_engine(args.url)
    owner = App(engine, session_factory(engine))
    print(f"{describe(engine)}，{args.month}")
    print("  预热（不计）：")
    one_pass(owner, args.month, 3, owner.sessions)
    print("  无行级权限（所有者连接）：")
    plain_open, plain_ingest = one_pass(owner, args.month, args.ingests, owner.sessions)
    with engine.connect() as connection:
        people = [(c, n, Role(r)) for c, n, r in connection.execute(select(User.code, User.name, User.role))]
    with tempfile.TemporaryDirectory() as scratch:
        done = grant(engine, people, passwords=Path(scratch) / "p.csv", no_password=False, reset=True)
    logins = PersonalLogins(engine, session_factory(engine), url=args.url, passwords={g.code: g.password for g in done})
    print(f"  个人账号 + 行级权限（{len(done)} 个账号）：")
    secured_open, secured_ingest = one_pass(logins, args.month, args.ingests, owner.sessions)
    logins.dispose()
    forget_month(owner.sessions, args.month)
    p50 = statistics.median
    print(f"  开月合计：无 {plain_open:.2f} 秒 → 有 {secured_open:.2f} 秒（×{secured_open / plain_open:.2f}；目标 ≤ ×1.10）")
    print(f"  提交一张大表 p50：无 {p50(plain_ingest) * 1000:.0f} ms → 有 {p50(secured_ingest) * 1000:.0f} ms"
          f"（×{p50(secured_ingest) / p50(plain_ingest):.2f}；目标 ≤ ×1.10；各 {args.ingests} 次）")


if __name__ == "__main__":
    main()
