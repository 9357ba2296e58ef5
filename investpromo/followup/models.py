"""Following a signed project until it operates: dated stages, evidence, frozen reports."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q


class Stage(models.TextChoices):
    """The path of a project after signing; order matters (see STAGE_ORDER)."""

    SIGNED = "signed", "签约 signed"
    REGISTERED = "registered", "注册 company registered"
    APPROVED = "approved", "审批 approvals obtained"
    STARTED = "started", "开工 construction started"
    COMPLETED = "completed", "竣工 completed"
    IN_PRODUCTION = "in_production", "投产 in production"
    FULL_CAPACITY = "full_capacity", "达产 at full capacity"
    TERMINATED = "terminated", "终止 terminated"


STAGE_ORDER = {
    Stage.SIGNED: 0,
    Stage.REGISTERED: 1,
    Stage.APPROVED: 2,
    Stage.STARTED: 3,
    Stage.COMPLETED: 4,
    Stage.IN_PRODUCTION: 5,
    Stage.FULL_CAPACITY: 6,
}
STARTED_OR_BEYOND = (Stage.STARTED, Stage.COMPLETED, Stage.IN_PRODUCTION, Stage.FULL_CAPACITY)
PRODUCING_OR_BEYOND = (Stage.IN_PRODUCTION, Stage.FULL_CAPACITY)


class Approval(models.TextChoices):
    """Approvals that make up the 'approved' stage (any subset)."""

    PROJECT = "project", "立项 project approval"
    LAND = "land", "土地 land"
    ENVIRONMENT = "environment", "环评 environmental assessment"
    CONSTRUCTION_PERMIT = "construction_permit", "施工许可 construction permit"


class ProgressStep(models.Model):
    """One dated step of a project, with the funds in place so far (cumulative) and evidence."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="progress_steps"
    )
    stage = models.CharField(max_length=16, choices=Stage.choices)
    date = models.DateField()
    approvals = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    no_evidence_reason = models.TextField(
        blank=True, help_text="why no evidence is attached (required from 'started' on without it)"
    )
    termination_reason = models.TextField(blank=True)
    funds_in_place = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    funds_currency = models.CharField(max_length=3, blank=True)
    funds_text = models.CharField(max_length=200, blank=True, help_text="as written")
    # Converted when recorded, at the latest rate on or before the step's date.
    funds_cny = models.DecimalField(max_digits=22, decimal_places=2, null=True, blank=True)
    is_regression = models.BooleanField(default=False, help_text="moved back to an earlier stage")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    source_ref = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["project_id", "date", "id"]
        # Covers "each project's latest step on a date" (stage and funds read from the index).
        indexes = [
            models.Index(
                fields=["project", "date", "id", "stage", "funds_cny"], name="step_latest_on_date"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(funds_in_place__isnull=True) | Q(funds_in_place__gte=0),
                name="funds_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.stage} {self.date}"


class Evidence(models.Model):
    """A file that proves a step: a registration certificate, a permit, a site photo."""

    step = models.ForeignKey(ProgressStep, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


# Months a project may stay in a stage without a step before it is flagged, on a quarterly
# reporting cycle: each stage's usual length (from the demo's own path and the practice it
# follows: registration within a quarter of signing, approvals within two, start within a
# quarter of approvals, about a year of construction, production within a quarter, full capacity
# within three) plus one quarterly report (yellow: one report came without the step) or two
# (red: two reports did). A flat three months turned 92 % of the demo's projects red, most of
# them simply under construction.
IDLE_STAGES = (
    "signed",
    "registered",
    "approved",
    "started",
    "completed",
    "in_production",
)
DEFAULT_IDLE_MONTHS = {
    "signed": {"yellow": 6, "red": 9},
    "registered": {"yellow": 9, "red": 12},
    "approved": {"yellow": 6, "red": 9},
    "started": {"yellow": 15, "red": 18},
    "completed": {"yellow": 6, "red": 9},
    "in_production": {"yellow": 12, "red": 15},
}


def default_idle_months() -> dict:
    return {stage: dict(months) for stage, months in DEFAULT_IDLE_MONTHS.items()}


class OverdueThresholds(models.Model):
    """When a project is flagged as stuck; one row, edited by administrators."""

    # {stage: {"yellow": months, "red": months}} for every stage in IDLE_STAGES.
    idle_months = models.JSONField(default=default_idle_months)
    red_not_started_months = models.PositiveSmallIntegerField(default=12)
    red_low_funds_months = models.PositiveSmallIntegerField(default=6)
    red_low_funds_share = models.DecimalField(
        max_digits=5, decimal_places=4, default=Decimal("0.15")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "overdue thresholds"

    def __str__(self) -> str:
        return "overdue thresholds"


class Snapshot(models.Model):
    """A frozen report of an event as of a date: what was published, never changed afterwards."""

    event = models.ForeignKey("events.Event", on_delete=models.PROTECT, related_name="snapshots")
    as_of = models.DateField()
    label = models.CharField(max_length=200)
    report = models.JSONField()
    bulletin_zh = models.TextField()
    bulletin_en = models.TextField()
    # Per project: version, latest stage and funds, so later changes can be listed.
    project_states = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    content_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event.slug} {self.label} ({self.as_of})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("a snapshot never changes once taken")
        super().save(*args, **kwargs)


class ProjectState(models.Model):
    """Where a project stands now (from all its steps): kept by the services for fast figures.

    Figures for today read this table; figures as of an earlier date walk the steps.
    """

    project = models.OneToOneField(
        "projects.Project",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="progress_state",
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, db_index=True)
    last_move = models.DateField(null=True)
    started_on = models.DateField(null=True)
    funds_cny = models.DecimalField(max_digits=22, decimal_places=2, null=True)

    def __str__(self) -> str:
        return f"{self.project_id} {self.stage}"
