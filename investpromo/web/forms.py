"""Forms: they parse and check what was typed; the services decide and write."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from investpromo.events.models import Event
from investpromo.projects.models import Project
from investpromo.projects.rates import CURRENCIES
from investpromo.projects.selectors import AGREEMENT_CHOICES, SEI_STATUS_CHOICES, RegionField
from investpromo.sectors.models import IndustryCategory, SEIIndustry

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Service field names → the form fields they are typed into, for placing service errors.
SERVICE_FIELDS = {
    "destination_region": "destination",
    "origin_region": "origin",
    "investor": "investor_name",
    "uscc": "investor_uscc",
    "event": "event",
}


class ScopeForm(forms.Form):
    """The dashboard's choice: all projects, one event, a signing period, or both."""

    event = forms.ModelChoiceField(
        queryset=Event.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Event"),
        empty_label=_("All events"),
    )
    signed_from = forms.DateField(required=False, label=_("Signed from"), widget=DATE)
    signed_to = forms.DateField(required=False, label=_("Signed to"), widget=DATE)

    def clean(self):
        data = super().clean()
        start, end = data.get("signed_from"), data.get("signed_to")
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


class IndustryClassField(forms.CharField):
    """A GB/T 4754 class code (4 digits, optionally with its section letter)."""

    def clean(self, value):
        code = (super().clean(value) or "").strip().upper().lstrip("ABCDEFGHIJKLMNOPQRST")
        if not code:
            return None
        category = IndustryCategory.objects.filter(code=code, level=4).first()
        if category is None:
            raise forms.ValidationError(
                _("%(code)s is not a GB/T 4754 industry class (4 digits, e.g. 3911)"),
                params={"code": code},
            )
        return category


class ProjectForm(forms.Form):
    """Every field an officer types for a project; the investor is found or created by name."""

    event = forms.ModelChoiceField(
        queryset=Event.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Event"),
        empty_label=_("(no event)"),
    )
    name = forms.CharField(max_length=300, label=_("Project name"))
    investor_name = forms.CharField(
        max_length=200,
        label=_("Investor"),
        help_text=_("An organisation with this name is reused; otherwise it is created."),
    )
    investor_uscc = forms.CharField(
        max_length=30,
        required=False,
        label=_("Investor USCC"),
        help_text=_("Unified social credit code, if known (only used for a new investor)."),
    )
    destination = RegionField(
        required=True,
        label=_("Destination"),
        help_text=_(
            "City or county where the project is built: code or name, e.g. 230103 or 哈尔滨市南岗区."
        ),
    )
    origin = RegionField(
        label=_("Origin"), help_text=_("Where the investor comes from (optional).")
    )
    signing_date = forms.DateField(required=False, label=_("Signing date"), widget=DATE)
    agreement_type = forms.ChoiceField(
        choices=AGREEMENT_CHOICES,
        initial=Project.AgreementType.UNSPECIFIED,
        label=_("Agreement type"),
    )
    contract_value = forms.DecimalField(
        max_digits=24,
        decimal_places=6,
        min_value=0,
        label=_("Contract value"),
        help_text=_("In the currency and unit beside it: 4.9 with 亿 is 490,000,000."),
    )
    contract_value_unit = forms.ChoiceField(
        choices=[
            ("1", _("units (yuan, dollars …)")),
            ("10000", _("万 (ten thousand)")),
            ("100000000", _("亿 (hundred million)")),
        ],
        initial="1",
        required=False,
        label=_("Amount unit"),
    )
    currency = forms.ChoiceField(
        choices=[(c, c) for c in CURRENCIES], initial="CNY", label=_("Currency")
    )
    value_approximate = forms.BooleanField(required=False, label=_("Value is approximate"))
    sei_status = forms.ChoiceField(
        choices=SEI_STATUS_CHOICES,
        initial=Project.SEIStatus.NOT_SEI,
        label=_("Strategic emerging industry"),
    )
    sei_industry = forms.ModelChoiceField(
        queryset=SEIIndustry.objects.all(),
        required=False,
        label=_("SEI industry"),
    )
    industry_class = IndustryClassField(
        max_length=5, required=False, label=_("Industry class (GB/T 4754)")
    )
    industry_text = forms.CharField(max_length=200, required=False, label=_("Industry as written"))
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Notes")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_for(cls, project: Project) -> dict:
        """The form's initial values for an existing project."""
        return {
            "event": project.event.slug if project.event_id else None,
            "name": project.name,
            "investor_name": project.investor.name,
            "investor_uscc": project.investor.uscc or "",
            "destination": project.destination_region_id,
            "origin": project.origin_region_id or "",
            "signing_date": project.signing_date,
            "agreement_type": project.agreement_type,
            # Plain digits: normalize() alone would show 3.29E+9.
            "contract_value": f"{project.contract_value.normalize():f}",
            "currency": project.currency,
            "value_approximate": project.value_approximate,
            "sei_status": project.sei_status,
            "sei_industry": project.sei_industry_id,
            "industry_class": project.industry_class_id or "",
            "industry_text": project.industry_text,
            "notes": project.notes,
            "version": project.version,
        }

    def clean(self):
        data = super().clean()
        # The services take the amount in units of the currency: 4.9 亿 is 490,000,000.
        value, unit = data.get("contract_value"), data.get("contract_value_unit")
        if value is not None and unit:
            data["contract_value"] = value * Decimal(unit)
        return data

    def add_service_error(self, error) -> None:
        """Show a service's UserError at the field it names, or above the form."""
        field = SERVICE_FIELDS.get(error.field, error.field)
        self.add_error(field if field in self.fields else None, error.message)


VERSION_MISSING = _(
    "This page did not say which version of the project it changes, so saving it could "
    "overwrite someone else's newer change: reload the page and try again."
)


class RequiresVersion:
    """A form that changes a project: the version it was made from must come back with it."""

    def clean(self):
        data = super().clean()
        # Hidden, so its own error would never be seen: one message above the form instead.
        if self.errors.pop("version", None) is not None or data.get("version") is None:
            data.pop("version", None)
            self.add_error(None, forms.ValidationError(VERSION_MISSING, code="version_missing"))
        return data


class ProjectEditForm(RequiresVersion, ProjectForm):
    """The project form for an existing project: refused without the version it edits."""


class DeleteForm(RequiresVersion, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class UploadForm(forms.Form):
    """A signing list to preview against an event."""

    event = forms.ModelChoiceField(
        queryset=Event.objects.all(),
        to_field_name="slug",
        label=_("Event"),
        empty_label=None,
    )
    file = forms.FileField(
        label=_("Signing list"),
        help_text=_("An .xlsx, .xls or .csv file, up to 50 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.csv"}),
    )

    MAX_BYTES = 50 * 1024 * 1024
    SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(self.SUFFIXES):
            raise forms.ValidationError(_("Upload an .xlsx, .xls or .csv file."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload


class ConfirmForm(forms.Form):
    skip_invalid = forms.BooleanField(
        required=False,
        label=_("Skip the rows with errors and import the rest"),
    )
