"""The follow-through pages: rates and funnel, a project's timeline, overdue warnings, snapshots
and progress uploads — with the demo's synthetic progress, and roles enforced by the server."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from investpromo.core.audit import system_user
from investpromo.core.models import ChangeLog
from investpromo.demo.loader import DEMO_SLUG
from investpromo.followup.models import Evidence, ProgressStep, Snapshot, Stage
from investpromo.followup.selectors import followthrough, overdue_report
from investpromo.followup.services import current_thresholds, delete_step, record_progress
from investpromo.jobs.models import Job
from investpromo.projects.models import Project
from investpromo.projects.services import update_project
from tests.factories import make_event, region

# The demo is in the database for every test here, loaded once for the run (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_database")]
TODAY = timezone.localdate()
FUNNEL = ["signed", "registered", "approved", "started", "completed", "in_production"]
FUNNEL += ["full_capacity"]


@pytest.fixture
def demo(demo_event):
    return demo_event


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# One client per role (the shared `client` fixture would let the last login win).
@pytest.fixture
def admin_client(admin_user):
    return signed_in(admin_user)


@pytest.fixture
def officer_client(officer):
    return signed_in(officer)


@pytest.fixture
def viewer_client(viewer):
    return signed_in(viewer)


def daqing_project():
    """A demo project in 大庆 (the officer's region) that has not moved beyond approvals."""
    return (
        Project.objects.filter(destination_region__code__startswith="2306")
        .exclude(progress_steps__stage__in=["started", "terminated"])
        .order_by("id")
        .first()
    )


def harbin_project():
    return Project.objects.filter(destination_region__code__startswith="2301").order_by("id")[0]


def expected_funnel(stages: dict) -> list[int]:
    """Reached at least each stage, counted by hand: every project is signed; later stages
    add up from the bottom, terminated projects counting nowhere below 'signed'."""
    later = {stage: sum(stages[s] for s in FUNNEL[i:]) for i, stage in enumerate(FUNNEL)}
    return [sum(stages.values()), *[later[s] for s in FUNNEL[1:]]]


# --- figures -------------------------------------------------------------------------------


def test_pages_render_with_the_demo(admin_client, demo):
    project = Project.objects.filter(progress_steps__isnull=False).order_by("id").first()
    pages = {
        reverse("web:dashboard"): "履约率",
        reverse("web:event_detail", args=[DEMO_SLUG]): "资金到位率",
        reverse("web:project_detail", args=[project.pk]): "项目进展",
        reverse("web:overdue"): "逾期预警",
        reverse("web:thresholds_edit"): "预警阈值",
        reverse("web:progress_import_index"): "导入进展报表",
        f"{reverse('web:project_list')}?stage=from_started": "开工及以后",
    }
    for url, text in pages.items():
        response = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN")
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
    english = admin_client.get(
        reverse("web:event_detail", args=[DEMO_SLUG]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Funds-in-place rate" in english and "个项目中" not in english


@pytest.mark.parametrize("page", ["event", "dashboard"])
def test_the_funnel_and_rates_are_followthrough(admin_client, demo, page):
    url = (
        reverse("web:event_detail", args=[DEMO_SLUG])
        if page == "event"
        else f"{reverse('web:dashboard')}?event={DEMO_SLUG}"
    )
    response = admin_client.get(url)
    shown = response.context["followthrough"]
    ft = followthrough(demo.projects.all(), TODAY)
    assert [row["projects"] for row in shown["funnel"]] == expected_funnel(ft["stages"])
    assert shown["chart"]["values"] == expected_funnel(ft["stages"])
    assert shown["terminated"]["projects"] == ft["stages"]["terminated"] > 0
    rates = {rate["key"]: rate for rate in shown["rates"]}
    for key in ("performance_rate", "start_rate", "production_rate"):
        assert (rates[key]["numerator"], rates[key]["denominator"]) == (
            ft[key]["numerator"],
            ft[key]["denominator"],
        )
    funds = ft["funds_in_place_rate"]
    assert rates["funds_in_place_rate"]["numerator"] == Decimal(funds["numerator"])
    html = response.content.decode()
    assert f"{ft['start_rate']['numerator']} 个已开工" in html
    # The funnel's numbers reach the chart the page draws.
    assert '"funnel": {' in html


def test_every_funnel_figure_opens_its_projects_in_the_ledger(admin_client, demo):
    for as_of in (None, "2025-03-31"):
        query = f"?as_of={as_of}" if as_of else ""
        page = admin_client.get(reverse("web:event_detail", args=[DEMO_SLUG]) + query)
        shown = page.context["followthrough"]
        rows = [*shown["funnel"], shown["terminated"]]
        rows += [r for r in shown["rates"] if not r.get("is_money")]
        for row in rows:
            ledger = admin_client.get(row["url"])
            assert ledger.status_code == 200
            expected = row.get("numerator", row.get("projects"))
            assert ledger.context["totals"]["projects"] == expected, row["url"]
            assert ("stage_on=2025-03-31" in row["url"]) == (
                as_of is not None and "stage" in row["url"]
            )


def test_as_of_changes_the_figures_and_the_bulletin(admin_client, demo):
    url = reverse("web:event_detail", args=[DEMO_SLUG])
    today = admin_client.get(url).context
    earlier = admin_client.get(f"{url}?as_of=2024-12-31").context
    ft = followthrough(demo.projects.all(), dt.date(2024, 12, 31))
    rate = {r["key"]: r for r in earlier["followthrough"]["rates"]}["start_rate"]
    assert rate["numerator"] == ft["start_rate"]["numerator"] == 4
    assert {r["key"]: r for r in today["followthrough"]["rates"]}["start_rate"]["numerator"] > 4
    assert "截至2024年12月31日，已开工项目4个" in earlier["bulletins"]["zh"]
    assert "As of December 31, 2024, 4 projects had started" in earlier["bulletins"]["en"]
    # The signing figures do not depend on the date.
    assert earlier["summary"]["projects"] == today["summary"]["projects"] == 172
    # A date in the future is refused with a message, and today's figures are shown.
    future = admin_client.get(f"{url}?as_of={TODAY + dt.timedelta(days=3)}")
    assert future.context["as_of_form"].errors and future.context["followthrough"]["is_today"]
    # The dashboard keeps the scope when the date changes.
    board = admin_client.get(f"{reverse('web:dashboard')}?event={DEMO_SLUG}&as_of=2024-12-31")
    assert board.context["followthrough"]["keep"] == [("event", DEMO_SLUG)]
    assert {r["key"]: r for r in board.context["followthrough"]["rates"]}["start_rate"][
        "numerator"
    ] == 4


# --- a project's steps --------------------------------------------------------------------


def step_data(**overrides):
    data = {
        "stage": "started",
        "date": TODAY.isoformat(),
        "funds_in_place": "12000000",
        "funds_currency": "CNY",
        "funds_text": "1200万元",
        "note": "现场已开工",
        "no_evidence_reason": "",
        "termination_reason": "",
    }
    data.update(overrides)
    return data


def test_recording_a_step_with_evidence(officer_client, officer, viewer_client, demo):
    project = daqing_project()
    before = project.progress_steps.count()
    files = [
        SimpleUploadedFile("施工许可证.pdf", b"%PDF permit", content_type="application/pdf"),
        SimpleUploadedFile("site.jpg", b"\xff\xd8 photo", content_type="image/jpeg"),
    ]
    response = officer_client.post(
        reverse("web:record_step", args=[project.pk]),
        {**step_data(approvals=["land", "construction_permit"]), "evidence": files},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/projects/{project.pk}/#progress")
    step = project.progress_steps.order_by("-id").first()
    assert project.progress_steps.count() == before + 1
    assert (step.stage, step.date, step.recorded_by) == ("started", TODAY, officer)
    assert step.funds_cny == Decimal("12000000.00") and step.approvals == [
        "construction_permit",
        "land",
    ]
    assert sorted(e.original_name for e in step.evidence.all()) == ["site.jpg", "施工许可证.pdf"]

    page = officer_client.get(reverse("web:project_detail", args=[project.pk]))
    html = page.content.decode()
    assert f'data-step="{step.pk}"' in html and "1200万元" in html and "施工许可" in html
    evidence = step.evidence.get(original_name="施工许可证.pdf")
    assert reverse("web:evidence_download", args=[evidence.pk]) in html
    # The change history names the officer, the step and the evidence, recorded via the web.
    kinds = [item["kind"] for item in page.context["history"] if item["entry"].user == officer]
    assert kinds.count("step") == 1 and kinds.count("evidence") == 2
    assert all(
        item["entry"].source == "web"
        for item in page.context["history"]
        if item["kind"] != "project" and item["entry"].user == officer
    )
    assert "进展记录" in html

    # Anyone signed in may read the evidence; nobody else.
    download = viewer_client.get(reverse("web:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF permit"
    assert download["Content-Type"] == "application/octet-stream"
    assert "attachment" in download["Content-Disposition"]
    viewer_client.logout()
    anonymous = viewer_client.get(reverse("web:evidence_download", args=[evidence.pk]))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]

    # A step deleted later (recorded by mistake) stays in the history, with its evidence.
    delete_step(actor=officer, step=step, via="web")
    page = officer_client.get(reverse("web:project_detail", args=[project.pk]))
    mine = [(item["kind"], item["entry"].action) for item in page.context["history"]]
    assert mine.count(("step", "create")) >= 1 and mine.count(("step", "delete")) == 1
    assert mine.count(("evidence", "create")) == 2 and mine.count(("evidence", "delete")) == 2
    other = Project.objects.exclude(pk=project.pk).filter(event=project.event).first()
    elsewhere = officer_client.get(reverse("web:project_detail", args=[other.pk]))
    assert ("step", "delete") not in [
        (item["kind"], item["entry"].action) for item in elsewhere.context["history"]
    ]


def test_a_step_without_evidence_or_reason_is_refused_with_a_message(officer_client, demo):
    project = daqing_project()
    steps = project.progress_steps.count()
    response = officer_client.post(reverse("web:record_step", args=[project.pk]), step_data())
    assert response.status_code == 200
    assert "开工及以后的阶段须上传佐证材料" in response.content.decode()
    assert project.progress_steps.count() == steps
    # With the reason, the same step is recorded.
    response = officer_client.post(
        reverse("web:record_step", args=[project.pk]),
        step_data(no_evidence_reason="县里口头报告，照片后补"),
    )
    assert response.status_code == 302 and project.progress_steps.count() == steps + 1


def test_going_back_a_stage_is_marked(officer_client, demo):
    project = daqing_project()
    url = reverse("web:record_step", args=[project.pk])
    officer_client.post(url, step_data(no_evidence_reason="照片后补"))
    officer_client.post(url, step_data(stage="approved", funds_in_place=""))
    step = project.progress_steps.order_by("-id").first()
    assert step.is_regression
    html = officer_client.get(reverse("web:project_detail", args=[project.pk])).content.decode()
    assert "badge--back" in html and "退回" in html


def test_forbidden_step_recording_is_403_and_changes_nothing(officer_client, viewer_client, demo):
    harbin, daqing = harbin_project(), daqing_project()
    steps, logs, files = ProgressStep.objects.count(), ChangeLog.objects.count(), Evidence.objects
    evidence = SimpleUploadedFile("x.pdf", b"x")
    refused = [
        officer_client.post(
            reverse("web:record_step", args=[harbin.pk]), {**step_data(), "evidence": evidence}
        ),
        viewer_client.post(reverse("web:record_step", args=[daqing.pk]), step_data()),
        viewer_client.post(reverse("web:record_step", args=[daqing.pk]), {"stage": "nonsense"}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403]
    assert ProgressStep.objects.count() == steps and ChangeLog.objects.count() == logs
    assert not files.filter(original_name="x.pdf").exists()

    # The form is only shown to those who may use it.
    def has_form(client, project):
        html = client.get(reverse("web:project_detail", args=[project.pk])).content.decode()
        return "data-step-form" in html

    assert has_form(officer_client, daqing) and not has_form(officer_client, harbin)
    assert not has_form(viewer_client, daqing)


# --- overdue warnings ---------------------------------------------------------------------


def test_overdue_page_lists_flagged_projects_by_region_with_filters(
    admin_client, officer_client, demo
):
    thresholds = current_thresholds()
    everything = overdue_report(today=TODAY, thresholds=thresholds)
    page = admin_client.get(reverse("web:overdue"))
    assert [r["project_id"] for r in page.context["rows"]] == [r["project_id"] for r in everything]
    html = page.content.decode()
    assert 'data-overdue-region="2306"' in html and "红色" in html
    assert "个月以上无进展" in html  # the reasons in the page's language

    daqing = admin_client.get(f"{reverse('web:overdue')}?region=大庆").context["rows"]
    assert daqing and all(r["region_code"].startswith("2306") for r in daqing)
    other = make_event(slug="other-event")
    assert admin_client.get(f"{reverse('web:overdue')}?event={other.slug}").context["rows"] == []
    by_event = admin_client.get(f"{reverse('web:overdue')}?event={DEMO_SLUG}").context["rows"]
    assert len(by_event) == len(everything)

    # An officer's own regions: on the dashboard (counts and the ten most urgent) and the page.
    mine = overdue_report(today=TODAY, thresholds=thresholds, region=region("230600"))
    panel = officer_client.get(reverse("web:dashboard")).context["overdue"]
    assert panel["total"] == len(mine) == len(daqing)
    assert panel["red"] == sum(1 for r in mine if r["level"] == "red")
    assert len(panel["top"]) == 10 and all(r["level"] == "red" for r in panel["top"])
    own = officer_client.get(f"{reverse('web:overdue')}?mine=on").context["rows"]
    assert [r["project_id"] for r in own] == [r["project_id"] for r in daqing]
    # Administrators and viewers have no panel (they have no regions of their own).
    assert admin_client.get(reverse("web:dashboard")).context["overdue"] is None


def test_thresholds_are_edited_by_administrators_only(admin_client, officer_client, admin_user):
    url = reverse("web:thresholds_edit")
    form = admin_client.get(url).context["form"]
    data = {**form.initial, "idle_started_yellow": 12, "idle_started_red": 24}
    data["red_low_funds_percent"] = "20"
    logs = ChangeLog.objects.count()
    assert officer_client.get(url).status_code == 403
    assert officer_client.post(url, data).status_code == 403
    assert current_thresholds().idle_months["started"] == {"yellow": 15, "red": 18}
    assert ChangeLog.objects.count() == logs

    bad = admin_client.post(url, {**data, "idle_started_red": 6})
    assert bad.status_code == 200 and "idle_started_red" in bad.context["form"].errors
    assert admin_client.post(url, data).status_code == 302
    saved = current_thresholds()
    assert saved.idle_months["started"] == {"yellow": 12, "red": 24}
    assert saved.idle_months["signed"] == {"yellow": 6, "red": 9}
    assert saved.red_low_funds_share == Decimal("0.2")
    assert ChangeLog.objects.filter(user=admin_user, source="web").count() == 1


def test_overdue_list_sorts_exports_and_reads_in_english(admin_client, demo):
    from io import BytesIO

    from openpyxl import load_workbook

    url = reverse("web:overdue")
    by_days = admin_client.get(url, {"sort": "-days", "region": "大庆"}).context["rows"]
    days = [row["days_overdue"] for row in by_days]
    assert days and days == sorted(days, reverse=True)
    by_value = admin_client.get(url, {"sort": "value", "region": "大庆"})
    values = [Decimal(row["value_cny"]) for row in by_value.context["rows"]]
    assert values == sorted(values) and len(values) == len(days)
    html = by_value.content.decode()
    # A flat table with a region column; the header says how it is sorted and offers the reverse.
    assert 'aria-sort="ascending"' in html and "sort=-value" in html
    assert "data-overdue-region" not in html

    english = admin_client.get(url, {"region": "大庆"}, HTTP_ACCEPT_LANGUAGE="en")
    page = english.content.decode()
    assert "Daqing" in page and "months or more in stage" in page

    export = admin_client.get(reverse("web:overdue_export"), {"sort": "-days", "region": "大庆"})
    assert export.status_code == 200
    book = load_workbook(BytesIO(b"".join(export.streaming_content)))
    sheet = book.worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:4] == ("级别", "逾期天数", "逾期起始日", "项目")
    assert [row[1] for row in rows] == days  # the page's rows, in the page's order
    assert all(isinstance(row[9], float | int) for row in rows)  # amounts are numbers
    assert sheet.freeze_panes == "A2"


# --- snapshots ----------------------------------------------------------------------------


def test_snapshots_list_take_and_diff(admin_client, officer_client, viewer_client, demo):
    create = reverse("web:snapshot_create", args=[DEMO_SLUG])
    form = {"snapshot-as_of": TODAY.isoformat(), "snapshot-label": "本月月报"}
    assert officer_client.post(create, form).status_code == 403
    assert viewer_client.post(create, form).status_code == 403
    assert not Snapshot.objects.exists()
    event_page = officer_client.get(reverse("web:event_detail", args=[DEMO_SLUG]))
    assert "data-snapshot-form" not in event_page.content.decode()

    missing_label = admin_client.post(create, {"snapshot-as_of": TODAY.isoformat()})
    assert missing_label.status_code == 200 and missing_label.context["snapshot_form"].errors
    response = admin_client.post(create, form)
    snap = Snapshot.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:snapshot_detail", args=[snap.pk])
    listed = admin_client.get(reverse("web:event_detail", args=[DEMO_SLUG])).content.decode()
    assert "本月月报" in listed and snap.content_sha256[:12] in listed

    page = viewer_client.get(response["Location"])
    assert page.context["changes"] == 0
    html = page.content.decode()
    assert snap.bulletin_zh in html and "快照以来没有变化" in html
    frozen_start = page.context["followthrough"]["rates"][1]["numerator"]
    assert frozen_start == snap.report["followthrough"]["start_rate"]["numerator"]

    # Edit one project and move another: the snapshot stays, the changes are listed.
    edited, moved = harbin_project(), daqing_project()
    update_project(actor=system_user(), project=edited, notes="核对后修改")
    record_progress(
        actor=system_user(),
        project=moved,
        stage=Stage.TERMINATED,
        date=TODAY,
        termination_reason="投资方撤回",
    )
    page = viewer_client.get(response["Location"])
    diff = page.context["diff"]
    assert [p["id"] for p in diff["edited"]] == [edited.pk]
    assert moved.pk in [p["id"] for p in diff["moved"]]
    html = page.content.decode()
    assert reverse("web:project_detail", args=[edited.pk]) in html
    assert page.context["followthrough"]["rates"][1]["numerator"] == frozen_start


# --- progress upload ----------------------------------------------------------------------


def progress_sheet(*rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "进展"
    sheet.append(["ID", "进展阶段", "日期", "到位资金（万元）", "备注"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("进展报表.xlsx", buffer.getvalue())


def test_an_administrator_confirming_a_progress_upload_is_the_recorder(
    client, officer, admin_user, demo
):
    project = daqing_project()
    client.force_login(officer)
    client.post(
        reverse("web:progress_import_index"),
        {"file": progress_sheet([project.pk, "开工", TODAY, 800, "县发改局报送"])},
    )
    job = Job.objects.get(kind="progress_import", dry_run=True)
    client.force_login(admin_user)
    client.post(reverse("web:progress_import_confirm", args=[job.pk]))
    write = job.write
    assert write.summary["written"] is True and write.user == admin_user
    step = project.progress_steps.order_by("-id").first()
    assert step.recorded_by == admin_user
    log = ChangeLog.objects.filter(object_id=str(step.pk), action="create").latest("id")
    assert log.user == admin_user and "uploaded by daqing-officer" in log.source


def test_a_confirming_administrator_writes_no_progress_outside_the_uploaders_regions(
    client, officer, admin_user, demo
):
    project = daqing_project()
    steps = ProgressStep.objects.count()
    client.force_login(officer)
    client.post(
        reverse("web:progress_import_index"),
        {"file": progress_sheet([project.pk, "开工", TODAY, 800, "县发改局报送"])},
    )
    job = Job.objects.get(kind="progress_import", dry_run=True)
    officer.profile.regions.clear()  # the officer moved on after uploading
    client.force_login(admin_user)
    client.post(reverse("web:progress_import_confirm", args=[job.pk]))
    write = job.write
    assert write.summary["written"] is False
    assert "not in your regions" in write.summary["errors"][0]["message"]
    assert ProgressStep.objects.count() == steps


def test_progress_upload_preview_then_confirm(officer_client, officer, demo):
    project = daqing_project()
    steps = ProgressStep.objects.count()
    upload = officer_client.post(
        reverse("web:progress_import_index"),
        {"file": progress_sheet([project.pk, "开工", TODAY, 800, "县发改局报送：已开工"])},
    )
    job = Job.objects.get(kind="progress_import", dry_run=True)
    assert upload["Location"] == reverse("web:progress_import_detail", args=[job.pk])
    preview = officer_client.get(upload["Location"])
    assert 'data-count="created">1<' in preview.content.decode()
    assert ProgressStep.objects.count() == steps  # a preview writes nothing

    officer_client.post(reverse("web:progress_import_confirm", args=[job.pk]))
    assert job.write.summary["written"] is True
    step = project.progress_steps.order_by("-id").first()
    assert (step.stage, step.funds_in_place, step.recorded_by) == ("started", 8000000, officer)
    written = officer_client.get(upload["Location"]).content.decode()
    assert "查看最新的履约进展" in written
    # The signing-list pages do not show this upload.
    assert officer_client.get(reverse("web:import_detail", args=[job.pk])).status_code == 404


def test_progress_upload_errors_are_listed_and_nothing_is_written(
    officer_client, viewer_client, demo
):
    steps = ProgressStep.objects.count()
    officer_client.post(
        reverse("web:progress_import_index"),
        {
            "file": progress_sheet(
                [daqing_project().pk, "开工", TODAY, 800, ""],
                [daqing_project().pk, "起飞", TODAY, None, "?"],
                [harbin_project().pk, "注册", TODAY, None, ""],
            )
        },
    )
    job = Job.objects.get(kind="progress_import", dry_run=True)
    page = officer_client.get(reverse("web:progress_import_detail", args=[job.pk]))
    places = [(e["sheet"], e["row"], e["column"]) for e in page.context["errors"]]
    assert places == [("进展", 2, "note"), ("进展", 3, "stage"), ("进展", 4, None)]
    assert "起飞" in page.content.decode()
    refused = officer_client.post(
        reverse("web:progress_import_confirm", args=[job.pk]), follow=True
    )
    assert "部分行有错误" in refused.content.decode()
    assert ProgressStep.objects.count() == steps
    problems = officer_client.get(reverse("web:progress_import_problems", args=[job.pk]))
    assert "error,进展,3,stage," in problems.content.decode("utf-8-sig")
    # Viewers may not upload at all.
    response = viewer_client.post(reverse("web:progress_import_index"), {"file": progress_sheet()})
    assert response.status_code == 403 and Job.objects.count() == 1
