"""Importing a signing list through the API: the importer's report and its all-or-nothing rule."""

import io

import pytest

from investpromo.core.models import ChangeLog
from investpromo.projects.models import Project
from tests.api.conftest import db_state

pytestmark = pytest.mark.django_db
URL = "/api/events/test-event/imports/"
GOOD_ROWS = [
    "新材料项目,深圳新材料有限公司,大庆市萨尔图区,5000",
    "装备项目,宁波装备有限公司,大庆市让胡路区,3000",
]
BAD_ROW = "坏项目,某公司,火星,abc"


def _csv(*rows, name="signing.csv"):
    text = "项目名称,投资方,项目落地地,签约金额（万元）\n" + "\n".join(rows) + "\n"
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = name
    return upload


def _post(client, upload, **options):
    return client.post(URL, {"file": upload, **options}, format="multipart")


def test_dry_run_reports_and_writes_nothing(officer_api, ledger):
    before = db_state()
    response = _post(officer_api, _csv(*GOOD_ROWS), dry_run="true")
    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["status"], report["created"], report["written"]) == ("dry_run", 2, False)
    assert report["file"] == "signing.csv" and report["event"] == "test-event"
    assert db_state() == before


def test_import_writes_through_the_importer(officer_api, ledger):
    response = _post(officer_api, _csv(*GOOD_ROWS))
    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["status"], report["created"], report["written"]) == ("written", 2, True)
    assert report["added"] == {"projects": 2, "value_cny": "80000000.00"}
    assert Project.objects.filter(event__slug="test-event").count() == 4
    assert ChangeLog.objects.filter(user__username="daqing-officer").exists()


def test_one_invalid_row_writes_nothing(admin_api, ledger):
    before = db_state()
    response = _post(admin_api, _csv(*GOOD_ROWS, BAD_ROW))
    assert response.status_code == 422
    report = response.json()
    assert report["status"] == "invalid" and report["written"] is False
    assert report["error_count"] >= 1 and report["errors"][0]["row"] == 4
    assert db_state() == before


def test_skip_invalid_writes_the_valid_rows(admin_api, ledger):
    response = _post(admin_api, _csv(*GOOD_ROWS, BAD_ROW), skip_invalid="true")
    assert response.status_code == 200
    assert (response.json()["created"], response.json()["rejected"]) == (2, 1)


def test_officer_rows_outside_their_regions_are_refused(officer_api, ledger):
    before = db_state()
    response = _post(officer_api, _csv("哈尔滨项目二,哈尔滨公司,哈尔滨市南岗区,100"))
    assert response.status_code == 422
    assert "outside your regions" in response.json()["errors"][0]["message"]
    assert db_state() == before


@pytest.mark.parametrize(("role", "expected"), [("anonymous", 401), ("viewer", 403)])
def test_import_refused_by_role(clients, ledger, role, expected):
    before = db_state()
    response = _post(clients[role], _csv(*GOOD_ROWS))
    assert response.status_code == expected
    assert "detail" in response.json()
    assert db_state() == before


def test_bad_uploads(admin_api, ledger):
    before = db_state()
    missing = admin_api.post(URL, {"dry_run": "true"}, format="multipart")
    assert missing.status_code == 400 and list(missing.json()) == ["file"]
    garbage = io.BytesIO(b"\x00\x01\x02 not a spreadsheet")
    garbage.name = "list.xlsx"
    unreadable = _post(admin_api, garbage)
    assert unreadable.status_code == 400 and list(unreadable.json()) == ["file"]
    unknown_event = admin_api.post(
        "/api/events/nope/imports/", {"file": _csv(*GOOD_ROWS)}, format="multipart"
    )
    assert unknown_event.status_code == 404
    assert db_state() == before
