"""用户管理 and the event forms in the web: administrators only, through the services, in both
languages; the region picker's suggestions."""

import datetime as dt
import re
from html import unescape

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.test import Client
from django.urls import reverse

from investpromo.accounts.permissions import role_of
from investpromo.core.models import ChangeLog
from investpromo.events.models import Event
from tests.factories import make_event, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def one_time_password(html: str) -> str:
    return re.search(r"data-one-time-password>([^<]+)<", html).group(1)


def test_an_administrator_creates_an_officer_who_can_then_sign_in(admin_client, admin_user):
    response = admin_client.post(
        reverse("web:user_create"),
        {"username": "qiqihar", "role": "officer", "regions": "齐齐哈尔, 230600", "email": ""},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = one_time_password(response.content.decode())
    user = authenticate(username="qiqihar", password=password)
    assert role_of(user) == "officer"
    assert sorted(r.code for r in user.profile.regions.all()) == ["230200", "230600"]
    entry = ChangeLog.objects.get(object_id=str(user.pk), action="create")
    assert entry.user == admin_user and entry.source == "web: user created"
    # Listed, with role and regions, in Chinese.
    html = admin_client.get(reverse("web:user_list")).content.decode()
    assert "qiqihar" in html and "招商专员" in html and "齐齐哈尔市" in html and "从未登录" in html


def test_form_mistakes_are_shown_at_their_fields_and_create_nothing(admin_client):
    users = get_user_model().objects.count()
    response = admin_client.post(
        reverse("web:user_create"),
        {"username": "admin", "role": "officer", "regions": "不存在的地方"},
    )
    html = unescape(response.content.decode())
    assert response.status_code == 200 and "不存在的地方" in html
    response = admin_client.post(
        reverse("web:user_create"), {"username": "admin", "role": "officer", "regions": ""}
    )
    assert "招商专员至少需要一个地区" in unescape(response.content.decode())
    response = admin_client.post(
        reverse("web:user_create"), {"username": "ADMIN", "role": "viewer"}
    )
    assert "已有名为 ADMIN 的用户" in unescape(response.content.decode())
    assert get_user_model().objects.count() == users


def test_editing_deactivating_and_resetting(admin_client, officer):
    url = reverse("web:user_edit", args=[officer.pk])
    page = admin_client.get(url).content.decode()
    assert 'data-region-picker="multiple"' in page and "230600" in page
    response = admin_client.post(
        url, {"role": "viewer", "regions": "230600", "email": "v@example.org"}
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert role_of(officer) == "viewer" and officer.email == "v@example.org"
    assert list(officer.profile.regions.all()) == []

    response = admin_client.post(reverse("web:user_deactivate", args=[officer.pk]), follow=True)
    assert "daqing-officer 已不能登录" in response.content.decode()
    officer.refresh_from_db()
    assert not officer.is_active
    admin_client.post(reverse("web:user_reactivate", args=[officer.pk]))
    officer.refresh_from_db()
    assert officer.is_active

    response = admin_client.post(reverse("web:user_password", args=[officer.pk]))
    password = one_time_password(response.content.decode())
    assert authenticate(username="daqing-officer", password=password) == officer


def test_an_administrator_cannot_deactivate_themselves_and_is_told_so(admin_client, admin_user):
    page = admin_client.get(reverse("web:user_edit", args=[admin_user.pk])).content.decode()
    assert "不能停用自己的账户" in page
    response = admin_client.post(reverse("web:user_deactivate", args=[admin_user.pk]), follow=True)
    assert "不能停用自己的账户" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_others_are_refused_and_see_no_users_link(officer_client, officer, viewer):
    for name, args in (("web:user_list", []), ("web:user_edit", [viewer.pk])):
        assert officer_client.get(reverse(name, args=args)).status_code == 403
    response = officer_client.post(reverse("web:user_password", args=[viewer.pk]))
    assert response.status_code == 403
    assert (
        reverse("web:user_list")
        not in officer_client.get(reverse("web:dashboard")).content.decode()
    )


def test_the_user_pages_in_english(admin_client, officer):
    html = admin_client.get(reverse("web:user_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Last sign-in" in html and "officer" in html and "用户" not in html


# --- events ------------------------------------------------------------------------------------


def test_an_administrator_creates_an_event_whose_page_invites_an_import(admin_client):
    response = admin_client.post(
        reverse("web:event_create"),
        {
            "name": "2025中国·哈尔滨国际经济贸易洽谈会",
            "name_en": "Harbin International Trade Fair",
            "slug": "",
            "start_date": "2025-05-17",
            "end_date": "2025-05-21",
            "host_region": "哈尔滨",
            "organiser": "",
        },
    )
    event = Event.objects.get(name="2025中国·哈尔滨国际经济贸易洽谈会")
    assert event.slug == "harbin-international-trade-fair-2025"
    assert event.host_region_id == "230100" and event.end_date == dt.date(2025, 5, 21)
    assert response["Location"] == reverse("web:event_detail", args=[event.slug])
    assert ChangeLog.objects.filter(object_id=str(event.pk), action="create", source="web").exists()
    page = admin_client.get(response["Location"]).content.decode()
    assert "data-invite-import" in page and "导入签约清单" in page
    assert f"{reverse('web:import_index')}?event={event.slug}" in page


def test_the_slug_is_checked_and_new_is_reserved(admin_client):
    base = {"name": "活动", "start_date": "2025-01-01", "host_region": "230100"}
    for slug, says in (("Harbin 2025", "lower-case"), ("new", "保留名称")):
        response = admin_client.post(reverse("web:event_create"), {**base, "slug": slug})
        assert response.status_code == 200 and says in unescape(response.content.decode())
    assert not Event.objects.exists()
    # Without an English name: the host region's code and the year, never a taken one.
    admin_client.post(reverse("web:event_create"), {**base, "slug": ""})
    admin_client.post(reverse("web:event_create"), {**base, "slug": ""})
    assert sorted(Event.objects.values_list("slug", flat=True)) == [
        "event-230100-2025",
        "event-230100-2025-2",
    ]


def test_editing_an_event_changes_only_what_changed(admin_client):
    event = make_event(slug="edit-me", start=dt.date(2024, 8, 31))
    url = reverse("web:event_edit", args=[event.slug])
    assert 'data-region-picker="single"' in admin_client.get(url).content.decode()
    response = admin_client.post(
        url,
        {
            "name": event.name,
            "name_en": "Edited",
            "start_date": "2024-08-31",
            "end_date": "",
            "host_region": "230600",
            "organiser": "",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.name_en, event.host_region_id, event.end_date) == (
        "Edited",
        "230600",
        dt.date(2024, 8, 31),
    )
    entry = ChangeLog.objects.filter(object_id=str(event.pk), action="update").get()
    assert entry.changed_fields == ["host_region_id", "name_en"]


def test_an_event_with_projects_does_not_invite_an_import(admin_client):
    project = make_project(event=make_event(slug="busy"))
    page = admin_client.get(reverse("web:event_detail", args=[project.event.slug])).content.decode()
    assert "data-invite-import" not in page
    assert reverse("web:event_edit", args=["busy"]) in page


def test_only_administrators_see_and_use_the_event_forms(officer_client):
    make_event(slug="locked")
    assert officer_client.get(reverse("web:event_create")).status_code == 403
    assert officer_client.get(reverse("web:event_edit", args=["locked"])).status_code == 403
    page = officer_client.get(reverse("web:event_list")).content.decode()
    assert reverse("web:event_create") not in page


def test_region_suggestions_are_json_for_anyone_signed_in(viewer_client, client):
    response = viewer_client.get(reverse("web:region_lookup"), {"q": "大庆"})
    first = response.json()["results"][0]
    assert first == {"code": "230600", "name": "大庆市", "full_name": "黑龙江省大庆市", "level": 2}
    assert viewer_client.get(reverse("web:region_lookup")).json() == {"results": []}


def test_signing_in_with_a_one_time_password_asks_for_a_new_one_first(admin_client):
    client = Client()  # admin_client is the test's `client`, signed in already
    response = admin_client.post(
        reverse("web:user_create"), {"username": "fresh", "role": "viewer", "regions": ""}
    )
    password = one_time_password(response.content.decode())
    response = client.post(
        reverse("web:login"), {"username": "fresh", "password": password}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("web:password_change")
    assert "data-password-required" in response.content.decode()
    assert client.get(reverse("web:project_list"))["Location"] == reverse("web:password_change")
    response = client.post(
        reverse("web:password_change"),
        {
            "old_password": password,
            "new_password": "a-phrase-of-my-own",
            "new_password_again": "a-phrase-of-my-own",
        },
    )
    assert response["Location"] == reverse("web:dashboard")
    # Still signed in, now free to use the site.
    assert client.get(reverse("web:project_list")).status_code == 200
    assert authenticate(username="fresh", password="a-phrase-of-my-own") is not None


def test_the_password_page_says_what_is_wrong(viewer_client):
    response = viewer_client.post(
        reverse("web:password_change"),
        {"old_password": "nope", "new_password": "abc", "new_password_again": "abd"},
    )
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "两次输入的新密码不一致" in html


def test_events_are_listed_newest_first(admin_client):
    make_event(slug="older-fair", start=dt.date(2023, 6, 1))
    make_event(slug="newer-fair", start=dt.date(2025, 6, 1))
    make_event(slug="middle-fair", start=dt.date(2024, 6, 1))
    html = admin_client.get(reverse("web:event_list")).content.decode()
    order = [html.index(f"/events/{slug}/") for slug in ("newer-fair", "middle-fair", "older-fair")]
    assert order == sorted(order)
    assert reverse("web:event_create") in html


@pytest.mark.parametrize("name", ["web:user_create", "web:event_create", "web:password_change"])
def test_the_forms_speak_english_in_english_and_chinese_in_chinese(admin_client, name):
    english = admin_client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = admin_client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    words = {
        "web:user_create": ("Add a user", "添加用户", "Role", "角色"),
        "web:event_create": ("New event", "新建活动", "Host region", "举办地"),
        "web:password_change": ("Change your password", "修改密码", "New password", "新密码"),
    }[name]
    en_title, zh_title, en_label, zh_label = words
    assert en_title in english and en_label in english
    assert zh_title not in english and zh_label not in english
    assert zh_title in chinese and zh_label in chinese


def test_the_invitation_to_import_chooses_its_event_on_the_upload_page(admin_client):
    make_event(slug="newest-fair", start=dt.date(2025, 6, 1))
    make_event(slug="quiet-fair", start=dt.date(2024, 6, 1))
    page = admin_client.get(reverse("web:import_index"), {"event": "quiet-fair"}).content.decode()
    assert re.search(r'<option value="quiet-fair" selected>', page)
    page = admin_client.get(reverse("web:import_index")).content.decode()
    assert not re.search(r'<option value="quiet-fair" selected>', page)


def test_guessing_the_current_password_is_within_the_sign_in_limits(client, django_user_model):
    # Review of #12.3: the password page checked the current password outside the limits, so
    # a borrowed session could guess it without end.
    from investpromo.accounts.services import USER_LIMIT

    user = django_user_model.objects.create_user("guessed", password="Right-password-1")
    client.force_login(user)
    url = reverse("web:password_change")
    guess = {"new_password": "Brand-new-pass-7", "new_password_again": "Brand-new-pass-7"}
    for number in range(USER_LIMIT):
        page = client.post(url, {**guess, "old_password": f"wrong-{number}"})
        assert "old_password" in page.context["form"].errors
    # The next try is refused before any password is checked, the right one included.
    locked = client.post(url, {**guess, "old_password": "Right-password-1"})
    assert locked.status_code == 200 and locked.context["form"].non_field_errors()
    user.refresh_from_db()
    assert user.check_password("Right-password-1")
