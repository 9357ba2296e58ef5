"""Admin pages for projects and exchange rates; writes go through the services."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from investpromo.core.admin import ServiceAdmin
from investpromo.projects import services
from investpromo.projects.models import ExchangeRate, Project
from investpromo.projects.services.rates import delete_exchange_rate, set_exchange_rate

# What the admin form edits: everything a caller may set but the import bookkeeping.
PROJECT_INPUT_FIELDS = [f for f in services.PROJECT_FIELDS if f not in {"source_ref", "is_demo"}]


# The web's words for the same two refusals (translated there already).
VERSION_MISSING = _(
    "This page did not say which version of the project it changes, so saving it could "
    "overwrite someone else's newer change: reload the page and try again."
)
VERSION_STALE = _("The record was changed by someone else: reload and try again.")


class ProjectAdminForm(forms.ModelForm):
    """The admin's project form: a change carries the version it was made from (#12.7).

    Django's change form sends back every field as the page showed it: without the version,
    fields someone else changed meanwhile would be written back to what they were.
    """

    edited_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edited_version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            edited = data.get("edited_version")
            if edited is None:
                self.add_error(None, forms.ValidationError(VERSION_MISSING, code="version_missing"))
            elif edited != self.instance.version:
                self.add_error(None, forms.ValidationError(VERSION_STALE, code="version_stale"))
        return data


@admin.register(Project)
class ProjectAdmin(ServiceAdmin):
    form = ProjectAdminForm
    list_display = [
        "name",
        "investor",
        "destination_region",
        "value_cny",
        "sei_status",
        "event",
        "is_demo",
    ]
    list_filter = ["event", "sei_status", "agreement_type", "sei_industry", "is_demo"]
    search_fields = ["name", "investor__name"]
    raw_id_fields = ["investor", "origin_region", "destination_region", "industry_class"]
    fields = [
        *PROJECT_INPUT_FIELDS,
        "value_cny",
        "rate_date",
        "rate_cny_per_unit",
        "source_ref",
        "version",
        "edited_version",
    ]
    readonly_fields = ["value_cny", "rate_date", "rate_cny_per_unit", "source_ref", "version"]
    list_select_related = ["investor", "destination_region", "event"]

    def create_via_service(self, request, obj, form):
        data = {name: form.cleaned_data.get(name) for name in PROJECT_INPUT_FIELDS}
        data = {k: v for k, v in data.items() if v is not None}
        return services.create_project(actor=request.user, via="admin", **data)

    def update_via_service(self, request, obj, form, changes):
        changes.pop("edited_version", None)
        return services.update_project(
            actor=request.user,
            project=obj,
            expected_version=form.cleaned_data["edited_version"],
            via="admin",
            **changes,
        )

    def delete_via_service(self, request, obj):
        services.delete_project(actor=request.user, project=obj, via="admin")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ServiceAdmin):
    list_display = ["currency", "date", "cny_per_unit", "source"]
    list_filter = ["currency"]
    fields = ["currency", "date", "cny_per_unit", "source"]

    def create_via_service(self, request, obj, form):
        rate, _ = set_exchange_rate(actor=request.user, via="admin", **form.cleaned_data)
        return rate

    def update_via_service(self, request, obj, form, changes):
        data = {f: getattr(obj, f) for f in ["currency", "date", "cny_per_unit"]}
        data.update(changes)
        if data["currency"] != obj.currency or data["date"] != obj.date:
            delete_exchange_rate(actor=request.user, rate=obj, via="admin")
            if "cny_per_unit" not in changes:
                data.setdefault("source", obj.source)
        # The old source only when the value stays: a new value whose source was not edited is
        # recorded as set by this administrator, not under the source of the value it replaced.
        return set_exchange_rate(actor=request.user, via="admin", **data)[0]

    def delete_via_service(self, request, obj):
        delete_exchange_rate(actor=request.user, rate=obj, via="admin")
