"""Published snapshots in the admin: read here, withdrawn only through the follow-up service."""

from django.contrib import admin

from investpromo.core.admin import ServiceAdmin
from investpromo.followup.models import Snapshot
from investpromo.followup.services.removal import delete_snapshot


@admin.register(Snapshot)
class SnapshotAdmin(ServiceAdmin):
    list_display = ["label", "event", "as_of", "created_by", "created_at"]
    list_filter = ["event"]
    list_select_related = ["event", "created_by"]
    fields = ["event", "label", "as_of", "created_by", "created_at", "content_sha256"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_via_service(self, request, obj):
        delete_snapshot(actor=request.user, snapshot=obj, via="admin")
