"""Roles: what a user may see and change, and for officers, where."""

from django.conf import settings
from django.db import models


class Profile(models.Model):
    """A user's role and, for officers, the regions whose projects they may write."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", "administrator"
        OFFICER = "officer", "promotion officer"
        VIEWER = "viewer", "viewer"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    regions = models.ManyToManyField("geo.Region", blank=True, related_name="+")

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"
