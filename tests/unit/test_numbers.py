"""The one parser of numbers read from a submitted file: a value, or a Chinese reason — never Python's own error."""
from datetime import date, datetime
from decimal import Decimal

import pytest

from engine.fields import Number
from engine.numbers import INT_MAX, folded, read_int, read_number


@pytest.mark.parametrize("value, expected", [
    (8, Decimal(8)), (7.5, Decimal("7.5")), ("  8 ", Decimal(8)), ("８", Decimal(8)), ("1e3", Decimal(1000)),
    (3.0, Decimal(3)), (7.300000000000001, Decimal("7.3")), ("0.25", Decimal("0.25")),
])
def test_numbers_read(value, expected):
    assert read_number(value, "分数") == expected


@pytest.mark.parametrize("value", ["NaN", "sNaN", "-nan", "inf", "-Infinity", float("nan"), float("inf"), "1e999999999",
                                   "1e-999999999", "0.00000000001",
                                   "9" * 5000, "", "abc", True, date(2026, 1, 1), datetime(2026, 1, 1), "#N/A", "=1+1"])
def test_what_is_no_number_is_refused_in_chinese(value):
    with pytest.raises(ValueError, match="^分数") as refused:
        read_number(value, "分数")
    assert not any(word in str(refused.value) for word in ("Decimal", "convert", "invalid", "Overflow", "digits"))


def test_whole_numbers_stay_within_the_databases_integers():
    assert read_int("2147483647", "编号") == INT_MAX
    for value in ("2147483648", "1.5", "1e999", 2**70):
        with pytest.raises(ValueError, match="^编号"):
            read_int(value, "编号")


def test_folded_says_when_it_changed_the_text():
    assert folded("８") == ("8", True) and folded(" 8 ") == ("8", False) and folded(3.0) == ("3", False)


@pytest.mark.parametrize("value", ["1e999999999", "NaN", float("inf"), "9" * 5000])
def test_a_document_number_field_reads_through_the_same_parser(value):
    """A number of a declared document (§11, §16): 1e999999999 is refused at once, not turned into a billion digits."""
    with pytest.raises(ValueError, match="应为数字"):
        Number("target", "销量目标", high=None).parse(value)
