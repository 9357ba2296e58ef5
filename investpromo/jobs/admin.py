"""Uploads in the admin: read here, removed (with their files) only through the jobs service."""

from django.contrib import admin

from investpromo.core.admin import ServiceAdmin
from investpromo.jobs.models import Job
from investpromo.jobs.services import delete_job


@admin.register(Job)
class JobAdmin(ServiceAdmin):
    list_display = ["original_name", "kind", "event", "user", "state", "dry_run", "created_at"]
    list_filter = ["kind", "state", "dry_run"]
    search_fields = ["original_name", "event__slug", "user__username"]
    list_select_related = ["event", "user"]
    exclude = ["summary", "error_params"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_via_service(self, request, obj):
        delete_job(actor=request.user, job=obj, via="admin")
