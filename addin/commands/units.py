"""cmw units list: the organisation's units (company, centres, departments, districts) with their codes."""
from __future__ import annotations

ORDER = 21

from addin.app import open_app
from addin.terminal import say, table_lines
from engine.actors import UnitKind


def register(sub) -> None:
    """Add `cmw units`."""
    parser = sub.add_parser("units", help="组织机构：查看公司、营销中心、营销部、片区的编码")
    actions = parser.add_subparsers(dest="units_command", metavar="操作", required=True)
    actions.add_parser("list", help="列出全部单位：编码、名称、类型、上级单位").set_defaults(run=run_list, act="session")


def _kind(kind: str) -> str:
    try:
        return UnitKind(kind).label
    except ValueError:  # a kind written by a newer version: shown as stored
        return kind


def run_list(args) -> int:
    """Every unit, a parent before the units under it (indented by level)."""
    app = open_app()
    with app.uow() as uow:
        from storage.repositories import SqlUsers

        units = SqlUsers(uow.session).units()
    if not units:
        say(["数据库里还没有单位。请先导入组织机构：cmw import org 文件 --as 管理员编码，或运行 cmw demo。"])
        return 0
    names = {path[-1]: name for path, name, _ in units}

    def parent(path: tuple[str, ...]) -> str:
        return f"{path[-2]} {names.get(path[-2], '')}" if len(path) > 1 else "（无）"

    say(table_lines(("单位编码", "名称", "类型", "上级单位"),
                    [(f"{'　' * (len(path) - 1)}{path[-1]}", name, _kind(kind), parent(path)) for path, name, kind in units]))
    return 0
