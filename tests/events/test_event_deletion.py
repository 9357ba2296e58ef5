"""#12.10: an event is deleted only once its projects, uploads and snapshots were removed first.

Each goes through its own service, which logs it and takes its files with it; the database
refuses the rest (PROTECT), so nothing disappears along with an event unlogged.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils.translation import override
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from investpromo.accounts.models import Profile
from investpromo.core.audit import system_user
from investpromo.core.errors import PermissionDenied, UserError
from investpromo.core.models import ChangeLog
from investpromo.events.models import Event
from investpromo.events.services import delete_event
from investpromo.followup.models import Evidence
from investpromo.followup.services import delete_step, record_progress, take_snapshot
from investpromo.followup.services.removal import delete_snapshot
from investpromo.jobs.models import Job, StoredFile, StoredFileChunk
from investpromo.jobs.services import delete_job, submit_job
from investpromo.projects.services import delete_project
from tests.factories import make_event, make_project
from tests.web.conftest import make_user

pytestmark = pytest.mark.django_db

CSV = "项目名称,投资方,项目落地地,签约金额（万元）\n新材料项目,示例新材料有限公司,大庆市萨尔图区,5000\n"


@pytest.fixture
def admin_user():
    return make_user("admin", superuser=True)


@pytest.fixture
def officer():
    return make_user("daqing-officer", role=Profile.Role.OFFICER, regions=["230600"])


@pytest.fixture
def full_event(officer):
    """An event with a project, an officer's checked upload and a published snapshot."""
    event = make_event()
    project = make_project(event=event, name="已签约项目", dest="230602")
    upload = submit_job(
        actor=officer,
        kind=Job.Kind.SIGNING_IMPORT,
        file=SimpleUploadedFile("大庆.csv", CSV.encode()),
        original_name="大庆.csv",
        event=event,
        dry_run=True,
    )
    snapshot = take_snapshot(
        actor=system_user(), event=event, as_of=dt.date(2024, 9, 30), label="九月月报"
    )
    return event, project, upload, snapshot


def _logged_deletions(model_name: str) -> int:
    return ChangeLog.objects.filter(action="delete", content_type__model=model_name).count()


def test_deleting_an_event_with_records_is_refused(full_event, admin_user):
    event, _, upload, _ = full_event

    with override("en"), pytest.raises(UserError) as refused:
        delete_event(actor=admin_user, event=event)
    assert refused.value.code == "event_has_records"
    assert str(refused.value) == (
        "Event test-event still has 1 project, 1 upload and 1 published snapshot: "
        "remove them first."
    )
    with override("zh-hans"), pytest.raises(UserError) as in_chinese:
        delete_event(actor=admin_user, event=event)
    assert (
        str(in_chinese.value)
        == "活动 test-event 仍有1 个项目，1 个上传文件 和 1 份已发布的快照：请先将其删除。"
    )

    # The API and the admin go through the same service: a message, nothing deleted.
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin_user).key}")
    answer = api.delete(f"/api/events/{event.slug}/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400 and "1 upload" in answer.json()["detail"]
    # Nor can the database lose an upload along with its event.
    with pytest.raises(ProtectedError):
        Event.objects.filter(pk=event.pk).delete()
    assert Job.objects.filter(pk=upload.pk).exists()
    assert StoredFile.objects.filter(pk=upload.file_id).exists()
    assert Event.objects.filter(pk=event.pk).exists()
    assert _logged_deletions("event") == 0


def test_deleting_an_event_with_records_is_refused_until_each_is_removed_and_logged(
    full_event, officer, admin_user
):
    event, project, upload, snapshot = full_event
    stored = upload.file_id
    assert StoredFileChunk.objects.filter(file_id=stored).exists()

    # Only the uploader (or an administrator) removes an upload.
    with pytest.raises(PermissionDenied):
        delete_job(actor=make_user("other", role=Profile.Role.OFFICER), job=upload)
    delete_job(actor=officer, job=upload, via="web")
    delete_project(actor=admin_user, project=project, via="admin")
    delete_snapshot(actor=admin_user, snapshot=snapshot, via="admin")
    delete_event(actor=admin_user, event=event, via="admin")

    assert not Event.objects.filter(pk=event.pk).exists()
    # The upload's bytes went with it.
    assert not StoredFile.objects.filter(pk=stored).exists()
    assert not StoredFileChunk.objects.filter(file_id=stored).exists()
    for model in ["job", "project", "snapshot", "event"]:
        assert _logged_deletions(model) == 1, model
    job_row = ChangeLog.objects.get(action="delete", content_type__model="job")
    assert job_row.before["file"] == "大庆.csv" and job_row.actor_label == officer.username


def test_deleting_an_event_with_records_is_refused_in_the_admin(full_event, admin_user, client):
    event, *_ = full_event
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("admin:events_event_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert Event.objects.filter(pk=event.pk).exists()
    # Django's page names what is in the way (the protected records) instead of deleting.
    assert "protected related objects" in response.content.decode()
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "success"]


def test_deleting_an_event_with_records_is_refused_evidence_files_go_with_their_step(
    admin_user, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    project = make_project(event=make_event(), dest="230602")
    step = record_progress(
        actor=system_user(),
        project=project,
        stage="registered",
        date=dt.date(2024, 9, 10),
        evidence_files=[SimpleUploadedFile("营业执照.pdf", b"%PDF-1.4 licence")],
    )
    on_disk = Path(settings.MEDIA_ROOT) / Evidence.objects.get(step=step).file.name
    assert on_disk.exists()

    with django_capture_on_commit_callbacks(execute=True):
        delete_step(actor=admin_user, step=step, via="web")

    assert not on_disk.exists()
    assert _logged_deletions("evidence") == 1
