"""An event's meeting slots, the runs of the scheduler, and the meetings it placed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MeetingSlot(models.Model):
    """A time slot of an event for one-to-one meetings, with the tables free in it."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="meeting_slots"
    )
    start = models.DateTimeField(_("start"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    tables = models.PositiveIntegerField(_("tables"))

    class Meta:
        verbose_name = _("meeting slot")
        ordering = ["event", "start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "start"], name="one_slot_per_start"),
            models.CheckConstraint(condition=Q(minutes__gte=1), name="slot_has_minutes"),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} ({self.minutes} min, {self.tables} tables)"


class ScheduleRun(models.Model):
    """One run of the scheduler over an event, done by the task queue's worker."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="schedule_runs"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    time_limit = models.FloatField(default=30.0)
    # The schedule file's summary (placed, weighted value, bound, gap…) once done.
    summary = models.JSONField(null=True, blank=True)
    # Why a run failed: a code and its parameters, put into words where shown.
    error_code = models.CharField(max_length=40, blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("schedule run")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed"]),
                name="schedule_run_state_known",
            )
        ]

    def __str__(self) -> str:
        return f"schedule of {self.event} ({self.state})"


class ScheduledMeeting(models.Model):
    """An accepted meeting request placed in a slot at a table; a locked one stays there."""

    request = models.OneToOneField(
        "participants.MeetingRequest", on_delete=models.CASCADE, related_name="placement"
    )
    slot = models.ForeignKey(MeetingSlot, on_delete=models.PROTECT, related_name="meetings")
    table = models.PositiveIntegerField(_("table"))
    locked = models.BooleanField(_("locked"), default=False)
    run = models.ForeignKey(
        ScheduleRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="placements"
    )

    class Meta:
        verbose_name = _("scheduled meeting")
        ordering = ["slot", "table"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "table"], name="one_meeting_per_table"),
            models.CheckConstraint(condition=Q(table__gte=1), name="tables_count_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} at {self.slot}, table {self.table}"
