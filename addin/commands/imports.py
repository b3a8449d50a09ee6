"""cmw import org|stores|products|orders FILE: reference data and orders from CSV or xlsx."""
from __future__ import annotations

ORDER = 30

import os
from pathlib import Path

from addin.app import App, open_app
from addin.terminal import say
from engine.actors import Actor, Role
from engine.errors import Refused

_KINDS = {"org": "组织机构", "stores": "客户", "products": "卷烟规格", "orders": "订单"}


def register(sub) -> None:
    """Add `cmw import`."""
    parser = sub.add_parser(
        "import", help="导入基础数据：组织机构、客户、卷烟规格、订单（CSV 或 xlsx，全部正确才写入）",
        description="导入一个 CSV 或 .xlsx 文件（第一个工作表；第 1 行是列名）。文件中任何一行有错，都不写入任何数据，"
                    "并逐行列出错误。已有的数据按编码更新。列名见 docs/import-formats.md。")
    parser.add_argument("kind", choices=list(_KINDS), metavar="类型",
                        help="org 组织机构 | stores 客户 | products 卷烟规格 | orders 订单")
    parser.add_argument("file", type=Path, metavar="文件", help="CSV（UTF-8 或 GBK）或 .xlsx 文件")
    parser.add_argument("--as", dest="user", help="操作人（须为管理员），默认取 CMW_USER")
    parser.set_defaults(run=run, act="import")


def run(args) -> int:
    """Import one file in one transaction and print what it did."""
    from engine.reference_data import import_file

    if not args.file.is_file():
        raise Refused(f"找不到文件 {args.file}。")
    app = open_app()
    actor = _actor(app, args.user, args.kind)
    report = import_file(app.uow(), actor, args.kind, args.file)
    say(report.lines())
    return 0


def _actor(app: App, code: str | None, kind: str) -> Actor:
    """The acting user; on a database with no users yet, the first `import org` runs as the initial administrator."""
    from sqlalchemy import func, select

    from storage.schema import User

    if kind == "org" and (code or os.environ.get("CMW_USER", "")).strip():
        with app.sessions() as session:
            if not session.scalar(select(func.count()).select_from(User)):
                return Actor((code or os.environ["CMW_USER"]).strip(), "初始管理员", Role.ADMIN, ())
    return app.actor(code)
