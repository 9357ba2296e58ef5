"""Organisations: investors, local enterprises and other participants."""

from django.db import models
from django.db.models import Q


class Organisation(models.Model):
    """An enterprise or institution, identified by its USCC where one is known."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", "enterprise"
        INVESTOR = "investor", "investment institution"
        GOVERNMENT = "government", "government body"
        UNIVERSITY = "university", "university or research institute"
        ASSOCIATION = "association", "association or chamber"
        OTHER = "other", "other"

    name = models.CharField(max_length=200)
    # NFKC, trimmed, whitespace collapsed, case-folded: how imports recognise the same name.
    normalized_name = models.CharField(max_length=200, db_index=True)
    aliases = models.JSONField(default=list, blank=True)
    # NULL, not "", for "unknown": the unique constraint must ignore organisations without one.
    uscc = models.CharField(  # noqa: DJ001
        "unified social credit code", max_length=18, null=True, blank=True
    )
    home_region = models.ForeignKey(
        "geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ENTERPRISE)
    is_demo = models.BooleanField(default=False, help_text="synthetic example data")
    created_by_import = models.ForeignKey(
        "core.ChangeLog",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="the import's audit row, for organisations an import created",
    )
    # Set when this organisation was merged into another (integrity.services.merge_organisations):
    # its projects moved there and its name became an alias; an unmerge clears it.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"], condition=Q(uscc__isnull=False), name="unique_org_uscc"
            )
        ]

    def __str__(self) -> str:
        return self.name
