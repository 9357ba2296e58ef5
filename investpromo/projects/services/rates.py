"""Writing exchange rates (administrators only); every change is audited."""

import datetime as dt
import enum
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from investpromo.accounts.permissions import ensure_administrator
from investpromo.core.audit import delete_and_record, record_change, snapshot
from investpromo.core.errors import UserError
from investpromo.projects.models import ExchangeRate
from investpromo.projects.rates import normalize_currency, parse_rate

SOURCE_MAX_LENGTH = ExchangeRate._meta.get_field("source").max_length


class RateOutcome(enum.StrEnum):
    """What setting a rate did: a new rate, a different one in its place, or nothing."""

    CREATED = "created"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"


def default_rate_source(actor) -> str:
    """Where a rate set without a source came from: who set it, and when."""
    return f"set by {actor.get_username()} on {timezone.localdate().isoformat()}"


@transaction.atomic
def set_exchange_rate(
    *,
    actor,
    currency: str,
    cny_per_unit: Decimal | str,
    date: dt.date,
    source: str | None = None,
    via: str = "",
) -> tuple[ExchangeRate, RateOutcome]:
    """Create or replace the rate of a currency on a date; the same rate again changes nothing.

    Without a source (None or blank) a new value is recorded as set by the actor today: the
    source of the value it replaces (the demo's "illustrative rate…") no longer describes it.
    """
    ensure_administrator(actor, "exchange rates")
    currency = normalize_currency(currency)
    if currency == "CNY":
        raise UserError("CNY is the base currency: its rate is always 1", field="currency")
    rate_value = parse_rate(cny_per_unit)
    source = (source or "").strip()
    if len(source) > SOURCE_MAX_LENGTH:
        raise UserError(
            f"the source is {len(source)} characters long: at most {SOURCE_MAX_LENGTH}",
            field="source",
        )
    existing = ExchangeRate.objects.select_for_update().filter(currency=currency, date=date).first()
    if existing is None:
        rate = ExchangeRate.objects.create(
            currency=currency,
            date=date,
            cny_per_unit=rate_value,
            source=source or default_rate_source(actor),
        )
        record_change(
            actor=actor,
            instance=rate,
            action="create",
            before=None,
            after=snapshot(rate),
            source=via,
        )
        return rate, RateOutcome.CREATED
    # Compared as numbers: 7.1 and 7.100000 are the same rate.
    same_value = existing.cny_per_unit == rate_value
    if same_value and source in ("", existing.source):
        return existing, RateOutcome.UNCHANGED
    before = snapshot(existing)
    existing.cny_per_unit = rate_value
    existing.source = source or (existing.source if same_value else default_rate_source(actor))
    existing.save()
    record_change(
        actor=actor,
        instance=existing,
        action="update",
        before=before,
        after=snapshot(existing),
        source=via,
    )
    return existing, RateOutcome.REPLACED


@transaction.atomic
def delete_exchange_rate(*, actor, rate: ExchangeRate, via: str = "") -> None:
    """Remove a rate; projects keep the rate they were converted at."""
    ensure_administrator(actor, "exchange rates")
    delete_and_record(actor=actor, instance=rate, via=via)
