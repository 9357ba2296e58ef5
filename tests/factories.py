"""Small builders for ledger records in tests, all going through the services."""

import datetime as dt
from decimal import Decimal

from investpromo.core.audit import system_user
from investpromo.events.services import create_event
from investpromo.geo.models import Region
from investpromo.orgs.services import create_organisation
from investpromo.projects.services import create_project


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def make_event(slug="test-event", start=dt.date(2024, 8, 31), host="230100", **kwargs):
    return create_event(
        actor=system_user(),
        slug=slug,
        name=kwargs.pop("name", "测试推介会"),
        start_date=start,
        host_region=region(host),
        **kwargs,
    )


def make_org(name="测试投资有限公司", home="440300", **kwargs):
    return create_organisation(actor=system_user(), name=name, home_region=region(home), **kwargs)


def make_project(
    *,
    event=None,
    name="测试项目",
    investor=None,
    value="100000000",
    dest="230103",
    origin=None,
    **kwargs,
):
    investor = investor or make_org()
    return create_project(
        actor=kwargs.pop("actor", system_user()),
        event=event,
        name=name,
        investor=investor,
        destination_region=region(dest),
        origin_region=region(origin) if origin else investor.home_region,
        contract_value=Decimal(value),
        **kwargs,
    )
