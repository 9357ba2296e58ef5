"""Fixtures for the API tests: a client per role, and a small ledger to read and write."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from investpromo.accounts.models import Profile
from investpromo.core.audit import system_user
from investpromo.core.models import ChangeLog
from investpromo.events.models import Event
from investpromo.geo.models import Region
from investpromo.orgs.models import Organisation
from investpromo.projects.models import ExchangeRate, Project
from investpromo.projects.rates import set_exchange_rate
from tests.factories import make_event, make_org, make_project

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is deliberately slow; the tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The sign-in lock lives in the cache, which outlives a test in the same process.
    cache.clear()
    yield
    cache.clear()


def make_user(username, *, role=None, regions=(), superuser=False, **kwargs):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_superuser=superuser, **kwargs
    )
    if role is not None:
        profile = Profile.objects.create(user=user, role=role)
        profile.regions.set(Region.objects.filter(code__in=regions))
    return user


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def admin_user(db):
    return make_user("api-admin", role=Profile.Role.ADMINISTRATOR)


@pytest.fixture
def officer(db):
    """An officer of 大庆市 (230600): may write projects there, nowhere else."""
    return make_user("daqing-officer", role=Profile.Role.OFFICER, regions=["230600"])


@pytest.fixture
def viewer(db):
    return make_user("leader", role=Profile.Role.VIEWER)


@pytest.fixture
def admin_api(admin_user):
    return token_client(admin_user)


@pytest.fixture
def officer_api(officer):
    return token_client(officer)


@pytest.fixture
def viewer_api(viewer):
    return token_client(viewer)


@pytest.fixture
def anon_api(db):
    return APIClient()


@pytest.fixture
def clients(anon_api, viewer_api, officer_api, admin_api):
    return {"anonymous": anon_api, "viewer": viewer_api, "officer": officer_api, "admin": admin_api}


@pytest.fixture
def ledger(db):
    """An event in Harbin with one project in Harbin (230103) and one in Daqing (230602)."""
    event = make_event()
    set_exchange_rate(
        actor=system_user(), currency="USD", cny_per_unit="7.1", date=event.start_date
    )
    investor = make_org(name="深圳测试投资有限公司")
    other = make_org(name="宁波测试材料有限公司", home="330200")
    harbin = make_project(
        event=event,
        name="哈尔滨项目",
        investor=investor,
        dest="230103",
        signing_date=dt.date(2024, 8, 31),
    )
    daqing = make_project(
        event=event,
        name="大庆项目",
        investor=other,
        dest="230602",
        value="2000000",
        currency="USD",
        signing_date=dt.date(2024, 9, 1),
    )
    return {
        "event": event,
        "investor": investor,
        "other": other,
        "harbin": harbin,
        "daqing": daqing,
    }


def db_state() -> dict:
    """Everything a refused request must leave as it was."""
    return {
        # An upload's own audit row (the job it became) is not a change to the ledger.
        "changelog": ChangeLog.objects.exclude(content_type__app_label="jobs").count(),
        "projects": list(Project.objects.order_by("id").values()),
        "organisations": list(Organisation.objects.order_by("id").values()),
        "events": list(Event.objects.order_by("id").values()),
        "rates": list(ExchangeRate.objects.order_by("id").values()),
        "tokens": sorted(Token.objects.values_list("key", flat=True)),
    }
