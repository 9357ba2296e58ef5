"""Links between records of one project, and merges of organisations that are one enterprise."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ProjectLink(models.Model):
    """A later record of the ledger tied to an earlier one, with how they relate and who decided.

    Count once follows the confirmed links of kinds other than later_phase: the records they
    join are one project, counted at its earliest record; a later one counts only the value
    above what the project already counted. A later phase is linked but counts in full.
    """

    class Kind(models.TextChoices):
        RE_SIGNING = "re_signing", _("re-signing")
        UPGRADE = "upgrade", _("upgrade (intent or framework to contract)")
        CAPITAL_INCREASE = "capital_increase", _("capital increase")
        DOUBLE_REPORT = "double_report", _("double report")
        LATER_PHASE = "later_phase", _("later phase (another project)")

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting review")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected: not one project")

    earlier = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="links_to_later"
    )
    later = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="links_to_earlier"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    evidence = models.JSONField(default=list, blank=True)
    # "scan" for the scan's own decision (decided_by: who ran it), "review" for a person's.
    decided_via = models.CharField(max_length=10, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["later_id", "earlier_id"]
        constraints = [
            models.UniqueConstraint(fields=["earlier", "later"], name="unique_project_link"),
            models.CheckConstraint(condition=~Q(earlier=F("later")), name="link_two_records"),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="link_status_kind")]

    def __str__(self) -> str:
        return f"#{self.later_id} {self.kind} of #{self.earlier_id} ({self.status})"


class OrganisationMerge(models.Model):
    """One organisation merged into another: what moved, so that an unmerge can put it back."""

    survivor = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="merges_received"
    )
    merged = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="merges_given"
    )
    # What moved: project ids (as investor); [project id, survivor added] per co-investment;
    # other records pointing at the organisation (participations, registrations…) by label.
    projects = models.JSONField(default=list)
    co_investments = models.JSONField(default=list)
    others = models.JSONField(default=dict)
    # The merged organisation's USCC, given to a survivor that had none.
    uscc_moved = models.BooleanField(default=False)
    # Whether the merged name (and its aliases) were new aliases of the survivor.
    aliases_added = models.JSONField(default=list)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(survivor=F("merged")), name="merge_two_orgs"),
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"
