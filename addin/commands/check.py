"""cmw check FILE: run every check of a submission on a filled-in workbook, and change nothing."""
from __future__ import annotations

ORDER = 91

from pathlib import Path

from addin.app import open_app
from addin.terminal import say
from engine.errors import Refused


def register(sub) -> None:
    """Add `cmw check`."""
    parser = sub.add_parser("check", help="检查填好的工作簿：做提交时的全部检查，但不提交、不保存任何内容")
    parser.add_argument("file", type=Path, help="工作簿 .xlsx")
    parser.add_argument("--as", dest="user", help="操作人，默认取 CMW_USER")
    parser.add_argument("--operation", "--action", dest="operation",
                        help="按提交时的“本次操作”检查（例如大表的“保存”或“提交”），优先于表中所选")
    parser.set_defaults(run=run, act="submit")


def run(args) -> int:
    """Check one file: exit 0 when it would be accepted, 2 (with every problem) when it would be refused."""
    from addin.handlers.submission import check_workbook

    if not args.file.is_file():
        raise Refused(f"找不到文件 {args.file}。")
    app = open_app()
    actor = app.actor(args.user)
    say(check_workbook(app, actor, args.file.name, args.file.read_bytes(), args.operation).lines())
    return 0
