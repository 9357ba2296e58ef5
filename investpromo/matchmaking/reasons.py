"""Reasons and failures put into words, in the reader's language, where they are shown.

The engine and the stored results keep codes with parameters (industry, region and SEI codes,
cooperation-mode codes, a phrase from the profiles); the names they stand for are looked up
here, so a Chinese reader sees 哈尔滨市 and 新材料产业 and an English reader Harbin and New
materials for the same stored reason.
"""

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from investpromo.sectors.sei import SEI_INDUSTRIES

TEMPLATES = {
    "same_industry_class": gettext_lazy("Same industry class: %(industry)s"),
    "same_industry_group": gettext_lazy("Same industry group: %(industry)s"),
    "same_industry_division": gettext_lazy("Same industry division: %(industry)s"),
    "counterpart_offers_what_you_seek": gettext_lazy("Offers what you seek: %(phrase)s"),
    "counterpart_seeks_what_you_offer": gettext_lazy("Seeks what you offer: %(phrase)s"),
    "shared_sei": gettext_lazy("Both in the strategic emerging industry %(sei)s"),
    "counterpart_in_region_of_interest": gettext_lazy(
        "Located in your region of interest %(region)s (%(counterpart_region)s)"
    ),
    "counterpart_interested_in_your_region": gettext_lazy("Interested in your region %(region)s"),
    "size_fits": gettext_lazy("Investment size ranges overlap"),
    "shared_cooperation_modes": gettext_lazy("Open to the same cooperation: %(modes)s"),
    "host_meets_visitor": gettext_lazy("Host side meets visiting side"),
}
# Said instead when the profiles share no phrase worth showing (a match of scattered words).
_WITHOUT_PHRASE = {
    "counterpart_offers_what_you_seek": gettext_lazy("Offers what you seek"),
    "counterpart_seeks_what_you_offer": gettext_lazy("Seeks what you offer"),
}

# The parts of a score ("why this pair"), named for the organiser.
PART_LABELS = {
    "industry": gettext_lazy("industry (class, group or division)"),
    "sei": gettext_lazy("strategic emerging industry"),
    "seeks_offers": gettext_lazy("counterpart offers what this one seeks"),
    "offers_seeks": gettext_lazy("counterpart seeks what this one offers"),
    "region_interest": gettext_lazy("counterpart in this one's region of interest"),
    "interest_in_region": gettext_lazy("this one in the counterpart's region of interest"),
    "size": gettext_lazy("investment size"),
    "cooperation": gettext_lazy("cooperation mode"),
    "sides": gettext_lazy("host meets visitor"),
}

RUN_ERRORS = {
    "internal": gettext_lazy(
        "The recommendations could not be computed because of an internal error: %(detail)s"
    ),
    "interrupted": gettext_lazy(
        "The worker stopped while computing the recommendations; start the run again."
    ),
}


def _english() -> bool:
    return (get_language() or "zh").lower().startswith("en")


class Names:
    """Names of the codes reasons carry, read from the database once per Names."""

    def __init__(self):
        self._industries: dict[str, str] | None = None
        self._regions: dict[str, tuple[str, str]] = {}

    def industry(self, code: str) -> str:
        if self._industries is None:
            from investpromo.sectors.models import IndustryCategory

            self._industries = dict(IndustryCategory.objects.values_list("code", "name"))
        name = self._industries.get(code)
        return f"{code} {name}" if name else code

    def preload_regions(self, codes) -> None:
        """Read the names of many regions in one query (before wording many reasons)."""
        from investpromo.geo.models import Region

        missing = set(codes) - set(self._regions)
        if missing:
            rows = Region.objects.filter(pk__in=missing).values_list("code", "name", "name_en")
            self._regions.update({code: (name, name_en) for code, name, name_en in rows})

    def region(self, code: str) -> str:
        if code not in self._regions:
            from investpromo.geo.models import Region

            row = Region.objects.filter(pk=code).values_list("name", "name_en").first()
            self._regions[code] = row or (code, "")
        name, name_en = self._regions[code]
        return (name_en or name) if _english() else name

    @staticmethod
    def sei(codes) -> str:
        names = {d.code: (d.name_en if _english() else d.name_zh) for d in SEI_INDUSTRIES}
        return _list([names.get(int(code), str(code)) for code in codes])

    @staticmethod
    def modes(codes) -> str:
        from investpromo.participants.models import CooperationMode

        labels = dict(CooperationMode.choices)
        return _list([str(labels.get(code, code)) for code in codes])


def _list(items: list[str]) -> str:
    return ("、" if not _english() else ", ").join(items)


def reason_text(code: str, params: dict, names: Names | None = None) -> str:
    """One reason in the active language."""
    names = names or Names()
    template = TEMPLATES.get(code)
    if template is None:
        return code
    values = dict(params)
    if "industry" in values:
        values["industry"] = names.industry(values["industry"])
    for key in ("region", "counterpart_region"):
        if key in values:
            values[key] = names.region(values[key])
    if "sei" in values:
        values["sei"] = names.sei(values["sei"])
    if "modes" in values:
        values["modes"] = names.modes(values["modes"])
    if code in _WITHOUT_PHRASE and not values.get("phrase"):
        return str(_WITHOUT_PHRASE[code])
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return str(template)


def part_label(name: str) -> str:
    label = PART_LABELS.get(name)
    return str(label) if label is not None else name


def run_error_text(code: str, params: dict | None) -> str:
    template = RUN_ERRORS.get(code)
    if template is None:
        return (params or {}).get("detail", "") or code
    try:
        return str(template) % (params or {})
    except (KeyError, TypeError, ValueError):
        return str(template)


def no_recommendations_text() -> str:
    return _("No counterpart fits this participant's profile yet.")
