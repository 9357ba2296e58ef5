"""Long work (checking and writing an uploaded file) run by the task queue's workers.

A job's state, progress and outcome live here, in the database every app server and worker
shares, so any server can show any job; the queue's own row (django-tasks-db) only says which
worker picked it up.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """An uploaded file's bytes, kept in the database so that any worker on any machine reads it."""

    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.size:,} bytes)"


class StoredFileChunk(models.Model):
    """One piece of a stored file: read back in order, never all at once."""

    file = models.ForeignKey(StoredFile, on_delete=models.CASCADE, related_name="chunks")
    seq = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["file", "seq"], name="stored_file_chunk_order")
        ]

    def __str__(self) -> str:
        return f"{self.file_id}#{self.seq}"


class Job(models.Model):
    """One run of long work: an upload checked (dry run) or written, with progress and outcome."""

    class Kind(models.TextChoices):
        SIGNING_IMPORT = "signing_import", _("signing list import")
        PROGRESS_IMPORT = "progress_import", _("progress report import")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Who started it: the write runs as, and the audit names, this account.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # A signing list goes into an event; a progress report may name its events per row. An
    # event with uploads is not deleted: each upload is removed first (jobs.services.delete_job),
    # logged, with its file.
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="jobs")
    original_name = models.CharField(max_length=255)
    dry_run = models.BooleanField(default=False)
    skip_invalid = models.BooleanField(default=False)
    # The checked upload this write confirms; one write per check, held by the database so
    # that a double click or a second tab cannot write the file twice.
    preview = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="write"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    rows_done = models.PositiveIntegerField(null=True, blank=True)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    summary = models.JSONField(null=True, blank=True, help_text="the importer's report")
    # Why a job failed as a whole (the file, a limit, a stopped worker): a code and its
    # parameters, put into words where it is shown (jobs.messages); row problems are in the
    # summary.
    error_code = models.CharField(max_length=40, blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    worker_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "started_at"], name="job_state_started")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name} ({self.state})"

    @property
    def is_busy(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def error_text(self) -> str:
        """Why the job failed, in the active language ("" when it did not)."""
        from investpromo.jobs.messages import job_error_text

        return job_error_text(self.error_code, self.error_params) if self.error_code else ""
