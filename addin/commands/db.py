"""cmw db upgrade | status."""
from __future__ import annotations

ORDER = 10

from addin.terminal import say


def register(sub) -> None:
    """Add `cmw db`."""
    parser = sub.add_parser("db", help="数据库：建立或升级表结构、查看状态")
    actions = parser.add_subparsers(dest="db_command", metavar="操作", required=True)
    actions.add_parser("upgrade", help="建立或升级表结构（可重复运行）").set_defaults(run=run_upgrade, act="database")
    actions.add_parser("status", help="查看数据库位置和表结构版本").set_defaults(run=run_status, act="session")


def run_upgrade(args) -> int:
    """Apply pending migrations."""
    from storage.database import describe, make_engine, upgrade

    engine = make_engine()
    before, after = upgrade(engine)
    if before == after:
        say([f"数据库 {describe(engine)} 的表结构已是最新（版本 {after}），无需升级。"])
    else:
        say([f"数据库 {describe(engine)} 的表结构已从 {before or '（空）'} 升级到 {after}。"])
    return 0


def run_status(args) -> int:
    """Show where the database is and its schema version."""
    from storage.database import current_revision, describe, head_revision, make_engine

    engine = make_engine()
    current, head = current_revision(engine), head_revision()
    state = "最新" if current == head else ("尚未建立，请运行 cmw db upgrade" if current is None else "需要升级，请运行 cmw db upgrade")
    say([f"数据库：{describe(engine)}", f"表结构版本：{current or '（无）'}，程序需要：{head}（{state}）"])
    return 0
