"""Exact sums of money on every database.

SQLite keeps DECIMAL columns as binary floats, so its SUM of 100,000 amounts drifts by whole
yuan. Each stored amount (at most 15 significant digits) is exact to the fen, so summing the
amounts as whole fen — integers, which SQLite adds exactly — gives the exact total everywhere.
"""

from decimal import Decimal

from django.db.models import BigIntegerField, DecimalField, ExpressionWrapper, F, Sum, Value
from django.db.models.functions import Cast, Round

FEN = Decimal("0.01")
# 15 significant digits survive a round trip through a binary float (IEEE 754 double).
MAX_SIGNIFICANT_DIGITS = 15
MAX_VALUE_CNY = Decimal(10) ** 13  # 15 digits with the two of the fen
# How an amount names its currency in Chinese text ("3000万美元"); other currencies by code.
CURRENCY_NOUNS = {"CNY": "元", "USD": "美元", "HKD": "港元", "EUR": "欧元", "JPY": "日元"}


def SumCNY(path: str = "value_cny", **kwargs) -> Sum:
    """An aggregate of a CNY amount column, in fen (an integer); convert with yuan_from_fen."""
    return Sum(Cast(Round(F(path) * 100), BigIntegerField()), **kwargs)


def yuan_from_fen(total) -> Decimal:
    """The result of SumCNY as yuan with two decimals (0 when there were no rows)."""
    return (Decimal(total or 0) / 100).quantize(FEN)


def significant_digits(value: Decimal) -> int:
    """How many significant digits an amount has (12.50 → 3)."""
    return len(value.normalize().as_tuple().digits)


def sum_cny_as_decimal(path: str = "value_cny") -> ExpressionWrapper:
    """SumCNY in yuan inside the query, for annotations that lists sort by."""
    return ExpressionWrapper(
        SumCNY(path) * Value(FEN), output_field=DecimalField(max_digits=22, decimal_places=2)
    )


def written_amount(value: Decimal, currency: str, *, approximate: bool = False) -> str:
    """An amount as a signing list writes it and the importer reads it: 4900000000元, 约5000美元."""
    digits = f"{Decimal(value).normalize():f}"
    noun = CURRENCY_NOUNS.get(currency)
    text = f"{digits}{noun}" if noun else f"{digits} {currency}"
    return f"约{text}" if approximate else text
