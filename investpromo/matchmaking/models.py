"""Recommended counterparts: an event's weights, the runs that compute them, and their results."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from investpromo.matchmaking.engine import Weights

_DEFAULTS = Weights()


class MatchWeights(models.Model):
    """How much each kind of fit counts at one event (the engine's defaults without a row)."""

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="match_weights"
    )
    same_class = models.FloatField(_("same industry class"), default=_DEFAULTS.same_class)
    same_group = models.FloatField(_("same industry group"), default=_DEFAULTS.same_group)
    same_division = models.FloatField(_("same industry division"), default=_DEFAULTS.same_division)
    shared_sei = models.FloatField(
        _("shared strategic emerging industry"), default=_DEFAULTS.shared_sei
    )
    text = models.FloatField(_("what one seeks, the other offers"), default=_DEFAULTS.text)
    min_text_similarity = models.FloatField(
        _("least text similarity that counts"), default=_DEFAULTS.min_text_similarity
    )
    region = models.FloatField(_("region of interest"), default=_DEFAULTS.region)
    size = models.FloatField(_("investment size fits"), default=_DEFAULTS.size)
    cooperation = models.FloatField(_("shared cooperation mode"), default=_DEFAULTS.cooperation)
    host_visitor = models.FloatField(_("host meets visitor"), default=_DEFAULTS.host_visitor)
    host_pairs = models.BooleanField(
        _("recommend hosts to each other"), default=_DEFAULTS.host_pairs
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matchmaking weights")
        verbose_name_plural = _("matchmaking weights")
        constraints = [
            models.CheckConstraint(
                condition=Q(same_class__gte=0)
                & Q(same_group__gte=0)
                & Q(same_division__gte=0)
                & Q(shared_sei__gte=0)
                & Q(text__gte=0)
                & Q(min_text_similarity__gte=0)
                & Q(min_text_similarity__lte=1)
                & Q(region__gte=0)
                & Q(size__gte=0)
                & Q(cooperation__gte=0)
                & Q(host_visitor__gte=0),
                name="match_weights_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"weights of {self.event}"

    def as_weights(self) -> Weights:
        """The engine's form of these weights."""
        return Weights(**{name: getattr(self, name) for name in WEIGHT_FIELDS})


WEIGHT_FIELDS = tuple(Weights.__dataclass_fields__)


class RecommendationRun(models.Model):
    """One computation of all recommendations of an event, run by the task queue's worker."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="recommendation_runs"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    # Per participant, the best this many counterparts are kept.
    limit = models.PositiveSmallIntegerField(default=10)
    participants_done = models.PositiveIntegerField(null=True, blank=True)
    participants_total = models.PositiveIntegerField(null=True, blank=True)
    # The weights the run used, as they were (they may change afterwards).
    weights = models.JSONField(default=dict, blank=True)
    recommendations = models.PositiveIntegerField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    # Why a run failed: a code and its parameters, put into words where shown (reasons.py).
    error_code = models.CharField(max_length=40, blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("recommendation run")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed"]),
                name="recommendation_run_state_known",
            )
        ]

    def __str__(self) -> str:
        return f"recommendations for {self.event} ({self.state})"

    @property
    def is_busy(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)


class Recommendation(models.Model):
    """A counterpart recommended to a participant, with its rank, score, parts and reasons."""

    run = models.ForeignKey(RecommendationRun, on_delete=models.CASCADE, related_name="results")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="+"
    )
    counterpart = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    # {"industry": 3.0, "seeks_offers": 2.1, …}: "why this pair" (engine.PARTS).
    parts = models.JSONField(default=dict)
    # [{"code": …, "params": {…}}, …], strongest first; words made where shown.
    reasons = models.JSONField(default=list)

    class Meta:
        verbose_name = _("recommendation")
        ordering = ["run", "participant", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "participant", "rank"], name="one_recommendation_per_rank"
            ),
            models.UniqueConstraint(
                fields=["run", "participant", "counterpart"],
                name="one_recommendation_per_counterpart",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.counterpart_id} #{self.rank}"
