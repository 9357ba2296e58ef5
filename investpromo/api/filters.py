"""Filters of the reference and ledger lists (the projects' one is the web ledger's)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from investpromo.events.models import Event
from investpromo.geo.models import Region
from investpromo.orgs.models import Organisation
from investpromo.projects.models import ExchangeRate
from investpromo.projects.selectors import (
    SEI_ANY,
    SEI_NONE,
    SEI_UNSPECIFIED,
    STAGE_CHOICES,
    ProjectFilter,
)
from investpromo.sectors.models import IndustryCategory
from investpromo.sectors.sei import SEI_INDUSTRIES


def _choice_values(choices) -> list[str]:
    """The values of Django choices, groups flattened (a group's label is no value)."""
    values = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            values += _choice_values(label)
        else:
            values.append(str(value))
    return values


# `sei`'s industry choices are read from the database per form; the schema names the same nine.
SEI_FILTER_VALUES = [
    SEI_ANY,
    *(str(industry.code) for industry in SEI_INDUSTRIES),
    SEI_UNSPECIFIED,
    SEI_NONE,
]
STAGE_FILTER_VALUES = _choice_values(STAGE_CHOICES)


class ProjectListFilter(ProjectFilter):
    """The web ledger's filters, with the values `sei` and `stage` take named for the schema."""

    @property
    def unit_key(self) -> str:
        # The API's amounts are yuan: value_min and value_max too, unless `unit` says otherwise.
        chosen = (
            self.form.cleaned_data.get("unit") if self.is_bound and self.form.is_valid() else ""
        )
        return chosen or "yuan"

    @extend_schema_field({"type": "string", "enum": SEI_FILTER_VALUES})
    def filter_sei(self, qs, name, value):
        return super().filter_sei(qs, name, value)

    @extend_schema_field({"type": "string", "enum": STAGE_FILTER_VALUES})
    def filter_stage(self, qs, name, value):
        return super().filter_stage(qs, name, value)


class _TrueOrFalse(forms.NullBooleanField):
    """`true` or `false` (or nothing); Django's own reads any other word as "not given"."""

    # The raw text, not NullBooleanSelect's reading of it (which turns any other word into None).
    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError(_("Give true or false."), code="invalid")


class BooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter that refuses what is neither, rather than silently ignoring it."""

    field_class = _TrueOrFalse


class RegionListFilter(django_filters.FilterSet):
    """Regions by level, parent code, and a code prefix or part of a name."""

    level = django_filters.TypedChoiceFilter(choices=Region.Level.choices, coerce=int)
    parent = django_filters.CharFilter(field_name="parent_id", max_length=6)
    q = django_filters.CharFilter(method="filter_q", max_length=50, label="Code prefix or name")

    class Meta:
        model = Region
        fields = ()

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(code__startswith=value)
            | Q(name__icontains=value)
            | Q(short_name__icontains=value)
            | Q(name_en__icontains=value)
        )


class IndustryCategoryFilter(django_filters.FilterSet):
    """Industry categories by level, section letter, parent, and a code prefix or name."""

    level = django_filters.TypedChoiceFilter(choices=IndustryCategory.Level.choices, coerce=int)
    section = django_filters.CharFilter(max_length=1, method="filter_section")
    parent = django_filters.CharFilter(field_name="parent_id", max_length=5)
    q = django_filters.CharFilter(method="filter_q", max_length=50, label="Code prefix or name")

    class Meta:
        model = IndustryCategory
        fields = ()

    def filter_section(self, qs, name, value):
        return qs.filter(section=value.strip().upper())

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(code__startswith=value.upper()) | Q(name__icontains=value))


class OrganisationFilter(django_filters.FilterSet):
    """Organisations by kind, USCC, home region (code prefix) and part of a name or alias."""

    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices)
    uscc = django_filters.CharFilter(method="filter_uscc", max_length=30)
    home_region = django_filters.CharFilter(
        field_name="home_region__code", lookup_expr="startswith", max_length=6
    )
    is_demo = BooleanFilter()
    q = django_filters.CharFilter(method="filter_q", max_length=100, label="Part of a name")

    class Meta:
        model = Organisation
        fields = ()

    def filter_uscc(self, qs, name, value):
        return qs.filter(uscc=value.strip().upper())

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        # Aliases are a JSON list; a text search on it works on SQLite and PostgreSQL alike.
        return qs.filter(Q(name__icontains=value) | Q(aliases__icontains=value))


class EventFilter(django_filters.FilterSet):
    """Events by host region (code prefix), dates and part of a name."""

    host_region = django_filters.CharFilter(
        field_name="host_region__code", lookup_expr="startswith", max_length=6
    )
    starts_from = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    starts_to = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")
    is_demo = BooleanFilter()
    q = django_filters.CharFilter(method="filter_q", max_length=100, label="Part of a name")

    class Meta:
        model = Event
        fields = ()

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(name__icontains=value) | Q(name_en__icontains=value) | Q(slug__icontains=value)
        )


class ExchangeRateFilter(django_filters.FilterSet):
    """Rates by currency and date range."""

    currency = django_filters.CharFilter(method="filter_currency", max_length=10)
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = ExchangeRate
        fields = ()

    def filter_currency(self, qs, name, value):
        return qs.filter(currency=value.strip().upper())
