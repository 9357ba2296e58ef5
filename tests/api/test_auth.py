"""Tokens, sessions and who may call what."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from investpromo.accounts.models import Profile
from tests.api.conftest import PASSWORD, make_user, token_client

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/auth/token/"


def test_token_for_username_and_password(viewer):
    response = APIClient().post(TOKEN_URL, {"username": "leader", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "token": Token.objects.get(user=viewer).key,
        "username": "leader",
        "role": "viewer",
    }
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert client.get("/api/auth/me/").json() == {
        "username": "leader",
        "role": "viewer",
        "regions": [],
    }
    # Asking again gives the same token.
    again = APIClient().post(TOKEN_URL, {"username": "leader", "password": PASSWORD}, format="json")
    assert again.json()["token"] == body["token"]


def test_wrong_password_is_refused_and_locks_after_five(viewer):
    for _ in range(5):
        response = APIClient().post(TOKEN_URL, {"username": "leader", "password": "nope"})
        assert response.status_code == 400
        assert "detail" in response.json()
    assert not Token.objects.exists()
    locked = APIClient().post(TOKEN_URL, {"username": "leader", "password": PASSWORD})
    assert locked.status_code == 429
    assert not Token.objects.exists()


def test_inactive_user_gets_no_token(db):
    make_user("gone", role=Profile.Role.ADMINISTRATOR, is_active=False)
    response = APIClient().post(TOKEN_URL, {"username": "gone", "password": PASSWORD})
    assert response.status_code == 400


def test_token_request_names_missing_fields(db):
    response = APIClient().post(TOKEN_URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_anonymous_gets_401_with_challenge(anon_api):
    response = anon_api.get("/api/projects/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()


def test_bad_token_is_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/regions/").status_code == 401


def test_revoking_own_token(viewer):
    client = token_client(viewer)
    assert client.get("/api/auth/me/").status_code == 200
    assert client.delete(TOKEN_URL).status_code == 204
    assert not Token.objects.filter(user=viewer).exists()
    assert client.get("/api/auth/me/").status_code == 401


def test_administrator_revokes_another_users_token(admin_api, viewer):
    victim = token_client(viewer)
    response = admin_api.delete(reverse("api:user-token", args=["leader"]))
    assert response.status_code == 204
    assert victim.get("/api/auth/me/").status_code == 401
    assert admin_api.delete("/api/auth/tokens/nobody/").status_code == 404


@pytest.mark.parametrize("role", ["officer", "viewer"])
def test_others_cannot_revoke_tokens(role, clients, admin_user):
    Token.objects.get_or_create(user=admin_user)
    before = sorted(Token.objects.values_list("key", flat=True))
    response = clients[role].delete("/api/auth/tokens/api-admin/")
    assert response.status_code == 403
    assert sorted(Token.objects.values_list("key", flat=True)) == before


def test_anonymous_cannot_revoke(anon_api):
    assert anon_api.delete(TOKEN_URL).status_code == 401


def test_session_reads_and_csrf_protected_writes(viewer, admin_user):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(viewer)
    assert browser.get("/api/regions/230100/").status_code == 200
    admin_browser = APIClient(enforce_csrf_checks=True)
    admin_browser.force_login(admin_user)
    response = admin_browser.post(
        "/api/rates/", {"currency": "EUR", "date": "2024-01-01", "cny_per_unit": "7.8"}
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_token_admin_is_in_the_django_admin():
    from django.contrib import admin

    assert Token in admin.site._registry or any(
        model.__name__ == "TokenProxy" for model in admin.site._registry
    )
