"""Fixtures for participants: users in each role, an event with its organiser, a few participants."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from investpromo.accounts.models import Profile
from investpromo.core.audit import system_user
from investpromo.geo.models import Region
from investpromo.participants import services
from investpromo.participants.models import Participant
from tests.factories import make_event


def make_user(username, *, role, regions=()):
    user = get_user_model().objects.create_user(username=username, password="x")
    profile = Profile.objects.create(user=user, role=role)
    profile.regions.set(Region.objects.filter(code__in=regions))
    return user


@pytest.fixture
def event(db):
    return make_event(
        slug="hlj-matchmaking-2026", start=dt.date(2026, 6, 18), end_date=dt.date(2026, 6, 19)
    )


@pytest.fixture
def admin(db):
    return make_user("pp-admin", role=Profile.Role.ADMINISTRATOR)


@pytest.fixture
def organiser(event, admin):
    """An officer of 哈尔滨市 named organiser of the event."""
    user = make_user("pp-organiser", role=Profile.Role.OFFICER, regions=["230100"])
    services.assign_organiser(actor=admin, event=event, user=user)
    return user


@pytest.fixture
def daqing_officer(db):
    """An officer of 大庆市 (230600) who does not organise the event."""
    return make_user("pp-daqing", role=Profile.Role.OFFICER, regions=["230600"])


@pytest.fixture
def viewer(db):
    return make_user("pp-viewer", role=Profile.Role.VIEWER)


def register(event, name, *, side=Participant.Side.VISITOR, region="440300", **fields):
    return services.create_participant(
        actor=system_user(),
        event=event,
        name=name,
        side=side,
        region=Region.objects.get(code=region),
        **fields,
    )


@pytest.fixture
def seeker(event):
    """A Shenzhen graphene firm looking for land and a pilot line."""
    return register(
        event,
        "深圳烯材科技有限公司（示例）",
        kind="investor",
        seeks="石墨烯导热膜中试基地、工业用地",
        offers="石墨烯导热膜量产技术",
        cooperation_modes=["合资", "独资"],
    )


@pytest.fixture
def park(event):
    """A Daqing park offering graphite land (host side)."""
    return register(
        event,
        "大庆高新区管委会（示例）",
        side=Participant.Side.HOST,
        kind="park",
        region="230600",
        offers="石墨资源、标准厂房与工业用地",
    )


@pytest.fixture
def exchange(event):
    return register(event, "宁波数据交易所（示例）", kind="data_exchange", region="330200")
