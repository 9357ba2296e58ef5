"""Admin pages for organisations; writes go through the services."""

from django.contrib import admin

from investpromo.core.admin import ServiceAdmin
from investpromo.orgs import services
from investpromo.orgs.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(ServiceAdmin):
    list_display = ["name", "uscc", "home_region", "kind", "is_demo"]
    search_fields = ["name", "uscc", "normalized_name"]
    list_filter = ["kind", "is_demo"]
    raw_id_fields = ["home_region"]
    fields = ["name", "aliases", "uscc", "home_region", "kind", "is_demo"]

    def create_via_service(self, request, obj, form):
        return services.create_organisation(actor=request.user, via="admin", **form.cleaned_data)

    def update_via_service(self, request, obj, form, changes):
        return services.update_organisation(
            actor=request.user, organisation=obj, via="admin", **changes
        )

    def delete_via_service(self, request, obj):
        services.delete_organisation(actor=request.user, organisation=obj, via="admin")
