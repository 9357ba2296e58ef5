"""Signing in: Argon2 hashes, CSRF, and failed attempts locked out after five."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from investpromo.accounts import services as throttle
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("web:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_password_is_stored_as_argon2_and_login_works(client, viewer):
    assert get_user_model().objects.get(pk=viewer.pk).password.startswith("argon2")
    response = login(client, "leader", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_login_needs_a_csrf_token(viewer):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("web:login"), {"username": "leader", "password": PASSWORD})
    assert response.status_code == 403


def test_five_failures_lock_the_username_at_that_address(client, viewer, monkeypatch):
    clock = [dt.datetime(2024, 9, 1, 9, 0, tzinfo=dt.UTC)]
    monkeypatch.setattr(throttle, "now", lambda: clock[0])
    for _ in range(throttle.USER_LIMIT):
        response = login(client, "leader", "wrong password")
        assert response.status_code == 200
    # Locked: even the right password is refused, with a message saying why.
    response = login(client, "leader", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert (
        response.context["form"].errors["__all__"][0].startswith(("Too many", "登录失败次数过多"))
    )
    # Another address is not locked out by someone else's failures.
    assert login(Client(), "leader", PASSWORD, address="10.0.0.2").status_code == 302
    clock[0] += throttle.WINDOW - dt.timedelta(seconds=5)
    assert login(client, "leader", PASSWORD).status_code == 200
    clock[0] += dt.timedelta(seconds=10)
    assert login(client, "leader", PASSWORD).status_code == 302


def test_a_success_resets_the_failure_count(client, viewer):
    for _ in range(throttle.USER_LIMIT - 1):
        login(client, "leader", "wrong")
    assert login(client, "leader", PASSWORD).status_code == 302
    client.logout()
    for _ in range(throttle.USER_LIMIT - 1):
        login(client, "leader", "wrong")
    assert login(client, "leader", PASSWORD).status_code == 302


def test_logout_is_a_post_and_ends_the_session(viewer_client):
    assert viewer_client.get(reverse("web:dashboard")).status_code == 200
    response = viewer_client.post(reverse("web:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("web:login")
    assert viewer_client.get(reverse("web:dashboard")).status_code == 302


def test_login_form_is_the_first_form_and_the_language_form_has_its_own_id(client):
    """Issue #18.11: scripts that post the page's first form sign in, not switch language."""
    html = client.get(reverse("web:login")).content.decode()
    forms = re.findall(r"<form\b[^>]*>.*?</form>", html, flags=re.S)
    assert len(forms) == 2
    sign_in, language = forms
    assert f'action="{reverse("web:login")}"' in sign_in
    assert 'name="username"' in sign_in and 'name="password"' in sign_in
    assert 'id="language-form"' in language
    assert f'action="{reverse("web:set_language")}"' in language
    assert html.count('id="language-form"') == 1


def test_signed_in_pages_keep_the_language_form_in_the_top_bar(client, viewer):
    login(client, "leader", PASSWORD)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert html.count('id="language-form"') == 1
    assert html.index('id="language-form"') < html.index('<main id="main"')
