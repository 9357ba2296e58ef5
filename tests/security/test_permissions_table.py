"""Who may do what: every URL of the site, as each kind of user, against permissions_table.py.

One set of objects for the module (made once, rolled back at its end), one test client, each
role's request undone before the next: the whole walk takes seconds.
"""

import datetime as dt
import json
from http.cookies import SimpleCookie
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from investpromo.accounts.models import Profile
from investpromo.core.audit import system_user
from investpromo.followup.services import record_progress, take_snapshot
from investpromo.jobs.models import Job
from investpromo.jobs.services import submit_job
from investpromo.participants import services as participants
from investpromo.projects.rates import set_exchange_rate
from investpromo.sectors.models import IndustryCategory, SEIIndustry
from tests.factories import make_event, make_org, make_project, region
from tests.security.permissions_table import (
    ADMIN_OWN,
    ADMIN_RULE,
    KWARGS,
    LOGIN,
    PENDING,
    ROLES,
    TABLE,
    Call,
)

# ---------------------------------------------------------------------------------------------
# The shared objects: made once for the module, inside a transaction rolled back at its end.


def _make_objects() -> dict:
    """The users and records every test reads, by name."""
    users = get_user_model().objects
    objects = {}
    objects["viewer"] = users.create_user("table-viewer")
    Profile.objects.create(user=objects["viewer"], role=Profile.Role.VIEWER)
    for name, code in (("elsewhere", "230600"), ("here", "230100")):
        user = users.create_user(f"table-officer-{code}")
        Profile.objects.create(user=user, role=Profile.Role.OFFICER).regions.set([region(code)])
        objects[name] = user
    # The administrator made by `investpromo setup` is a staff superuser; so is this one.
    objects["administrator"] = users.create_user("table-admin", is_staff=True, is_superuser=True)
    Profile.objects.create(user=objects["administrator"], role=Profile.Role.ADMINISTRATOR)

    objects["harbin"] = region("230103")
    objects["industry"] = IndustryCategory.objects.get(code="3911")
    objects["sei"] = SEIIndustry.objects.get(code=1)
    actor = system_user()
    event = make_event(slug="table-event")
    objects["event"] = event
    objects["empty_event"] = make_event(slug="table-empty-event", start=dt.date(2024, 10, 1))
    objects["investor"] = make_org(name="哈尔滨表格投资有限公司", home="230100")
    objects["unused_org"] = make_org(name="无项目的表格公司", home="230100")
    objects["project"] = make_project(
        event=event,
        name="哈尔滨表格项目",
        investor=objects["investor"],
        dest="230103",
        signing_date=dt.date(2024, 8, 31),
    )
    objects["bare_project"] = make_project(
        event=event, name="哈尔滨无进展项目", investor=objects["investor"], dest="230103"
    )
    objects["daqing_project"] = make_project(
        event=event, name="大庆表格项目", investor=make_org(name="大庆表格公司"), dest="230602"
    )
    objects["step"] = record_progress(
        actor=actor,
        project=objects["project"],
        stage="registered",
        date=dt.date(2024, 9, 5),
        evidence_files=[SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff site photo")],
    )
    objects["evidence"] = objects["step"].evidence.get()
    objects["snapshot"] = take_snapshot(
        actor=actor, event=event, as_of=dt.date(2024, 9, 30), label="表格月报"
    )
    # A matchmaking event: participants in Harbin (the officer "here"'s) and Daqing, and an
    # agreed meeting between them that the Harbin project can name as its origin.
    meeting_event = make_event(slug="table-meeting-event", start=dt.date(2024, 11, 1))
    objects["meeting_event"] = meeting_event
    for name, code, side in (
        ("participant", "230103", "host"),
        ("daqing_participant", "230602", "host"),
        ("third_participant", "440300", "visitor"),
    ):
        objects[name] = participants.create_participant(
            actor=actor, event=meeting_event, name=f"表格{name}", side=side, region=region(code)
        )
    objects["meeting"] = participants.create_must_meeting(
        actor=actor, requester=objects["participant"], recipient=objects["daqing_participant"]
    )
    _link, token = participants.issue_portal_link(actor=actor, participant=objects["participant"])
    objects["portal"] = SimpleNamespace(token=token)
    objects["rate"], _ = set_exchange_rate(
        actor=actor, currency="EUR", cny_per_unit="7.8", date=event.start_date
    )
    csv = "项目名称,投资方,项目落地地,签约金额\n哈尔滨新项目,某公司,哈尔滨市南岗区,1亿元\n"
    objects["job"] = submit_job(
        actor=objects["here"],
        kind=Job.Kind.SIGNING_IMPORT,
        file=SimpleUploadedFile("list.csv", csv.encode()),
        original_name="list.csv",
        event=event,
        dry_run=True,
    )
    progress = (
        "项目名称,投资方,进展阶段,日期\n哈尔滨表格项目,哈尔滨表格投资有限公司,已开工,2024-09-20\n"
    )
    objects["progress_job"] = submit_job(
        actor=objects["here"],
        kind=Job.Kind.PROGRESS_IMPORT,
        file=SimpleUploadedFile("progress.csv", progress.encode()),
        original_name="progress.csv",
        dry_run=True,
    )
    return objects


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # A wrong password is still checked against a hash; Argon2 is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("table-media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, media_root):
    """The module's files (evidence, uploads) live as long as its objects (overrides conftest)."""
    settings.MEDIA_ROOT = media_root


@pytest.fixture(scope="module")
def objects(django_db_setup, django_db_blocker, media_root):
    """The objects, made once for the module in a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(MEDIA_ROOT=media_root):
                made = _make_objects()
            yield made
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# ---------------------------------------------------------------------------------------------
# The URLconf walked.


def _patterns(resolvers=None, namespace=""):
    """(name, pattern) of every URL pattern, namespaces included, recursively."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else f"{namespace}{entry.pattern}"
            yield name, entry.pattern


def _url(name: str, objects: dict, target: str | None) -> str:
    if name == "api:^.*$":
        return "/api/no-such-endpoint/"
    if name not in KWARGS:
        return reverse(name)
    argument, attribute, default = KWARGS[name]
    return reverse(name, kwargs={argument: getattr(objects[target or default], attribute)})


# One client for the module: a new one loads the middleware again (WhiteNoise scans every
# static file), which would cost more than the requests themselves.
CLIENT = Client()


def _client(role: str, objects: dict) -> Client:
    CLIENT.cookies = SimpleCookie()
    if role != "anonymous":
        CLIENT.force_login(objects[role])
    return CLIENT


def _request(client: Client, url: str, call: Call, objects: dict):
    body = call.body(objects) if callable(call.body) else call.body
    headers = call.headers(objects) if callable(call.headers) else call.headers
    if call.method == "GET":
        return client.get(url, body or {}, headers=headers)
    if call.form:
        return client.generic(call.method, url, **_multipart(body or {}), headers=headers)
    return client.generic(
        call.method,
        url,
        data=json.dumps(body or {}),
        content_type="application/json",
        headers=headers,
    )


def _multipart(body: dict) -> dict:
    return {"data": encode_multipart(BOUNDARY, body), "content_type": MULTIPART_CONTENT}


def _cases():
    """One test per row and method; a role with a PENDING note is a case of its own (xfail)."""
    for name, calls in TABLE.items():
        for call in calls:
            label = f"{name} {call.method}" + (f" {call.target}" if call.target else "")
            pending = [role for role in ROLES if (name, call.method, role) in PENDING]
            settled = tuple(role for role in ROLES if role not in pending)
            yield pytest.param(name, call, settled, id=label)
            for role in pending:
                note = PENDING[(name, call.method, role)]
                yield pytest.param(
                    name,
                    call,
                    (role,),
                    marks=pytest.mark.xfail(strict=True, reason=note),
                    id=f"{label} {role}",
                )


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "call", "roles"), list(_cases()))
def test_who_may_do_what(objects, name, call, roles):
    url = _url(name, objects, call.target)
    wrong = []
    for role in roles:
        expected = call.expect[ROLES.index(role)]
        # Each role's request is undone before the next (an administrator's delete included).
        with transaction.atomic():
            response = _request(_client(role, objects), url, call, objects)
            if response.streaming:
                # Read to the end, which closes the file (the client's wrapper does it safely).
                b"".join(response.streaming_content)
            transaction.set_rollback(True)
        if response.status_code != expected:
            wrong.append(f"{role}: {response.status_code}, the table says {expected}")
    assert not wrong, f"{call.method} {url}\n" + "\n".join(wrong)


def _admin_pages() -> list[str]:
    """The admin's URL names that take no arguments (its index, changelists, add forms)."""
    return sorted(
        name
        for name, pattern in _patterns()
        if name.startswith("admin:") and not pattern.regex.groupindex
    )


@pytest.mark.django_db
def test_admin_is_for_staff_only(objects):
    pages = _admin_pages()
    assert "admin:index" in pages and "admin:projects_project_changelist" in pages
    wrong = []
    for name in pages:
        url = reverse(name)
        for role, expected in zip(ROLES, ADMIN_OWN.get(name, ADMIN_RULE), strict=True):
            response = _client(role, objects).get(url)
            if response.status_code != expected:
                wrong.append(f"{url} as {role}: {response.status_code}, expected {expected}")
            elif expected == LOGIN and name not in ADMIN_OWN:
                assert response["Location"].startswith(reverse("admin:login")), url
    assert not wrong, "\n".join(wrong)


def test_every_url_has_a_row():
    # Admin pages with arguments (a record's change page) fall under the same rule.
    names = {name for name, _pattern in _patterns() if not name.startswith("admin:")}
    assert not names - set(TABLE), f"URLs without a row in the table: {sorted(names - set(TABLE))}"
    assert not set(TABLE) - names, f"rows without a URL: {set(TABLE) - names}"
