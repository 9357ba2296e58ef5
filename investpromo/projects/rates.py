"""Exchange rates: reading them and converting money at the rate in force on a date.

Rates are written by projects.services.rates (set_exchange_rate, delete_exchange_rate).
"""

import datetime as dt
from bisect import bisect_right
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from investpromo.core.errors import UserError
from investpromo.projects.models import ExchangeRate

FEN = Decimal("0.01")
CURRENCIES = (
    "CNY",
    "USD",
    "HKD",
    "EUR",
    "JPY",
    "GBP",
    "KRW",
    "SGD",
    "AUD",
    "CAD",
    "CHF",
    "TWD",
    "MOP",
)


def __getattr__(name: str):
    """The writers, moved to projects.services.rates, still importable from here."""
    if name in {"set_exchange_rate", "delete_exchange_rate"}:
        from investpromo.projects.services import rates

        return getattr(rates, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def to_fen(value: Decimal) -> Decimal:
    """Round to the fen (0.01 yuan), half up: the only place money is rounded."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def normalize_currency(code: str) -> str:
    code = (code or "").strip().upper()
    if code not in CURRENCIES:
        raise UserError(
            f"unknown currency {code!r}: use one of {', '.join(CURRENCIES)}", field="currency"
        )
    return code


def parse_rate(text) -> Decimal:
    try:
        rate = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise UserError(f"rate {text!r} is not a number", field="cny_per_unit") from None
    if not rate.is_finite() or rate <= 0:
        raise UserError(f"rate {text!r} must be a positive number", field="cny_per_unit")
    return rate


def missing_rate_error(currency: str, on: dt.date) -> UserError:
    return UserError(
        f"no {currency} exchange rate on or before {on.isoformat()}: "
        f"add one with `investpromo rate set {currency} RATE --date {on.isoformat()}`",
        field="currency",
    )


class RateBook:
    """All rates held in memory, so converting many rows costs no query per row."""

    def __init__(self, rates=None):
        self._dates: dict[str, list[dt.date]] = {}
        self._values: dict[str, list[Decimal]] = {}
        rows = rates if rates is not None else ExchangeRate.objects.order_by("currency", "date")
        for rate in rows:
            self._dates.setdefault(rate.currency, []).append(rate.date)
            self._values.setdefault(rate.currency, []).append(rate.cny_per_unit)

    def rate_on(self, currency: str, on: dt.date) -> tuple[dt.date, Decimal]:
        """The latest (date, CNY per unit) on or before `on`; UserError when there is none."""
        dates = self._dates.get(currency, [])
        index = bisect_right(dates, on)
        if index == 0:
            raise missing_rate_error(currency, on)
        return dates[index - 1], self._values[currency][index - 1]

    def to_cny(
        self, value: Decimal, currency: str, on: dt.date
    ) -> tuple[Decimal, dt.date | None, Decimal | None]:
        """(value in CNY rounded to the fen, rate date, rate); CNY converts at 1 with no rate."""
        if currency == "CNY":
            return to_fen(value), None, None
        rate_date, rate = self.rate_on(currency, on)
        return to_fen(value * rate), rate_date, rate


def rate_on(currency: str, on: dt.date) -> ExchangeRate | None:
    """The latest rate of a currency on or before a date, or None."""
    return ExchangeRate.objects.filter(currency=currency, date__lte=on).order_by("-date").first()
