"""cmw addin build | install | run | actions: the Excel add-in (ribbon tab 客户经理工作法)."""
from __future__ import annotations

from pathlib import Path

from addin.terminal import EXIT_PARTIAL, EXIT_REFUSED, say, table_lines


ORDER = 95


def register(sub) -> None:
    """Add `cmw addin`."""
    parser = sub.add_parser("addin", help="Excel 加载项：生成、安装、在文件上运行功能区按钮")
    actions = parser.add_subparsers(dest="addin_command", metavar="操作", required=True)
    build = actions.add_parser("build", help="生成 Excel 加载项 cmw.xlam（任何系统都可运行）")
    build.add_argument("-o", "--output", type=Path, default=Path("dist") / "cmw.xlam",
                       help="输出文件（.xlam），或放 cmw.xlam 的文件夹；默认 dist/cmw.xlam")
    build.add_argument("--release", action="store_true",
                       help="发布：写入软件包中的 addin/xlam/cmw.xlam 及其 SHA-256（install 复制的就是它）")
    build.set_defaults(run=run_build, act="addin")
    install = actions.add_parser("install", help="安装加载项：Windows 上装入 Excel 启动文件夹并写入设置；--target 则装入指定文件夹")
    install.add_argument("--target", type=Path, help="安装到这个文件夹（不装入 Excel；任何系统都可运行）")
    install.add_argument("--user", help="您的用户编码，例如 cm001（写入设置，功能区按钮以此身份操作）")
    install.add_argument("--database-url", help="公司共用数据库的地址（不填则用本机内置数据库）")
    install.add_argument("--output-dir", type=Path, help="功能区按钮导出文件的文件夹，默认 文档\\客户经理工作法")
    install.add_argument("--settings-only", action="store_true",
                         help="只写设置文件 cmw.conf，不安装 Excel 加载项（WPS 用户、不允许宏的电脑：用 cmw launcher 窗口）")
    install.set_defaults(run=run_install, act="addin")
    run = actions.add_parser("run", help="在一个工作簿文件上运行一个功能区按钮（与 Excel 中点按钮相同）")
    run.add_argument("tag", help="按钮标识，见 cmw addin actions")
    run.add_argument("file", type=Path, nargs="?", help="当前工作簿 .xlsx（不填表示空白工作簿）")
    run.add_argument("--as", dest="user", help="操作人，默认取 CMW_USER")
    run.add_argument("--output-dir", type=Path, default=Path("."), help="导出文件的文件夹，默认当前文件夹")
    run.set_defaults(run=run_action, act="button")
    actions.add_parser("actions", help="列出功能区的全部按钮").set_defaults(run=run_list, act="addin")
    actions.add_parser("doctor", help="检查本机能否使用加载项（只读）：Python、软件包、设置、数据库、加载项文件；Windows 上还查 "
                       "Excel、DLL、宏策略、WPS、Defender").set_defaults(run=run_doctor, act="addin")


def run_build(args) -> int:
    """Write cmw.xlam."""
    from addin.build import build_addin

    say(build_addin(args.output, release=args.release).lines())
    return 0


def run_install(args) -> int:
    """Install the add-in and its settings."""
    from addin.install import install

    say(install(target=args.target, user=args.user, database_url=args.database_url, output=args.output_dir,
                settings_only=args.settings_only).lines())
    return 0


def run_action(args) -> int:
    """Dispatch one button on a file, as Excel would on the workbook in front."""
    from addin.dispatch import dispatch
    from workbooks.file_book import FileBook

    book = FileBook(args.file)
    reply = dispatch(args.tag, book, user=args.user, folder=args.output_dir)
    say(reply.lines)
    say([f"已生成：{path}" for path in book.opened])
    return EXIT_PARTIAL if reply.partial else 0 if reply.ok else EXIT_REFUSED


def run_list(args) -> int:
    """Every button: group, label, tag, roles, workbooks."""
    from addin.buttons import BUTTONS, GROUPS
    from addin.dispatch import module_title

    rows = [(group, action.label, action.tag, "、".join(r.label for r in action.roles),
             "任何工作簿" if action.modules is None else "本系统导出的工作簿" if action.modules == ("*",)
             else "、".join(module_title(m) for m in action.modules))
            for group in GROUPS for action in BUTTONS.values() if action.group == group]
    say(table_lines(("分组", "按钮", "标记", "角色", "适用工作簿"), rows))
    return 0


def run_doctor(args) -> int:
    """The read-only report: one ✓/✗ line per check; exit 2 when anything needs fixing."""
    from addin.doctor import report

    lines = report()
    say(["cmw addin doctor：只读检查，不改动任何设置。", *(line.text() for line in lines)])
    failed = [line for line in lines if line.ok is False]
    say([f"共 {len(failed)} 项需要处理（见 ✗ 行的说明）。" if failed else "全部通过。"])
    return EXIT_REFUSED if failed else 0
