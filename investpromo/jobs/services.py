"""The only writers of jobs: submitting, confirming, claiming, progress and outcome."""

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from investpromo.accounts.permissions import Role, role_of
from investpromo.core.audit import record_change
from investpromo.core.errors import PermissionDenied, UserError
from investpromo.core.models import ChangeLog
from investpromo.jobs.models import Job, StoredFile, StoredFileChunk

logger = logging.getLogger(__name__)

# How long a worker may stay silent before its running job counts as interrupted, beyond the
# job's own time limit (after which the worker has stopped the job itself).
GRACE_SECONDS = 120
# A restarted worker fails its own earlier jobs only once they have shown no sign of life for
# this long: a second worker started by mistake with the same id must not fail a live job.
RESTART_SILENCE_SECONDS = 30
# Stored files are kept in pieces of this size: no process ever holds a whole upload in memory.
CHUNK_BYTES = 1 << 20


def job_limits() -> tuple[int, int]:
    """(bytes of address space, seconds) a file job may use."""
    return (
        int(getattr(settings, "INVESTPROMO_JOB_MAX_MEMORY", 1 << 30)),
        int(getattr(settings, "INVESTPROMO_JOB_MAX_SECONDS", 600)),
    )


def _audit(*, actor, job: Job, action: str, before: dict | None, source: str) -> None:
    record_change(
        actor=actor,
        instance=job,
        action=action,
        before=before,
        after={
            "kind": job.kind,
            "file": job.original_name,
            "event": job.event.slug if job.event_id else None,
            "dry_run": job.dry_run,
            "skip_invalid": job.skip_invalid,
            "preview": job.preview_id,
        },
        source=source,
    )


def submit_job(
    *,
    actor,
    kind: str,
    file,
    original_name: str,
    event=None,
    dry_run: bool,
    skip_invalid: bool = False,
) -> Job:
    """Store an uploaded file as a queued job and hand it to the task queue."""
    from investpromo.jobs.tasks import run_job

    with transaction.atomic():
        job = Job(
            kind=kind,
            user=actor,
            event=event,
            file=store_file(file=file, name=original_name),
            original_name=original_name[:255],
            dry_run=dry_run,
            skip_invalid=skip_invalid,
        )
        job.save(force_insert=True)
        _audit(actor=actor, job=job, action=ChangeLog.Action.CREATE, before=None, source="upload")
        # Enqueued in the same transaction: with the database queue the task exists exactly
        # when the job does (no job left queued for ever by a crash between the two).
        run_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def confirm_job(*, actor, preview: Job, skip_invalid: bool) -> Job:
    """Write a checked upload: a new job over the same file, once per check."""
    from investpromo.jobs.tasks import run_job

    if not (preview.dry_run and preview.state == Job.State.DONE and preview.summary):
        raise UserError("this upload cannot be confirmed: it has not been checked", field="job")
    try:
        with transaction.atomic():
            job = Job(
                kind=preview.kind,
                user=actor,
                event=preview.event,
                file_id=preview.file_id,
                original_name=preview.original_name,
                dry_run=False,
                skip_invalid=skip_invalid,
                preview=preview,
            )
            job.save(force_insert=True)
            _audit(
                actor=actor,
                job=job,
                action=ChangeLog.Action.CREATE,
                before=None,
                source=f"confirm of upload {preview.pk}",
            )
            run_job.enqueue(job.pk)
    except IntegrityError:
        # The one-to-one link to the check: someone confirmed it already.
        raise UserError("this upload has been confirmed already", field="job") from None
    job.refresh_from_db()
    return job


def _facts(job: Job) -> dict:
    return {
        "kind": job.kind,
        "file": job.original_name,
        "sha256": job.file.sha256,
        "event": job.event.slug if job.event_id else None,
        "user": job.user_id,
        "dry_run": job.dry_run,
        "state": job.state,
        "preview": job.preview_id,
    }


@transaction.atomic
def delete_job(*, actor, job: Job, via: str = "") -> None:
    """Remove an upload (with the write that confirmed it) and its stored file; each is logged."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if role_of(actor) != Role.ADMINISTRATOR and job.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(
            _("Only the person who uploaded a file, or an administrator, can remove it."),
            code="job_not_yours",
        )
    # A check goes with its write: the write is what the check led to, and points at it.
    removed = [*Job.objects.select_related("event", "file").filter(preview=job), job]
    busy = [j for j in removed if j.is_busy]
    if busy:
        raise UserError(
            _("The upload %(name)s is still being checked or written: remove it when it is done.")
            % {"name": busy[0].original_name},
            code="job_busy",
        )
    files = {j.file_id for j in removed}
    for gone in removed:
        record_change(
            actor=actor,
            instance=gone,
            action=ChangeLog.Action.DELETE,
            before=_facts(gone),
            after=None,
            source=via,
        )
        gone.delete()
    # The bytes go with the last job that used them (their chunks with them).
    StoredFile.objects.filter(pk__in=files, jobs__isnull=True).delete()


def store_file(*, file, name: str) -> StoredFile:
    """Keep an uploaded file's bytes in the database, a chunk at a time."""
    digest = hashlib.sha256()
    stored = StoredFile.objects.create(name=name[:255], size=0, sha256="")
    size = 0
    for seq, data in enumerate(_pieces(file)):
        digest.update(data)
        size += len(data)
        StoredFileChunk.objects.create(file=stored, seq=seq, data=data)
    stored.size, stored.sha256 = size, digest.hexdigest()
    stored.save(update_fields=["size", "sha256"])
    return stored


def _pieces(file):
    """CHUNK_BYTES pieces of an uploaded file (Django's UploadedFile or an open binary file)."""
    if hasattr(file, "seek"):
        file.seek(0)
    buffer = b""
    chunks = (
        file.chunks(CHUNK_BYTES)
        if hasattr(file, "chunks")
        else iter(lambda: file.read(CHUNK_BYTES), b"")
    )
    for piece in chunks:
        buffer += piece
        while len(buffer) >= CHUNK_BYTES:
            yield buffer[:CHUNK_BYTES]
            buffer = buffer[CHUNK_BYTES:]
    if buffer:
        yield buffer


def claim_job(*, job_id: int, worker_id: str) -> Job | None:
    """Mark a queued job running for this worker; None if it was taken or is gone."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, worker_id=worker_id[:64], started_at=now, updated_at=now
    )
    if not claimed:
        return None
    return Job.objects.select_related("event", "user", "preview__user").get(pk=job_id)


def record_job_progress(*, job_id: int, done: int, total: int | None) -> bool:
    """Store rows done / total (also the worker's sign of life); False if the database was busy."""
    # Best effort: on SQLite the import's own write transaction holds the lock, and progress
    # must never hold up the job; the next report catches up.
    try:
        Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(
            rows_done=done, rows_total=total, updated_at=timezone.now()
        )
    except OperationalError as error:
        if "locked" not in str(error) and "busy" not in str(error):
            raise
        return False
    return True


def finish_job(*, job_id: int, summary: dict) -> None:
    """Store a job's report: it ran to the end (its rows may still have had problems)."""
    rows = summary.get("rows_read")
    done = sum(rows.values()) if isinstance(rows, dict) else rows
    # A job marked interrupted while its import was in fact still writing (its worker could
    # not be heard: SQLite's write lock) gets its real outcome.
    ran = Q(state=Job.State.RUNNING) | Q(state=Job.State.FAILED, error_code="interrupted")
    Job.objects.filter(ran, pk=job_id).update(
        state=Job.State.DONE,
        error_code="",
        error_params={},
        summary=summary,
        rows_done=done,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def fail_job(*, job_id: int, code: str, params: dict | None = None) -> None:
    """Record why a job failed as a whole; nothing it would have written was kept."""
    Job.objects.filter(pk=job_id, state__in=[Job.State.QUEUED, Job.State.RUNNING]).update(
        state=Job.State.FAILED,
        error_code=code,
        error_params=params or {},
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def interrupted_jobs_query(*, now: dt.datetime | None = None) -> Q:
    """Running jobs whose worker must have stopped: silent beyond the time limit and a grace."""
    now = now or timezone.now()
    _, max_seconds = job_limits()
    return Q(state=Job.State.RUNNING, updated_at__lt=now - dt.timedelta(seconds=GRACE_SECONDS)) & Q(
        started_at__lt=now - dt.timedelta(seconds=max_seconds + GRACE_SECONDS)
    )


def fail_interrupted_jobs(*, restarted_worker_id: str | None = None) -> int:
    """Fail the jobs whose worker stopped (and this worker's own, when it restarts)."""
    now = timezone.now()
    stale = interrupted_jobs_query(now=now)
    if restarted_worker_id:
        stale |= Q(
            state=Job.State.RUNNING,
            worker_id=restarted_worker_id[:64],
            updated_at__lt=now - dt.timedelta(seconds=RESTART_SILENCE_SECONDS),
        )
    ids = list(Job.objects.filter(stale).values_list("pk", flat=True))
    for job_id in ids:
        fail_job(job_id=job_id, code="interrupted")
    if ids:
        logger.warning("marked %d interrupted job(s) as failed: %s", len(ids), ids)
    return len(ids)
