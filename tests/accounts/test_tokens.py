"""API tokens: issued and revoked by the accounts services, each change audited; they expire,
and a new password revokes them."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from investpromo.accounts.services import issue_api_token, revoke_api_tokens
from investpromo.core.models import ChangeLog

pytestmark = pytest.mark.django_db
PASSWORD = "x-long-pass-42"
ME = "/api/auth/me/"


class AlwaysRehashedMD5(MD5PasswordHasher):
    """A hasher whose hashes are always out of date: check_password rehashes on every success."""

    def must_update(self, encoded):
        return True


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user():
    return get_user_model().objects.create_user("token-user", password=PASSWORD)


def calling_with(key, language="en") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE=language)
    return client


def token_audit():
    rows = ChangeLog.objects.filter(source__startswith="api token").order_by("id")
    return [(row.user.username, row.source, row.after) for row in rows]


def test_a_token_is_issued_once_and_revoked_with_an_audit_row_that_hides_it(user):
    admin = get_user_model().objects.create_superuser("token-admin", password=PASSWORD)
    key = issue_api_token(user=user)
    assert issue_api_token(user=user) == key  # the same token, not a second audit row
    assert revoke_api_tokens(actor=admin, user=user) == 1
    assert revoke_api_tokens(actor=admin, user=user) == 0
    assert not Token.objects.filter(user=user).exists()
    rows = ChangeLog.objects.filter(source__startswith="api token").order_by("id")
    assert [(row.user, row.after["api_token"]) for row in rows] == [(user, "issued"), (admin, None)]
    assert all(key not in str(row.before) + str(row.after) + row.object_id for row in rows)


def test_tokens_never_expire_no_more(user, settings):
    # Issue #12.6: a token worked for ever; now for INVESTPROMO_TOKEN_DAYS days.
    settings.INVESTPROMO_TOKEN_DAYS = 30
    key = issue_api_token(user=user)
    issued = Token.objects.get(key=key).created
    assert token_audit()[0][2]["expires"] == (issued + dt.timedelta(days=30)).isoformat()
    Token.objects.filter(key=key).update(created=issued - dt.timedelta(days=29, hours=23))
    assert calling_with(key).get(ME).status_code == 200
    Token.objects.filter(key=key).update(created=issued - dt.timedelta(days=30))
    expired = calling_with(key).get(ME)
    assert expired.status_code == 401
    assert expired.json()["detail"] == (
        f"Your API token expired on {issued:%Y-%m-%d}: ask for a new one with POST "
        "/api/auth/token/."
    )
    chinese = calling_with(key, "zh-hans").get(ME)
    assert "API 令牌已于 " in chinese.json()["detail"]
    # Asking for a token again gives a new one; the old one is revoked, both audited.
    answer = APIClient().post("/api/auth/token/", {"username": "token-user", "password": PASSWORD})
    assert answer.status_code == 200 and answer.json()["token"] != key
    assert calling_with(answer.json()["token"]).get(ME).status_code == 200
    assert [(source, after["api_token"]) for _, source, after in token_audit()] == [
        ("api token", "issued"),
        ("api token revoked: expired", None),
        ("api token", "issued"),
    ]
    settings.INVESTPROMO_TOKEN_DAYS = 0
    assert calling_with(answer.json()["token"]).get(ME).status_code == 401


def test_tokens_never_expire_a_new_password_revokes_the_token_at_once(user, admin_client):
    key = issue_api_token(user=user)
    user.set_password("a-new-long-pass-43")
    user.save()
    assert calling_with(key).get(ME).status_code == 401
    assert not Token.objects.filter(key=key).exists()
    assert token_audit()[-1] == (
        "token-user",
        "api token revoked: password changed",
        {"api_token": None, "reason": "password changed"},
    )
    # Through the admin's password form.
    key = issue_api_token(user=user)
    form = admin_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "third-long-pass-44!", "password2": "third-long-pass-44!"},
    )
    assert form.status_code == 302
    assert calling_with(key).get(ME).status_code == 401


def test_tokens_never_expire_a_password_written_behind_django_s_back_still_revokes(user):
    key = issue_api_token(user=user)
    other = get_user_model()(password="")
    other.set_password("written-directly-45")
    get_user_model().objects.filter(pk=user.pk).update(password=other.password)
    refused = calling_with(key).get(ME)
    assert refused.status_code == 401
    assert refused.json()["detail"] == (
        "Your API token was revoked because your password changed: ask for a new one with POST "
        "/api/auth/token/."
    )
    answer = APIClient().post(
        "/api/auth/token/", {"username": "token-user", "password": "written-directly-45"}
    )
    assert answer.json()["token"] != key
    assert calling_with(answer.json()["token"]).get(ME).status_code == 200


def test_a_rehash_of_the_same_password_keeps_the_token(user, settings):
    key = issue_api_token(user=user)
    settings.PASSWORD_HASHERS = [f"{__name__}.AlwaysRehashedMD5"]
    old_hash = user.password
    assert user.check_password(PASSWORD)
    user.refresh_from_db()
    assert user.password != old_hash  # rehashed, with a new salt
    assert calling_with(key).get(ME).status_code == 200
