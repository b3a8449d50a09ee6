"""cmw users list."""
from __future__ import annotations

ORDER = 20

from addin.app import open_app
from addin.terminal import say, table_lines
from engine.actors import Role
from storage.repositories import SqlUsers


def register(sub) -> None:
    """Add `cmw users`."""
    parser = sub.add_parser("users", help="用户：查看谁是谁")
    actions = parser.add_subparsers(dest="users_command", metavar="操作", required=True)
    actions.add_parser("list", help="列出全部用户、角色和所属单位（含单位编码，全部单位见 cmw units list）").set_defaults(
        run=run_list, act="session")


def run_list(args) -> int:
    """Every user with role and unit."""
    app = open_app()
    with app.uow() as uow:
        users = SqlUsers(uow.session)
        rows = [(u.code, u.name, Role(u.role).label, f"{path[-1] if path else ''} "
                 + " / ".join(users.unit_name(c) for c in path)) for u, path in users.all()]
    if not rows:
        say(["数据库里还没有用户。请先导入组织机构：cmw import org 文件 --as 管理员编码，或运行 cmw demo。"])
        return 0
    say(table_lines(("用户", "姓名", "角色", "所属单位"), rows))
    return 0
