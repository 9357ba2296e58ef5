"""Projects through the API: the web ledger's filters, the services' rules, versions as ETags."""

import pytest

from investpromo.core.models import ChangeLog
from investpromo.projects.models import Project
from tests.api.conftest import db_state

pytestmark = pytest.mark.django_db


def _names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def _new_project(ledger, dest):
    return {
        "name": "新建项目",
        "investor": ledger["investor"].pk,
        "destination_region": dest,
        "event": "test-event",
        "contract_value": "50000000",
        "signing_date": "2024-09-01",
        "sei_industry": 1,
    }


def test_list_uses_the_ledger_filters(viewer_api, ledger):
    assert _names(viewer_api.get("/api/projects/")) == ["大庆项目", "哈尔滨项目"]
    assert _names(viewer_api.get("/api/projects/", {"destination": "大庆"})) == ["大庆项目"]
    assert _names(viewer_api.get("/api/projects/", {"destination": "230100"})) == ["哈尔滨项目"]
    assert _names(viewer_api.get("/api/projects/", {"origin": "宁波"})) == ["大庆项目"]
    assert _names(viewer_api.get("/api/projects/", {"q": "哈尔滨"})) == ["哈尔滨项目"]
    assert _names(viewer_api.get("/api/projects/", {"sei": "none"})) == ["大庆项目", "哈尔滨项目"]
    assert _names(viewer_api.get("/api/projects/", {"sei": "any"})) == []
    assert _names(viewer_api.get("/api/projects/", {"value_min": "100000000"})) == ["哈尔滨项目"]
    assert _names(viewer_api.get("/api/projects/", {"signed_to": "2024-08-31"})) == ["哈尔滨项目"]
    assert _names(viewer_api.get("/api/projects/", {"event": "test-event"})) == [
        "大庆项目",
        "哈尔滨项目",
    ]


def test_list_sorts_by_the_web_key_or_ordering(viewer_api, ledger):
    assert _names(viewer_api.get("/api/projects/", {"sort": "value"})) == ["大庆项目", "哈尔滨项目"]
    assert _names(viewer_api.get("/api/projects/", {"sort": "-value"})) == [
        "哈尔滨项目",
        "大庆项目",
    ]
    assert _names(viewer_api.get("/api/projects/", {"ordering": "signing_date"})) == [
        "哈尔滨项目",
        "大庆项目",
    ]
    assert _names(viewer_api.get("/api/projects/", {"ordering": "-id"})) == [
        "大庆项目",
        "哈尔滨项目",
    ]


@pytest.mark.parametrize(
    "params",
    [{"destination": "火星"}, {"sei": "42"}, {"signed_from": "yesterday"}, {"event": "nope"}],
)
def test_invalid_filter_is_400_naming_the_parameter(viewer_api, ledger, params):
    response = viewer_api.get("/api/projects/", params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_pagination(viewer_api, ledger):
    first = viewer_api.get("/api/projects/", {"page_size": 1}).json()
    assert first["count"] == 2 and len(first["results"]) == 1 and first["next"]
    second = viewer_api.get("/api/projects/", {"page_size": 1, "page": 2}).json()
    assert second["results"][0]["id"] != first["results"][0]["id"]
    assert viewer_api.get("/api/projects/", {"page": 9}).status_code == 404
    capped = viewer_api.get("/api/projects/", {"page_size": 100000})
    assert capped.status_code == 200


def test_detail_has_etag_and_converted_value(viewer_api, ledger):
    project = ledger["daqing"]
    response = viewer_api.get(f"/api/projects/{project.pk}/")
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    body = response.json()
    assert body["value_cny"] == "14200000.00"
    assert body["rate_cny_per_unit"] == "7.100000"
    assert body["destination_region"] == "230602"
    assert body["investor_name"] == "宁波测试材料有限公司"
    assert viewer_api.get("/api/projects/999999/").status_code == 404
    assert viewer_api.get("/api/projects/abc/").status_code == 404


@pytest.mark.parametrize(
    ("role", "dest", "expected"),
    [
        ("anonymous", "230602", 401),
        ("viewer", "230602", 403),
        ("officer", "230103", 403),
        ("officer", "230602", 201),
        ("admin", "230103", 201),
    ],
)
def test_create_by_role(clients, ledger, role, dest, expected):
    before = db_state()
    response = clients[role].post("/api/projects/", _new_project(ledger, dest), format="json")
    assert response.status_code == expected, response.content
    if expected != 201:
        assert db_state() == before
        return
    project = Project.objects.get(pk=response.json()["id"])
    assert project.sei_status == "sei" and project.sei_industry_id == 1
    assert response["ETag"] == '"1"'
    entry = ChangeLog.objects.first()
    assert (entry.action, entry.source, entry.object_id) == ("create", "api", str(project.pk))
    assert entry.user.username == {"officer": "daqing-officer", "admin": "api-admin"}[role]


def test_service_validation_names_the_field(admin_api, ledger):
    before = db_state()
    cases = [
        ({"destination_region": "230000"}, "destination_region"),  # a province
        ({"contract_value": "0"}, "contract_value"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "EUR"}, "currency"),  # no EUR rate
        ({"sei_industry": None, "sei_status": "sei"}, "sei_industry"),
        ({"destination_region": "火星"}, "destination_region"),
        ({"investor": 999999}, "investor"),
        ({"industry_class": "C"}, "industry_class"),
        ({"contract_value": "abc"}, "contract_value"),
    ]
    for change, field in cases:
        response = admin_api.post(
            "/api/projects/", {**_new_project(ledger, "230103"), **change}, format="json"
        )
        assert response.status_code == 400, (change, response.content)
        assert list(response.json()) == [field], (change, response.json())
        assert isinstance(response.json()[field], list)
    assert db_state() == before


def test_update_needs_the_version_and_refuses_a_stale_one(admin_api, ledger):
    project = ledger["harbin"]
    url = f"/api/projects/{project.pk}/"
    before = db_state()
    missing = admin_api.patch(url, {"name": "改名"}, format="json")
    assert missing.status_code == 428
    stale = admin_api.patch(url, {"name": "改名"}, format="json", HTTP_IF_MATCH='"7"')
    assert stale.status_code == 412
    assert "detail" in stale.json()
    stale_body = admin_api.patch(url, {"name": "改名", "version": 7}, format="json")
    assert stale_body.status_code == 412
    garbage = admin_api.patch(url, {"name": "改名"}, format="json", HTTP_IF_MATCH="whatever")
    assert garbage.status_code == 412
    assert db_state() == before
    # In the caller's language, like every other message.
    chinese = admin_api.patch(url, {"name": "改名"}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert (
        chinese.json()["detail"] == "请提交您所编辑的版本：使用 If-Match 请求头或 `version` 字段。"
    )

    ok = admin_api.patch(url, {"name": "改名"}, format="json", HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200, ok.content
    assert ok["ETag"] == '"2"'
    assert ok.json()["name"] == "改名" and ok.json()["version"] == 2
    entry = ChangeLog.objects.first()
    assert (entry.action, entry.source, entry.user.username) == ("update", "api", "api-admin")
    # The same edit again, from the version it was made on, is now stale.
    assert (
        admin_api.patch(url, {"name": "又改"}, format="json", HTTP_IF_MATCH='"1"').status_code
        == 412
    )
    assert Project.objects.get(pk=project.pk).name == "改名"


def test_put_replaces_and_reconverts(admin_api, ledger):
    project = ledger["harbin"]
    body = {
        **_new_project(ledger, "230103"),
        "currency": "USD",
        "contract_value": "1000",
        "version": 1,
    }
    response = admin_api.put(f"/api/projects/{project.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["value_cny"] == "7100.00"


def test_co_investors_are_set_on_create_only(admin_api, ledger):
    body = {**_new_project(ledger, "230103"), "co_investors": [ledger["other"].pk]}
    created = admin_api.post("/api/projects/", body, format="json").json()
    assert created["co_investors"] == [ledger["other"].pk]
    response = admin_api.patch(
        f"/api/projects/{created['id']}/", {"co_investors": []}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 400 and "co_investors" in response.json()


def test_header_and_body_versions_must_agree(admin_api, ledger):
    response = admin_api.patch(
        f"/api/projects/{ledger['harbin'].pk}/",
        {"name": "x", "version": 1},
        format="json",
        HTTP_IF_MATCH='"2"',
    )
    assert response.status_code == 400 and "version" in response.json()


@pytest.mark.parametrize(
    ("role", "project", "expected"),
    [
        ("anonymous", "daqing", 401),
        ("viewer", "daqing", 403),
        ("officer", "harbin", 403),
        ("officer", "daqing", 200),
        ("admin", "harbin", 200),
    ],
)
def test_update_by_role(clients, ledger, role, project, expected):
    before = db_state()
    response = clients[role].patch(
        f"/api/projects/{ledger[project].pk}/",
        {"notes": "已开工"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == expected, response.content
    if expected == 200:
        assert Project.objects.get(pk=ledger[project].pk).notes == "已开工"
        assert ChangeLog.objects.count() == before["changelog"] + 1
    else:
        assert db_state() == before


def test_officer_cannot_move_a_project_out_of_their_regions(officer_api, ledger):
    before = db_state()
    response = officer_api.patch(
        f"/api/projects/{ledger['daqing'].pk}/",
        {"destination_region": "230103"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 403
    assert db_state() == before


@pytest.mark.parametrize(
    ("role", "project", "expected"),
    [
        ("anonymous", "daqing", 401),
        ("viewer", "daqing", 403),
        ("officer", "harbin", 403),
        ("officer", "daqing", 204),
        ("admin", "harbin", 204),
    ],
)
def test_delete_by_role(clients, ledger, role, project, expected):
    before = db_state()
    response = clients[role].delete(f"/api/projects/{ledger[project].pk}/", HTTP_IF_MATCH='"1"')
    assert response.status_code == expected
    if expected == 204:
        assert not Project.objects.filter(pk=ledger[project].pk).exists()
        entry = ChangeLog.objects.first()
        assert (entry.action, entry.source) == ("delete", "api")
    else:
        assert db_state() == before


@pytest.mark.parametrize(("role", "expected"), [("officer", 428), ("admin", 428), ("viewer", 403)])
def test_stale_edits_a_delete_without_if_match_is_refused(clients, ledger, role, expected):
    # Issue #12.7: a blind delete could remove a project someone had just changed.
    before = db_state()
    response = clients[role].delete(
        f"/api/projects/{ledger['daqing'].pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == expected
    if expected == 428:
        assert response.json()["detail"].startswith("Send the version you edited")
    assert db_state() == before


def test_delete_with_stale_if_match_is_refused(admin_api, ledger):
    before = db_state()
    response = admin_api.delete(f"/api/projects/{ledger['harbin'].pk}/", HTTP_IF_MATCH='"5"')
    assert response.status_code == 412
    assert db_state() == before


def test_filter_text_with_percent_signs_is_a_400(viewer_api, ledger):
    # The region resolver quotes the text in its message; "%" in it once made a 500.
    response = viewer_api.get("/api/projects/", {"origin": "50%s", "destination": "%"})
    assert response.status_code == 400
    assert set(response.json()) == {"origin", "destination"}
    assert "50%s" in response.json()["origin"][0]


def test_a_value_too_large_to_store_is_a_400(admin_api, ledger):
    rate = admin_api.post(
        "/api/rates/",
        {"currency": "JPY", "date": "2024-01-01", "cny_per_unit": "999999"},
        format="json",
    )
    assert rate.status_code == 201, rate.content
    before = db_state()
    body = {
        **_new_project(ledger, "230103"),
        "contract_value": "999999999999999",
        "currency": "JPY",
    }
    response = admin_api.post("/api/projects/", body, format="json")
    assert response.status_code == 400 and list(response.json()) == ["contract_value"]
    assert "too large" in response.json()["contract_value"][0]
    body["contract_value"] = "1000000000000001"
    assert admin_api.post("/api/projects/", body, format="json").status_code == 400
    assert db_state() == before
