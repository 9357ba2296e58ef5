"""The change log every service writes to."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class ChangeLog(models.Model):
    """One change to one record: who, when, what it was before and after."""

    class Action(models.TextChoices):
        CREATE = "create", "create"
        UPDATE = "update", "update"
        DELETE = "delete", "delete"
        # One row for a whole spreadsheet import: the records it created point to it
        # (created_by_import), so a 100,000-row file is audited without 100,000 rows.
        IMPORT = "import", "import"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Kept as text so the history still names the actor if the account is deleted.
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=Action.choices)
    # No index of its own: the (content_type, object_id) index starts with it.
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, db_index=False)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    source = models.CharField(
        max_length=300, blank=True, help_text="e.g. cli, web, api, import file"
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # Deleted records of a kind (a project's deleted steps): few among many rows.
            models.Index(fields=["content_type", "action"], name="changelog_type_action"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    @property
    def changed_fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
