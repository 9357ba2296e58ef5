"""Uploading a signing list: a dry-run preview, then a separate confirm that writes."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from investpromo.core.models import ChangeLog
from investpromo.jobs.models import Job
from investpromo.jobs.services import GRACE_SECONDS, record_job_progress
from investpromo.projects.models import Project
from tests.factories import make_event

pytestmark = pytest.mark.django_db

HEADER = ["项目名称", "投资方", "项目落地地", "签约金额（万元）", "联系人"]
GOOD = [
    ["新材料项目", "深圳新材料有限公司", "大庆市萨尔图区", 5000, "王工"],
    ["装备项目", "宁波装备有限公司", "大庆市让胡路区", 3000, "李工"],
]
BAD = ["坏项目", "某公司", "火星", "abc", ""]


def xlsx(*rows, name="signing.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "签约清单"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def event():
    return make_event(slug="import-event")


def upload(client, file, event_slug="import-event"):
    return client.post(reverse("web:import_index"), {"event": event_slug, "file": file})


def projects():
    """The test event's projects (the demo event's stay apart)."""
    return Project.objects.filter(event__slug="import-event")


def the_upload() -> Job:
    """The one upload's check (jobs run as soon as they are submitted in tests)."""
    return Job.objects.get(dry_run=True)


def the_write() -> Job:
    return Job.objects.get(dry_run=False)


def test_preview_writes_nothing_and_confirm_writes(officer_client, officer, event):
    response = upload(officer_client, xlsx(*GOOD))
    job = the_upload()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:import_detail", args=[job.pk])
    assert job.state == "done" and job.dry_run
    assert job.summary["created"] == 2 and job.summary["written"] is False
    assert not projects().exists()

    page = officer_client.get(response["Location"])
    html = page.content.decode()
    assert 'data-count="created">2<' in html
    assert "8000万元" in html  # 5000 + 3000 万元 would be added
    assert reverse("web:import_confirm", args=[job.pk]) in html

    confirm = officer_client.post(reverse("web:import_confirm", args=[job.pk]))
    assert confirm.status_code == 302
    write = the_write()
    assert write.preview == job and write.summary["written"] is True
    assert set(projects().values_list("name", flat=True)) == {"新材料项目", "装备项目"}
    assert projects().get(name="新材料项目").extra == {"联系人": "王工"}
    assert ChangeLog.objects.filter(user=officer).exists()
    # A second confirm (double click, another tab) writes nothing more.
    again = officer_client.post(reverse("web:import_confirm", args=[job.pk]), follow=True)
    assert "该上传无法（再次）确认" in again.content.decode()
    assert projects().count() == 2 and Job.objects.filter(dry_run=False).count() == 1
    result = officer_client.get(reverse("web:import_detail", args=[job.pk])).content.decode()
    assert reverse("web:event_detail", args=["import-event"]) in result


def test_every_error_is_listed_by_sheet_row_and_column(admin_client, event):
    upload(admin_client, xlsx(*GOOD, BAD))
    job = the_upload()
    assert job.summary["status"] == "invalid"
    page = admin_client.get(reverse("web:import_detail", args=[job.pk]))
    errors = page.context["errors"]
    assert errors and all(e["sheet"] == "签约清单" and e["row"] == 4 for e in errors)
    html = page.content.decode()
    assert "签约清单" in html and "火星" in html
    problems = admin_client.get(reverse("web:import_problems", args=[job.pk]))
    text = problems.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "kind,sheet,row,column,message"
    assert "error,签约清单,4," in text


def test_confirm_with_errors_needs_skip_invalid(admin_client, event):
    upload(admin_client, xlsx(*GOOD, BAD))
    job = the_upload()
    refused = admin_client.post(reverse("web:import_confirm", args=[job.pk]), follow=True)
    assert "skip" in refused.content.decode() or "跳过" in refused.content.decode()
    assert not projects().exists() and not Job.objects.filter(dry_run=False).exists()
    admin_client.post(reverse("web:import_confirm", args=[job.pk]), {"skip_invalid": "on"})
    write = the_write()
    assert write.skip_invalid and write.summary["created"] == 2 and write.summary["rejected"] == 1
    assert projects().count() == 2


def test_officer_rows_outside_their_regions_are_refused(officer_client, event):
    upload(officer_client, xlsx(["哈尔滨项目", "哈尔滨公司", "哈尔滨市南岗区", 100, ""]))
    job = the_upload()
    assert job.summary["status"] == "invalid"
    assert "outside your regions" in job.summary["errors"][0]["message"]
    officer_client.post(reverse("web:import_confirm", args=[job.pk]), {"skip_invalid": "on"})
    assert not projects().exists()


def test_an_unreadable_file_fails_with_a_message(admin_client, event):
    upload(admin_client, SimpleUploadedFile("broken.xlsx", b"not a spreadsheet"))
    job = the_upload()
    assert job.state == "failed" and job.error_code == "refused"
    html = admin_client.get(reverse("web:import_detail", args=[job.pk])).content.decode()
    assert "broken.xlsx" in html and "未写入任何数据" in html
    assert reverse("web:import_confirm", args=[job.pk]) not in html


def test_wrong_file_type_is_refused_by_the_form(admin_client, event):
    response = upload(admin_client, SimpleUploadedFile("list.pdf", b"%PDF"))
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Job.objects.exists()


def test_officers_see_only_their_own_uploads(officer_client, admin_user, event):
    admin_client = Client()
    admin_client.force_login(admin_user)
    upload(admin_client, xlsx(*GOOD))
    job = the_upload()
    assert officer_client.get(reverse("web:import_detail", args=[job.pk])).status_code == 404
    assert officer_client.post(reverse("web:import_confirm", args=[job.pk])).status_code == 404
    assert not projects().exists()


def test_progress_endpoint_reports_the_running_state(admin_client, event):
    upload(admin_client, xlsx(*GOOD))
    job = the_upload()
    state = admin_client.get(reverse("web:import_progress", args=[job.pk])).json()
    assert (state["busy"], state["state"], state["done"]) == (False, "done", 2)
    # As while a worker runs it and reports progress.
    Job.objects.filter(pk=job.pk).update(state="running", started_at=timezone.now())
    assert record_job_progress(job_id=job.pk, done=1000, total=4000)
    state = admin_client.get(reverse("web:import_progress", args=[job.pk])).json()
    assert (state["busy"], state["done"], state["total"]) == (True, 1000, 4000)
    html = admin_client.get(reverse("web:import_detail", args=[job.pk])).content.decode()
    assert "web/progress.js" in html and "data-import-busy" in html
    assert "1000 of 4000 rows" in html or "1000 / 4000" in html or "1000" in html


def test_a_job_whose_worker_stopped_shows_as_failed_without_a_write(admin_client, event):
    upload(admin_client, xlsx(*GOOD))
    job = the_upload()
    long_ago = timezone.now() - dt.timedelta(hours=2)
    Job.objects.filter(pk=job.pk).update(state="running", started_at=long_ago, updated_at=long_ago)
    # Shown as failed at once, without writing: a page view never waits for a lock.
    with CaptureQueriesContext(connection) as queries:
        state = admin_client.get(reverse("web:import_progress", args=[job.pk])).json()
    assert (state["busy"], state["state"]) == (False, "failed")
    assert not [q for q in queries if q["sql"].startswith("UPDATE")]
    html = admin_client.get(reverse("web:import_detail", args=[job.pk])).content.decode()
    assert "工作进程" in html and "data-import-busy" not in html
    # Still within its time limit and heard from recently: running.
    recent = timezone.now() - dt.timedelta(seconds=GRACE_SECONDS // 2)
    Job.objects.filter(pk=job.pk).update(started_at=recent, updated_at=recent)
    assert admin_client.get(reverse("web:import_progress", args=[job.pk])).json()["busy"]


def test_an_exported_list_reads_back_unchanged(admin_client, event):
    upload(admin_client, xlsx(*GOOD))
    job = the_upload()
    admin_client.post(reverse("web:import_confirm", args=[job.pk]))
    exported = admin_client.get(f"{reverse('web:project_export')}?event=import-event")
    content = b"".join(exported.streaming_content)
    upload(admin_client, SimpleUploadedFile("export.xlsx", content))
    again = Job.objects.filter(dry_run=True).order_by("-id").first()
    assert (again.summary["created"], again.summary["unchanged"]) == (0, 2), again.summary


def test_an_administrator_who_confirms_an_officers_upload_is_named_in_the_audit(
    client, officer, admin_user, event
):
    client.force_login(officer)
    upload(client, xlsx(*GOOD))
    job = the_upload()
    client.force_login(admin_user)
    client.post(reverse("web:import_confirm", args=[job.pk]))
    write = the_write()
    assert write.summary["written"] is True and write.user == admin_user
    log = ChangeLog.objects.filter(action=ChangeLog.Action.IMPORT).latest("id")
    assert log.user == admin_user and log.after["uploaded_by"] == officer.username
    assert set(projects().values_list("created_by_import", flat=True)) == {log.pk}
    html = client.get(reverse("web:import_detail", args=[job.pk])).content.decode()
    assert "daqing-officer" in html and "确认人 admin" in html


def test_a_confirming_administrator_writes_no_more_than_the_officers_preview(
    client, officer, admin_user, event
):
    # The officer's preview rejected the row outside 大庆市; confirming it as an administrator
    # (who may write anywhere) must not write that row after all.
    client.force_login(officer)
    upload(client, xlsx(GOOD[0], ["哈尔滨项目", "哈尔滨公司", "哈尔滨市南岗区", 100, ""]))
    job = the_upload()
    assert job.summary["rejected"] == 1
    client.force_login(admin_user)
    client.post(reverse("web:import_confirm", args=[job.pk]), {"skip_invalid": "on"})
    write = the_write()
    assert (write.summary["created"], write.summary["rejected"]) == (1, 1)
    assert list(projects().values_list("name", flat=True)) == ["新材料项目"]


def test_a_long_file_name_keeps_the_uploader_in_the_audit(client, officer, admin_user, event):
    client.force_login(officer)
    upload(client, xlsx(*GOOD, name=f"{'很长的文件名' * 40}.xlsx"))
    job = the_upload()
    client.force_login(admin_user)
    client.post(reverse("web:import_confirm", args=[job.pk]))
    log = ChangeLog.objects.filter(action=ChangeLog.Action.IMPORT).latest("id")
    assert log.source.startswith("import uploaded by daqing-officer: ")


def test_the_uploaded_file_is_kept_in_the_database_not_on_this_machine(admin_client, event):
    content = xlsx(*GOOD).read()
    upload(admin_client, SimpleUploadedFile("signing.xlsx", content))
    stored = the_upload().file
    chunks = stored.chunks.order_by("seq").values_list("data", flat=True)
    assert b"".join(bytes(data) for data in chunks) == content and stored.size == len(content)
    # The write reads the same stored file: nothing is uploaded twice.
    admin_client.post(reverse("web:import_confirm", args=[the_upload().pk]))
    assert the_write().file_id == stored.pk


def test_exported_text_cells_cannot_run_formulas_problems_csv(admin_client, event):
    # A csv's one sheet is named after the file: the name comes back in every problem.
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [HEADER, ["=1+2项目", "@公司", '=HYPERLINK("http://evil.example")', "-abc", ""]]
    )
    upload(admin_client, SimpleUploadedFile("@SUM(1+1)cmd.csv", buffer.getvalue().encode()))
    job = the_upload()
    assert job.summary["errors"]
    problems = admin_client.get(reverse("web:import_problems", args=[job.pk]))
    lines = list(csv.reader(io.StringIO(problems.content.decode("utf-8-sig"))))
    cells = [cell for line in lines[1:] for cell in line]
    assert "'@SUM(1+1)cmd" in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_the_preview_lists_each_row_as_read_resolved_and_decided(admin_client, event):
    upload(admin_client, xlsx(*GOOD, BAD))
    job = the_upload()
    page = admin_client.get(reverse("web:import_detail", args=[job.pk]))
    rows = page.context["preview_page"].object_list
    assert [(r["row"], r["outcome"]) for r in rows] == [(2, "new"), (3, "new"), (4, "rejected")]
    first = rows[0]
    assert (first["destination"], first["value_text"], first["value_cny"]) == (
        "230602",
        "5000.0万元",
        "50000000.00",
    )
    assert rows[2]["reasons"] and rows[2]["value_cny"] is None
    html = page.content.decode()
    assert "黑龙江省大庆市萨尔图区" in html and 'data-outcome="rejected"' in html
    # The API's job summary stays as it was: the rows are the web preview's.
    assert "preview_rows" not in admin_client.get(f"/api/jobs/{job.pk}/").json()["summary"]


def test_the_same_file_imported_into_another_event_is_warned_about(admin_client, event):
    make_event(slug="other-import-event")
    upload(admin_client, xlsx(*GOOD), event_slug="other-import-event")
    first = Job.objects.get(dry_run=True, event__slug="other-import-event")
    admin_client.post(reverse("web:import_confirm", args=[first.pk]))
    assert Project.objects.filter(event__slug="other-import-event").count() == 2

    upload(admin_client, xlsx(*GOOD))
    again = Job.objects.get(dry_run=True, event__slug="import-event")
    html = admin_client.get(reverse("web:import_detail", args=[again.pk])).content.decode()
    assert "data-same-file" in html and "/events/other-import-event/" in html
