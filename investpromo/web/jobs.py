"""Running an importer (signing list or progress report) for an upload in a background thread,
with progress the page can poll.

Progress lives in Django's cache, not the database: the import writes inside one transaction,
and a progress row written there would stay invisible until the end (on SQLite the poll would
also wait for the writer's lock). The job's outcome is stored on the ImportJob row.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, close_old_connections

from investpromo.core.errors import UserError
from investpromo.web import runners
from investpromo.web.models import ImportJob

logger = logging.getLogger(__name__)
PROGRESS_TTL = 6 * 3600
# A job whose runner cannot be checked from here (another machine or container) counts as
# interrupted once it has reported nothing for this long; a 100,000-row import takes seconds.
SILENT_LIMIT = 3600
INTERRUPTED = (
    "interrupted: the server stopped while this file was being imported; nothing was written "
    "(the import is one transaction). Upload the file again."
)


def _update_job(job_id: int, **fields) -> None:
    """Update the job row, retrying while SQLite reports the table locked by a reader.

    With a file database in WAL mode readers never block this; SQLite's shared in-memory
    database (the test suite's) locks per table, and the page polling this row can hold it.
    """
    for attempt in range(100):
        try:
            ImportJob.objects.filter(pk=job_id).update(**fields)
            return
        except OperationalError as error:
            if "locked" not in str(error) or attempt == 99:
                raise
            time.sleep(0.05)


def progress_key(job_id: int) -> str:
    return f"investpromo:import-progress:{job_id}"


def read_progress(job_id: int) -> dict:
    """What the running import last reported: rows done and the total when known."""
    return cache.get(progress_key(job_id)) or {}


def was_interrupted(job: ImportJob) -> bool:
    """Whether a queued or running job's server process has stopped (it will never finish)."""
    if not job.is_busy:
        return False
    stopped = runners.is_stopped(job.runner, job.pk)
    if stopped is not None:
        return stopped
    heard = read_progress(job.pk).get("at") or job.updated_at.timestamp()
    return time.time() - heard > SILENT_LIMIT


def fail_if_interrupted(job: ImportJob) -> ImportJob:
    """Show a job whose server stopped as failed, so its page stops waiting; returns the job."""
    # Only in memory: a page view must not wait for the write lock a running import holds.
    # The next upload or confirm records it (record_interrupted).
    if was_interrupted(job):
        job.status, job.error = ImportJob.Status.FAILED, INTERRUPTED
    return job


def record_interrupted(*, besides: int | None = None) -> int:
    """Mark every busy job whose server stopped as failed; returns how many were marked."""
    marked = 0
    busy = ImportJob.objects.filter(
        status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
    ).exclude(pk=besides)
    for job in busy.only("id", "status", "runner", "updated_at"):
        if was_interrupted(job):
            # Only if nobody started it again meanwhile.
            marked += ImportJob.objects.filter(
                pk=job.pk, status=job.status, runner=job.runner
            ).update(status=ImportJob.Status.FAILED, error=INTERRUPTED)
    return marked


def start(job: ImportJob, *, runner: str | None = None) -> None:
    """Run the job's current stage in a thread (inline when INVESTPROMO_IMPORTS_INLINE is set).

    runner: the hold a caller already took on the job (runners.started), passed on to the run.
    """
    record_interrupted(besides=job.pk)
    runner = runner or runners.started(job.pk)
    _update_job(job.pk, status=ImportJob.Status.QUEUED, error="", runner=runner)
    state = {"stage": job.stage, "done": 0, "total": None, "at": time.time()}
    cache.set(progress_key(job.pk), state, PROGRESS_TTL)
    if getattr(settings, "INVESTPROMO_IMPORTS_INLINE", False):
        run(job.pk)
        return
    threading.Thread(
        target=_thread_main, args=(job.pk,), name=f"import-{job.pk}", daemon=True
    ).start()


def _thread_main(job_id: int) -> None:
    close_old_connections()
    try:
        run(job_id)
    except Exception:
        # Nothing above the thread would report it: log it, and mark the job failed if we can.
        logger.exception("import job %s: the background thread failed", job_id)
        try:
            _update_job(job_id, status=ImportJob.Status.FAILED, error="internal error")
        except Exception:
            logger.exception("import job %s: could not record the failure", job_id)
    finally:
        # The thread's own database connection is not closed by any request cycle.
        close_old_connections()
        from django.db import connection

        connection.close()


def _progress_callback(job_id: int, stage: str):
    def report(*args, **kwargs):
        # Accepts progress(done, total), progress(done=..., total=...) or progress({...}).
        state = {"stage": stage, "at": time.time()}
        if args and isinstance(args[0], dict):
            state.update(args[0])
        elif args:
            state["done"] = args[0]
            if len(args) > 1:
                state["total"] = args[1]
        state.update(kwargs)
        cache.set(progress_key(job_id), state, PROGRESS_TTL)

    return report


def _import(job: ImportJob, *, preview: bool):
    """The job's importer: a signing list into its event, or a progress report."""
    if job.kind == ImportJob.Kind.PROGRESS:
        from investpromo.followup.progress_import import import_progress

        return import_progress(
            actor=job.user if preview else job.writer,
            path=job.file.path,
            dry_run=preview,
            event_slug=job.event.slug if job.event_id else None,
            source_name=job.original_name,
            uploaded_by=None if preview else job.user,
        )
    from investpromo.imports.importer import import_signing_list

    return import_signing_list(
        actor=job.user if preview else job.writer,
        path=job.file.path,
        event=job.event,
        dry_run=preview,
        skip_invalid=job.skip_invalid,
        progress=_progress_callback(job.pk, job.stage),
        source_name=job.original_name,
        uploaded_by=None if preview else job.user,
    )


def run(job_id: int) -> None:
    """Run the importer for the job's stage (dry run for the preview) and store its report."""
    try:
        _run(job_id)
    finally:
        runners.finished(job_id)


def _run(job_id: int) -> None:
    job = ImportJob.objects.select_related("event", "user", "confirmed_by").get(pk=job_id)
    _update_job(job_id, status=ImportJob.Status.RUNNING)
    preview = job.stage == ImportJob.Stage.PREVIEW
    fields = {"status": ImportJob.Status.FINISHED, "error": ""}
    try:
        report = _import(job, preview=preview)
        fields["preview" if preview else "result"] = report.to_dict()
    except UserError as error:
        fields.update(status=ImportJob.Status.FAILED, error=error.message)
    except Exception as error:  # the page must say it failed rather than spin for ever
        logger.exception("import job %s failed", job_id)
        fields.update(status=ImportJob.Status.FAILED, error=f"{type(error).__name__}: {error}")
    _update_job(job_id, **fields)
    state = read_progress(job_id)
    cache.set(progress_key(job_id), {**state, "finished": True}, PROGRESS_TTL)
