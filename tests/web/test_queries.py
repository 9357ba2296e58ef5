"""The number of queries a page makes does not grow with the number of projects."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from investpromo.core.audit import system_user
from investpromo.orgs.services import create_organisation
from investpromo.projects.services import create_project
from investpromo.sectors.models import SEIIndustry
from tests.factories import make_event, region

pytestmark = pytest.mark.django_db

DESTINATIONS = ["230103", "230602", "230202", "231002", "230803"]
ORIGINS = ["440300", "330200", "310101", "110105", "320500"]


def add_projects(event, count: int, start: int = 0):
    """Projects spread over destinations, origins, SEI industries and days."""
    actor = system_user()
    industries = list(SEIIndustry.objects.all())
    for index in range(start, start + count):
        origin = region(ORIGINS[index % len(ORIGINS)])
        investor = create_organisation(actor=actor, name=f"投资方{index}", home_region=origin)
        project = create_project(
            actor=actor,
            event=event,
            name=f"项目{index}",
            investor=investor,
            destination_region=region(DESTINATIONS[index % len(DESTINATIONS)]),
            origin_region=origin,
            contract_value=Decimal((index + 1) * 1_000_000),
            signing_date=dt.date(2024, 8, 1) + dt.timedelta(days=index % 20),
            sei_industry=industries[index % len(industries)] if index % 3 else None,
        )
        project.co_investors.add(investor)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def pages(admin_client):
    event = make_event()
    add_projects(event, 5)

    def urls():
        project = event.projects.order_by("id").first()
        return {
            "dashboard": reverse("web:dashboard"),
            "dashboard_event": f"{reverse('web:dashboard')}?event={event.slug}",
            "ledger": reverse("web:project_list"),
            "ledger_filtered": f"{reverse('web:project_list')}?destination=230600&sei=any&sort=-value&q=项目",
            "event": reverse("web:event_detail", args=[event.slug]),
            "events": reverse("web:event_list"),
            "project": reverse("web:project_detail", args=[project.pk]),
            "organisation": reverse("web:organisation_detail", args=[project.investor_id]),
            "region": reverse("web:region_detail", args=["230000"]),
        }

    return event, urls


# Generous but fixed ceilings: the point is that 50 projects cost what 5 cost.
CEILINGS = {
    "dashboard": 16,
    "dashboard_event": 17,
    "ledger": 10,
    "ledger_filtered": 10,
    "event": 18,
    "events": 6,
    "project": 9,
    "organisation": 9,
    "region": 11,
}


def test_queries_do_not_grow_with_projects(admin_client, pages, django_assert_max_num_queries):
    event, urls = pages
    # Warm-up: the first request of a process builds caches (region index, content types).
    for url in urls().values():
        admin_client.get(url)
    small = {name: count_queries(admin_client, url) for name, url in urls().items()}
    add_projects(event, 45, start=5)
    for name, url in urls().items():
        with django_assert_max_num_queries(CEILINGS[name]):
            assert count_queries(admin_client, url) == small[name], name
