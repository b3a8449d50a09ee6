"""cmw units list shows every unit's code, name, kind and parent; cmw users list shows each user's unit code."""
from __future__ import annotations

import re


def test_units_list_names_codes_kinds_and_parents(cli):
    """A newcomer finds the department code D01 to use with --dept / --unit."""
    code, out, err = cli("units", "list")
    assert code == 0, err
    lines = [re.split(r"\s{2,}", line.strip(" 　")) for line in out.splitlines() if not set(line) <= set(" ─")]
    assert lines[0] == ["单位编码", "名称", "类型", "上级单位"]
    rows = {line[0]: line[1:] for line in lines[1:]}
    assert rows["C01"] == ["示例市烟草公司", "公司", "（无）"]
    assert rows["D01"] == ["东区营销部", "营销部", "Z01 城区营销中心"]
    assert rows["P003"] == ["西一片区", "片区", "D02 西区营销部"]
    order = [line[0] for line in lines[1:]]
    assert order.index("Z01") < order.index("D01") < order.index("P001")


def test_users_list_shows_the_unit_code(cli):
    """Each user's line carries the code of their own unit, not only the names of the path."""
    code, out, _ = cli("users", "list")
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("cm003"))
    assert "P003" in line and "西一片区" in line
    assert "D01" in next(line for line in out.splitlines() if line.startswith("mm01"))
