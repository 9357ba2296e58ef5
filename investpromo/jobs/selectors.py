"""Reading jobs: who may see which, and how a job stands now."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db.models import QuerySet

from investpromo.accounts.permissions import Role, role_of
from investpromo.jobs.models import Job, StoredFile, StoredFileChunk
from investpromo.jobs.services import interrupted_jobs_query


def jobs_visible_to(user) -> QuerySet[Job]:
    """Administrators see every job; anyone else the jobs they started or whose check they own."""
    jobs = Job.objects.select_related("event", "user", "preview__user")
    if role_of(user) == Role.ADMINISTRATOR:
        return jobs
    return jobs.filter(user=user) | jobs.filter(preview__user=user)


def as_it_stands(job: Job) -> Job:
    """The job, shown as failed if its worker stopped (without writing: a page never waits)."""
    if (
        job.state == Job.State.RUNNING
        and Job.objects.filter(interrupted_jobs_query(), pk=job.pk).exists()
    ):
        job.state, job.error_code, job.error_params = Job.State.FAILED, "interrupted", {}
    return job


def current_run(upload: Job) -> Job:
    """An upload's latest run: its write once confirmed, else its check."""
    try:
        return as_it_stands(upload.write)
    except Job.DoesNotExist:
        return as_it_stands(upload)


def copy_stored_file(stored: StoredFile, folder: Path) -> Path:
    """Write a stored file's bytes into `folder` under a safe name keeping its suffix."""
    suffix = "".join(ch for ch in Path(stored.name).suffix[:10] if ch.isalnum() or ch == ".")
    path = Path(folder) / f"upload{suffix.lower()}"
    chunks = StoredFileChunk.objects.filter(file=stored).order_by("seq").values_list("data")
    with path.open("wb") as handle:
        for (data,) in chunks.iterator(chunk_size=1):
            handle.write(data)
    return path


@contextmanager
def job_file(job: Job) -> Iterator[Path]:
    """The job's file on this machine's disk for as long as the work needs it."""
    with tempfile.TemporaryDirectory(prefix="investpromo-job-") as folder:
        yield copy_stored_file(job.file, Path(folder))


def same_file_written_elsewhere(job: Job) -> list[Job]:
    """Imports of the same file (by SHA-256) written into another event: likely a mistake."""
    if not job.event_id:
        return []
    return list(
        Job.objects.filter(
            kind=job.kind,
            file__sha256=job.file.sha256,
            dry_run=False,
            state=Job.State.DONE,
        )
        .exclude(event_id=job.event_id)
        .select_related("event")
        .order_by("-finished_at")[:5]
    )
