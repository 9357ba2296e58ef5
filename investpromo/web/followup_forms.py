"""Forms of the follow-through pages: they parse what was typed; the services decide and write."""

import re
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from investpromo.events.models import Event
from investpromo.followup.models import IDLE_STAGES
from investpromo.followup.selectors import idle_limits
from investpromo.projects.rates import CURRENCIES
from investpromo.projects.selectors import STAGE_LABELS, RegionField
from investpromo.web.followthrough import APPROVAL_LABELS
from investpromo.web.forms import DATE, UploadForm

# Service field names → the form fields they are typed into.
SERVICE_FIELDS = {"currency": "funds_currency", "red_low_funds_share": "red_low_funds_percent"}
# The services' rules in the page's language (other messages are shown as the service words them).
SERVICE_MESSAGES = [
    (
        re.compile(r"^from 'construction started' on, attach evidence"),
        _("From “construction started” on, attach evidence or explain why there is none."),
    ),
    (
        re.compile(r"^a terminated project needs the reason"),
        _("Say why the project was terminated."),
    ),
    (re.compile(r"^the date \S+ is in the future"), _("The date is in the future.")),
    (re.compile(r"^the date \S+ is before the signing"), _("The date is before the signing.")),
    (re.compile(r"^funds in place cannot be negative"), _("Funds in place cannot be negative.")),
]


def service_message(message: str) -> str:
    for pattern, text in SERVICE_MESSAGES:
        if pattern.match(message):
            return str(text)
    return message


class ServiceErrors:
    """Show a service's UserError at the field it names, or above the form."""

    def add_service_error(self, error) -> None:
        field = SERVICE_FIELDS.get(error.field, error.field)
        self.add_error(field if field in self.fields else None, service_message(error.message))


class NotFutureDateField(forms.DateField):
    widget = DATE

    def validate(self, value):
        super().validate(value)
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))


class AsOfForm(forms.Form):
    """The date the follow-through figures are counted on (default: today)."""

    as_of = NotFutureDateField(required=False, label=_("As of"))

    def as_of_date(self):
        if self.is_bound and self.is_valid() and self.cleaned_data["as_of"]:
            return self.cleaned_data["as_of"]
        return timezone.localdate()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ProgressStepForm(ServiceErrors, forms.Form):
    """A dated step of a project, with its funds in place and evidence."""

    stage = forms.ChoiceField(choices=list(STAGE_LABELS.items()), label=_("Stage"))
    date = NotFutureDateField(label=_("Date"), initial=timezone.localdate)
    approvals = forms.MultipleChoiceField(
        choices=list(APPROVAL_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Approvals obtained"),
    )
    funds_in_place = forms.DecimalField(
        max_digits=24,
        decimal_places=6,
        min_value=0,
        required=False,
        label=_("Funds in place so far"),
        help_text=_("Cumulative, in units of the currency (yuan, dollars), not 万元."),
    )
    funds_currency = forms.ChoiceField(
        choices=[(c, c) for c in CURRENCIES], initial="CNY", label=_("Currency")
    )
    funds_text = forms.CharField(
        max_length=200,
        required=False,
        label=_("Funds as written"),
        help_text=_("As the report wrote it, e.g. 1.2亿元 (optional)."),
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Note")
    )
    evidence = MultipleFileField(
        required=False,
        label=_("Evidence files"),
        help_text=_("A registration certificate, a permit, a site photo; several files at once."),
    )
    no_evidence_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Why there is no evidence"),
        help_text=_("Needed from “construction started” on when no file is attached."),
    )
    termination_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Reason for termination"),
        help_text=_("Needed when the stage is “terminated”."),
    )

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["evidence_files"] = data.pop("evidence")
        if data["funds_in_place"] is None:
            data.pop("funds_currency")
        return data


class SnapshotForm(ServiceErrors, forms.Form):
    """Freeze an event's report as of a date under a label."""

    # The event page also has the as-of picker: keep the two date inputs apart.
    prefix = "snapshot"

    as_of = NotFutureDateField(label=_("As of"), initial=timezone.localdate)
    label = forms.CharField(
        max_length=200, label=_("Label"), help_text=_("E.g. 2026年10月月报 (October report).")
    )


class OverdueFilterForm(forms.Form):
    """Narrow the overdue list to an event, a region, or the officer's own regions."""

    event = forms.ModelChoiceField(
        queryset=Event.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Event"),
        empty_label=_("All events"),
    )
    region = RegionField(label=_("Region"), help_text=_("Code or name, e.g. 大庆 or 230600"))
    mine = forms.BooleanField(required=False, label=_("Only my regions"))


class ThresholdsForm(ServiceErrors, forms.Form):
    """The overdue thresholds: months per stage, then the not-started and low-funds rules."""

    red_not_started_months = forms.IntegerField(
        min_value=0, max_value=240, label=_("Red: signed and not started after (months)")
    )
    red_low_funds_months = forms.IntegerField(
        min_value=0, max_value=240, label=_("Red: started, with low funds, after (months)")
    )
    red_low_funds_percent = forms.DecimalField(
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        label=_("Low funds: under (% of contract value)"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        idle = {}
        for stage in IDLE_STAGES:
            stage_name = STAGE_LABELS[stage]
            for level, label in (
                ("yellow", _("%(stage)s: yellow after (months without a step)")),
                ("red", _("%(stage)s: red after (months without a step)")),
            ):
                idle[f"idle_{stage}_{level}"] = forms.IntegerField(
                    min_value=0, max_value=120, label=label % {"stage": stage_name}
                )
        # The stages first, in their order, then the other rules.
        self.fields = {**idle, **self.fields}

    @classmethod
    def initial_for(cls, thresholds) -> dict:
        initial = {
            f"idle_{stage}_{level}": months
            for stage, (yellow, red) in idle_limits(thresholds).items()
            for level, months in (("yellow", yellow), ("red", red))
        }
        return {
            **initial,
            "red_not_started_months": thresholds.red_not_started_months,
            "red_low_funds_months": thresholds.red_low_funds_months,
            "red_low_funds_percent": (Decimal(thresholds.red_low_funds_share) * 100).normalize(),
        }

    def clean(self):
        data = super().clean()
        for stage in IDLE_STAGES:
            yellow, red = data.get(f"idle_{stage}_yellow"), data.get(f"idle_{stage}_red")
            if yellow is not None and red is not None and red < yellow:
                self.add_error(f"idle_{stage}_red", _("Red cannot come before yellow."))
        return data

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["idle_months"] = {
            stage: {
                "yellow": data.pop(f"idle_{stage}_yellow"),
                "red": data.pop(f"idle_{stage}_red"),
            }
            for stage in IDLE_STAGES
        }
        data["red_low_funds_share"] = (data.pop("red_low_funds_percent") / 100).quantize(
            Decimal("0.0001")
        )
        return data


class ProgressUploadForm(UploadForm):
    """A progress report; the event is only needed for rows that name projects without an ID."""

    event = forms.ModelChoiceField(
        queryset=Event.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Event"),
        empty_label=_("(rows give the ID or the event)"),
        help_text=_("For rows that name a project by name and investor without an event column."),
    )
    file = forms.FileField(
        label=_("Progress report"),
        help_text=_("An .xlsx, .xls or .csv file, up to 50 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.csv"}),
    )
