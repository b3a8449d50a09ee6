"""The `cmw` command line speaks Chinese, refuses with exit code 2, and never shows a user a traceback."""
from __future__ import annotations

import re

import pytest

from addin import cli
from addin.commands import users as users_command

CHINESE = re.compile(r"[\u4e00-\u9fff]")
ARGPARSE_ENGLISH = re.compile(r"usage:|error:|the following arguments|invalid choice|unrecognized|expected one"
                              r"|required|positional arguments|options:|show this help")


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh embedded database and data folder for each test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("CMW_DATABASE_URL", f"sqlite:///{tmp_path / 'cmw.sqlite3'}")
    monkeypatch.delenv("CMW_USER", raising=False)
    return tmp_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run cmw in-process; return (exit code, stdout, stderr)."""
    try:
        code = cli.main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_the_commands_in_chinese(home, capsys):
    """cmw --help shows 用法 and every command with a Chinese description."""
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert out.startswith("用法：")
    listed = dict(re.findall(r"^ {4}([a-z]+)(?: +|\n +)(\S.*)$", out, re.MULTILINE))
    assert {"db", "users", "import", "demo", "stores", "visits", "submit"} <= set(listed), out
    assert [c for c, text in listed.items() if not CHINESE.search(text)] == [], out
    assert not ARGPARSE_ENGLISH.search(out), out


def test_subcommand_help_is_chinese(home, capsys):
    """cmw stores export --help explains its options in Chinese."""
    code, out, _ = run(capsys, "stores", "export", "--help")
    assert code == 0
    assert "选项" in out and "输出文件" in out and "综合分类" in out
    assert not ARGPARSE_ENGLISH.search(out), out


@pytest.mark.parametrize("argv, words", [
    (("stores", "export", "--as", "cm001"), "缺少必填参数"),
    (("frobnicate",), "frobnicate"),
    (("db", "upgrade", "--bogus"), "无法识别的参数"),
    (("users",), "缺少必填参数"),
])
def test_wrong_arguments_exit_2_in_chinese(home, capsys, argv, words):
    """A wrong command line exits 2 with a Chinese message and no argparse English."""
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert words in err and "--help 查看用法" in err
    assert not ARGPARSE_ENGLISH.search(err), err


def test_command_without_schema_says_to_upgrade(home, capsys):
    """On a database without our tables, a command refuses (exit 2) and names cmw db upgrade."""
    code, out, err = run(capsys, "users", "list")
    assert code == 2
    assert "还没有表结构" in err and "cmw db upgrade" in err
    assert "Traceback" not in out + err


def test_db_upgrade_twice_is_idempotent(home, capsys):
    """The first upgrade creates the schema, the second changes nothing; status and commands then work."""
    code, first, _ = run(capsys, "db", "upgrade")
    assert code == 0 and "升级到" in first
    code, second, _ = run(capsys, "db", "upgrade")
    assert code == 0 and "无需升级" in second
    code, status, _ = run(capsys, "db", "status")
    assert code == 0 and "最新" in status and str(home / "cmw.sqlite3") in status
    code, listing, _ = run(capsys, "users", "list")
    assert code == 0 and "还没有用户" in listing


def test_unexpected_error_shows_a_sentence_and_logs_the_traceback(home, capsys, monkeypatch):
    """A bug shows the user one Chinese sentence (exit 1); the traceback goes to the log file only."""
    def broken(args):
        raise RuntimeError("boom in users list")

    monkeypatch.setattr(users_command, "run_list", broken)
    code, out, err = run(capsys, "users", "list")
    assert code == 1
    assert "程序出错，操作未完成" in err and "请发给管理员" in err
    assert "Traceback" not in out + err
    log = home / "data" / "cmw" / "logs" / "cmw.log"
    assert str(log) in err
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "boom in users list" in text and "users list" in text


def test_demo_help_says_what_the_demo_plays(capsys):
    """cmw demo --help names the month the demo plays through, function by function, and where its files go."""
    code, out, _ = run(capsys, "demo", "--help")
    text = "".join(out.split())
    assert code == 0
    for words in ("§2客户信息维护表", "§10", "经营能力评分表", "片区统计", "§3", "驳回", "审核工作簿", "日拜访记录表",
                  "周工作安排表", "§11", "月工作计划", "§16", "月度工作总结", "写出的每一类文件"):
        assert words in text, words


@pytest.mark.parametrize("argv, help_of", [
    (("plan", "export", "--as", "cm001", "-o", "x.xlsx", "--bogus"), "cmw plan export --help"),
    (("stores", "export", "-o", "x.xlsx", "--frob", "1"), "cmw stores export --help"),
    (("db", "upgrade", "--bogus"), "cmw db upgrade --help"),
])
def test_an_unknown_option_points_to_the_commands_own_help(home, capsys, argv, help_of):
    """Issue #11, item 13: not cmw --help, which does not list the option."""
    code, _, err = run(capsys, *argv)
    assert code == 2 and "无法识别的参数" in err and f"运行 {help_of} 查看用法" in err


@pytest.mark.parametrize("argv, allowed", [
    (("plan", "export", "--as", "cm001", "-o", "x.csv"), ".xlsx"),
    (("plan", "export", "--as", "cm001", "-o", "plan.pdf"), ".xlsx"),
    (("stores", "export", "--as", "cm001", "-o", "x.csv"), ".xlsx"),
    (("review", "export", "--as", "mm01", "-o", "x.pdf"), ".xlsx"),
    (("analysis", "capability", "export", "--as", "cm001", "-o", "x.html"), ".xlsx"),
    (("rubric", "export", "effect", "--as", "admin", "-o", "x.pdf"), ".xlsx、.csv"),
    (("print", "store", "S1", "--as", "cm001", "-o", "x.xlsx"), ".pdf、.html"),
    (("stores", "show", "S1", "--as", "cm001", "-o", "x.txt"), ".html、.pdf"),
])
def test_an_export_refuses_an_extension_it_does_not_write(home, capsys, argv, allowed):
    """-o x.csv must not write an .xlsx named .csv (issue #11, item 13): refused before anything is read or written."""
    code, _, err = run(capsys, *argv)
    assert code == 2 and f"只能写成 {allowed} 文件" in err and not (home / argv[-1]).exists()


def test_a_reader_that_stops_reading_is_no_error(home, capsys, monkeypatch):
    """cmw users list | head: the closed pipe ends the command quietly, exit 0, no 程序出错 (issue #11, item 13)."""
    def into_a_closed_pipe(args):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(users_command, "run_list", into_a_closed_pipe)
    code, out, err = run(capsys, "users", "list")
    assert code == 0 and "程序出错" not in err and "BrokenPipeError" not in err
