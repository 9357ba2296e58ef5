"""Promotion events and who took part."""

from django.db import models
from django.db.models import F, Q


class Event(models.Model):
    """An investment-promotion event where projects are signed."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    host_region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    organiser = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    source = models.TextField(blank=True, help_text="where the published figures come from")
    is_demo = models.BooleanField(default=False, help_text="synthetic example data")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """An organisation that attended an event (not necessarily a signatory)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT)
    role = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation"], name="unique_participant")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.event}"
