"""`cmw`: the command line. Every user-facing word is Chinese; a user never sees a traceback."""
from __future__ import annotations

import argparse
import os
import re
import sys

from addin.terminal import EXIT_FAILED, EXIT_REFUSED, say
from engine.errors import Refused

_ARGPARSE_WORDS = [
    (r"the following arguments are required: (.*)", r"缺少必填参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument (\S+): invalid choice: '?([^']*)'? \(choose from (.*)\)", r"参数 \1 的值“\2”无效，可选：\3"),
    (r"argument (\S+): invalid (\w+) value: '?([^']*)'?", r"参数 \1 的值“\3”格式不对"),
    (r"argument (\S+): expected one argument", r"参数 \1 后面需要一个值"),
    (r"invalid choice: '?([^']*)'? \(choose from (.*)\)", r"没有“\1”这个命令，可用：\2"),
]


class ChineseParser(argparse.ArgumentParser):
    """argparse with its headings and complaints put into Chinese."""

    def __init__(self, *args, **kwargs):
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "用法：", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "用法：", 1)

    def parse_known_args(self, args=None, namespace=None):
        """As argparse, except that a command without subcommands refuses what it does not know itself, so that the
        advice names its own help (cmw plan export --help), not the top level's."""
        namespace, extras = super().parse_known_args(args, namespace)
        if extras and self._subparsers is None:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return namespace, extras

    def error(self, message: str) -> None:
        for pattern, replacement in _ARGPARSE_WORDS:
            message = re.sub(pattern, replacement, message)
        self.exit(EXIT_REFUSED, f"命令参数有误：{message}\n运行 {self.prog} --help 查看用法。\n")


def build_parser() -> ChineseParser:
    """The whole command tree, from each command module's register()."""
    from addin.commands import command_modules

    parser = ChineseParser(prog="cmw", description="客户经理工作法 — 命令行（与 Excel 加载项使用同一套处理程序）")
    parser.add_argument("--version", action="version", version="cmw 0.1.0", help="显示版本号")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseParser)
    sub.required = True
    for module in command_modules():
        module.register(sub)
    return parser


def _quiet_stdout() -> None:
    """Point stdout at the null device, so that the interpreter's last flush into a closed pipe says nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file behind stdout (tests): nothing to flush there
        pass


def main(argv: list[str] | None = None) -> int:
    """Run one command; exit 0 done, 2 refused (with reasons), 1 failed unexpectedly (logged)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    args = build_parser().parse_args(argv)
    try:
        return args.run(args) or 0
    except Refused as refusal:
        say(refusal.lines(), sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        say(["已取消。"], sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # the reader stopped reading (cmw users list | head): nothing went wrong here
        _quiet_stdout()
        return 0
    except Exception as exc:  # the user gets a sentence, the administrator the traceback
        from storage.database import database_trouble

        where = _log(argv)
        trouble = database_trouble(exc)
        if trouble:  # the server rolled the action back: a refusal to retry, not a bug (logged all the same)
            say([trouble], sys.stderr)
            return EXIT_REFUSED
        say([f"程序出错，操作未完成：{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", where], sys.stderr)
        return EXIT_FAILED


def _log(argv: list[str] | None) -> str:
    """Append the traceback being handled to the administrator's log; say where it went."""
    from addin.failure_log import log_failure

    return log_failure(f"cmw {' '.join(argv or sys.argv[1:])}", "请把上面的命令和时间告诉管理员。")


if __name__ == "__main__":
    sys.exit(main())
