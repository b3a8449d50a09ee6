"""Rules of stores and products: categories, tiers, statuses, visit cycles, a CM's edits, price classes."""
import pytest

from engine.products import parse_price_class, price_class
from engine.stores import (
    Category, StoreStatus, clean_edit, default_visit_cycle, normalize_text, parse_tier, parse_visit_cycle,
    parse_weekday, parse_yes_no, shown_value,
)


def test_category_reads_written_form_and_full_width():
    assert Category.parse("CZ1") == Category("C", "Z", "1")
    assert Category.parse(" ｘｂ３ ").code == "XB3"
    assert Category.parse("CZ1").label == "城镇食杂店（大）"


@pytest.mark.parametrize("bad", ["", "CZ", "CZ4", "AZ1", "CK1", "CZ12"])
def test_category_refuses_malformed(bad):
    with pytest.raises(ValueError, match="综合分类"):
        Category.parse(bad)


def test_tier_range_and_untiered():
    assert parse_tier("30") == 30 and parse_tier(1.0) == 1 and parse_tier("０５") == 5
    assert parse_tier("ZZ") is None and parse_tier("") is None
    for bad in ("0", "31", "A1"):
        with pytest.raises(ValueError, match="档位"):
            parse_tier(bad)


def test_status_from_chinese_english_and_system_codes():
    assert StoreStatus.parse("有效") is StoreStatus.ACTIVE
    assert StoreStatus.parse("02") is StoreStatus.ACTIVE
    assert StoreStatus.parse("03") is StoreStatus.SUSPENDED
    assert StoreStatus.parse("04") is StoreStatus.CLOSED
    assert StoreStatus.parse("closed").label == "注销"
    with pytest.raises(ValueError):
        StoreStatus.parse("05")


def test_default_visit_cycle_by_tier():
    assert [default_visit_cycle(t) for t in (30, 25, 24, 15, 14, 1, None)] == [1, 1, 2, 2, 4, 4, 4]
    assert parse_visit_cycle("每两周") == 2 and parse_visit_cycle("4") == 4


def test_weekday_and_yes_no():
    assert parse_weekday("周三") == 3 and parse_weekday("星期日") == 7 and parse_weekday(5) == 5
    assert parse_yes_no("是") and not parse_yes_no("否") and parse_yes_no("Y")
    with pytest.raises(ValueError):
        parse_weekday("周八")


def test_cm_edits_are_checked_and_normalised():
    assert clean_edit("phone", "１３８ ０013 8000") == "138 0013 8000"
    assert clean_edit("phone", "020-81234567") == "020-81234567"
    assert clean_edit("visit_weekday", "周五") == 5
    assert clean_edit("notes", "  早上九点后到店 ") == "早上九点后到店"
    with pytest.raises(ValueError, match="联系电话"):
        clean_edit("phone", "abc")
    with pytest.raises(ValueError, match="经营地址不能为空"):
        clean_edit("address", "  ")
    with pytest.raises(ValueError, match="200"):
        clean_edit("notes", "字" * 201)
    with pytest.raises(ValueError, match="不是客户经理可修改"):
        clean_edit("tier", "30")


def test_shown_values_match_what_the_workbook_shows():
    assert shown_value("tier", None) == "ZZ"
    assert shown_value("visit_weekday", 1) == "周一"
    assert shown_value("online_ordering", True) == "是"
    assert shown_value("status", "suspended") == "暂停"
    assert normalize_text(13800138000.0) == "13800138000"


@pytest.mark.parametrize("price, klass", [(100, 1), (99.99, 2), (70, 2), (69.9, 3), (30, 3), (29.99, 4),
                                          (16.5, 4), (16.49, 5), (5, 5)])
def test_price_class_bounds(price, klass):
    assert price_class(price) == klass


def test_price_class_given_directly():
    assert parse_price_class("二类") == 2 and parse_price_class("03") == 3
    assert parse_price_class("6") is None and parse_price_class("") is None
    with pytest.raises(ValueError):
        price_class(0)
