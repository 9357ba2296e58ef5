"""The event form: it parses; the events services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from investpromo.projects.selectors import RegionField
from investpromo.web.forms import DATE
from investpromo.web.pickers import RegionPicker

# The fields an edit may change (the slug is permanent: links and exports name it).
EDITABLE = ["name", "name_en", "start_date", "end_date", "host_region", "organiser"]


class EventForm(forms.Form):
    """An event's names, dates, host region and organiser; the slug only when it is new."""

    name = forms.CharField(max_length=200, label=_("Name (Chinese)"))
    name_en = forms.CharField(max_length=200, required=False, label=_("Name (English)"))
    slug = forms.CharField(
        max_length=80,
        required=False,
        label=_("Short name for links"),
        help_text=_(
            "Lower-case letters, digits and hyphens, e.g. harbin-2025; left empty, it is made "
            "from the English name or the host region and the year. It cannot change later."
        ),
    )
    start_date = forms.DateField(label=_("First day"), widget=DATE)
    end_date = forms.DateField(
        required=False, label=_("Last day"), widget=DATE, help_text=_("Empty: a one-day event.")
    )
    host_region = RegionField(
        required=True,
        label=_("Host region"),
        widget=RegionPicker(),
        help_text=_("Search by name or code, e.g. 哈尔滨 or 230100."),
    )
    organiser = forms.CharField(max_length=200, required=False, label=_("Organiser"))
    field_order = ["name", "name_en", "slug", "start_date", "end_date", "host_region", "organiser"]

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        if event is not None:
            del self.fields["slug"]

    @classmethod
    def initial_for(cls, event) -> dict:
        return {field: getattr(event, field) for field in EDITABLE}

    def add_service_error(self, error) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)
