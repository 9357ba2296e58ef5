"""Jobs: submitting, confirming once, claiming once, and telling a stopped worker's job."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import override

from investpromo.core.audit import system_user
from investpromo.core.errors import UserError
from investpromo.core.models import ChangeLog
from investpromo.jobs import services
from investpromo.jobs.models import Job
from investpromo.jobs.selectors import as_it_stands, copy_stored_file
from tests.factories import make_event

pytestmark = pytest.mark.django_db

CSV = "项目名称,投资方,项目落地地,签约金额（万元）\n新材料项目,示例新材料有限公司,哈尔滨市南岗区,5000\n"


@pytest.fixture
def event():
    return make_event(slug="jobs-event")


def _check(event, **options) -> Job:
    upload = SimpleUploadedFile("signing.csv", CSV.encode())
    return services.submit_job(
        actor=system_user(),
        kind=Job.Kind.SIGNING_IMPORT,
        file=upload,
        original_name="signing.csv",
        event=event,
        dry_run=True,
        **options,
    )


def test_a_submitted_job_is_audited_and_runs(event):
    job = _check(event)
    assert job.state == Job.State.DONE and job.summary["created"] == 1
    assert job.rows_done == 1 and job.finished_at >= job.started_at
    log = ChangeLog.objects.filter(content_type__app_label="jobs").get()
    assert log.after["file"] == "signing.csv" and log.after["dry_run"] is True


def test_a_check_is_confirmed_once(event):
    check = _check(event)
    write = services.confirm_job(actor=system_user(), preview=check, skip_invalid=False)
    assert write.summary["written"] is True and write.file_id == check.file_id
    with pytest.raises(UserError, match="confirmed already"):
        services.confirm_job(actor=system_user(), preview=check, skip_invalid=False)
    assert Job.objects.filter(preview=check).count() == 1


def test_an_unfinished_or_failed_check_cannot_be_confirmed(event):
    check = _check(event)
    Job.objects.filter(pk=check.pk).update(state=Job.State.FAILED)
    check.refresh_from_db()
    with pytest.raises(UserError, match="not been checked"):
        services.confirm_job(actor=system_user(), preview=check, skip_invalid=False)


def test_a_job_is_claimed_by_one_worker_only(event):
    job = _check(event)
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED)
    assert services.claim_job(job_id=job.pk, worker_id="a").worker_id == "a"
    assert services.claim_job(job_id=job.pk, worker_id="b") is None


def _running(job, *, started_ago, silent_for, worker="w-1"):
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING,
        worker_id=worker,
        started_at=now - dt.timedelta(seconds=started_ago),
        updated_at=now - dt.timedelta(seconds=silent_for),
    )


def test_only_a_silent_job_past_its_time_limit_counts_as_interrupted(event, settings):
    settings.INVESTPROMO_JOB_MAX_SECONDS = 600
    job = _check(event)
    # Long, but its worker reported progress a moment ago: running.
    _running(job, started_ago=3600, silent_for=5)
    assert services.fail_interrupted_jobs() == 0
    # Silent, but not yet past its own time limit (the worker would have stopped it): running.
    _running(job, started_ago=600, silent_for=600)
    assert services.fail_interrupted_jobs() == 0
    assert as_it_stands(Job.objects.get(pk=job.pk)).state == Job.State.RUNNING
    # Silent and past limit and grace: its worker is gone.
    _running(job, started_ago=600 + services.GRACE_SECONDS + 1, silent_for=600)
    assert as_it_stands(Job.objects.get(pk=job.pk)).state == Job.State.FAILED
    assert services.fail_interrupted_jobs() == 1
    job.refresh_from_db()
    assert (job.state, job.error_code) == (Job.State.FAILED, "interrupted")


def test_a_restarted_worker_fails_only_its_own_silent_jobs(event):
    mine, other, live = _check(event), _check(event), _check(event)
    _running(mine, started_ago=60, silent_for=services.RESTART_SILENCE_SECONDS + 1)
    _running(other, started_ago=60, silent_for=60, worker="elsewhere-1")
    _running(live, started_ago=60, silent_for=1)
    assert services.fail_interrupted_jobs(restarted_worker_id="w-1") == 1
    states = dict(
        Job.objects.filter(pk__in=[mine.pk, other.pk, live.pk]).values_list("pk", "state")
    )
    assert states == {mine.pk: "failed", other.pk: "running", live.pk: "running"}


def test_a_failure_reads_in_the_readers_language(event):
    job = _check(event)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.FAILED, error_code="memory", error_params={"limit": "1.0 GiB"}
    )
    job.refresh_from_db()
    with override("en"):
        assert job.error_text.startswith("The file needs more memory than a job may use (1.0 GiB)")
    with override("zh-hans"):
        assert job.error_text.startswith("读取该文件所需内存超过单个任务的上限（1.0 GiB）")


def test_a_stored_file_is_kept_in_pieces_and_read_back_whole(settings, tmp_path, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_BYTES", 1000)
    content = bytes(range(256)) * 20  # 5,120 bytes: five whole pieces and a part
    stored = services.store_file(file=io.BytesIO(content), name="数据.xlsx")
    assert stored.chunks.count() == 6 and stored.size == len(content)
    path = copy_stored_file(stored, tmp_path)
    assert path.read_bytes() == content and path.name == "upload.xlsx"
    hostile = services.store_file(file=io.BytesIO(b"x"), name="../../etc/passwd;.x/ls")
    assert copy_stored_file(hostile, tmp_path).parent == tmp_path
