"""Sign-in attempt limits: shared through the database, counted before a password is checked."""

import datetime as dt
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from investpromo.accounts import services as throttle
from investpromo.accounts.models import LoginThrottle
from investpromo.core.reference import load_reference_data

PASSWORD = "correct-horse-battery-staple-42"
TOKEN_URL = "/api/auth/token/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # The limits are under test, not the hasher; Argon2 would only make the threads slower.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def restore_reference_data(django_db_blocker):
    # A transactional test's flush empties the test database; the rest of the suite expects
    # the reference data that tests/conftest.py loaded once.
    yield
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """Call after setting up: from then on every thread (this one too) opens its own connection.

    On PostgreSQL the test database already is that. SQLite's in-memory test database is copied
    to a file first, opened as deployed (WAL, BEGIN IMMEDIATE, a busy timeout): in memory its
    shared cache fails a second writer at once ("table is locked") instead of waiting.
    """
    restore = []

    def share():
        if connection.vendor != "sqlite" or not connection.is_in_memory_db():
            return
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        copy.close()
        in_memory, main = connections.settings[DEFAULT_DB_ALIAS], connections[DEFAULT_DB_ALIAS]
        connections.settings[DEFAULT_DB_ALIAS] = {**in_memory, "NAME": str(path)}
        connections[DEFAULT_DB_ALIAS] = connections.create_connection(DEFAULT_DB_ALIAS)
        restore.append((in_memory, main))

    yield share
    for in_memory, main in restore:
        connections[DEFAULT_DB_ALIAS].close()
        connections.settings[DEFAULT_DB_ALIAS] = in_memory
        connections[DEFAULT_DB_ALIAS] = main


@pytest.fixture
def clock(monkeypatch):
    """The time the limits see; move it with clock.now += timedelta."""

    class Clock:
        now = dt.datetime(2024, 9, 1, 9, 0, tzinfo=dt.UTC)

    monkeypatch.setattr(throttle, "now", lambda: Clock.now)
    return Clock


@pytest.fixture
def checks(monkeypatch):
    """How many passwords the authentication backend checked (from any thread)."""
    lock = threading.Lock()
    seen = []
    real = ModelBackend.authenticate

    def counted(self, request, username=None, password=None, **kwargs):
        with lock:
            seen.append(username)
        # Slow, like a real hash: requests overlap, as they would on a server under attack.
        time.sleep(0.02)
        return real(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counted)
    return seen


def make_user(username="leader"):
    return get_user_model().objects.create_user(username=username, password=PASSWORD)


def web_login(username, password, address, **headers):
    """What the login page answered: "signed in", "wrong" or "locked"."""
    response = Client().post(
        reverse("web:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
        **headers,
    )
    if response.status_code == 302:
        return "signed in"
    # Read from the page, not response.context: template signals are shared by all threads.
    return "locked" if "Too many failed sign-ins" in response.content.decode() else "wrong"


def api_login(username, password, address, **headers):
    """What the token endpoint answered: "signed in", "wrong" or "locked"."""
    response = APIClient().post(
        TOKEN_URL, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )
    return {200: "signed in", 400: "wrong", 429: "locked"}[response.status_code]


def in_parallel(calls, *, threads=8):
    """Run the calls on `threads` threads at once, each thread with its own connection."""
    start = threading.Barrier(threads)

    def run(share):
        try:
            start.wait()
            return [call() for call in share]
        finally:
            # PostgreSQL cannot drop the test database while a thread's connection is open.
            connection.close()

    shares = [calls[i::threads] for i in range(threads)]
    with ThreadPoolExecutor(threads) as pool:
        return [result for share in pool.map(run, shares) for result in share]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("restore_reference_data")
@pytest.mark.parametrize("login", [web_login, api_login], ids=["web", "api"])
def test_parallel_password_guesses_are_limited(login, checks, shared_database):
    # Issue #12.3: 40 wrong passwords sent in parallel once had 25 checked.
    make_user()
    shared_database()
    results = in_parallel([lambda: login("leader", "wrong", "10.1.1.1")] * 40)
    assert len(checks) == throttle.USER_LIMIT
    assert sorted(results) == ["locked"] * 35 + ["wrong"] * 5
    # The right password, too, waits for the window to end.
    assert login("leader", PASSWORD, "10.1.1.1") == "locked"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("restore_reference_data")
@pytest.mark.parametrize("login", [web_login, api_login], ids=["web", "api"])
def test_password_spraying_from_one_address_is_limited(login, checks, shared_database, settings):
    # Issue #12.3: 30 usernames, one try each, were all checked. Each request also claims another
    # client in X-Forwarded-For, which only a trusted proxy may do.
    settings.INVESTPROMO_TRUSTED_PROXIES = "192.0.2.1"
    make_user()
    shared_database()
    calls = [
        (lambda n=n: login(f"user{n}", "password1", "10.2.2.2", HTTP_X_FORWARDED_FOR=f"10.7.0.{n}"))
        for n in range(30)
    ]
    results = in_parallel(calls)
    assert len(checks) == throttle.ADDRESS_LIMIT
    assert sorted(results) == ["locked"] * 10 + ["wrong"] * 20
    # Other addresses are not held up by this one, nor another client behind the trusted proxy.
    assert login("leader", PASSWORD, "10.2.2.3") == "signed in"
    assert login("leader", PASSWORD, "192.0.2.1", HTTP_X_FORWARDED_FOR="10.2.2.4") == "signed in"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("restore_reference_data")
@pytest.mark.parametrize("login", [web_login, api_login], ids=["web", "api"])
def test_password_guesses_at_one_username_from_many_addresses_are_limited(
    login, checks, shared_database
):
    # Five guesses from each of 12 addresses: the username's own limit stops them together.
    make_user()
    shared_database()
    calls = [(lambda n=n: login("leader", "wrong", f"10.3.{n % 12}.1")) for n in range(60)]
    results = in_parallel(calls)
    assert len(checks) == throttle.USERNAME_LIMIT
    assert sorted(results) == ["locked"] * 10 + ["wrong"] * 50
    assert login("someone-else", "wrong", "10.3.0.1") == "wrong"


def test_the_window_ends_fifteen_minutes_after_its_first_attempt(clock):
    for _ in range(throttle.USER_LIMIT):
        throttle.reserve_login_attempt(username="leader", address="10.0.0.1")
    with pytest.raises(throttle.LoginLocked) as locked:
        throttle.reserve_login_attempt(username="Leader ", address="10.0.0.1")
    assert locked.value.seconds == 15 * 60 and locked.value.minutes == 15
    clock.now += dt.timedelta(minutes=10, seconds=30)
    with pytest.raises(throttle.LoginLocked) as locked:
        throttle.reserve_login_attempt(username="leader", address="10.0.0.1")
    assert locked.value.seconds == 4 * 60 + 30 and locked.value.minutes == 5
    clock.now += dt.timedelta(minutes=4, seconds=30)
    # A new window: five more attempts, then locked again.
    for _ in range(throttle.USER_LIMIT):
        throttle.reserve_login_attempt(username="leader", address="10.0.0.1")
    with pytest.raises(throttle.LoginLocked):
        throttle.reserve_login_attempt(username="leader", address="10.0.0.1")


def test_the_address_window_ends_too(clock):
    for n in range(throttle.ADDRESS_LIMIT):
        throttle.reserve_login_attempt(username=f"user{n}", address="10.0.0.1")
    with pytest.raises(throttle.LoginLocked) as locked:
        throttle.reserve_login_attempt(username="someone-new", address="10.0.0.1")
    assert locked.value.minutes == 15
    clock.now += throttle.WINDOW
    throttle.reserve_login_attempt(username="someone-new", address="10.0.0.1")


def test_a_refused_attempt_counts_nowhere(clock):
    # The username is full, the address is not: the address keeps its remaining attempts.
    for _ in range(throttle.USER_LIMIT):
        throttle.reserve_login_attempt(username="leader", address="10.0.0.1")
    for _ in range(10):
        with pytest.raises(throttle.LoginLocked):
            throttle.reserve_login_attempt(username="leader", address="10.0.0.1")
    for n in range(throttle.ADDRESS_LIMIT - throttle.USER_LIMIT):
        throttle.reserve_login_attempt(username=f"user{n}", address="10.0.0.1")
    with pytest.raises(throttle.LoginLocked):
        throttle.reserve_login_attempt(username="one-more", address="10.0.0.1")


def test_a_success_resets_the_username_and_gives_back_the_address_attempt(clock):
    for _ in range(throttle.USER_LIMIT - 1):
        throttle.reserve_login_attempt(username="leader", address="10.0.0.1")
    attempt = throttle.reserve_login_attempt(username="leader", address="10.0.0.1")
    throttle.release_login_attempt(attempt=attempt)
    # The username has its five attempts again.
    for _ in range(throttle.USER_LIMIT):
        throttle.reserve_login_attempt(username="leader", address="10.0.0.1")
    with pytest.raises(throttle.LoginLocked):
        throttle.reserve_login_attempt(username="leader", address="10.0.0.1")
    # The address counted 4 + 5 failures; the success was given back.
    for n in range(throttle.ADDRESS_LIMIT - 9):
        throttle.reserve_login_attempt(username=f"user{n}", address="10.0.0.1")
    with pytest.raises(throttle.LoginLocked):
        throttle.reserve_login_attempt(username="one-more", address="10.0.0.1")


def test_a_success_through_the_pages_resets_the_count(client):
    make_user()
    for _ in range(throttle.USER_LIMIT - 1):
        assert web_login("leader", "wrong", "10.0.0.1") == "wrong"
    assert api_login("leader", PASSWORD, "10.0.0.1") == "signed in"
    for _ in range(throttle.USER_LIMIT):
        assert web_login("leader", "wrong", "10.0.0.1") == "wrong"
    assert web_login("leader", PASSWORD, "10.0.0.1") == "locked"


def test_ended_windows_are_swept_when_a_new_one_starts(clock):
    for n in range(3):
        throttle.reserve_login_attempt(username=f"user{n}", address=f"10.0.0.{n}")
    assert LoginThrottle.objects.count() == 9
    clock.now += throttle.WINDOW
    throttle.reserve_login_attempt(username="leader", address="10.9.9.9")
    assert LoginThrottle.objects.count() == 3


def test_web_and_api_refuse_when_locked_and_say_how_long(client, clock):
    make_user()
    for _ in range(throttle.USER_LIMIT):
        assert api_login("leader", "wrong", "10.0.0.1") == "wrong"
    clock.now += dt.timedelta(minutes=3)
    response = APIClient().post(
        TOKEN_URL, {"username": "leader", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    assert response["Retry-After"] == str(12 * 60)
    assert response.json()["detail"].startswith("too many failed sign-ins")
    for language, text in [
        ("en", "Too many failed sign-ins. Try again in 12 minutes"),
        ("zh-hans", "登录失败次数过多，请 12 分钟后再试"),
    ]:
        page = client.post(
            reverse("web:login"),
            {"username": "leader", "password": PASSWORD},
            REMOTE_ADDR="10.0.0.1",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert page.status_code == 200 and "_auth_user_id" not in client.session
        assert text in page.content.decode()
    clock.now += dt.timedelta(minutes=11, seconds=30)
    page = client.post(
        reverse("web:login"),
        {"username": "leader", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Try again in 1 minute," in page.content.decode()


def test_a_missing_password_is_not_an_attempt(client):
    for _ in range(throttle.USER_LIMIT + 1):
        client.post(reverse("web:login"), {"username": "leader"}, REMOTE_ADDR="10.0.0.1")
    assert not LoginThrottle.objects.exists()


def test_the_client_address_is_remote_addr_unless_a_trusted_proxy_forwards(settings):
    factory = RequestFactory()
    spoofed = factory.post("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert throttle.client_address(spoofed) == "203.0.113.9"
    settings.INVESTPROMO_TRUSTED_PROXIES = ["10.8.0.0/16", "192.0.2.1"]
    assert throttle.client_address(spoofed) == "203.0.113.9"
    # Through two trusted proxies; the client's own header value left of its address is ignored.
    proxied = factory.post(
        "/",
        REMOTE_ADDR="192.0.2.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.8.3.4",
    )
    assert throttle.client_address(proxied) == "198.51.100.7"
    settings.INVESTPROMO_TRUSTED_PROXIES = "192.0.2.1"
    assert throttle.client_address(factory.post("/", REMOTE_ADDR="192.0.2.1")) == "192.0.2.1"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("restore_reference_data")
@pytest.mark.parametrize("login", [web_login, api_login], ids=["web", "api"])
def test_password_spraying_from_one_ipv6_network_is_limited(login, checks, shared_database):
    # Review of #12.3: each address of an IPv6 /64 had its own counter, and one client holds a
    # whole /64. 30 usernames from 30 addresses of one /64 count as one client.
    make_user()
    shared_database()
    calls = [
        (lambda n=n: login(f"user{n}", "password1", f"2001:db8:1:3::{n + 1:x}")) for n in range(30)
    ]
    results = in_parallel(calls)
    assert len(checks) == throttle.ADDRESS_LIMIT
    assert sorted(results) == ["locked"] * 10 + ["wrong"] * 20
    # The next /64 is another client.
    assert login("leader", PASSWORD, "2001:db8:1:4::1") == "signed in"


def test_clients_are_counted_by_ipv4_address_or_ipv6_network():
    assert throttle.client_network("10.1.2.3") == "10.1.2.3"
    assert throttle.client_network("2001:db8:1:3::28") == "2001:db8:1:3::/64"
    assert throttle.client_network("::ffff:10.1.2.3") == "10.1.2.3"
    assert throttle.client_network("not an address") == "not an address"
