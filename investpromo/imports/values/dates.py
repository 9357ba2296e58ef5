"""Signing dates from Excel dates, serial numbers and typed Chinese or ISO-style text."""

import calendar
import datetime
import re
from decimal import Decimal

from investpromo.imports.values._common import (
    _EXCEL_EPOCH,
    MAX_DATE,
    MIN_DATE,
    ParseError,
    _cell_text,
    _clean,
    _number,
    _Reason,
    _shown,
)

# --- dates -------------------------------------------------------------------------------------

_DATE_SEPARATED = re.compile(
    r"^(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})"
    r"(?:(?:\s+|t)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?$"
)
_DATE_CHINESE = re.compile(
    r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_DATE_MONTH_ONLY = re.compile(r"^\d{4}\s*(?:年\s*\d{1,2}\s*月?|[-/.]\s*\d{1,2})$")


def parse_date(cell: object) -> datetime.date | None:
    """A date from an Excel date, serial number, YYYYMMDD, 2024-09-01, 2024/9/1 or 2024年9月1日."""
    try:
        if cell is None or (isinstance(cell, str) and not _clean(cell)):
            return None
        date = _date(cell)
    except _Reason as error:
        raise ParseError(
            f'Cannot read "{_shown(cell)}" as a date: {error}.',
            reason=str(error),
            value=_cell_text(cell),
        ) from None
    if not MIN_DATE <= date <= MAX_DATE:
        reason = f"{date.isoformat()} is outside {MIN_DATE.year}–{MAX_DATE.year}"
        raise ParseError(
            f'Cannot read "{_shown(cell)}" as a date: {reason}.',
            reason=reason,
            value=_cell_text(cell),
        )
    return date


def _date(cell: object) -> datetime.date:
    """The date a non-blank cell holds."""
    if isinstance(cell, bool):
        raise _Reason("a true/false value is not a date")
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    if isinstance(cell, datetime.time):
        raise _Reason("it is a time of day without a date")
    if isinstance(cell, int | float | Decimal):
        return _date_from_number(_number(cell))
    if not isinstance(cell, str):
        raise _Reason(f"a {type(cell).__name__} is not a date")
    text = _clean(cell).casefold()
    for pattern in (_DATE_SEPARATED, _DATE_CHINESE, _DATE_COMPACT):
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups() if g.isdigit())
            return _make_date(year, month, day)
    if _DATE_SERIAL.match(text):
        return _date_from_number(Decimal(text))
    if _DATE_MONTH_ONLY.match(text):
        raise _Reason("the day is missing")
    raise _Reason("use a date such as 2024-09-01, 2024/9/1 or 2024年9月1日")


def _make_date(year: int, month: int, day: int) -> datetime.date:
    """A date, or the reason those numbers are not one."""
    if not 1 <= month <= 12:
        raise _Reason(f"there is no month {month}")
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise _Reason(f"there is no year {year}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise _Reason(f"{year}-{month:02d} has {days} days, so day {day} does not exist")
    return datetime.date(year, month, day)


_SERIAL_MIN = (MIN_DATE - _EXCEL_EPOCH).days
_SERIAL_MAX = (MAX_DATE - _EXCEL_EPOCH).days


def _date_from_number(number: Decimal) -> datetime.date:
    """An Excel serial (days since 1899-12-30, time of day dropped) or a typed 20240901."""
    if number == number.to_integral_value() and 19000101 <= number <= 21001231:
        digits = str(int(number))
        return _make_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    if _SERIAL_MIN <= number < _SERIAL_MAX + 1:
        return _EXCEL_EPOCH + datetime.timedelta(days=int(number))
    raise _Reason(f"the number is neither an Excel date ({_SERIAL_MIN}–{_SERIAL_MAX}) nor YYYYMMDD")
