"""Terminal output: tables line up however many Chinese characters a cell holds, and a progress bar written to a
log file or a pipe is one plain line per step, never "\\r" frames."""
from __future__ import annotations

import io
import unicodedata

from addin.terminal import ProgressBar, table_lines


def cells(text: str) -> int:
    """Display cells a text takes on a terminal (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def starts(line: str, values: list[str]) -> list[int]:
    """The display column at which each value begins on the line."""
    found, at = [], 0
    for value in values:
        at = line.index(value, at)
        found.append(cells(line[:at]))
        at += len(value)
    return found


def test_columns_of_chinese_text_line_up():
    rows = [("admin", "杨琴振", "管理员", "江城市烟草公司"), ("cm004", "周英", "客户经理", "江城市烟草公司 / 临江一片区"),
            ("mm01", "胡新", "市场经理", "东城营销部")]
    lines = table_lines(("用户", "姓名", "角色", "所属单位"), rows)
    header, body = lines[0], [line for line in lines[1:] if not set(line) <= {"─", " "}]
    assert len(body) == 3
    columns = starts(header, ["用户", "姓名", "角色", "所属单位"])
    for line, row in zip(body, rows):
        assert starts(line, list(row)) == columns, lines
    assert all("\t" not in line for line in lines)


def test_numbers_are_right_aligned():
    lines = table_lines(("客户经理", "客户数"), [("cm001", 7), ("cm002", 206)], numeric=[1])
    ends = [cells(line) for line in lines if line.startswith("cm")]
    assert ends[0] == ends[1]


def test_a_progress_bar_in_a_log_file_is_one_line_per_step():
    log = io.StringIO()
    bar = ProgressBar(log)
    for done, label in enumerate(["cm001", "cm002", "审核包"]):
        bar(done, 3, label)
    bar(3, 3, "完成")
    assert "\r" not in log.getvalue()
    assert log.getvalue().splitlines() == ["[0/3] cm001", "[1/3] cm002", "[2/3] 审核包", "[3/3] 完成"]
