"""cmw rubric show | export | import: the §10 scoring rubrics, versioned."""
from __future__ import annotations

from pathlib import Path

from addin.app import open_app
from addin.arguments import require_suffix
from addin.terminal import say

ORDER = 55
KINDS = ("effect", "capability")


def register(sub) -> None:
    """Add `cmw rubric`."""
    parser = sub.add_parser("rubric", help="评分标准（§10）：查看、导出、导入新版本（管理员）")
    actions = parser.add_subparsers(dest="rubric_command", metavar="操作", required=True)
    for name, help_text, run in (("show", "查看当前版本", run_show), ("export", "导出当前版本供修改", run_export),
                                 ("import", "导入修改后的评分标准为新版本（管理员）", run_import)):
        p = actions.add_parser(name, help=help_text)
        p.add_argument("kind", choices=KINDS, help="effect 经营效果 / capability 经营能力")
        if name == "export":
            p.add_argument("-o", "--output", required=True, type=Path, help="输出文件 .xlsx 或 .csv")
        if name == "import":
            p.add_argument("file", type=Path, help="评分标准文件 .xlsx 或 .csv")
        p.add_argument("--as", dest="user", help="操作人" + ("（须为管理员）" if name == "import" else "") + "，默认取 CMW_USER")
        p.set_defaults(run=run, act="rubric.import" if name == "import" else "rubric.view")


def run_show(args) -> int:
    """Print the current rubric."""
    from addin.handlers.rubrics import show_rubric

    app = open_app()
    say(show_rubric(app, app.actor(args.user), args.kind))
    return 0


def run_export(args) -> int:
    """Write the current rubric to a file."""
    from addin.handlers.rubrics import export_rubric

    require_suffix(args.output, (".xlsx", ".csv"), "评分标准")
    app = open_app()
    say(export_rubric(app, app.actor(args.user), args.kind, args.output).lines())
    return 0


def run_import(args) -> int:
    """Import an edited rubric as a new version."""
    from addin.handlers.rubrics import import_rubric

    app = open_app()
    say(import_rubric(app, app.actor(args.user), args.kind, args.file).lines())
    return 0
