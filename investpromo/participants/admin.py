"""Admin pages for participants and meeting requests: read here, written through the services."""

from django.contrib import admin

from investpromo.participants.models import (
    ContactPerson,
    EventOrganiser,
    MeetingRequest,
    MeetingRules,
    Participant,
    PortalLink,
    ProjectOrigin,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browse and search; every change goes through investpromo.participants.services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ContactInline(admin.TabularInline):
    model = ContactPerson
    extra = 0
    fields = ["name", "title", "phone", "email", "language", "is_primary"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ["name", "event", "kind", "side", "status", "region"]
    list_filter = ["status", "side", "kind", "event"]
    search_fields = ["name", "organisation__name", "organisation__uscc"]
    raw_id_fields = ["event", "organisation", "merged_into", "region", "created_by"]
    inlines = [ContactInline]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(ReadOnlyAdmin):
    list_display = ["requester", "recipient", "event", "state", "priority", "created_at"]
    list_filter = ["state", "priority", "event"]
    search_fields = ["requester__name", "recipient__name"]
    raw_id_fields = ["event", "requester", "recipient", "created_by"]


@admin.register(EventOrganiser)
class EventOrganiserAdmin(ReadOnlyAdmin):
    list_display = ["user", "event", "created_at"]
    raw_id_fields = ["event", "user"]


@admin.register(MeetingRules)
class MeetingRulesAdmin(ReadOnlyAdmin):
    list_display = ["event", "max_requests_sent", "max_requests_received", "portal_link_days"]


@admin.register(ProjectOrigin)
class ProjectOriginAdmin(ReadOnlyAdmin):
    list_display = ["project", "meeting", "created_at"]
    raw_id_fields = ["project", "meeting", "created_by"]


@admin.register(PortalLink)
class PortalLinkAdmin(ReadOnlyAdmin):
    list_display = ["participant", "created_at", "expires_at", "revoked_at"]
    raw_id_fields = ["participant", "created_by"]
    exclude = ["secret_hash"]
