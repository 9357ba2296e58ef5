"""Importing a signing list through the API: the importer's report and its all-or-nothing rule."""

import io

import pytest

from investpromo.core.audit import system_user
from investpromo.core.models import ChangeLog
from investpromo.imports.importer import import_signing_list
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
    """POST the file; the answer is 202 with the job's address (jobs run at once in tests)."""
    return client.post(URL, {"file": upload, **options}, format="multipart")


def _job(client, upload, **options):
    """POST the file and read its job from the address the 202 gives."""
    response = _post(client, upload, **options)
    assert response.status_code == 202, response.content
    assert response["Location"] == f"/api/jobs/{response.json()['id']}/"
    job = client.get(response["Location"])
    assert job.status_code == 200
    return job.json()


def test_dry_run_reports_and_writes_nothing(officer_api, ledger):
    before = db_state()
    job = _job(officer_api, _csv(*GOOD_ROWS), dry_run="true")
    assert (job["state"], job["kind"], job["dry_run"]) == ("done", "signing_import", True)
    report = job["summary"]
    assert (report["status"], report["created"], report["written"]) == ("dry_run", 2, False)
    assert report["file"] == "signing.csv" and report["event"] == "test-event"
    assert job["progress"]["done"] == 2 and job["error"] is None
    assert db_state() == before


def test_import_writes_through_the_importer(officer_api, ledger):
    job = _job(officer_api, _csv(*GOOD_ROWS))
    report = job["summary"]
    assert (job["state"], job["user"], job["file"]) == ("done", "daqing-officer", "signing.csv")
    assert (report["status"], report["created"], report["written"]) == ("written", 2, True)
    assert report["added"] == {"projects": 2, "value_cny": "80000000.00"}
    assert Project.objects.filter(event__slug="test-event").count() == 4
    assert ChangeLog.objects.filter(user__username="daqing-officer").exists()


def test_one_invalid_row_writes_nothing(admin_api, ledger):
    before = db_state()
    job = _job(admin_api, _csv(*GOOD_ROWS, BAD_ROW))
    # The job ran to its end; its rows say why nothing was written.
    assert job["state"] == "done"
    assert job["summary"]["status"] == "invalid" and job["summary"]["written"] is False
    problems = job["problems"]
    assert problems["error_count"] >= 1 and problems["errors"][0]["row"] == 4
    assert db_state() == before


def test_skip_invalid_writes_the_valid_rows(admin_api, ledger):
    job = _job(admin_api, _csv(*GOOD_ROWS, BAD_ROW), skip_invalid="true")
    assert (job["summary"]["created"], job["summary"]["rejected"]) == (2, 1)


def test_officer_rows_outside_their_regions_are_refused(officer_api, ledger):
    before = db_state()
    job = _job(officer_api, _csv("哈尔滨项目二,哈尔滨公司,哈尔滨市南岗区,100"))
    assert "outside your regions" in job["problems"]["errors"][0]["message"]
    assert db_state() == before


def test_the_job_has_the_summary_the_command_line_prints(admin_api, ledger, tmp_path):
    job = _job(admin_api, _csv(*GOOD_ROWS, BAD_ROW), dry_run="true")
    path = tmp_path / "signing.csv"
    path.write_bytes(_csv(*GOOD_ROWS, BAD_ROW).getvalue())
    # What `investpromo import --dry-run` reports for the same file.
    report = import_signing_list(
        actor=system_user(), path=path, event=ledger["event"], dry_run=True
    ).to_dict()
    same = {k: v for k, v in report.items() if k not in ("seconds", "errors", "warnings")}
    assert {k: v for k, v in job["summary"].items() if k != "seconds"} == same
    assert job["problems"]["errors"] == report["errors"]
    assert job["problems"]["warnings"] == report["warnings"]


def test_another_users_job_is_not_found(admin_api, officer_api, ledger):
    job = _job(admin_api, _csv(*GOOD_ROWS), dry_run="true")
    assert officer_api.get(f"/api/jobs/{job['id']}/").status_code == 404
    assert officer_api.get("/api/jobs/nope/").status_code == 404
    assert admin_api.get(f"/api/jobs/{job['id']}/").status_code == 200


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
    pdf = io.BytesIO(b"%PDF-1.4")
    pdf.name = "list.pdf"
    refused = _post(admin_api, pdf)
    assert refused.status_code == 400 and list(refused.json()) == ["file"]
    garbage = io.BytesIO(b"\x00\x01\x02 not a spreadsheet")
    garbage.name = "list.xlsx"
    unreadable = _job(admin_api, garbage)
    assert unreadable["state"] == "failed" and unreadable["summary"] is None
    assert unreadable["error"]["code"] == "refused"
    assert "list.xlsx" in unreadable["error"]["message"]
    unknown_event = admin_api.post(
        "/api/events/nope/imports/", {"file": _csv(*GOOD_ROWS)}, format="multipart"
    )
    assert unknown_event.status_code == 404
    assert db_state() == before
