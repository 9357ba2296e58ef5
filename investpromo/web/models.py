"""Uploaded signing lists and the import runs made from them."""

from django.conf import settings
from django.db import models


class ImportJob(models.Model):
    """One uploaded file: its dry-run preview and, once confirmed, the import that wrote it."""

    class Kind(models.TextChoices):
        SIGNING = "signing", "signing list"
        PROGRESS = "progress", "progress report"

    class Stage(models.TextChoices):
        PREVIEW = "preview", "preview (dry run)"
        WRITE = "write", "write"

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        FINISHED = "finished", "finished"
        FAILED = "failed", "failed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Who confirmed the write: the import's audit names them (an administrator may confirm an
    # officer's upload); empty until confirmed.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SIGNING)
    # A signing list is imported into an event; a progress report may name its events per row.
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(upload_to="uploads/%Y/%m/")
    original_name = models.CharField(max_length=255)
    skip_invalid = models.BooleanField(default=False)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.PREVIEW)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    preview = models.JSONField(null=True, blank=True, help_text="the dry run's report")
    result = models.JSONField(null=True, blank=True, help_text="the real import's report")
    error = models.TextField(blank=True)
    # The server process running the job (host:pid:token), to tell a job whose server stopped.
    runner = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} → {self.event_id} ({self.stage} {self.status})"

    @property
    def is_busy(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def writer(self):
        """The account the write runs as: whoever confirmed it, else the uploader."""
        return self.confirmed_by or self.user

    @property
    def can_confirm(self) -> bool:
        return (
            self.stage == self.Stage.PREVIEW
            and self.status == self.Status.FINISHED
            and self.preview is not None
        )
