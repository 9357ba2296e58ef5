"""Region pickers: a text box that takes codes or names, which picker.js turns into a search.

Without JavaScript the box still works: codes or names typed into it are resolved on the
server. With it, typing asks /lookup/regions/ for suggestions and a choice puts the code in the
box (for several regions, as removable chips).
"""

import json

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from investpromo.accounts.services.users import parse_region_list
from investpromo.core.errors import UserError
from investpromo.geo.models import Region
from investpromo.geo.resolver import resolve_region

LOOKUP_URL = reverse_lazy("web:region_lookup")


def _codes(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, Region):
        return [value.code]
    if isinstance(value, str):
        return parse_region_list(value)
    return [item.code if isinstance(item, Region) else str(item) for item in value]


class RegionPicker(forms.TextInput):
    """A box for one region (multiple=False) or several, enhanced by picker.js."""

    def __init__(self, *, multiple: bool = False, attrs=None):
        self.multiple = multiple
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value):
        return " ".join(_codes(value)) or None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        codes = [code for code in _codes(value) if code.isdigit()]
        # The chips' names for what is already chosen (one query; typed names stay as typed).
        regions = Region.objects.select_related("parent", "parent__parent").filter(code__in=codes)
        selected = [{"code": r.code, "label": r.full_name} for r in regions]
        context["widget"]["attrs"].update(
            {
                "data-region-picker": "multiple" if self.multiple else "single",
                "data-lookup-url": str(LOOKUP_URL),
                "data-selected": json.dumps(selected, ensure_ascii=False),
                "data-remove-label": str(_("Remove")),
                "data-selected-label": str(_("Chosen regions")),
                "data-search-label": str(_("Search by name or code")),
                "data-none-label": str(_("No region matches.")),
            }
        )
        return context


class RegionListField(forms.CharField):
    """Several regions typed as codes or names (commas or spaces between), cleaned to Regions."""

    widget = RegionPicker(multiple=True)

    def to_python(self, value):
        if isinstance(value, list | tuple):
            value = " ".join(_codes(value))
        return super().to_python(value)

    def clean(self, value):
        text = super().clean(value)
        regions, problems = [], []
        for part in parse_region_list(text):
            try:
                regions.append(resolve_region(part))
            except UserError as error:
                problems.append(error.message)
        if problems:
            raise forms.ValidationError(problems)
        return regions
