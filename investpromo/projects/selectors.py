"""Reading the ledger: one filter definition shared by the web pages, exports and the API."""

import datetime as dt
from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from investpromo.core.errors import NotFound, UserError
from investpromo.events.models import Event
from investpromo.followup.models import STAGE_ORDER, ProgressStep, ProjectState, Stage
from investpromo.geo.models import Region
from investpromo.geo.resolver import resolve_region
from investpromo.orgs.models import Organisation
from investpromo.projects.models import Project
from investpromo.projects.money import SumCNY, sum_cny_as_decimal, yuan_from_fen
from investpromo.sectors.models import SEIIndustry

# What a ledger row shows, fetched with the page instead of one query per row.
LIST_RELATED = ("event", "investor", "destination_region", "origin_region", "sei_industry")

# Sort keys as the URL names them; `id` last so that pages never overlap or skip rows.
SORTS = {
    "-date": (F("signing_date").desc(nulls_last=True), "-id"),
    "date": (F("signing_date").asc(nulls_last=True), "id"),
    "-value": ("-value_cny", "-id"),
    "value": ("value_cny", "id"),
    "name": ("normalized_name", "id"),
    "-name": ("-normalized_name", "-id"),
    "investor": ("investor__normalized_name", "id"),
    "-investor": ("-investor__normalized_name", "-id"),
    "destination": ("destination_region_id", "id"),
    "-destination": ("-destination_region_id", "-id"),
}
DEFAULT_SORT = "-date"
SORT_CHOICES = [
    ("-date", _("Newest signing first")),
    ("date", _("Oldest signing first")),
    ("-value", _("Largest value first")),
    ("value", _("Smallest value first")),
    ("name", _("Project name")),
    ("investor", _("Investor name")),
    ("-investor", _("Investor name, Z to A")),
    ("destination", _("Destination code")),
    ("-destination", _("Destination code, descending")),
    ("-name", _("Project name, Z to A")),
]
# The units the ledger shows and filters amounts in (?unit=); without one, the language's own
# (万元 in Chinese, million yuan in English) in the table and a readable total.
AMOUNT_UNITS = {
    "yuan": (Decimal(1), _("yuan")),
    "wan": (Decimal(10_000), _("10,000 yuan (万元)")),
    "million": (Decimal(1_000_000), _("million yuan")),
    "yi": (Decimal(100_000_000), _("100 million yuan (亿元)")),
}


def default_amount_unit() -> str:
    """万元 in Chinese, million yuan in English: the table unit when none is chosen."""
    from django.utils.translation import get_language

    return "wan" if (get_language() or "zh").startswith("zh") else "million"


# The models' choice labels are English only; these are the ones the interface translates.
AGREEMENT_LABELS = {
    Project.AgreementType.INTENT: _("intent letter"),
    Project.AgreementType.FRAMEWORK: _("framework agreement"),
    Project.AgreementType.CONTRACT: _("formal contract"),
    Project.AgreementType.UNSPECIFIED: _("unspecified"),
}
SEI_STATUS_LABELS = {
    Project.SEIStatus.SEI: _("strategic emerging industry"),
    Project.SEIStatus.SEI_UNSPECIFIED: _("SEI, category unspecified"),
    Project.SEIStatus.NOT_SEI: _("not SEI"),
}
AGREEMENT_CHOICES = list(AGREEMENT_LABELS.items())
SEI_STATUS_CHOICES = list(SEI_STATUS_LABELS.items())

# Follow-through stages as the interface names them (the model's labels are bilingual text).
STAGE_LABELS = {
    Stage.SIGNED: _("signed"),
    Stage.REGISTERED: _("company registered"),
    Stage.APPROVED: _("approvals obtained"),
    Stage.STARTED: _("construction started"),
    Stage.COMPLETED: _("completed"),
    Stage.IN_PRODUCTION: _("in production"),
    Stage.FULL_CAPACITY: _("at full capacity"),
    Stage.TERMINATED: _("terminated"),
}


def _from(stage) -> tuple[str, ...]:
    return tuple(s for s, order in STAGE_ORDER.items() if order >= STAGE_ORDER[stage])


# The ledger's `stage` filter: a project's latest stage on a date lies in one of these sets.
STAGE_SETS = {
    "active": tuple(STAGE_ORDER),
    "from_registered": _from(Stage.REGISTERED),
    "from_approved": _from(Stage.APPROVED),
    "from_started": _from(Stage.STARTED),
    "from_completed": _from(Stage.COMPLETED),
    "from_in_production": _from(Stage.IN_PRODUCTION),
    **{stage: (stage,) for stage in Stage.values},
}
STAGE_CHOICES = [
    (
        _("Reached at least"),
        [
            ("active", _("not terminated")),
            ("from_registered", _("company registered or beyond")),
            ("from_approved", _("approvals obtained or beyond")),
            ("from_started", _("construction started or beyond")),
            ("from_completed", _("completed or beyond")),
            ("from_in_production", _("in production or beyond")),
        ],
    ),
    (_("Latest stage"), list(STAGE_LABELS.items())),
]


def projects_at_stage(projects: QuerySet, stages, on: dt.date) -> QuerySet:
    """Projects whose latest progress step on `on` is one of `stages` (no step: signed)."""
    latest = (
        ProgressStep.objects.filter(project=OuterRef("pk"), date__lte=on)
        .order_by("-date", "-id")
        .values("stage")[:1]
    )
    return projects.alias(
        latest_stage=Coalesce(Subquery(latest), Value(Stage.SIGNED.value))
    ).filter(latest_stage__in=list(stages))


# SEI filter values besides an industry code 1-9.
SEI_ANY, SEI_UNSPECIFIED, SEI_NONE = "any", "unspecified", "none"
NO_REGION = "none"


def code_prefix(region: Region) -> str:
    """The code prefix all of a region's subdivisions share (GB/T 2260 codes nest)."""
    return region.code[
        : {Region.Level.PROVINCE: 2, Region.Level.PREFECTURE: 4}.get(region.level, 6)
    ]


class RegionField(forms.CharField):
    """A region typed as a 6-digit code or a name (哈尔滨, 黑龙江省大庆市), cleaned to a Region."""

    def __init__(self, *args, allow_none=False, **kwargs):
        self.allow_none = allow_none
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        if self.allow_none and text == NO_REGION:
            return NO_REGION
        try:
            return resolve_region(text)
        except UserError as error:
            raise forms.ValidationError(error.message) from None


class RegionFilter(django_filters.Filter):
    """Projects whose region (destination or origin) lies within the given one."""

    field_class = RegionField

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        if value == NO_REGION:
            return qs.filter(**{f"{self.field_name}__isnull": True})
        # Through the related primary key: Django compares the project's own column, no join.
        return qs.filter(**{f"{self.field_name}__code__startswith": code_prefix(value)})


def _sei_choices():
    # Built per form so the nine industry names come from the database (and its language).
    industries = [
        (str(i.code), f"{i.code} {i.name_zh} / {i.name_en}") for i in SEIIndustry.objects.all()
    ]
    return [
        (SEI_ANY, _("Any strategic emerging industry")),
        *industries,
        (SEI_UNSPECIFIED, _("SEI, category unspecified")),
        (SEI_NONE, _("Not SEI")),
    ]


class ProjectFilter(django_filters.FilterSet):
    """The ledger's filters, search and sort, as GET parameters."""

    event = django_filters.ModelChoiceFilter(
        queryset=Event.objects.all(),
        to_field_name="slug",
        label=_("Event"),
        empty_label=_("All events"),
    )
    destination = RegionFilter(
        field_name="destination_region",
        label=_("Destination"),
        help_text=_("Code or name; includes its districts and counties"),
    )
    origin = RegionFilter(
        field_name="origin_region",
        label=_("Origin"),
        allow_none=True,
        help_text=_("Code or name, e.g. 广东 or 440000; “none” for unknown"),
    )
    sei = django_filters.ChoiceFilter(
        choices=_sei_choices,
        method="filter_sei",
        label=_("SEI industry"),
        empty_label=_("All"),
    )
    agreement = django_filters.ChoiceFilter(
        field_name="agreement_type",
        choices=AGREEMENT_CHOICES,
        label=_("Agreement type"),
        empty_label=_("All"),
    )
    unit = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (_divisor, label) in AMOUNT_UNITS.items()],
        method="filter_unit",
        label=_("Amounts in"),
        empty_label=_("Default (万元 / million yuan)"),
    )
    value_min = django_filters.NumberFilter(
        method="filter_value_min", label=_("Value from"), min_value=0
    )
    value_max = django_filters.NumberFilter(
        method="filter_value_max", label=_("Value to"), min_value=0
    )
    signed_from = django_filters.DateFilter(
        field_name="signing_date",
        lookup_expr="gte",
        label=_("Signed from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    signed_to = django_filters.DateFilter(
        field_name="signing_date",
        lookup_expr="lte",
        label=_("Signed to"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    stage = django_filters.ChoiceFilter(
        choices=STAGE_CHOICES,
        method="filter_stage",
        label=_("Progress stage"),
        empty_label=_("All"),
    )
    stage_on = django_filters.DateFilter(
        method="filter_stage_on",
        label=_("Stage as of"),
        help_text=_("Default: today"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    q = django_filters.CharFilter(method="filter_search", label=_("Search"), max_length=100)
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method="filter_sort", label=_("Sort"), empty_label=None
    )

    class Meta:
        model = Project
        fields = ()

    def filter_sei(self, qs, name, value):
        if value == SEI_ANY:
            return qs.exclude(sei_status=Project.SEIStatus.NOT_SEI)
        if value == SEI_UNSPECIFIED:
            return qs.filter(sei_status=Project.SEIStatus.SEI_UNSPECIFIED)
        if value == SEI_NONE:
            return qs.filter(sei_status=Project.SEIStatus.NOT_SEI)
        return qs.filter(sei_industry_id=int(value))

    @property
    def unit_key(self) -> str:
        """The unit amounts are shown and typed in: the one chosen, else the language's."""
        chosen = (
            self.form.cleaned_data.get("unit") if self.is_bound and self.form.is_valid() else ""
        )
        return chosen or default_amount_unit()

    @property
    def unit_chosen(self) -> bool:
        return bool(self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("unit"))

    def filter_unit(self, qs, name, value):
        # Only how amounts read; the bounds below take it into account.
        return qs

    def filter_value_min(self, qs, name, value):
        return qs.filter(value_cny__gte=value * AMOUNT_UNITS[self.unit_key][0])

    def filter_value_max(self, qs, name, value):
        return qs.filter(value_cny__lte=value * AMOUNT_UNITS[self.unit_key][0])

    def filter_stage(self, qs, name, value):
        on = self.form.cleaned_data.get("stage_on") or timezone.localdate()
        return projects_at_stage(qs, STAGE_SETS[value], on)

    def filter_stage_on(self, qs, name, value):
        # Only the date `stage` reads; on its own it filters nothing.
        return qs

    def filter_search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(name__icontains=value) | Q(investor__name__icontains=value))

    def filter_sort(self, qs, name, value):
        # Sorting is applied last by project_ledger(); this only validates the choice.
        return qs

    @property
    def sort_key(self) -> str:
        if self.is_bound and self.form.is_valid():
            return self.form.cleaned_data.get("sort") or DEFAULT_SORT
        return DEFAULT_SORT


def project_ledger(params, *, base: QuerySet | None = None) -> tuple[ProjectFilter, QuerySet]:
    """The filter form and the matching projects, sorted; an invalid filter matches nothing."""
    queryset = base if base is not None else Project.objects.all()
    # Only filled-in parameters bind the form, so a bare /projects/ shows every project.
    data = params.copy() if any(v for k, v in params.items() if k != "page") else None
    project_filter = ProjectFilter(data, queryset=queryset)
    if project_filter.is_bound and not project_filter.form.is_valid():
        return project_filter, queryset.none()
    projects = project_filter.qs if project_filter.is_bound else queryset
    return project_filter, projects.order_by(*SORTS[project_filter.sort_key])


def with_list_related(projects: QuerySet) -> QuerySet:
    """Projects with what a ledger row shows joined in."""
    return projects.select_related(*LIST_RELATED)


class LedgerRows:
    """Sorted projects for a paginator: a page's ids first, then only those rows with joins.

    Deep pages stay cheap: the database skips rows by reading an index, not by joining the
    investor, regions and event of every skipped project.
    """

    def __init__(self, projects: QuerySet):
        self.projects = projects

    def count(self) -> int:
        return self.projects.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("LedgerRows supports slices only")
        ids = list(self.projects.values_list("id", flat=True)[index])
        # Today's stage joined in from the state table; a project without a step is 'signed'.
        page = with_list_related(Project.objects.filter(pk__in=ids)).select_related(
            "progress_state"
        )
        rows = {p.pk: p for p in page}
        for project in rows.values():
            try:
                project.stage_today = project.progress_state.stage
            except ProjectState.DoesNotExist:
                project.stage_today = Stage.SIGNED
        return [rows[pk] for pk in ids if pk in rows]


def get_project(pk) -> Project:
    """One project with everything its page shows, or NotFound."""
    project = (
        Project.objects.select_related(
            *LIST_RELATED,
            "industry_class",
            "destination_region__parent",
            "destination_region__parent__parent",
            "origin_region__parent",
            "origin_region__parent__parent",
            "event__host_region",
        )
        .prefetch_related("co_investors")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise NotFound(f"no project with id {pk}")
    return project


def totals(projects: QuerySet) -> dict:
    """Number of projects and their total CNY value."""
    row = projects.order_by().aggregate(count=Count("id"), value=SumCNY())
    return {"projects": row["count"], "value_cny": yuan_from_fen(row["value"])}


def includes_demo(projects: QuerySet) -> bool:
    """Whether any of the projects is synthetic example data."""
    return projects.filter(is_demo=True).exists()


def signings_over_time(projects: QuerySet) -> dict:
    """Projects and value per signing day (spans up to 92 days) or month, and demo projects.

    One pass grouped by the raw signing date (a covering index serves it); months are summed
    here rather than with a date function the database would call on every row.
    """
    days = list(
        projects.values("signing_date")
        .annotate(
            projects=Count("id"),
            value_cny=SumCNY(),
            demo=Count("id", filter=Q(is_demo=True)),
        )
        .order_by("signing_date")
    )
    demo = sum(row["demo"] for row in days)
    dated = [row for row in days if row["signing_date"] is not None]
    undated = next((row for row in days if row["signing_date"] is None), None)
    by_day = not dated or (dated[-1]["signing_date"] - dated[0]["signing_date"]).days <= 92
    buckets: dict[dt.date, dict] = {}
    for row in dated:
        day = row["signing_date"]
        start = day if by_day else day.replace(day=1)
        bucket = buckets.setdefault(
            start,
            {
                "start": start,
                "end": start if by_day else _month_end(start),
                "projects": 0,
                "value_cny": Decimal("0"),
            },
        )
        bucket["projects"] += row["projects"]
        bucket["value_cny"] += yuan_from_fen(row["value_cny"])
    return {
        "unit": "day" if by_day else "month",
        "rows": list(buckets.values()),
        "undated_projects": undated["projects"] if undated else 0,
        "demo_projects": demo,
    }


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def projects_of_organisation(organisation) -> QuerySet:
    """Projects an organisation invests in, as lead investor or co-investor."""
    return Project.objects.filter(
        Q(investor=organisation) | Q(co_investors=organisation)
    ).distinct()


def projects_in_region(region: Region, *, as_origin: bool = False) -> QuerySet:
    """Projects whose destination (or origin) lies within a region."""
    field = "origin_region" if as_origin else "destination_region"
    return Project.objects.filter(**{f"{field}__code__startswith": code_prefix(region)})


def events_with_totals() -> QuerySet:
    """Every event with its number of projects and total CNY value, newest first."""
    # Explicitly: Django leaves Meta.ordering out of queries that aggregate.
    return (
        Event.objects.select_related("host_region")
        .annotate(
            project_count=Count("projects"), value_cny=sum_cny_as_decimal("projects__value_cny")
        )
        .order_by("-start_date", "slug")
    )


def get_organisation(pk) -> Organisation:
    """One organisation (for its page), or NotFound."""
    organisation = Organisation.objects.select_related("home_region").filter(pk=pk).first()
    if organisation is None:
        raise NotFound(f"no organisation with id {pk}")
    return organisation


def get_region(code: str) -> Region:
    """One region with its parents (for its page), or NotFound."""
    region = Region.objects.select_related("parent", "parent__parent").filter(code=code).first()
    if region is None:
        raise NotFound(f"no region with code {code!r}")
    return region


def child_regions(region: Region) -> QuerySet:
    """The divisions directly under a region."""
    return Region.objects.filter(parent=region).order_by("code")
