"""Admin pages for events; writes go through the services."""

from django.contrib import admin

from investpromo.core.admin import ServiceAdmin
from investpromo.events import services
from investpromo.events.models import Event

EVENT_FIELDS = [
    "slug",
    "name",
    "name_en",
    "start_date",
    "end_date",
    "host_region",
    "organiser",
    "description",
    "source",
    "is_demo",
]


@admin.register(Event)
class EventAdmin(ServiceAdmin):
    list_display = ["slug", "name", "start_date", "end_date", "host_region", "is_demo"]
    search_fields = ["slug", "name", "name_en"]
    raw_id_fields = ["host_region"]
    fields = EVENT_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []

    def create_via_service(self, request, obj, form):
        return services.create_event(actor=request.user, via="admin", **form.cleaned_data)

    def update_via_service(self, request, obj, form, changes):
        return services.update_event(actor=request.user, event=obj, via="admin", **changes)

    def delete_via_service(self, request, obj):
        services.delete_event(actor=request.user, event=obj, via="admin")
