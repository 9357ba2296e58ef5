"""Follow-through through the API: steps and evidence, overdue flags, rates, snapshots, imports."""

import datetime as dt
import hashlib
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from investpromo.core.audit import system_user
from investpromo.core.models import ChangeLog
from investpromo.followup.models import Evidence, OverdueThresholds, ProgressStep, Snapshot
from investpromo.followup.selectors import months_before
from investpromo.followup.services import record_progress, take_snapshot
from tests.api.conftest import db_state
from tests.factories import make_event, make_org, make_project

pytestmark = pytest.mark.django_db
D = dt.date
ROLES = ["anonymous", "viewer", "officer-outside", "officer", "admin"]
REFUSED = {"anonymous": 401, "viewer": 403, "officer-outside": 403}


def followup_state() -> dict:
    """Everything a refused follow-through request must leave as it was."""
    return {
        **db_state(),
        "steps": list(ProgressStep.objects.order_by("id").values()),
        "evidence": list(Evidence.objects.order_by("id").values()),
        "snapshots": list(Snapshot.objects.order_by("id").values()),
        "thresholds": list(OverdueThresholds.objects.values()),
    }


def _step(project, stage, date, **kwargs):
    return record_progress(actor=system_user(), project=project, stage=stage, date=date, **kwargs)


def _file(name="证书.pdf", content=b"%PDF-1.4 registration certificate"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _target(role, ledger):
    """The project a role writes to: the officer's own (Daqing) or one outside (Harbin)."""
    return ledger["daqing"] if role == "officer" else ledger["harbin"]


def _client(clients, role):
    return clients["officer" if role == "officer-outside" else role]


# Steps and evidence


def test_progress_lists_steps_oldest_first_with_evidence(viewer_api, ledger):
    project = ledger["harbin"]
    later = _step(project, "started", D(2024, 12, 1), evidence_files=[_file()])
    earlier = _step(project, "registered", D(2024, 10, 8), note="营业执照已领取")
    response = viewer_api.get(f"/api/projects/{project.pk}/progress/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [earlier.pk, later.pk]
    evidence = body["results"][1]["evidence"][0]
    content = b"%PDF-1.4 registration certificate"
    assert evidence["name"] == "证书.pdf" and evidence["size"] == len(content)
    assert evidence["sha256"] == hashlib.sha256(content).hexdigest()
    download = viewer_api.get(evidence["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment;")
    assert viewer_api.get("/api/projects/999999/progress/").status_code == 404
    assert viewer_api.get("/api/projects/abc/progress/").status_code == 404


def test_record_a_step_as_json(officer_api, ledger):
    project = ledger["daqing"]
    body = {
        "stage": "approved",
        "date": "2024-11-01",
        "approvals": ["land", "environment"],
        "funds_in_place": "500000",
        "funds_currency": "usd",
        "note": "用地已批",
    }
    response = officer_api.post(f"/api/projects/{project.pk}/progress/", body, format="json")
    assert response.status_code == 201, response.content
    step = response.json()
    assert step["approvals"] == ["environment", "land"] and step["recorded_by"] == "daqing-officer"
    assert (step["funds_currency"], step["funds_cny"]) == ("USD", "3550000.00")
    assert ChangeLog.objects.filter(source="api", action="create").count() == 1


def test_record_a_started_step_with_evidence_files(officer_api, viewer_api, anon_api, ledger):
    project = ledger["daqing"]
    files = [_file("开工照片.jpg", b"\xff\xd8\xff photo"), _file("施工许可证.pdf")]
    response = officer_api.post(
        f"/api/projects/{project.pk}/progress/",
        {"stage": "started", "date": "2025-03-01", "evidence": files, "approvals": ["land"]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    evidence = response.json()["evidence"]
    assert [e["name"] for e in evidence] == ["开工照片.jpg", "施工许可证.pdf"]
    assert evidence[0]["sha256"] == hashlib.sha256(b"\xff\xd8\xff photo").hexdigest()
    assert response.json()["approvals"] == ["land"]
    # Anyone signed in may download; the Accept header does not matter.
    download = viewer_api.get(evidence[0]["url"], HTTP_ACCEPT="image/jpeg")
    assert b"".join(download.streaming_content) == b"\xff\xd8\xff photo"
    assert anon_api.get(evidence[0]["url"]).status_code == 401
    assert ChangeLog.objects.filter(source="api", action="create").count() == 3  # step + 2 files


def test_missing_or_unknown_evidence_is_a_json_404(viewer_api, ledger):
    step = _step(ledger["harbin"], "started", D(2024, 12, 1), evidence_files=[_file()])
    evidence = step.evidence.get()
    evidence.file.storage.delete(evidence.file.name)
    for url in (f"/api/evidence/{evidence.pk}/", "/api/evidence/999999/", "/api/evidence/x/"):
        response = viewer_api.get(url)
        assert response.status_code == 404 and "detail" in response.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"stage": "started", "date": "2025-03-01"}, "evidence"),
        ({"stage": "flying", "date": "2025-03-01"}, "stage"),
        ({"stage": "registered", "date": "2999-01-01"}, "date"),
        ({"stage": "registered", "date": "2024-10-08", "approvals": ["luck"]}, "approvals"),
        ({"stage": "terminated", "date": "2025-03-01"}, "termination_reason"),
        (
            {"stage": "registered", "date": "2024-10-08", "funds_in_place": "-1"},
            "funds_in_place",
        ),
        (
            {"stage": "registered", "date": "2024-10-08", "funds_in_place": "1e20"},
            "funds_in_place",
        ),
        (
            {
                "stage": "registered",
                "date": "2024-10-08",
                "funds_in_place": "1",
                "funds_currency": "XXX",
            },
            "funds_currency",
        ),
        (
            {
                "stage": "registered",
                "date": "2024-10-08",
                "funds_in_place": "1",
                "funds_currency": "EUR",  # no EUR rate
            },
            "funds_currency",
        ),
    ],
)
def test_step_rules_come_from_the_service(admin_api, ledger, body, field):
    before = followup_state()
    url = f"/api/projects/{ledger['harbin'].pk}/progress/"
    response = admin_api.post(url, body, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert followup_state() == before


@pytest.mark.parametrize("role", ROLES)
def test_step_writes_by_role(clients, ledger, role):
    client, project = _client(clients, role), _target(role, ledger)
    existing = _step(project, "registered", D(2024, 10, 8))
    before = followup_state()
    created = client.post(
        f"/api/projects/{project.pk}/progress/",
        {"stage": "started", "date": "2025-03-01", "evidence": [_file()]},
        format="multipart",
    )
    updated = client.patch(
        f"/api/progress/{existing.pk}/", {"note": "补充说明", "funds_in_place": "100"}, "json"
    )
    if role in REFUSED:
        deleted = client.delete(f"/api/progress/{existing.pk}/")
        for response in (created, updated, deleted):
            assert response.status_code == REFUSED[role], response.content
            assert "detail" in response.json()
        assert followup_state() == before
        return
    assert created.status_code == 201, created.content
    assert len(created.json()["evidence"]) == 1
    assert updated.status_code == 200, updated.content
    assert updated.json()["note"] == "补充说明" and updated.json()["funds_cny"] is not None
    deleted = client.delete(f"/api/progress/{created.json()['id']}/")
    assert deleted.status_code == 204
    assert list(ProgressStep.objects.values_list("pk", flat=True)) == [existing.pk]
    assert not Evidence.objects.exists()
    actions = ChangeLog.objects.filter(source="api").order_by("id")
    assert list(actions.values_list("action", "content_type__model")) == [
        ("create", "progressstep"),
        ("create", "evidence"),
        ("update", "progressstep"),
        ("delete", "evidence"),
        ("delete", "progressstep"),
    ]


def test_step_correction_rules(admin_api, ledger):
    step = _step(
        ledger["daqing"],
        "registered",
        D(2024, 10, 8),
        funds_in_place=Decimal("1"),
        funds_currency="USD",
        funds_text="1美元",
    )
    url = f"/api/progress/{step.pk}/"
    before = followup_state()
    for body, field in [
        ({"stage": "started"}, "stage"),
        ({"date": "2024-10-09"}, "date"),
        ({"funds_currency": "XXX"}, "funds_currency"),
        ({"approvals": ["luck"]}, "approvals"),
    ]:
        response = admin_api.patch(url, body, format="json")
        assert response.status_code == 400, response.content
        assert list(response.json()) == [field]
    assert followup_state() == before
    # A new figure converts again and drops the text it was read from.
    response = admin_api.patch(url, {"funds_in_place": "2000"}, format="json")
    assert response.json()["funds_cny"] == "14200.00" and response.json()["funds_text"] == ""
    assert admin_api.get(url).json()["funds_in_place"] == "2000.000000"
    assert admin_api.put(url, {"note": "x"}, format="json").status_code == 405
    assert admin_api.get("/api/progress/999999/").status_code == 404


# Follow-through figures


def test_followthrough_equals_the_cli_json(viewer_api, ledger):
    _step(ledger["harbin"], "started", D(2024, 12, 1), no_evidence_reason="现场核查")
    _step(ledger["daqing"], "terminated", D(2025, 2, 1), termination_reason="投资方撤回")
    for as_of in ("2024-12-31", "2025-06-30"):
        out = io.StringIO()
        call_command("report", "--event", "test-event", "--as-of", as_of, stdout=out)
        cli = json.loads(out.getvalue())
        response = viewer_api.get("/api/events/test-event/followthrough/", {"as_of": as_of})
        assert response.status_code == 200
        assert response.json() == cli["followthrough"]
        summary = viewer_api.get("/api/events/test-event/summary/", {"as_of": as_of}).json()
        assert summary["followthrough"] == cli["followthrough"]
    # The termination after 2024-12-31 does not count then; it does later.
    early = viewer_api.get("/api/events/test-event/followthrough/", {"as_of": "2024-12-31"})
    assert early.json()["performance_rate"] == {"rate": 1.0, "numerator": 2, "denominator": 2}
    assert early.json()["start_rate"]["numerator"] == 1
    today = viewer_api.get("/api/events/test-event/followthrough/").json()
    assert today["as_of"] == timezone.localdate().isoformat()
    assert today["stages"]["terminated"] == 1
    bad = viewer_api.get("/api/events/test-event/followthrough/", {"as_of": "soon"})
    assert bad.status_code == 400 and list(bad.json()) == ["as_of"]
    assert viewer_api.get("/api/events/nope/followthrough/").status_code == 404


# Overdue flags


@pytest.fixture
def stuck():
    """Projects signed long ago (Harbin), lately (Daqing, idle) and just now (Daqing)."""
    today = timezone.localdate()
    event = make_event(slug="old-event", start=months_before(today, 15))
    other = make_event(slug="other-event", start=months_before(today, 15))
    investor = make_org()
    old = make_project(
        event=event, name="老项目", investor=investor, signing_date=months_before(today, 14)
    )
    idle = make_project(
        event=event,
        name="停滞项目",
        investor=investor,
        dest="230602",
        signing_date=today - dt.timedelta(days=200),
    )
    make_project(event=event, name="新项目", investor=investor, dest="230602", signing_date=today)
    elsewhere = make_project(
        event=other, name="别的活动", investor=investor, signing_date=months_before(today, 14)
    )
    return {"old": old, "idle": idle, "elsewhere": elsewhere}


def _flagged(client, **params):
    response = client.get("/api/overdue/", params)
    assert response.status_code == 200, response.content
    return {row["name"]: row["level"] for row in response.json()["results"]}


def test_overdue_filters(viewer_api, officer_api, admin_api, stuck):
    assert _flagged(viewer_api) == {"老项目": "red", "停滞项目": "yellow", "别的活动": "red"}
    assert _flagged(viewer_api, event="old-event") == {"老项目": "red", "停滞项目": "yellow"}
    assert _flagged(viewer_api, region="大庆市") == {"停滞项目": "yellow"}
    assert _flagged(viewer_api, region="230103", event="other-event") == {"别的活动": "red"}
    assert _flagged(officer_api, mine="true") == {"停滞项目": "yellow"}
    assert _flagged(officer_api, mine="true", region="230100") == {}
    assert _flagged(admin_api, mine="true") == _flagged(admin_api)
    assert _flagged(viewer_api, mine="true") == {}
    english = viewer_api.get("/api/overdue/", {"region": "230600"}, HTTP_ACCEPT_LANGUAGE="en")
    row = english.json()["results"][0]
    assert row["project_id"] == stuck["idle"].pk and row["region"] == "大庆市"
    assert row["stage"] == "signed"
    assert row["reasons"] == ["no step for 6 months or more in stage signed"]
    assert row["reason_codes"] == [{"code": "idle", "params": {"months": 6, "stage": "signed"}}]
    assert row["value_cny"] == "100000000.00" and row["days_overdue"] >= 0
    chinese = viewer_api.get("/api/overdue/", {"region": "230600"})  # Chinese by default
    assert chinese.json()["results"][0]["reasons"] == ["“签约”阶段已6个月以上无进展"]
    for params, field in [({"region": "火星"}, "region"), ({"event": "nope"}, "event")]:
        response = viewer_api.get("/api/overdue/", params)
        assert response.status_code == 400 and list(response.json()) == [field]
    assert viewer_api.get("/api/overdue/", {"page": 9}).status_code == 404


def test_thresholds_read_and_set(clients, stuck):
    defaults = clients["viewer"].get("/api/overdue/thresholds/").json()
    assert defaults == {
        "idle_months": {
            "signed": {"yellow": 6, "red": 9},
            "registered": {"yellow": 9, "red": 12},
            "approved": {"yellow": 6, "red": 9},
            "started": {"yellow": 15, "red": 18},
            "completed": {"yellow": 6, "red": 9},
            "in_production": {"yellow": 12, "red": 15},
        },
        "red_not_started_months": 12,
        "red_low_funds_months": 6,
        "red_low_funds_share": "0.1500",
        "updated_at": None,
    }
    body = {
        **defaults,
        "idle_months": {**defaults["idle_months"], "signed": {"yellow": 12, "red": 24}},
        "red_not_started_months": 24,
    }
    del body["updated_at"]
    before = followup_state()
    for role in ("anonymous", "viewer", "officer"):
        response = clients[role].put("/api/overdue/thresholds/", body, format="json")
        assert response.status_code == REFUSED.get(role, 403)
        assert "detail" in response.json()
    assert followup_state() == before
    for bad, field in [({"red_low_funds_share": "1.5"}, "red_low_funds_share")] + [
        ({"idle_months": {**body["idle_months"], "signed": months}}, "idle_months")
        for months in (
            {"yellow": 1, "red": -1},
            {"yellow": 1, "red": 100000},
            {"yellow": 5, "red": 4},
        )
    ]:
        response = clients["admin"].put("/api/overdue/thresholds/", {**body, **bad}, "json")
        assert response.status_code == 400 and list(response.json()) == [field]
    assert followup_state() == before
    response = clients["admin"].put("/api/overdue/thresholds/", body, format="json")
    assert response.status_code == 200 and response.json()["updated_at"] is not None
    assert ChangeLog.objects.filter(source="api", action="create").count() == 1
    # Fourteen months idle and unstarted is no longer red; 200 idle days are under a year.
    assert _flagged(clients["viewer"]) == {"老项目": "yellow", "别的活动": "yellow"}


# Snapshots


@pytest.mark.parametrize("role", ["anonymous", "viewer", "officer", "admin"])
def test_snapshot_writes_by_role(clients, ledger, role):
    before = followup_state()
    response = clients[role].post(
        "/api/events/test-event/snapshots/",
        {"as_of": "2024-12-31", "label": "2024年12月月报"},
        format="json",
    )
    if role != "admin":
        assert response.status_code == REFUSED.get(role, 403)
        assert followup_state() == before
        return
    assert response.status_code == 201, response.content
    snap = response.json()
    assert (snap["label"], snap["as_of"], snap["created_by"]) == (
        "2024年12月月报",
        "2024-12-31",
        "api-admin",
    )
    assert snap["report"]["followthrough"]["as_of"] == "2024-12-31"
    assert snap["changes_since"]["added"] == []
    assert "共签约项目2个" in snap["bulletin_zh"]
    assert ChangeLog.objects.filter(source="api", action="create").count() == 1


def test_snapshot_list_detail_and_changes_since(viewer_api, admin_api, ledger):
    first = take_snapshot(
        actor=system_user(), event=ledger["event"], as_of=D(2024, 12, 31), label="一"
    )
    second = take_snapshot(
        actor=system_user(), event=ledger["event"], as_of=D(2025, 1, 31), label="二"
    )
    rows = viewer_api.get("/api/events/test-event/snapshots/").json()["results"]
    assert [row["id"] for row in rows] == [second.pk, first.pk]
    assert set(rows[0]) == {
        "id",
        "event",
        "as_of",
        "label",
        "created_by",
        "created_at",
        "content_sha256",
    }
    assert rows[0]["content_sha256"] == second.content_sha256
    _step(ledger["daqing"], "registered", D(2025, 2, 1))
    detail = viewer_api.get(f"/api/snapshots/{first.pk}/").json()
    assert detail["report"] == first.report and detail["bulletin_en"] == first.bulletin_en
    assert detail["changes_since"]["moved"] == [
        {"id": ledger["daqing"].pk, "name": "大庆项目", "from": "signed", "to": "registered"}
    ]
    blank = admin_api.post("/api/events/test-event/snapshots/", {"label": " "}, format="json")
    assert blank.status_code == 400 and list(blank.json()) == ["label"]
    assert viewer_api.get("/api/events/nope/snapshots/").status_code == 404
    assert viewer_api.get("/api/snapshots/999999/").status_code == 404


def test_snapshots_are_never_changed_or_deleted(admin_api, ledger):
    snap = take_snapshot(
        actor=system_user(), event=ledger["event"], as_of=D(2024, 12, 31), label="一"
    )
    before = followup_state()
    url = f"/api/snapshots/{snap.pk}/"
    for response in (
        admin_api.put(url, {"label": "改"}, format="json"),
        admin_api.patch(url, {"label": "改"}, format="json"),
        admin_api.delete(url),
        admin_api.put("/api/events/test-event/snapshots/", {"label": "改"}, format="json"),
        admin_api.delete("/api/events/test-event/snapshots/"),
    ):
        assert response.status_code == 405 and "detail" in response.json()
    assert followup_state() == before
    assert admin_api.get(url).json()["content_sha256"] == snap.content_sha256


# Progress imports


def _report(*rows, name="progress.csv"):
    text = "项目编号,进展阶段,日期,到位资金（万元）,备注\n" + "\n".join(rows) + "\n"
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = name
    return upload


def _import(client, upload, **options):
    """The POST's answer (202 with the job) for refusals; else the finished job's summary."""
    response = client.post(
        "/api/progress-imports/", {"file": upload, **options}, format="multipart"
    )
    if response.status_code != 202:
        return response
    assert response["Location"] == f"/api/jobs/{response.json()['id']}/"
    return client.get(response["Location"])


def _summary(response) -> dict:
    job = response.json()
    assert job["state"] == "done", job
    return {**job["summary"], **job["problems"]}


def test_progress_import_writes_and_dry_runs(officer_api, ledger):
    daqing = ledger["daqing"].pk
    rows = [f"{daqing},注册,2024-10-08,,", f"{daqing},开工,2025-03-01,300,现场核查"]
    before = followup_state()
    dry = _summary(_import(officer_api, _report(*rows), dry_run="true"))
    assert (dry["status"], dry["created"], dry["written"]) == ("dry_run", 2, False)
    assert followup_state() == before
    report = _summary(_import(officer_api, _report(*rows)))
    assert (report["status"], report["created"], report["error_count"]) == ("written", 2, 0)
    assert report["file"] == "progress.csv" and report["rows_read"] == {"progress": 2}
    started = ProgressStep.objects.get(stage="started")
    assert started.funds_in_place == Decimal("3000000") and started.recorded_by.username == (
        "daqing-officer"
    )
    again = _summary(_import(officer_api, _report(*rows)))
    assert (again["created"], again["unchanged"]) == (0, 2)


def test_progress_import_invalid_rows_write_nothing(clients, ledger):
    daqing, harbin = ledger["daqing"].pk, ledger["harbin"].pk
    before = followup_state()
    bad = _import(clients["admin"], _report(f"{daqing},注册,2024-10-08,,", f"{daqing},飞天,,,"))
    report = _summary(bad)
    assert report["status"] == "invalid" and report["written"] is False
    assert report["error_count"] == 1 and report["errors"][0]["row"] == 3
    outside = _summary(_import(clients["officer"], _report(f"{harbin},注册,2024-10-08,,")))
    assert "not in your regions" in outside["errors"][0]["message"]
    for role in ("anonymous", "viewer"):
        response = _import(clients[role], _report(f"{daqing},注册,2024-10-08,,"))
        assert response.status_code == REFUSED[role] and "detail" in response.json()
    garbage = io.BytesIO(b"PK\x03\x04 not really a zip")
    garbage.name = "progress.xlsx"
    unreadable = _import(clients["admin"], garbage).json()
    assert unreadable["state"] == "failed" and unreadable["error"]["code"] == "refused"
    missing = clients["admin"].post("/api/progress-imports/", {}, format="multipart")
    assert missing.status_code == 400 and list(missing.json()) == ["file"]
    unknown = _import(clients["admin"], _report(f"{daqing},注册,2024-10-08,,"), event="nope")
    assert unknown.status_code == 400 and list(unknown.json()) == ["event"]
    assert followup_state() == before


def test_progress_import_by_names_within_an_event(admin_api, ledger):
    text = "项目名称,投资方,进展阶段,日期\n大庆项目,宁波测试材料有限公司,注册,2024-10-08\n"
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "names.csv"
    assert _summary(_import(admin_api, upload, event="test-event"))["written"] is True
    assert ProgressStep.objects.get().project == ledger["daqing"]


def test_schema_lists_the_follow_through_endpoints(viewer_api, db):
    import yaml

    paths = set(yaml.safe_load(viewer_api.get("/api/schema/").content)["paths"])
    assert {
        "/api/projects/{id}/progress/",
        "/api/progress/{id}/",
        "/api/evidence/{id}/",
        "/api/overdue/",
        "/api/overdue/thresholds/",
        "/api/events/{slug}/followthrough/",
        "/api/events/{slug}/snapshots/",
        "/api/snapshots/{id}/",
        "/api/progress-imports/",
        "/api/jobs/{id}/",
    } <= paths
