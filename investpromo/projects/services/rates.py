"""Writing exchange rates (administrators only); every change is audited."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from investpromo.accounts.permissions import ensure_administrator
from investpromo.core.audit import delete_and_record, record_change, snapshot
from investpromo.core.errors import UserError
from investpromo.projects.models import ExchangeRate
from investpromo.projects.rates import normalize_currency, parse_rate


@transaction.atomic
def set_exchange_rate(
    *,
    actor,
    currency: str,
    cny_per_unit: Decimal | str,
    date: dt.date,
    source: str = "",
    via: str = "",
) -> tuple[ExchangeRate, bool]:
    """Create or replace the rate of a currency on a date; returns (rate, created)."""
    ensure_administrator(actor, "exchange rates")
    currency = normalize_currency(currency)
    if currency == "CNY":
        raise UserError("CNY is the base currency: its rate is always 1", field="currency")
    rate_value = parse_rate(cny_per_unit)
    existing = ExchangeRate.objects.select_for_update().filter(currency=currency, date=date).first()
    if existing is None:
        rate = ExchangeRate.objects.create(
            currency=currency, date=date, cny_per_unit=rate_value, source=source
        )
        record_change(
            actor=actor,
            instance=rate,
            action="create",
            before=None,
            after=snapshot(rate),
            source=via,
        )
        return rate, True
    before = snapshot(existing)
    existing.cny_per_unit = rate_value
    existing.source = source or existing.source
    existing.save()
    record_change(
        actor=actor,
        instance=existing,
        action="update",
        before=before,
        after=snapshot(existing),
        source=via,
    )
    return existing, False


@transaction.atomic
def delete_exchange_rate(*, actor, rate: ExchangeRate, via: str = "") -> None:
    """Remove a rate; projects keep the rate they were converted at."""
    ensure_administrator(actor, "exchange rates")
    delete_and_record(actor=actor, instance=rate, via=via)
