"""Typed fields of declared documents: every raw cell value reads as a value or a Chinese refusal, never a crash."""
from datetime import date, datetime

import pytest

from engine.fields import Choice, Day, Figure, Number, Text


@pytest.mark.parametrize("raw, value", [
    (12, 12), (12.0, 12), ("12", 12), ("１２０００", 12000), ("1,200", 1200), (" 7 ", 7), (None, None), ("", None),
])
def test_whole_numbers(raw, value):
    assert Number("n", "销量", low=0, high=100000).parse(raw) == value


@pytest.mark.parametrize("raw", ["很多", "1e999", "inf", "-inf", "NaN", "sNaN", -1, 100001, 1.5, True, "12.5.1"])
def test_numbers_refused_say_what_is_allowed(raw):
    with pytest.raises(ValueError, match="“销量”应为"):
        Number("n", "销量", low=0, high=100000).parse(raw)


def test_steps_and_units():
    price = Number("v", "单条值", low=0, high=10000, step=0.01, unit="元")
    assert price.parse("28.50元") == 28.5 and price.store(28.5) == "28.5" and price.load("28.5") == 28.5
    with pytest.raises(ValueError, match="0.01 的倍数"):
        price.parse(1.234)
    assert Number("h", "自评分", low=0, high=20, step=0.5).parse("7.5") == 7.5


def test_text_is_kept_as_typed_within_its_length():
    text = Text("t", "问题", max_length=5)
    assert text.parse("货源，紧张") == "货源，紧张"
    assert text.parse("  ，；  ") == "，；"
    with pytest.raises(ValueError, match="最多 5 个字，现有 6 个字"):
        text.parse("一二三四五六")


def test_dates_in_the_ways_people_type_them():
    day = Day("d", "日期")
    assert day.parse("2026/12/1") == day.parse("2026年12月1日") == day.parse(datetime(2026, 12, 1, 9)) == date(2026, 12, 1)
    assert day.store(date(2026, 12, 1)) == "2026-12-01" and day.load("2026-12-01") == date(2026, 12, 1)
    with pytest.raises(ValueError, match="应为日期"):
        day.parse("下周一")


@pytest.mark.parametrize("raw, period, day", [
    ("12月5日", "2026-12/CX2612", date(2026, 12, 5)), ("12月5号", "2026-12", date(2026, 12, 5)),
    ("12-5", "2026-12/CX2612", date(2026, 12, 5)), ("12/5", "2026-12/CX2612", date(2026, 12, 5)),
    ("１２月５日", "2026-12/CX2612", date(2026, 12, 5)), ("１２／５", "2026-12", date(2026, 12, 5)),
    (" 12 月 5 日 ", "2026-12", date(2026, 12, 5)),
    ("1月3日", "2026-12/CX2612", date(2027, 1, 3)),  # a December document's January: the January after
    ("12月28日", "2027-01/CX2701", date(2026, 12, 28)),  # a January document's December: the December before
    ("11月30日", "2026-12", date(2026, 11, 30)), ("7月1日", "2026-12", date(2026, 7, 1)),
    ("3月1日", "2026-12", date(2027, 3, 1)),  # the nearer: two months after, not nine before
    ("1-2", "2026Q4", date(2027, 1, 2)), ("12-1", "2026-11-30", date(2026, 12, 1)),  # a quarter, a week's Monday
    ("2月29日", "2028-01", date(2028, 2, 29)),
    ("2026-12-5", "2027-01", date(2026, 12, 5)), ("２０２６年１月５日", "2026-12", date(2026, 1, 5)),  # a year typed stays
])
def test_a_date_without_its_year_takes_the_year_nearest_the_documents_period(raw, period, day):
    assert Day("d", "拜访日期").parse(raw, period=period) == day


@pytest.mark.parametrize("raw, period, said", [
    ("13月5日", "2026-12", "“拜访日期”应为日期，例如 2026-12-05 或 12月5日，请改为这一天的日期"),
    ("2月30日", "2026-12/CX2612", "“拜访日期”应为日期，例如 2026-12-05 或 12月5日"),
    ("2月29日", "2027-01", "“拜访日期”应为日期，例如 2027-01-05 或 1月5日"),  # 2027 has no 29 February
    ("12.5", "2026-12", "应为日期"), ("5日", "2026-12", "应为日期"), ("12-5-", "2026-12", "应为日期"),
    ("0-5", "2026-12", "应为日期"), ("12-0", "2026-12", "应为日期"), ("12-" + "9" * 30, "2026-12", "应为日期"),
    ("下周一", "2026-12", "应为日期"),
    ("12-5", "", "“拜访日期”请写上年份，例如 2026-12-05"),  # no document, no year to give it
])
def test_a_date_that_is_none_is_refused_saying_what_to_type(raw, period, said):
    with pytest.raises(ValueError, match=said):
        Day("d", "拜访日期").parse(raw, period=period)


def test_choices_from_a_list_or_reference_data():
    brand = Choice("b", "品牌", source="brands")
    brand.check("中华", {"brands": ("中华", "黄鹤楼")})
    with pytest.raises(ValueError, match="只能从下拉列表选择（中华、黄鹤楼）"):
        brand.check("红塔山", {"brands": ("中华", "黄鹤楼")})
    with pytest.raises(ValueError, match="暂无可选项"):
        brand.check("中华", {})


def test_figures_round_trip_as_kept_text():
    figure = Figure("f", "销量")
    assert figure.computed and figure.load(figure.store(1234)) == 1234 and figure.load(figure.store(76.857)) == 76.857
    assert figure.load(figure.store("上月 1,200 条")) == "上月 1,200 条"


def test_a_figures_text_reads_back_as_the_figures_wrote_it():
    """A kept figure's text comes back as it was written (76.00 stays 76.00 after confirmation), a number as a
    number; a print right-aligns both, and a change that rounds to nothing has no sign."""
    from addin.handlers.forms import _is_number
    from engine.fields import Figure
    from engine.market import _change, _points

    f = Figure("x", "x")
    assert f.load(f.store("76.00")) == "76.00" and f.load(f.store(76.5)) == 76.5 and f.load(f.store(192)) == 192
    assert all(_is_number(v) for v in ("74,306", "5,698,061.44", "+6.4%", "-0.2 个百分点", 192, 0.5))
    assert not any(_is_number(v) for v in ("—", "已导入", True, "2026-09"))
    assert _points(0.1496, 0.15) == "0.0 个百分点" and _change(100.0, 100.04) == "0.0%" and _change(2, 1) == "+100.0%"


def test_a_stale_report_names_a_place_for_every_change():
    """A value changed meanwhile on a line the file does not have (its row deleted, or a line added by someone else)
    has no cell: the finding names its column instead, so every finding says where."""
    from engine.form_checks import stale_report
    from engine.kinds.brand_targets import TYPE

    key, other = ("targets.note", 6), ("targets.note", 1)
    report = stale_report(TYPE, {key: "", other: ""}, {key: "期间写的", other: "也改了"}, {other: ""},
                          {other: ("品牌目标", "F5")})
    assert [(f.code, f.sheet, f.cell, f.column) for f in report] == [
        ("THEIRS", "品牌目标", "F5", None), ("THEIRS", None, None, "说明")]
    assert report[1].where() == "“说明”列" and "第 6 行的“说明”" in report[1].message
