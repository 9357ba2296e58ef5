"""What every cell parser shares: ParseError, the internal _Reason, limits and text helpers."""

import datetime
import re
import unicodedata
from decimal import Decimal

from investpromo.core.errors import UserError


class ParseError(UserError):
    """A cell that cannot be read as the value its column needs; `reason` omits the quoted cell."""

    def __init__(self, message: str, *, reason: str | None = None, value: str | None = None):
        super().__init__(message)
        self.reason = reason or message
        self.value = value


class _Reason(Exception):
    """Internal: why a cell failed, before the cell is quoted into a ParseError."""


CURRENCIES: tuple[str, ...] = ("CNY", "USD", "HKD", "EUR", "JPY")
# Nothing signed is worth more than this in any supported currency; larger means a unit mistake.
MAX_AMOUNT = Decimal("1e15")
# Less than one fen or cent: a unit mistake, not an investment.
MIN_AMOUNT = Decimal("0.01")
# Excel's 1900 date system: serial 61 is 1900-03-01, and the epoch absorbs its 1900-02-29 bug.
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Signing dates outside this window are typing mistakes (the PRC ledger starts after 1949).
MIN_DATE = datetime.date(1950, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)

_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")


def _words(text: str) -> list[str]:
    """The space-separated words of a literal: keeps long word lists on a few lines."""
    return text.split()


def _clean(text: str) -> str:
    """NFKC, zero-width characters removed, whitespace runs collapsed, trimmed."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))).strip()


def _squash(text: str) -> str:
    """_clean, case-folded, with every space removed: the key for matching words."""
    return _clean(text).casefold().replace(" ", "")


def _shown(cell: object) -> str:
    """The cell as the user typed it, shortened for a message."""
    text = repr(cell) if isinstance(cell, float) else str(cell).strip()
    return text if len(text) <= 60 else text[:57] + "…"


def _number(cell: float | int | Decimal) -> Decimal:
    """An Excel number as an exact Decimal (floats through their shortest repr)."""
    value = Decimal(repr(cell)) if isinstance(cell, float) else Decimal(cell)
    if not value.is_finite():
        raise _Reason("it is not a finite number")
    return value


def _cell_text(cell: object) -> str:
    """The cell as written: its shortest repr for a float, str() otherwise."""
    return repr(cell) if isinstance(cell, float) else "" if cell is None else str(cell)
