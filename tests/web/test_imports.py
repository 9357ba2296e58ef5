"""Uploading a signing list: a dry-run preview, then a separate confirm that writes."""

import datetime as dt
import io
import os
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from investpromo.core.models import ChangeLog
from investpromo.projects.models import Project
from investpromo.web import jobs, runners
from investpromo.web.models import ImportJob
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


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Tests run inside one transaction a thread could not see: run the importer inline.
    settings.INVESTPROMO_IMPORTS_INLINE = True


@pytest.fixture
def event():
    return make_event(slug="import-event")


def upload(client, file, event_slug="import-event"):
    return client.post(reverse("web:import_index"), {"event": event_slug, "file": file})


def test_preview_writes_nothing_and_confirm_writes(officer_client, officer, event):
    response = upload(officer_client, xlsx(*GOOD))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:import_detail", args=[job.pk])
    assert job.status == "finished" and job.stage == "preview"
    assert job.preview["created"] == 2 and job.preview["written"] is False
    assert not Project.objects.exists()

    page = officer_client.get(response["Location"])
    html = page.content.decode()
    assert 'data-count="created">2<' in html
    assert "8000万元" in html  # 5000 + 3000 万元 would be added
    assert reverse("web:import_confirm", args=[job.pk]) in html

    confirm = officer_client.post(reverse("web:import_confirm", args=[job.pk]))
    assert confirm.status_code == 302
    job.refresh_from_db()
    assert job.stage == "write" and job.result["written"] is True
    assert set(Project.objects.values_list("name", flat=True)) == {"新材料项目", "装备项目"}
    assert Project.objects.get(name="新材料项目").extra == {"联系人": "王工"}
    assert ChangeLog.objects.filter(user=officer).exists()
    # A second confirm (double click, another tab) writes nothing more.
    officer_client.post(reverse("web:import_confirm", args=[job.pk]))
    assert Project.objects.count() == 2
    result = officer_client.get(reverse("web:import_detail", args=[job.pk])).content.decode()
    assert reverse("web:event_detail", args=["import-event"]) in result


def test_every_error_is_listed_by_sheet_row_and_column(admin_client, event):
    upload(admin_client, xlsx(*GOOD, BAD))
    job = ImportJob.objects.get()
    assert job.preview["status"] == "invalid"
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
    job = ImportJob.objects.get()
    refused = admin_client.post(reverse("web:import_confirm", args=[job.pk]), follow=True)
    assert "skip" in refused.content.decode() or "跳过" in refused.content.decode()
    assert not Project.objects.exists()
    job.refresh_from_db()
    assert job.stage == "preview"
    admin_client.post(reverse("web:import_confirm", args=[job.pk]), {"skip_invalid": "on"})
    job.refresh_from_db()
    assert job.result["created"] == 2 and job.result["rejected"] == 1
    assert Project.objects.count() == 2


def test_officer_rows_outside_their_regions_are_refused(officer_client, event):
    upload(officer_client, xlsx(["哈尔滨项目", "哈尔滨公司", "哈尔滨市南岗区", 100, ""]))
    job = ImportJob.objects.get()
    assert job.preview["status"] == "invalid"
    assert "outside your regions" in job.preview["errors"][0]["message"]
    officer_client.post(reverse("web:import_confirm", args=[job.pk]), {"skip_invalid": "on"})
    assert not Project.objects.exists()


def test_an_unreadable_file_fails_with_a_message(admin_client, event):
    upload(admin_client, SimpleUploadedFile("broken.xlsx", b"not a spreadsheet"))
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.error
    html = admin_client.get(reverse("web:import_detail", args=[job.pk])).content.decode()
    assert job.error.split(":")[0] in html
    assert reverse("web:import_confirm", args=[job.pk]) not in html


def test_wrong_file_type_is_refused_by_the_form(admin_client, event):
    response = upload(admin_client, SimpleUploadedFile("list.pdf", b"%PDF"))
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_officers_see_only_their_own_uploads(officer_client, admin_user, event):
    admin_client = Client()
    admin_client.force_login(admin_user)
    upload(admin_client, xlsx(*GOOD))
    job = ImportJob.objects.get()
    assert officer_client.get(reverse("web:import_detail", args=[job.pk])).status_code == 404
    assert officer_client.post(reverse("web:import_confirm", args=[job.pk])).status_code == 404
    assert not Project.objects.exists()


def test_progress_endpoint_reports_the_running_state(admin_client, event):
    upload(admin_client, xlsx(*GOOD))
    job = ImportJob.objects.get()
    state = admin_client.get(reverse("web:import_progress", args=[job.pk])).json()
    assert state["busy"] is False and state["status"] == "finished"
    # As while its thread runs in this server process.
    ImportJob.objects.filter(pk=job.pk).update(status="running", runner=runners.started(job.pk))
    try:
        jobs._progress_callback(job.pk, "preview")(1000, 4000)
        state = admin_client.get(reverse("web:import_progress", args=[job.pk])).json()
        assert (state["busy"], state["done"], state["total"]) == (True, 1000, 4000)
        html = admin_client.get(reverse("web:import_detail", args=[job.pk])).content.decode()
        assert "web/progress.js" in html and "data-import-busy" in html
    finally:
        runners.finished(job.pk)


def test_an_exported_list_reads_back_unchanged(admin_client, event):
    upload(admin_client, xlsx(*GOOD))
    job = ImportJob.objects.get()
    admin_client.post(reverse("web:import_confirm", args=[job.pk]))
    exported = admin_client.get(f"{reverse('web:project_export')}?event=import-event")
    content = b"".join(exported.streaming_content)
    upload(admin_client, SimpleUploadedFile("export.xlsx", content))
    again = ImportJob.objects.order_by("-id").first()
    assert (again.preview["created"], again.preview["unchanged"]) == (0, 2), again.preview


def test_an_administrator_who_confirms_an_officers_upload_is_named_in_the_audit(
    client, officer, admin_user, event
):
    client.force_login(officer)
    upload(client, xlsx(*GOOD))
    job = ImportJob.objects.get()
    client.force_login(admin_user)
    client.post(reverse("web:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.result["written"] is True and job.confirmed_by == admin_user
    log = ChangeLog.objects.get(action=ChangeLog.Action.IMPORT)
    assert log.user == admin_user and log.after["uploaded_by"] == officer.username
    assert set(Project.objects.values_list("created_by_import", flat=True)) == {log.pk}
    html = client.get(reverse("web:import_detail", args=[job.pk])).content.decode()
    assert "daqing-officer" in html and "确认人 admin" in html


def test_a_confirming_administrator_writes_no_more_than_the_officers_preview(
    client, officer, admin_user, event
):
    # The officer's preview rejected the row outside 大庆市; confirming it as an administrator
    # (who may write anywhere) must not write that row after all.
    client.force_login(officer)
    upload(client, xlsx(GOOD[0], ["哈尔滨项目", "哈尔滨公司", "哈尔滨市南岗区", 100, ""]))
    job = ImportJob.objects.get()
    assert job.preview["rejected"] == 1
    client.force_login(admin_user)
    client.post(reverse("web:import_confirm", args=[job.pk]), {"skip_invalid": "on"})
    job.refresh_from_db()
    assert (job.result["created"], job.result["rejected"]) == (1, 1)
    assert list(Project.objects.values_list("name", flat=True)) == ["新材料项目"]


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _here(pid: int, start: str = "", token: str = "0123456789ab") -> str:
    """A runner string of this machine."""
    return f"{runners._machine()}:{pid}:{start}:{token}"


@pytest.mark.parametrize(
    "runner",
    [
        pytest.param(lambda: _here(_dead_pid()), id="dead"),
        # The same pid as this process, from an earlier start of the server (a container's pid 1).
        pytest.param(lambda: _here(os.getpid(), token="earlierstart"), id="restart"),
        # A live process, but not the one that started the job (its pid was reused since).
        pytest.param(lambda: _here(os.getppid(), start="1"), id="pid-reused"),
        # This very process, but its thread is gone.
        pytest.param(runners.current, id="lost-thread"),
        # Busy since before runners were recorded.
        pytest.param(lambda: "", id="no-runner"),
        # This host before its last reboot (another boot id), whatever lives at that pid now.
        pytest.param(
            lambda: _here(os.getppid()).replace(
                runners._machine().split("|")[1] or "-", "0ther-b00t", 1
            ),
            id="rebooted",
        ),
    ],
)
def test_a_job_whose_server_stopped_shows_as_failed_not_running(admin_client, event, runner):
    upload(admin_client, xlsx(*GOOD))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        stage="write", status="running", runner=runner(), confirmed_by=job.user
    )
    # Shown as failed at once, without writing: a page view must not wait for an import's lock.
    with CaptureQueriesContext(connection) as queries:
        state = admin_client.get(reverse("web:import_progress", args=[job.pk])).json()
    assert (state["busy"], state["status"]) == (False, "failed")
    assert not [q for q in queries if q["sql"].startswith("UPDATE")]
    html = admin_client.get(reverse("web:import_detail", args=[job.pk])).content.decode()
    assert "导入过程中服务器停止运行" in html and "data-import-busy" not in html
    # The next upload records it.
    upload(admin_client, xlsx(*GOOD))
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", jobs.INTERRUPTED)
    assert not Project.objects.exists()


def test_a_job_running_elsewhere_or_here_keeps_running(admin_client, event):
    upload(admin_client, xlsx(*GOOD))
    job = ImportJob.objects.get()
    # Another machine's (or container's) server cannot be checked from here: running while it
    # keeps reporting progress.
    ImportJob.objects.filter(pk=job.pk).update(status="running", runner="elsewhere|b|1:1:2:abc")
    assert admin_client.get(reverse("web:import_progress", args=[job.pk])).json()["busy"]
    # A live process of this machine that started at the recorded time: still running.
    parent = _here(os.getppid(), start=runners._start_time(os.getppid()))
    ImportJob.objects.filter(pk=job.pk).update(runner=parent)
    assert admin_client.get(reverse("web:import_progress", args=[job.pk])).json()["busy"]
    ImportJob.objects.filter(pk=job.pk).update(runner=runners.started(job.pk))
    try:
        assert admin_client.get(reverse("web:import_progress", args=[job.pk])).json()["busy"]
        index = admin_client.get(reverse("web:import_index")).content.decode()
        assert "state--running" in index
    finally:
        runners.finished(job.pk)
    index = admin_client.get(reverse("web:import_index")).content.decode()
    assert "state--failed" in index


def test_a_job_elsewhere_that_fell_silent_counts_as_interrupted(admin_client, event):
    upload(admin_client, xlsx(*GOOD))
    job = ImportJob.objects.get()
    quiet_since = timezone.now() - dt.timedelta(seconds=jobs.SILENT_LIMIT + 60)
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", runner="elsewhere|b|1:1:2:abc", updated_at=quiet_since
    )
    jobs.cache.delete(jobs.progress_key(job.pk))  # no progress heard since either
    state = admin_client.get(reverse("web:import_progress", args=[job.pk])).json()
    assert (state["busy"], state["status"]) == (False, "failed")
    # Progress heard just now: still running.
    jobs._progress_callback(job.pk, "write")(100, 1000)
    assert admin_client.get(reverse("web:import_progress", args=[job.pk])).json()["busy"]


def test_a_forked_worker_has_its_own_runner_and_does_not_judge_its_parents_jobs():
    # Servers that load the app and then fork workers (gunicorn --preload): a job the parent
    # runs must not look interrupted from a worker, which has no thread for it.
    parent = runners.started(991)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        try:
            answer = f"{runners.current() != parent} {runners.is_stopped(parent, 991)}"
            os.write(write, answer.encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    answer = os.read(read, 100).decode()
    os.close(read)
    runners.finished(991)
    assert answer == "True False"


def test_confirming_shows_the_write_as_running_before_its_thread_starts(
    admin_client, event, monkeypatch
):
    upload(admin_client, xlsx(*GOOD))
    job = ImportJob.objects.get()
    start = jobs.start
    seen = {}

    def look_first(job, **hold):  # a poll arriving between the claim and the thread's start
        seen.update(admin_client.get(reverse("web:import_progress", args=[job.pk])).json())
        start(job, **hold)

    monkeypatch.setattr(jobs, "start", look_first)
    admin_client.post(reverse("web:import_confirm", args=[job.pk]))
    assert (seen["busy"], seen["status"]) == (True, "queued")
    job.refresh_from_db()
    assert job.status == "finished" and job.result["written"] is True


def test_a_long_file_name_keeps_the_uploader_in_the_audit(client, officer, admin_user, event):
    client.force_login(officer)
    upload(client, xlsx(*GOOD, name=f"{'很长的文件名' * 40}.xlsx"))
    job = ImportJob.objects.get()
    client.force_login(admin_user)
    client.post(reverse("web:import_confirm", args=[job.pk]))
    log = ChangeLog.objects.get(action=ChangeLog.Action.IMPORT)
    assert log.source.startswith("import uploaded by daqing-officer: ")


def test_import_progress_is_shared_by_the_server_processes_of_a_machine(settings, tmp_path):
    # Several server processes (workers) serve one site: the page polling a job may be served
    # by a process other than the one running it.
    from investpromo import settings as configured

    assert configured.CACHES["default"]["BACKEND"].endswith("FileBasedCache")
    settings.CACHES = {"default": {**configured.CACHES["default"], "LOCATION": str(tmp_path)}}
    code = (
        "import django; django.setup()\n"
        "from investpromo.web import jobs\n"
        "jobs._progress_callback(4242, 'write')(500, 1000)\n"
    )
    env = {**os.environ, "INVESTPROMO_CACHE_DIR": str(tmp_path)}
    env.setdefault("DJANGO_SETTINGS_MODULE", "investpromo.settings")
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    shared = jobs.read_progress(4242)
    assert {key: shared[key] for key in ("stage", "done", "total")} == {
        "stage": "write",
        "done": 500,
        "total": 1000,
    }


def test_a_second_confirm_while_the_write_runs_leaves_it_running(admin_client, event):
    upload(admin_client, xlsx(*GOOD))
    job = ImportJob.objects.get()
    # The first confirm's write is under way in this process (its thread holds the job).
    ImportJob.objects.filter(pk=job.pk).update(
        stage="write", status="running", runner=runners.started(job.pk)
    )
    try:
        refused = admin_client.post(reverse("web:import_confirm", args=[job.pk]), follow=True)
        assert "该上传无法（再次）确认" in refused.content.decode()
        state = admin_client.get(reverse("web:import_progress", args=[job.pk])).json()
        assert (state["busy"], state["status"]) == (True, "running")
    finally:
        runners.finished(job.pk)
