"""Pure parsers for the cells of a signing list: amounts, currencies, dates, agreement types, SEI.

Every parser accepts whatever a spreadsheet reader hands over (str, int, float, Decimal,
datetime, None, bool) and either returns a value or raises ParseError quoting the cell; no
other exception escapes. Money is Decimal throughout: an Excel float is read through its
shortest repr (12.5 → Decimal('12.5')), never through float arithmetic.

The parsers live in submodules (_common, _tokens, amounts, dates, choices); this package
re-exports the public API so `values.parse_amount(...)` keeps working.
"""

from investpromo.imports.values._common import (
    CURRENCIES,
    MAX_AMOUNT,
    MAX_DATE,
    MIN_AMOUNT,
    MIN_DATE,
    ParseError,
)
from investpromo.imports.values.amounts import (
    Amount,
    AmountUnit,
    amount_text,
    format_amount,
    parse_amount,
    parse_currency,
    parse_unit,
)
from investpromo.imports.values.choices import (
    AGREEMENT_TYPES,
    SEI_STATUSES,
    SEIChoice,
    parse_agreement_type,
    parse_bool_like,
    parse_sei,
)
from investpromo.imports.values.dates import parse_date

__all__ = [
    "AGREEMENT_TYPES",
    "CURRENCIES",
    "MAX_AMOUNT",
    "MAX_DATE",
    "MIN_AMOUNT",
    "MIN_DATE",
    "SEI_STATUSES",
    "Amount",
    "AmountUnit",
    "ParseError",
    "SEIChoice",
    "amount_text",
    "format_amount",
    "parse_agreement_type",
    "parse_amount",
    "parse_bool_like",
    "parse_currency",
    "parse_date",
    "parse_sei",
    "parse_unit",
]
