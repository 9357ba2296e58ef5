import datetime as dt
from decimal import Decimal

import pytest

from investpromo.core.audit import system_user
from investpromo.projects.rates import set_exchange_rate
from investpromo.reports.selectors import event_summary
from investpromo.sectors.models import SEIIndustry
from tests.factories import make_event, make_org, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_event():
    """Three projects whose figures are computed by hand below."""
    actor = system_user()
    set_exchange_rate(actor=actor, currency="USD", cny_per_unit="7.1234", date=dt.date(2024, 8, 30))
    set_exchange_rate(actor=actor, currency="USD", cny_per_unit="7.0", date=dt.date(2024, 9, 5))
    event = make_event(start=dt.date(2024, 8, 31), end_date=dt.date(2024, 9, 1))
    make_project(
        event=event,
        name="甲",
        investor=make_org("深圳甲公司", "440300"),
        value="100000000",
        dest="230103",
        sei_industry=SEIIndustry.objects.get(code=1),
    )
    make_project(
        event=event,
        name="乙",
        investor=make_org("香港乙公司", "810000"),
        value="10000000",
        currency="USD",
        dest="230600",
        sei_status="sei_unspecified",
        signing_date=dt.date(2024, 8, 31),
    )
    make_project(
        event=event,
        name="丙",
        investor=make_org("宁波丙公司", "330200"),
        value="50000000",
        dest="230100",
    )
    return event


def test_hand_computed_event(small_event):
    summary = event_summary(small_event)
    assert summary["projects"] == 3
    # 100,000,000 + 10,000,000 × 7.1234 + 50,000,000
    assert summary["total_value_cny"] == "221234000.00"
    assert summary["usd_rate"] == "7.123400"
    assert summary["total_value_usd"] == str(
        (Decimal("221234000") / Decimal("7.1234")).quantize(Decimal("0.01"))
    )
    assert summary["sei"] == {
        "projects": 2,
        "value_cny": "171234000.00",
        "share_by_value": round(171234000 / 221234000, 6),
        "share_by_count": round(2 / 3, 6),
    }
    by_sei = {row["code"]: row for row in summary["by_sei_industry"]}
    assert by_sei[1]["projects"] == 1 and by_sei[1]["value_cny"] == "100000000.00"
    assert by_sei[None]["name_en"] == "SEI, category unspecified"
    assert by_sei[None]["value_cny"] == "71234000.00"
    assert by_sei[3]["projects"] == 0
    assert summary["by_destination"] == [
        {"code": "230100", "name": "哈尔滨市", "projects": 2, "value_cny": "150000000.00"},
        {"code": "230600", "name": "大庆市", "projects": 1, "value_cny": "71234000.00"},
    ]
    assert [(r["code"], r["value_cny"]) for r in summary["by_origin_province"]] == [
        ("440000", "100000000.00"),
        ("810000", "71234000.00"),
        ("330000", "50000000.00"),
    ]


def test_empty_event_gives_zeros(db):
    summary = event_summary(make_event(slug="empty"))
    assert summary["projects"] == 0
    assert summary["total_value_cny"] == "0.00"
    assert summary["total_value_usd"] is None
    assert summary["sei"]["share_by_value"] == 0.0
    assert summary["by_destination"] == []


def test_query_count_does_not_grow_with_projects(small_event, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        event_summary(small_event)
    for index in range(20):
        make_project(event=small_event, name=f"批量{index}", dest="230200")
    with django_assert_max_num_queries(12):
        event_summary(small_event)
