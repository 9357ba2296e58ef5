"""What an outside review of #12 broke again, each named after the point it reopened.

Found against a running server (SQLite and PostgreSQL): the admin site's own sign-in page
checked passwords outside the sign-in limits (#12.3), and one officer's `extra` with a lone
surrogate (or NUL) made every export and the API's project list fail (#12.2), and a project
saved in the admin from a page read before someone else's change wrote that change back (#12.7);
an officer could mark an organisation as the demo's example data through the API (#12.8).
"""

import html
import json
import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from investpromo.accounts.models import Profile
from investpromo.core.audit import system_user
from investpromo.core.spreadsheets import csv_cell
from investpromo.orgs.models import Organisation
from investpromo.projects.models import Project
from investpromo.projects.services import update_project
from tests.api.conftest import PASSWORD, make_user, token_client
from tests.factories import make_project

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"
WEB_LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # The limits are under test, not the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _sign_in(path, username, password, address="198.51.100.7"):
    """True when the page signed the user in (it redirects), False when it showed the form."""
    response = Client().post(
        path,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    return response.status_code == 302, response.content.decode()


def test_12_3_admin_login_page_counts_against_the_sign_in_limits():
    make_user("chief", role=Profile.Role.ADMINISTRATOR, is_staff=True, superuser=True)
    for guess in range(5):
        signed_in, _ = _sign_in(ADMIN_LOGIN, "chief", f"wrong-{guess}")
        assert not signed_in
    # The sixth try, even with the right password, is refused unchecked, on both pages.
    signed_in, page = _sign_in(ADMIN_LOGIN, "chief", PASSWORD)
    assert not signed_in
    assert "Too many failed sign-ins" in page
    assert not _sign_in(WEB_LOGIN, "chief", PASSWORD)[0]
    # From another address the account is still open (the limit is per username and address).
    assert _sign_in(ADMIN_LOGIN, "chief", PASSWORD, address="203.0.113.9")[0]


def test_12_3_admin_login_still_refuses_non_staff_with_the_right_password():
    make_user("clerk", role=Profile.Role.VIEWER)
    signed_in, page = _sign_in(ADMIN_LOGIN, "clerk", PASSWORD)
    assert not signed_in
    assert "staff account" in page


@pytest.fixture
def harbin_project_and_officer(db):
    officer = make_user("harbin-officer", role=Profile.Role.OFFICER, regions=["230100"])
    return make_project(name="哈尔滨测试项目", dest="230103"), token_client(officer)


@pytest.mark.parametrize(
    "extra",
    [
        {"note": "\ud800x"},  # a lone surrogate: no UTF-8 can carry it out again
        {"\udfff": "x"},
        {"note": "a\x00b"},  # NUL: PostgreSQL's jsonb cannot store it
        {"a\x00": "x"},
    ],
    ids=["surrogate value", "surrogate name", "NUL value", "NUL name"],
)
def test_12_2_extra_text_that_cannot_be_stored_or_exported_is_refused(
    harbin_project_and_officer, extra
):
    project, officer_api = harbin_project_and_officer
    # Sent as JSON escapes, as an attacker would (json.dumps writes them so).
    response = officer_api.patch(
        f"/api/projects/{project.pk}/",
        data=json.dumps({"extra": extra, "version": project.version}),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["extra"]
    project.refresh_from_db()
    assert project.extra == {} and project.version == 1
    # The ledger still reads and exports for everyone.
    assert officer_api.get("/api/projects/").status_code == 200


def test_12_2_a_stored_surrogate_never_breaks_a_csv_or_xlsx_cell():
    # Legacy data written before the service refused it: the cell is written, not the export lost.
    assert csv_cell("\ud800=x").encode("utf-8")
    assert csv_cell("=\udfff").startswith("'")


def test_12_2_admin_and_viewer_can_still_export_after_an_officer_tried(
    harbin_project_and_officer, client
):
    project, officer_api = harbin_project_and_officer
    officer_api.patch(
        f"/api/projects/{project.pk}/",
        data=json.dumps({"extra": {"k": "\ud800"}, "version": project.version}),
        content_type="application/json",
    )
    viewer = make_user("leader", role=Profile.Role.VIEWER)
    client.force_login(viewer)
    response = client.get("/projects/export.xlsx")
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])
    assert APIClient().get("/api/projects/").status_code == 401  # anonymous: still refused
    assert Project.objects.get(pk=project.pk).extra == {}


def _admin_form_data(page: str) -> dict:
    """The admin change form's fields as the page showed them (what a Save sends back)."""
    data = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and 'type="checkbox"' not in tag and 'type="submit"' not in tag:
            data[name.group(1)] = html.unescape(value.group(1)) if value else ""
        elif name and "checked" in tag:
            data[name.group(1)] = "on"
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        data[name] = chosen.group(1) if chosen else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = html.unescape(text).strip()
    return data


@pytest.fixture
def admin_page_of_project(client):
    """An administrator's admin change page of a project, read before anyone else changes it."""
    client.force_login(
        make_user("chief", role=Profile.Role.ADMINISTRATOR, is_staff=True, superuser=True)
    )
    project = make_project(name="哈尔滨测试项目", dest="230103", notes="原备注")
    url = f"/admin/projects/project/{project.pk}/change/"
    return (
        project,
        url,
        _admin_form_data(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()),
    )


def test_12_7_a_stale_admin_edit_does_not_overwrite_a_newer_change(client, admin_page_of_project):
    project, url, form = admin_page_of_project
    update_project(actor=system_user(), project=project, expected_version=1, notes="官员刚写的备注")
    form["name"] = "哈尔滨测试项目（管理员改名）"
    response = client.post(url, form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200  # the form again, with the refusal
    assert "changed by someone else" in response.content.decode()
    project.refresh_from_db()
    assert project.notes == "官员刚写的备注" and project.name == "哈尔滨测试项目"
    assert project.version == 2


def test_12_7_an_admin_edit_without_the_version_is_refused(client, admin_page_of_project):
    project, url, form = admin_page_of_project
    form.pop("edited_version", None)
    form["notes"] = "没有版本的修改"
    response = client.post(url, form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.notes == "原备注" and project.version == 1


def test_12_7_a_current_admin_edit_still_saves(client, admin_page_of_project):
    project, url, form = admin_page_of_project
    form["notes"] = "管理员的修改"
    response = client.post(url, form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.notes == "管理员的修改" and project.version == 2


def test_12_8_an_officer_cannot_mark_an_organisation_as_example_data():
    officer = make_user("harbin-officer", role=Profile.Role.OFFICER, regions=["230100"])
    officer_api = token_client(officer)
    created = officer_api.post(
        "/api/organisations/", {"name": "哈尔滨真实企业", "is_demo": True}, format="json"
    )
    assert created.status_code == 201 and created.json()["is_demo"] is False
    organisation = Organisation.objects.get(pk=created.json()["id"])
    assert organisation.is_demo is False
    # Its creator may change it (nothing uses it), but not into example data.
    changed = officer_api.patch(
        f"/api/organisations/{organisation.pk}/", {"is_demo": True}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["is_demo"] is False
    organisation.refresh_from_db()
    assert organisation.is_demo is False
