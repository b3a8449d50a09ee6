"""What the list commands and progress bars put on screen, on each database: aligned columns with Chinese names,
and no "\\r" frames when the output goes to a file or a pipe."""
from __future__ import annotations

from tests.analysis_helpers import MONTH
from tests.unit.test_terminal import starts


def test_users_list_lines_up_chinese_names_and_roles(cli):
    code, out, _ = cli("users", "list")
    lines = [line for line in out.splitlines() if line.strip() and not set(line) <= {"─", " "}]
    assert code == 0 and lines[0].split() == ["用户", "姓名", "角色", "所属单位"]
    columns = starts(lines[0], ["用户", "姓名", "角色", "所属单位"])
    for line in lines[1:]:
        assert starts(line, line.split()[:4]) == columns, out


def test_a_department_s_progress_goes_to_a_log_as_lines(cli):
    code, out, err = cli("analysis", "effect", "--as", "mm01", "--month", MONTH)
    assert code == 0, err
    assert "\r" not in err and err.splitlines()[-1] == "[3/3] 已保存"
