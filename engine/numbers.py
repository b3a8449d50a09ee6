"""Numbers read from a submitted file: one parser that answers a value, or says in Chinese why there is none.

Whatever a cell holds — text such as "NaN", "sNaN", "1e999" or "inf", a float that is not finite, a number beyond
what the databases' integers hold, a date, a boolean — read_number gives a finite Decimal within its bounds or a
ValueError whose text the user can act on; never OverflowError, InvalidOperation or Python's English text.
Full-width digits (８) are read as their plain forms: folded() says when that happened, so the answer can say so.
"""
from __future__ import annotations

import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

#: The largest whole number every database's INTEGER column holds (MariaDB INT, PostgreSQL integer).
INT_MAX = 2**31 - 1
#: Longer text is no number a user meant to type; Decimal would also take its time over it.
_LONGEST = 40
#: No figure of this business comes near it; beyond it a number (1e999999999) would only cost time and memory.
LARGEST = Decimal(10) ** 15
#: Decimal places kept: a float's binary noise (7.300000000000001) is rounded away, typed text with more is refused.
DECIMALS = 10


class Percent(float):
    """A number its cell showed as a percentage: Excel keeps 95% typed into a cell as 0.95 with a percent format, and
    the workbook reader marks such a number so a field that reads percent points (95 表示 95%) takes it as typed."""

    def points(self) -> Decimal:
        """The percentage as typed: 0.95 → 95."""
        return Decimal(repr(round(float(self), DECIMALS))) * 100


def folded(value: object) -> tuple[str, bool]:
    """A code or number's text, trimmed and full-width folded (ＣＺ１ → CZ1, ８ → 8), and whether folding changed it."""
    if value is None:
        return "", False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    plain = unicodedata.normalize("NFKC", text).strip()
    return plain, plain != text


def _refuse(what: str, why: str) -> ValueError:
    return ValueError(f"{what}{why}")


def read_number(value: object, what: str, *, low: Decimal | int | None = None, high: Decimal | int | None = None,
                integer: bool = False) -> Decimal:
    """The number a cell holds, finite and within low..high (whole when integer); ValueError in Chinese otherwise.

    what names the field in the message, e.g. "“商圈位置”的分数"."""
    if isinstance(value, bool):
        raise _refuse(what, "须是数字，不能是 TRUE/FALSE")
    if isinstance(value, (datetime, date, time, timedelta)):
        raise _refuse(what, "须是数字，不能是日期或时间")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _refuse(what, "须是有限的数字")
        number = Decimal(repr(round(value, DECIMALS)))
    else:
        text, _ = folded(value)
        if not text:
            raise _refuse(what, "不能为空，请填写数字")
        if len(text) > _LONGEST:
            raise _refuse(what, f"须是数字（填写的内容有 {len(text)} 个字符）")
        try:
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            raise _refuse(what, "须是数字") from None
    if not number.is_finite():  # NaN, sNaN, Infinity
        raise _refuse(what, "须是有限的数字，不能是 NaN 或无穷大")
    if number.copy_abs() > LARGEST:  # copy_abs: no arithmetic context, whose limits would overflow first
        raise _refuse(what, "数值过大")
    exponent = number.as_tuple().exponent  # an int: a finite number's (NaN's and Infinity's are letters)
    if isinstance(exponent, int) and exponent < -DECIMALS:  # 1e-999999999 would pass a range and a step check as 0
        raise _refuse(what, f"的小数位数过多（最多 {DECIMALS} 位）")
    if integer and high is None:
        high = INT_MAX
    if integer and low is None:
        low = -INT_MAX
    if low is not None and number < low:
        raise _refuse(what, f"不能小于 {low}")
    if high is not None and number > high:
        raise _refuse(what, f"不能大于 {high}")
    if integer and number != number.to_integral_value():
        raise _refuse(what, "须是整数")
    return number


def read_int(value: object, what: str, *, low: int | None = None, high: int | None = None) -> int:
    """A whole number within low..high (by default what the databases' INTEGER holds); ValueError in Chinese."""
    return int(read_number(value, what, low=low, high=high, integer=True))
