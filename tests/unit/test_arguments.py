"""The command modules' shared argument checks (addin/arguments.py) refuse in Chinese with an example, and
subcommand() gives every command the same --as/--month/--cm/-o options with the command's own help texts."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from addin.arguments import cm_of, date_arg, is_folder, month_arg, require_suffix, subcommand, this_month
from addin.cli import ChineseParser
from engine.actors import Actor, Role
from engine.errors import Refused


def test_month_and_date_are_read_or_refused_in_chinese():
    """A month reads as YYYY-MM and a date as a date; a malformed one is refused with the form to use."""
    assert month_arg("2026-3") == "2026-03"
    assert month_arg("２０２６－０３") == "2026-03"  # typed on a Chinese keyboard
    assert date_arg("2026-11-02") == date(2026, 11, 2)
    with pytest.raises(Refused, match="YYYY-MM"):
        month_arg("2026-13")
    with pytest.raises(Refused, match="日期“2026/11/02”格式不对，请写成 YYYY-MM-DD"):
        date_arg("2026/11/02")


def test_whose_table_and_which_file():
    """A market manager must name the CM; a CM is himself; -o is a folder or a file of an allowed kind."""
    cm, mm = Actor("cm001", "张三", Role.CM, ("c1", "d1")), Actor("mm01", "李四", Role.MM, ("c1", "d1"))
    assert cm_of(cm, type("Args", (), {"cm": None})) == "cm001"
    assert cm_of(mm, type("Args", (), {"cm": "cm002"})) == "cm002"
    with pytest.raises(Refused, match="请用 --cm 指定客户经理"):
        cm_of(mm, type("Args", (), {"cm": None}))
    assert is_folder("大表/") and is_folder("大表") and not is_folder("大表.xlsx")
    assert require_suffix(Path("a.xlsx"), (".xlsx",), "审核表") == Path("a.xlsx")
    with pytest.raises(Refused, match="请把 -o 改为以 .xlsx 结尾，例如 -o a.xlsx"):
        require_suffix(Path("a.csv"), (".xlsx",), "审核表")


def test_subcommand_adds_the_shared_options_with_the_commands_help():
    """--as, --month (default this month), one --cm or a repeatable one, and a required -o, in that order."""
    actions = ChineseParser(prog="cmw x").add_subparsers(dest="what", parser_class=ChineseParser)
    parser = subcommand(actions, "export", "导出", print, month="月份说明", cms="客户经理说明", output="输出说明", kind="k")
    flags = [a.option_strings[-1] for a in parser._actions]
    assert flags == ["--help", "--as", "--month", "--cm", "--output"]
    args = parser.parse_args(["--cm", "cm001", "--cm", "cm002", "-o", "x.xlsx"])
    assert (args.user, args.month, args.cm, args.output) == (None, this_month(), ["cm001", "cm002"], Path("x.xlsx"))
    assert (args.run, args.kind) == (print, "k")
    assert "月份说明" in parser.format_help() and "输出说明" in parser.format_help()
    single = subcommand(actions, "list", "列表", print, cm="某位客户经理")
    assert single.parse_args(["--cm", "cm001"]).cm == "cm001"
    assert [a.option_strings[-1] for a in single._actions] == ["--help", "--as", "--cm"]
