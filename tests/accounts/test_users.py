"""Managing accounts: the services (administrators only, audited, never locking the site out)
and `investpromo user`, which calls them."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from rest_framework.authtoken.models import Token

from investpromo.accounts.models import Profile
from investpromo.accounts.permissions import role_of
from investpromo.accounts.selectors import list_accounts, must_change_password
from investpromo.accounts.services import issue_api_token
from investpromo.accounts.services.users import (
    change_own_password,
    change_user,
    create_user,
    deactivate_user,
    parse_region_list,
    reactivate_user,
    reset_password,
)
from investpromo.core.audit import system_user
from investpromo.core.errors import PermissionDenied, UserError
from investpromo.core.models import ChangeLog
from tests.factories import region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin():
    user, _ = create_user(actor=system_user(), username="chief", role="administrator")
    return user


@pytest.fixture
def officer(admin):
    user, _ = create_user(
        actor=admin, username="daqing", role="officer", regions=[region("230600")]
    )
    return user


def log_of(user):
    return list(
        ChangeLog.objects.filter(object_id=str(user.pk), content_type__model="user").order_by("id")
    )


def test_a_new_officer_signs_in_with_the_one_time_password_and_writes_only_their_regions(admin):
    user, password = create_user(
        actor=admin,
        username="harbin-officer",
        role="officer",
        regions=[region("230100"), region("230600"), region("230100")],
        email="officer@example.org",
        via="web",
    )
    assert authenticate(username="harbin-officer", password=password) == user
    assert len(password) == 19 and password.count("-") == 3
    assert role_of(user) == "officer" and not user.is_staff and not user.is_superuser
    assert sorted(r.code for r in user.profile.regions.all()) == ["230100", "230600"]
    [entry] = log_of(user)
    assert entry.action == "create" and entry.user == admin and entry.source == "web: user created"
    assert entry.after == {
        "username": "harbin-officer",
        "email": "officer@example.org",
        "is_active": True,
        "role": "officer",
        "regions": ["230100", "230600"],
    }
    # The password is never in the log, not even hashed.
    assert password not in str(entry.after) and "password" not in entry.after


def test_an_administrator_is_staff_and_superuser_so_the_admin_site_agrees(admin):
    assert role_of(admin) == "administrator" and admin.is_staff and admin.is_superuser


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"username": "a b", "role": "viewer"}, "invalid_username", "username"),
        ({"username": "", "role": "viewer"}, "invalid_username", "username"),
        ({"username": "CHIEF", "role": "viewer"}, "username_taken", "username"),
        ({"username": "investpromo-system", "role": "viewer"}, "username_taken", "username"),
        ({"username": "x", "role": "boss"}, "unknown_role", "role"),
        ({"username": "x", "role": "officer"}, "officer_without_region", "regions"),
        ({"username": "x", "role": "viewer", "email": "not-an-address"}, "invalid_email", "email"),
    ],
)
def test_mistakes_are_refused_with_a_code_and_create_nothing(admin, kwargs, code, field):
    users = get_user_model().objects.count()
    with pytest.raises(UserError) as refused:
        create_user(actor=admin, **kwargs)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert get_user_model().objects.count() == users


def test_only_administrators_manage_accounts(admin, officer):
    viewer, _ = create_user(actor=admin, username="leader", role="viewer")
    for actor in (officer, viewer):
        with pytest.raises(PermissionDenied):
            create_user(actor=actor, username="new", role="viewer")
        with pytest.raises(PermissionDenied):
            change_user(actor=actor, user=viewer, role="administrator")
        with pytest.raises(PermissionDenied):
            deactivate_user(actor=actor, user=viewer)
        with pytest.raises(PermissionDenied):
            reset_password(actor=actor, user=viewer)
    assert role_of(viewer) == "viewer" and viewer.is_active


def test_changing_role_and_regions_is_one_audited_row_and_regions_follow_the_role(admin, officer):
    change_user(actor=admin, user=officer, regions=[region("230100")], via="cli")
    officer.refresh_from_db()
    assert [r.code for r in officer.profile.regions.all()] == ["230100"]
    change_user(actor=admin, user=officer, role="viewer")
    officer.refresh_from_db()
    assert role_of(officer) == "viewer" and list(officer.profile.regions.all()) == []
    # The same again changes nothing: no row.
    change_user(actor=admin, user=officer, role="viewer")
    _created, moved, demoted = log_of(officer)
    assert (moved.before["regions"], moved.after["regions"]) == (["230600"], ["230100"])
    assert (demoted.before["role"], demoted.after["role"]) == ("officer", "viewer")
    assert demoted.after["regions"] == []
    with pytest.raises(UserError) as refused:
        change_user(actor=admin, user=officer, role="officer")
    assert refused.value.code == "officer_without_region"


def test_the_last_active_administrator_cannot_be_demoted_or_deactivated(admin):
    second, _ = create_user(actor=admin, username="deputy", role="administrator")
    # Nobody deactivates or demotes themselves.
    with pytest.raises(PermissionDenied) as refused:
        deactivate_user(actor=second, user=second)
    assert refused.value.code == "deactivate_self"
    with pytest.raises(PermissionDenied) as refused:
        change_user(actor=second, user=second, role="viewer")
    assert refused.value.code == "demote_self"
    # Another administrator may, while one remains.
    change_user(actor=second, user=admin, role="viewer")
    assert role_of(get_user_model().objects.get(pk=admin.pk)) == "viewer"
    # Now `deputy` is the last one: the system account (the CLI) cannot remove them either.
    with pytest.raises(UserError) as refused:
        deactivate_user(actor=system_user(), user=second)
    assert refused.value.code == "last_administrator"
    with pytest.raises(UserError) as refused:
        change_user(actor=system_user(), user=second, role="officer", regions=[region("230100")])
    assert refused.value.code == "last_administrator"
    second.refresh_from_db()
    assert second.is_active and role_of(second) == "administrator"


def test_an_inactive_administrator_does_not_count_and_a_superuser_without_profile_does(admin):
    legacy = get_user_model().objects.create_superuser("legacy", password=None)
    assert not Profile.objects.filter(user=legacy).exists()
    change_user(actor=legacy, user=admin, role="viewer")  # legacy remains
    with pytest.raises(UserError):
        deactivate_user(actor=system_user(), user=legacy)
    change_user(actor=system_user(), user=admin, role="administrator")
    deactivate_user(actor=admin, user=legacy)
    legacy.refresh_from_db()
    assert not legacy.is_active and legacy.is_superuser


def test_deactivating_stops_sign_in_and_ends_the_api_token(admin, officer):
    users = get_user_model().objects
    officer.set_password("pw-known-123")
    officer.save()
    issue_api_token(user=users.get(pk=officer.pk))
    deactivate_user(actor=admin, user=officer, via="web")
    assert authenticate(username="daqing", password="pw-known-123") is None
    assert not Token.objects.filter(user=officer).exists()
    deactivate_user(actor=admin, user=officer)  # already inactive: nothing more
    reactivate_user(actor=admin, user=officer, via="web")
    assert authenticate(username="daqing", password="pw-known-123") is not None
    account_rows = [e for e in log_of(officer) if "user" in e.source]
    assert [e.source for e in account_rows] == [
        "user created",
        "web: user deactivated",
        "web: user reactivated",
    ]
    assert [(e.before["is_active"], e.after["is_active"]) for e in account_rows[1:]] == [
        (True, False),
        (False, True),
    ]


def test_a_reset_password_replaces_the_old_one_and_is_logged_without_it(admin, officer):
    officer.set_password("old-password-123")
    officer.save()
    password = reset_password(actor=admin, user=officer, via="cli")
    assert authenticate(username="daqing", password="old-password-123") is None
    assert authenticate(username="daqing", password=password) is not None
    entry = log_of(officer)[-1]
    assert (entry.before, entry.after, entry.user) == (
        {"password": "set"},
        {"password": "reset"},
        admin,
    )
    assert reset_password(actor=admin, user=officer) != password


def test_the_system_account_is_not_managed_here(admin):
    with pytest.raises(UserError) as refused:
        reset_password(actor=admin, user=system_user())
    assert refused.value.code == "system_account"
    assert "investpromo-system" not in [a.user.username for a in list_accounts()]


def test_the_account_list_takes_two_queries_however_many_users(admin, django_assert_num_queries):
    for n in range(5):
        create_user(actor=admin, username=f"o{n}", role="officer", regions=[region("230100")])
    with django_assert_num_queries(2):
        accounts = list_accounts()
        names = [(a.user.username, a.role, [r.code for r in a.regions]) for a in accounts]
    assert ("o3", "officer", ["230100"]) in names and ("chief", "administrator", []) in names


def test_region_lists_split_as_typed():
    assert parse_region_list("230100, 大庆；230600、牡丹江 \n 230700") == [
        "230100",
        "大庆",
        "230600",
        "牡丹江",
        "230700",
    ]


# --- investpromo user ------------------------------------------------------------------------


def test_user_add_prints_a_one_time_password_that_signs_in(capsys):
    call_command(
        "user", "add", "qqhr", "--role", "officer", "--region", "230200", "--region", "大庆"
    )
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Added qqhr (officer)"
    password = out[1].removeprefix("One-time password: ")
    assert authenticate(username="qqhr", password=password) is not None
    user = get_user_model().objects.get(username="qqhr")
    assert sorted(r.code for r in user.profile.regions.all()) == ["230200", "230600"]
    assert log_of(user)[0].source == "cli: user created"


def test_user_list_set_deactivate(capsys, admin):
    call_command("user", "add", "mdj", "--role", "viewer", "--email", "m@example.org")
    call_command("user", "set", "mdj", "--role", "officer", "--region", "230600")
    capsys.readouterr()
    call_command("user", "deactivate", "mdj")
    call_command("user", "list")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Deactivated mdj"
    assert out[1:] == [
        "chief\tadministrator\t-\tactive\tnever",
        "mdj\tofficer\t230600\tinactive\tnever",
    ]
    call_command("user", "reactivate", "mdj")
    call_command("user", "reset-password", "mdj")
    assert capsys.readouterr().out.splitlines()[-1].startswith("One-time password for mdj: ")


@pytest.mark.parametrize(
    ("argv", "in_chinese", "in_english"),
    [
        (("add", "x", "--role", "officer"), "招商专员至少需要一个地区", "An officer needs"),
        (("add", "x", "--role", "officer", "--region", "不存在的地方"), "不存在的地方", None),
        (("set", "nobody", "--role", "viewer"), "没有名为 nobody 的用户", "No user named nobody"),
        (("deactivate", "chief"), "chief 是最后一位有效的管理员", "the last active administrator"),
    ],
)
def test_user_mistakes_are_one_line_exit_2_in_the_language_in_use(
    admin, argv, in_chinese, in_english
):
    # The command line speaks the site's language (Chinese) unless told otherwise. As in a
    # fresh process: no language left active by an earlier test in this worker.
    translation.deactivate()
    with pytest.raises(CommandError) as error:
        call_command("user", *argv)
    assert error.value.returncode == 2 and in_chinese in str(error.value)
    if in_english:
        with translation.override("en"), pytest.raises(CommandError) as error:
            call_command("user", *argv)
        assert in_english in str(error.value)


def test_a_given_password_must_be_replaced_and_the_change_is_logged(admin, officer):
    assert officer.profile.must_change_password
    password = reset_password(actor=admin, user=officer)
    with pytest.raises(UserError) as refused:
        change_own_password(actor=officer, old_password="wrong", new_password="x")
    assert (refused.value.code, refused.value.field) == ("wrong_password", "old_password")
    with pytest.raises(UserError) as refused:
        change_own_password(actor=officer, old_password=password, new_password=password)
    assert refused.value.code == "same_password"
    with pytest.raises(UserError) as refused:
        change_own_password(actor=officer, old_password=password, new_password="12345678")
    assert refused.value.code == "weak_password"
    assert must_change_password(officer)
    change_own_password(
        actor=officer, old_password=password, new_password="my-own-long-phrase", via="web"
    )
    assert not must_change_password(officer)
    assert authenticate(username="daqing", password="my-own-long-phrase") is not None
    entry = log_of(officer)[-1]
    assert (entry.user, entry.after, entry.source) == (
        officer,
        {"password": "changed by its user"},
        "web: password changed",
    )
    # An administrator's reset makes it a given password again.
    reset_password(actor=admin, user=officer)
    assert must_change_password(officer)
