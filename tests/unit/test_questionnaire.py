"""§8 the questionnaire as data: the administrator's rows read back (codes and months folded, every bad cell named
with its row), the items a month asks, and an item found by its code or its name."""
from __future__ import annotations

import pytest

from engine.errors import Refused
from engine.questionnaire import DEFAULT, questionnaire_from_rows, questionnaire_rows


def _rows(*extra):
    return [(n, row) for n, row in enumerate([*questionnaire_rows(DEFAULT), *extra], start=2)]


def test_the_default_rows_read_back_as_the_default():
    assert questionnaire_from_rows(_rows()).items == DEFAULT.items


def test_a_new_item_from_a_month_on_is_asked_from_that_month():
    added = {"项目编码": "ｄ12", "项目名称": "烟草制品回收", "分组": "其他服务", "启用月份": "2027/1"}
    questionnaire = questionnaire_from_rows(_rows(added))
    item = questionnaire.items[-1]
    assert (item.code, item.active_from) == ("D12", "2027-01")  # full-width, lower case and 2027/1 folded
    assert "D12" not in {i.code for i in questionnaire.of_month("2026-12")}
    assert "D12" in {i.code for i in questionnaire.of_month("2027-01")}
    assert questionnaire.find("烟草制品回收", "2027-02") == item
    assert questionnaire.find(" d12 ", "2027-02") == item
    assert questionnaire.find("D12", "2026-12") is None


def test_every_bad_cell_is_named_with_its_row():
    rows = _rows({"项目编码": "D01", "项目名称": "重复的编码", "分组": "其他服务", "启用月份": ""},
                 {"项目编码": "12", "项目名称": "", "分组": "其他服务", "启用月份": ""},
                 {"项目编码": "D13", "项目名称": "新项目", "分组": "其他服务", "启用月份": "明年"})
    with pytest.raises(Refused) as refused:
        questionnaire_from_rows(rows)
    lines = refused.value.lines()
    assert lines[0].startswith("调查问卷文件有 3 处问题，未导入")
    assert "【第 13 行，“项目编码”列】与第 2 行重复，项目编码不能重复（填写的值：D01）" in lines
    assert any(line.startswith("【第 14 行，“项目编码”列】项目编码应为 1 到 8 位大写字母或数字") for line in lines)
    assert any(line.startswith("【第 15 行，“启用月份”列】启用月份应为 YYYY-MM") for line in lines)
