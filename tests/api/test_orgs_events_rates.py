"""Organisations, events and rates: reads, writes by role, the services' rules and audit rows."""

import pytest

from investpromo.core.models import ChangeLog
from investpromo.events.models import Event
from investpromo.projects.models import ExchangeRate
from tests.api.conftest import db_state

pytestmark = pytest.mark.django_db

# (role, expected status) for organisations (officers and administrators may write)...
ORG_ROLES = [("anonymous", 401), ("viewer", 403), ("officer", None), ("admin", None)]
# ...and for events and rates (administrators only).
ADMIN_ROLES = [("anonymous", 401), ("viewer", 403), ("officer", 403), ("admin", None)]


def _last_change():
    entry = ChangeLog.objects.first()
    return entry.action, entry.source


def _refused(response, expected, before):
    assert response.status_code == expected, response.content
    assert "detail" in response.json()
    assert db_state() == before


# Organisations


def test_organisation_list_filters(viewer_api, ledger):
    rows = viewer_api.get("/api/organisations/", {"q": "宁波"}).json()["results"]
    assert [r["name"] for r in rows] == ["宁波测试材料有限公司"]
    rows = viewer_api.get("/api/organisations/", {"home_region": "44"}).json()["results"]
    assert [r["name"] for r in rows] == ["深圳测试投资有限公司"]
    rows = viewer_api.get("/api/organisations/", {"ordering": "-name"}).json()["results"]
    assert [r["name"] for r in rows] == sorted([r["name"] for r in rows], reverse=True)
    assert viewer_api.get("/api/organisations/", {"kind": "alien"}).status_code == 400
    assert viewer_api.get("/api/organisations/", {"ordering": "password"}).status_code == 200


@pytest.mark.parametrize(("role", "expected"), ORG_ROLES)
def test_organisation_writes_by_role(clients, ledger, role, expected):
    client = clients[role]
    before = db_state()
    created = client.post(
        "/api/organisations/",
        {"name": "新投资者", "home_region": "北京", "kind": "investor"},
        format="json",
    )
    org = ledger["other"]
    updated = client.patch(f"/api/organisations/{org.pk}/", {"name": "新名字"}, format="json")
    blocked = client.delete(f"/api/organisations/{org.pk}/")  # it has a project
    if expected is not None:
        for response in (created, updated, blocked):
            assert response.status_code == expected
        assert db_state() == before
        return
    assert created.status_code == 201, created.content
    assert created.json()["home_region"] == "110000"
    # The officer's: the only project naming it is in 大庆.
    assert updated.status_code == 200
    assert updated.json()["aliases"] == ["宁波测试材料有限公司"]
    deleted = client.delete(f"/api/organisations/{created.json()['id']}/")
    if role == "officer":  # deleting organisations is for administrators
        assert (blocked.status_code, deleted.status_code) == (403, 403)
        actions = ["create", "update"]
    else:
        assert (blocked.status_code, deleted.status_code) == (400, 204)
        actions = ["create", "update", "delete"]
    assert (
        list(ChangeLog.objects.filter(source="api").order_by("id").values_list("action", flat=True))
        == actions
    )


def test_officers_change_only_organisations_their_regions_use(officer_api, admin_api, ledger):
    # Issue #12.4: a 大庆 officer renamed and deleted organisations only 哈尔滨 projects use.
    harbin_only = ledger["investor"]
    unused = admin_api.post("/api/organisations/", {"name": "无项目公司"}, format="json").json()
    before = db_state()
    url = f"/api/organisations/{harbin_only.pk}/"
    for response in (
        officer_api.patch(url, {"name": "改掉的名字"}, format="json", HTTP_ACCEPT_LANGUAGE="en"),
        officer_api.patch(url, {"name": ""}, format="json", HTTP_ACCEPT_LANGUAGE="en"),
        officer_api.put(url, {"name": "改掉的名字"}, format="json", HTTP_ACCEPT_LANGUAGE="en"),
    ):
        assert response.status_code == 403, response.content
        assert response.json()["detail"] == (
            "You may change 深圳测试投资有限公司 only if every project that uses it is in your "
            "regions; 哈尔滨项目 is in 黑龙江省哈尔滨市南岗区."
        )
    chinese = officer_api.patch(url, {"name": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 403 and "您所辖地区" in chinese.json()["detail"]
    for response in (
        officer_api.delete(url),
        officer_api.delete(f"/api/organisations/{unused['id']}/"),
        # Someone else's organisation that no project uses is not the officer's either.
        officer_api.patch(f"/api/organisations/{unused['id']}/", {"kind": "other"}, format="json"),
    ):
        assert response.status_code == 403
    assert db_state() == before
    assert admin_api.patch(url, {"name": "管理员改名"}, format="json").status_code == 200


def test_organisation_uscc_checked_by_the_service(admin_api, db):
    before = db_state()
    response = admin_api.post(
        "/api/organisations/", {"name": "坏代码公司", "uscc": "123"}, format="json"
    )
    assert response.status_code == 400 and list(response.json()) == ["uscc"]
    response = admin_api.post("/api/organisations/", {"name": "  "}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["name"]
    assert db_state() == before


# Events


def test_event_list_and_detail(viewer_api, ledger):
    rows = viewer_api.get("/api/events/").json()["results"]
    assert rows[0]["slug"] == "test-event" and rows[0]["project_count"] == 2
    detail = viewer_api.get("/api/events/test-event/").json()
    assert detail["host_region"] == "230100" and detail["value_cny"] == "114200000.00"
    assert viewer_api.get("/api/events/", {"host_region": "44"}).json()["count"] == 0
    assert viewer_api.get("/api/events/nope/").status_code == 404


@pytest.mark.parametrize(("role", "expected"), ADMIN_ROLES)
def test_event_writes_by_role(clients, ledger, role, expected):
    client = clients[role]
    before = db_state()
    body = {
        "slug": "new-event",
        "name": "新推介会",
        "start_date": "2025-01-02",
        "host_region": "大庆",
    }
    created = client.post("/api/events/", body, format="json")
    updated = client.patch("/api/events/test-event/", {"organiser": "省商务厅"}, format="json")
    blocked = client.delete("/api/events/test-event/")  # it has projects
    if expected is not None:
        for response in (created, updated, blocked):
            _refused(response, expected, before)
        return
    assert created.status_code == 201, created.content
    assert created.json()["end_date"] == "2025-01-02"
    assert created.json()["project_count"] == 0
    assert updated.status_code == 200 and updated.json()["organiser"] == "省商务厅"
    assert blocked.status_code == 400 and "detail" in blocked.json()
    assert client.delete("/api/events/new-event/").status_code == 204
    assert not Event.objects.filter(slug="new-event").exists()
    assert _last_change() == ("delete", "api")


def test_event_rules_come_from_the_service(admin_api, ledger):
    before = db_state()
    cases = [
        ({"slug": "Bad Slug"}, "slug"),
        ({"slug": "test-event"}, "slug"),  # exists
        ({"end_date": "2024-01-01"}, "end_date"),
        ({"host_region": "火星"}, "host_region"),
    ]
    base = {
        "slug": "ok-event",
        "name": "推介会",
        "start_date": "2025-01-02",
        "host_region": "230100",
    }
    for change, field in cases:
        response = admin_api.post("/api/events/", {**base, **change}, format="json")
        assert response.status_code == 400, response.content
        assert list(response.json()) == [field]
    renamed = admin_api.patch("/api/events/test-event/", {"slug": "other"}, format="json")
    assert renamed.status_code == 400 and list(renamed.json()) == ["slug"]
    assert db_state() == before


# Rates


def test_rate_list_filters(viewer_api, ledger):
    rows = viewer_api.get("/api/rates/", {"currency": "usd"}).json()["results"]
    assert [(r["currency"], r["cny_per_unit"]) for r in rows] == [("USD", "7.100000")]
    assert viewer_api.get("/api/rates/", {"date_to": "2020-01-01"}).json()["count"] == 0


@pytest.mark.parametrize(("role", "expected"), ADMIN_ROLES)
def test_rate_writes_by_role(clients, ledger, role, expected):
    client = clients[role]
    rate = ExchangeRate.objects.get()
    before = db_state()
    created = client.post(
        "/api/rates/",
        {"currency": "EUR", "date": "2024-08-01", "cny_per_unit": "7.8"},
        format="json",
    )
    updated = client.patch(f"/api/rates/{rate.pk}/", {"cny_per_unit": "7.2"}, format="json")
    if expected is not None:
        for response in (created, updated, client.delete(f"/api/rates/{rate.pk}/")):
            _refused(response, expected, before)
        return
    assert created.status_code == 201, created.content
    assert updated.status_code == 200 and updated.json()["cny_per_unit"] == "7.200000"
    # Setting the same currency and date again replaces the rate.
    again = client.post(
        "/api/rates/",
        {"currency": "eur", "date": "2024-08-01", "cny_per_unit": "7.9"},
        format="json",
    )
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    assert client.delete(f"/api/rates/{rate.pk}/").status_code == 204
    assert list(
        ChangeLog.objects.filter(source="api").order_by("id").values_list("action", flat=True)
    ) == ["create", "update", "update", "delete"]


def test_rate_rules(admin_api, db):
    before = db_state()
    for body, field in [
        ({"currency": "CNY", "date": "2024-01-01", "cny_per_unit": "1"}, "currency"),
        ({"currency": "XXX", "date": "2024-01-01", "cny_per_unit": "1"}, "currency"),
        ({"currency": "USD", "date": "2024-01-01", "cny_per_unit": "-1"}, "cny_per_unit"),
        ({"currency": "USD", "date": "2024-01-01", "cny_per_unit": "1e30"}, "cny_per_unit"),
        ({"currency": "USD", "date": "2024-01-01", "cny_per_unit": "1000001"}, "cny_per_unit"),
        ({"currency": "USD", "date": "2024-01-01", "cny_per_unit": "0"}, "cny_per_unit"),
    ]:
        response = admin_api.post("/api/rates/", body, format="json")
        assert response.status_code == 400, response.content
        assert list(response.json()) == [field]
    assert db_state() == before


# Reference data


def test_regions(viewer_api):
    assert viewer_api.get("/api/regions/", {"level": 1}).json()["count"] == 34
    children = viewer_api.get("/api/regions/", {"parent": "230100", "page_size": 500}).json()
    assert {r["code"] for r in children["results"]} >= {"230102", "230103"}
    named = viewer_api.get("/api/regions/", {"q": "大庆"}).json()["results"]
    assert named[0]["code"] == "230600"
    detail = viewer_api.get("/api/regions/230103/").json()
    assert (detail["parent"], detail["province"], detail["stat_prefecture"]) == (
        "230100",
        "230000",
        "230100",
    )
    assert viewer_api.get("/api/regions/999999/").status_code == 404
    assert viewer_api.get("/api/regions/", {"level": 7}).status_code == 400


def test_industries_and_sei(viewer_api):
    classes = viewer_api.get("/api/industries/", {"level": 4, "section": "c", "q": "3911"}).json()
    assert [r["code"] for r in classes["results"]] == ["3911"]
    assert viewer_api.get("/api/industries/C/").json()["level"] == 1
    assert viewer_api.get("/api/industries/", {"parent": "39", "level": 3}).json()["count"] > 0
    sei = viewer_api.get("/api/sei-industries/").json()
    assert sei["count"] == 9
    assert viewer_api.get("/api/sei-industries/1/").json()["name_en"]


def test_reads_need_authentication(anon_api, ledger):
    for url in [
        "/api/regions/",
        "/api/industries/",
        "/api/sei-industries/",
        "/api/rates/",
        "/api/organisations/",
        "/api/events/",
        "/api/events/test-event/summary/",
    ]:
        assert anon_api.get(url).status_code == 401, url
