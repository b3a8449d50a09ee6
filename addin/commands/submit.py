"""cmw submit FILE: hand in a filled-in workbook of any function."""
from __future__ import annotations

ORDER = 90

from pathlib import Path

from addin.app import open_app
from addin.terminal import EXIT_PARTIAL, say
from engine.errors import Refused


def register(sub) -> None:
    """Add `cmw submit`."""
    parser = sub.add_parser("submit", help="提交填好的工作簿（任何功能的导出表）")
    parser.add_argument("file", type=Path, help="工作簿 .xlsx")
    parser.add_argument("--as", dest="user", help="操作人，默认取 CMW_USER")
    parser.add_argument("--operation", "--action", dest="operation",
                        help="本次操作（只对提供选择的工作簿有效，例如大表的“保存”或“提交”），优先于表中所选")
    parser.set_defaults(run=run, act="submit")


def run(args) -> int:
    """Submit one file."""
    if not args.file.is_file():
        raise Refused(f"找不到文件 {args.file}。")
    app = open_app()
    actor = app.actor(args.user)
    from addin.handlers import submit_workbook

    content = args.file.read_bytes()
    outcome = submit_workbook(app, actor, args.file.name, content, args.operation)
    say(outcome.lines())
    from addin.handlers.submission import attach_beside

    attached = attach_beside(app, actor, args.file, content)  # §14: the photo folder beside the execution sheet
    if attached is not None:
        say(attached.lines())
    return EXIT_PARTIAL if outcome.partial or (attached is not None and attached.partial) else 0

