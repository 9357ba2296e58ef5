"""Fixtures for the web tests: users of each role, and Chromium for the browser tests."""

import functools
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher, make_password
from django.db import connection

from investpromo.accounts.models import Profile
from investpromo.core.reference import load_reference_data
from investpromo.geo.models import Region

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told the code is synchronous after all (it is: one test at a time).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "correct-horse-battery-staple-42"


@functools.cache
def _password_hash(hasher: str) -> str:
    return make_password(PASSWORD, hasher=get_hasher(hasher))


def password_hash() -> str:
    """PASSWORD hashed once per hasher: Argon2 is deliberately slow (about 0.2 s a hash)."""
    return _password_hash(get_hasher().algorithm)


def make_user(username, *, role=None, regions=(), superuser=False):
    # The settings' hasher (Argon2), so signing in checks a real hash; computed only once.
    user = get_user_model().objects.create_user(
        username=username, password=None, is_superuser=superuser, is_staff=superuser
    )
    user.password = password_hash()
    user.save(update_fields=["password"])
    if role is not None:
        profile = Profile.objects.create(user=user, role=role)
        profile.regions.set(Region.objects.filter(code__in=regions))
    return user


@pytest.fixture
def admin_user(db):
    return make_user("admin", superuser=True)


@pytest.fixture
def officer(db):
    """An officer of 大庆市 (230600): may write projects there, nowhere else."""
    return make_user("daqing-officer", role=Profile.Role.OFFICER, regions=["230600"])


@pytest.fixture
def viewer(db):
    return make_user("leader", role=Profile.Role.VIEWER)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; skipped without it unless every test must run."""
    required = os.environ.get("INVESTPROMO_REQUIRE_ALL_TESTS") == "1"

    def unavailable(reason):
        if required:
            pytest.fail(f"{reason}, and INVESTPROMO_REQUIRE_ALL_TESTS=1 forbids skipping")
        pytest.skip(reason)

    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        # Never Playwright's own browser download: the Debian package is the browser.
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="module")
def restore_reference_data(django_db_blocker):
    """For modules with transactional tests, whose flush empties the test database.

    Module-scoped, so its teardown runs after the last test's flush: the reference data the
    rest of the suite expects (loaded once per database by tests/conftest.py) is put back.
    """
    yield
    with django_db_blocker.unblock():
        load_reference_data()
        # With Playwright's event loop running, this connection is not the one the test
        # database's teardown closes (Django keeps connections per async context): left open,
        # PostgreSQL refuses to drop the database ("being accessed by other users").
        connection.close()


@pytest.fixture
def fresh_reference_data(restore_reference_data, transactional_db):
    """Reference data for a transactional test (an earlier one may have flushed it)."""
    load_reference_data()
