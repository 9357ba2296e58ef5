import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from investpromo.core.audit import system_user
from investpromo.core.errors import UserError
from investpromo.core.models import ChangeLog
from investpromo.projects.rates import RateBook, set_exchange_rate, to_fen
from investpromo.projects.services.rates import RateOutcome

pytestmark = pytest.mark.django_db


def test_to_fen_rounds_half_up_not_to_even():
    assert to_fen(Decimal("10.125")) == Decimal("10.13")
    assert to_fen(Decimal("10.135")) == Decimal("10.14")
    assert to_fen(Decimal("-0.005")) == Decimal("-0.01")


def test_conversion_uses_latest_rate_on_or_before_the_date():
    actor = system_user()
    set_exchange_rate(actor=actor, currency="USD", cny_per_unit="7.10", date=dt.date(2024, 8, 1))
    set_exchange_rate(actor=actor, currency="usd", cny_per_unit="7.1234", date=dt.date(2024, 8, 30))
    set_exchange_rate(actor=actor, currency="USD", cny_per_unit="7.00", date=dt.date(2024, 9, 5))
    book = RateBook()
    value, rate_date, rate = book.to_cny(Decimal("10000000"), "USD", dt.date(2024, 8, 31))
    assert (value, rate_date, rate) == (
        Decimal("71234000.00"),
        dt.date(2024, 8, 30),
        Decimal("7.1234"),
    )
    assert book.to_cny(Decimal("1"), "USD", dt.date(2024, 8, 30))[2] == Decimal("7.1234")
    assert book.to_cny(Decimal("1"), "USD", dt.date(2024, 8, 29))[2] == Decimal("7.10")


def test_missing_rate_names_currency_and_date():
    set_exchange_rate(
        actor=system_user(), currency="USD", cny_per_unit="7.1", date=dt.date(2024, 9, 1)
    )
    with pytest.raises(UserError) as error:
        RateBook().to_cny(Decimal("5"), "USD", dt.date(2024, 8, 31))
    assert "USD" in str(error.value) and "2024-08-31" in str(error.value)
    with pytest.raises(UserError, match="EUR"):
        RateBook().to_cny(Decimal("5"), "EUR", dt.date(2024, 9, 2))


def test_cny_needs_no_rate():
    assert RateBook().to_cny(Decimal("12.345"), "CNY", dt.date(2024, 1, 1)) == (
        Decimal("12.35"),
        None,
        None,
    )


def test_setting_a_rate_is_audited_and_replacing_records_before_and_after():
    actor = system_user()
    rate, outcome = set_exchange_rate(
        actor=actor, currency="USD", cny_per_unit="7.1", date=dt.date(2024, 8, 31)
    )
    assert outcome == RateOutcome.CREATED
    _, outcome = set_exchange_rate(
        actor=actor, currency="USD", cny_per_unit="7.2", date=dt.date(2024, 8, 31)
    )
    assert outcome == RateOutcome.REPLACED
    logs = list(ChangeLog.objects.filter(object_id=str(rate.pk)).order_by("id"))
    assert [log.action for log in logs] == ["create", "update"]
    assert logs[1].before["cny_per_unit"] == "7.100000"
    assert logs[1].after["cny_per_unit"] == "7.200000"


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "NaN", "Infinity"])
def test_rate_must_be_positive_number(bad):
    with pytest.raises(UserError):
        set_exchange_rate(
            actor=system_user(), currency="USD", cny_per_unit=bad, date=dt.date(2024, 1, 1)
        )


def test_unknown_currency_and_cny_rate_are_refused():
    with pytest.raises(UserError, match="unknown currency"):
        set_exchange_rate(
            actor=system_user(), currency="XYZ", cny_per_unit="1", date=dt.date(2024, 1, 1)
        )
    with pytest.raises(UserError, match="base currency"):
        set_exchange_rate(
            actor=system_user(), currency="CNY", cny_per_unit="1", date=dt.date(2024, 1, 1)
        )


def test_issue_18_2_the_same_rate_again_is_unchanged_and_a_new_one_takes_its_own_source(capsys):
    day = dt.date(2024, 8, 31)
    demo_source = "illustrative rate for the example data, not an official fixing"
    rate, _ = set_exchange_rate(
        actor=system_user(), currency="USD", cny_per_unit="7.10", date=day, source=demo_source
    )
    logged = ChangeLog.objects.count()

    call_command("rate", "set", "USD", "7.1", "--date", "2024-08-31")
    out = capsys.readouterr().out
    assert out.startswith("Unchanged: USD = 7.1 CNY from 2024-08-31"), out
    assert ChangeLog.objects.count() == logged
    rate.refresh_from_db()
    assert (rate.cny_per_unit, rate.source) == (Decimal("7.1"), demo_source)

    # A new value no longer carries the demo's words: it names who set it, and when.
    call_command("rate", "set", "USD", "7.2", "--date", "2024-08-31")
    assert capsys.readouterr().out.startswith("Replaced USD = 7.2 CNY from 2024-08-31")
    rate.refresh_from_db()
    assert rate.source == f"set by investpromo-system on {timezone.localdate().isoformat()}"
    entry = ChangeLog.objects.get(object_id=str(rate.pk), action="update")
    assert (entry.before["source"], entry.after["source"]) == (demo_source, rate.source)

    call_command("rate", "set", "USD", "7.3", "--date", "2024-08-31", "--source", "PBOC 中间价")
    rate.refresh_from_db()
    assert (rate.cny_per_unit, rate.source) == (Decimal("7.3"), "PBOC 中间价")
