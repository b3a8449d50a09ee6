"""cmw users list."""
from __future__ import annotations

ORDER = 20

from pathlib import Path

from addin.app import open_app
from addin.terminal import say, table_lines
from engine.actors import Role


def register(sub) -> None:
    """Add `cmw users`."""
    parser = sub.add_parser("users", help="用户：查看谁是谁")
    actions = parser.add_subparsers(dest="users_command", metavar="操作", required=True)
    actions.add_parser("list", help="列出全部用户、角色和所属单位（含单位编码，全部单位见 cmw units list）").set_defaults(
        run=run_list, act="session")
    grant = actions.add_parser(
        "grant", help="管理员：为用户开通个人数据库账号（PostgreSQL / MariaDB；须用数据库所有者账号的连接运行）")
    grant.add_argument("codes", nargs="*", metavar="用户编码", help="要开通账号的用户（或用 --all）")
    grant.add_argument("--all", action="store_true", help="为全部用户开通（已有账号的只核对其角色组，不改密码）")
    grant.add_argument("--passwords", type=Path, metavar="文件.csv", help="新账号的初始密码写入此文件（不会覆盖已有文件）")
    grant.add_argument("--no-password", action="store_true", help="不设密码：用证书或 Kerberos 登录（见 README）")
    grant.add_argument("--reset-password", action="store_true", help="已有账号也重设密码")
    grant.set_defaults(run=run_grant, act="users.grant")
    revoke = actions.add_parser("revoke", help="管理员：收回用户的个人数据库账号（离职、换岗）")
    revoke.add_argument("code", metavar="用户编码")
    revoke.set_defaults(run=run_revoke, act="users.grant")


def run_list(args) -> int:
    """Every user with role and unit."""
    app = open_app()
    with app.uow() as uow:
        from storage.repositories import SqlUsers

        users = SqlUsers(uow.session)
        rows = [(u.code, u.name, Role(u.role).label, f"{path[-1] if path else ''} "
                 + " / ".join(users.unit_name(c) for c in path)) for u, path in users.all()]
    if not rows:
        say(["数据库里还没有用户。请先导入组织机构：cmw import org 文件 --as 管理员编码，或运行 cmw demo。"])
        return 0
    say(table_lines(("用户", "姓名", "角色", "所属单位"), rows))
    return 0


def run_grant(args) -> int:
    """Create or update personal database logins."""
    from addin.handlers.logins import grant, users_to_grant
    from storage.database import describe, make_engine

    engine = make_engine()
    try:
        people = users_to_grant(engine, args.codes, args.all)
        done = grant(engine, people, passwords=args.passwords, no_password=args.no_password, reset=args.reset_password)
    finally:
        engine.dispose()
    rows = [(g.code, g.name, g.role.label, "新开通" if g.new else "已有，已核对",
             "已写入密码文件" if g.password else ("无（证书或 Kerberos）" if args.no_password else "未改"))
            for g in done]
    say([f"数据库 {describe(engine)}：已开通或核对 {len(done)} 个个人账号，并启用了按组织范围的行级权限。",
         *table_lines(("账号", "姓名", "角色", "账号", "密码"), rows)])
    if any(g.password for g in done):
        say([f"初始密码在 {args.passwords}：请分别交给本人，然后删除该文件。各人的连接地址只写自己的账号和密码。"])
    return 0


def run_revoke(args) -> int:
    """Take a personal database login away."""
    from addin.handlers.logins import revoke
    from storage.database import make_engine

    engine = make_engine()
    try:
        had = revoke(engine, args.code)
    finally:
        engine.dispose()
    say([f"已收回 {args.code} 的数据库账号。" if had else f"{args.code} 没有数据库账号，无需收回。"])
    return 0
