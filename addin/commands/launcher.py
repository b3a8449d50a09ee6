"""cmw launcher [FILE]: the ribbon's buttons in a small window, with no Excel macros (WPS, locked-down PCs)."""
from __future__ import annotations

from pathlib import Path

from addin.arguments import USER_HELP
from engine.errors import Refused

ORDER = 96


def register(sub) -> None:
    """Add `cmw launcher`."""
    parser = sub.add_parser("launcher", help="打开“客户经理工作法”小窗口：不用 Excel 宏，在 WPS 或 Excel 保存的工作簿上点功能区的按钮")
    parser.add_argument("file", type=Path, nargs="?", help="先选定这个工作簿 .xlsx（可不填，在窗口中选择）")
    parser.add_argument("--as", dest="user", help=USER_HELP + "，或 cmw.conf 中的用户")
    parser.add_argument("--output-dir", type=Path, help="导出文件的文件夹，默认 文档\\客户经理工作法（或 cmw.conf 中的设置）")
    parser.set_defaults(run=run, act="button")  # each button clicked in it: that button's rule


def run(args) -> int:
    """Open the window until the user closes it."""
    from addin.launcher import Launcher

    try:
        import tkinter
    except ImportError as exc:
        raise Refused(f"无法打开窗口：本机的 Python 没有图形界面（tkinter）。请用 python.org 的安装程序安装 Python（默认带 tkinter）。（{exc}）") from None
    try:
        tkinter.Tk().destroy()
    except tkinter.TclError as exc:  # no display (a remote shell)
        raise Refused(f"无法打开窗口：没有可用的显示器（{exc}）。请在桌面上运行 cmw launcher，或双击 cmw-launcher。") from None
    from addin.launcher_window import run as open_window

    open_window(Launcher(args.user, args.output_dir), args.file)
    return 0
