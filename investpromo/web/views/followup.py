"""Follow-through: recording a project's steps, evidence downloads, overdue warnings, thresholds."""

import tempfile
from decimal import Decimal

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from investpromo.accounts.permissions import ensure_administrator, ensure_can_write_projects_in
from investpromo.core.errors import UserError
from investpromo.events.models import Event
from investpromo.followup.models import STAGE_ORDER, Evidence
from investpromo.followup.overdue_export import write_overdue_xlsx
from investpromo.followup.reasons import reason_texts
from investpromo.followup.selectors import idle_limits, overdue_report
from investpromo.followup.services import current_thresholds, record_progress, set_thresholds
from investpromo.geo.models import Region
from investpromo.projects.models import Project
from investpromo.projects.selectors import STAGE_LABELS, get_project
from investpromo.web.access import abilities, page, web_view
from investpromo.web.followup_forms import OverdueFilterForm, ProgressStepForm, ThresholdsForm
from investpromo.web.templatetags.investpromo_web import localized_name
from investpromo.web.views.projects import render_project

VIA = "web"
# Flagged projects listed on the page (the counts are always complete).
ROWS_SHOWN = 1000


@web_view
@require_POST
def record_step(request, pk):
    """Record a step of a project from the form on its page."""
    project = get_project(pk)
    # Refused before anything is parsed or stored: the rule is the server's, not the form's.
    ensure_can_write_projects_in(request.user, project.destination_region)
    form = ProgressStepForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            step = record_progress(
                actor=request.user, project=project, via=VIA, **form.service_arguments()
            )
        except UserError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Recorded: %(stage)s on %(date)s.")
                % {"stage": STAGE_LABELS[step.stage], "date": step.date.isoformat()},
            )
            return redirect(f"{reverse('web:project_detail', args=[project.pk])}#progress")
    return render_project(request, project, step_form=form)


@web_view
def evidence_download(request, pk):
    """An evidence file for anyone signed in, always as a download (never shown inline)."""
    evidence = get_object_or_404(Evidence, pk=pk)
    try:
        stream = evidence.file.storage.open(evidence.file.name, "rb")
    except FileNotFoundError:
        raise Http404("the evidence file is missing from storage") from None
    # Octet-stream: an uploaded HTML or SVG file must not run in the application's origin.
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=evidence.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _mine(prefixes) -> Q:
    mine = Q(pk__in=[])
    for prefix in prefixes or ():
        mine |= Q(destination_region__code__startswith=prefix)
    return mine


# The overdue list's sort keys: ?sort=days (ascending) or ?sort=-days (descending).
OVERDUE_SORTS = {
    "level": lambda r: (r["level"] != "red", -(r["days_overdue"] or 0)),
    "days": lambda r: (r["days_overdue"] or 0, r["project_id"]),
    "value": lambda r: (Decimal(r["value_cny"]), r["project_id"]),
    "name": lambda r: (r["name"], r["project_id"]),
    "region": lambda r: (r["region_code"][:4], r["level"] != "red", r["last_move"] or ""),
    "stage": lambda r: (STAGE_ORDER.get(r["stage"], 99), r["project_id"]),
    "last_move": lambda r: (r["last_move"] or "", r["project_id"]),
}
DEFAULT_OVERDUE_SORT = "region"


def _overdue_rows(request) -> tuple[OverdueFilterForm, list[dict], str]:
    """The filter form, the flagged rows ready to show (sorted as asked) and the sort."""
    form = OverdueFilterForm(request.GET or None)
    filters: dict = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters["event_slug"] = data["event"].slug if data["event"] else None
        filters["region"] = data["region"]
        if data["mine"] and abilities(request).prefixes is not None:
            filters["projects"] = Project.objects.filter(_mine(abilities(request).prefixes))
    rows = []
    if not form.is_bound or form.is_valid():
        rows = overdue_report(
            today=timezone.localdate(), thresholds=current_thresholds(), **filters
        )
    events = {event.slug: event for event in Event.objects.only("slug", "name", "name_en")}
    prefectures = {
        region.code: region
        for region in Region.objects.filter(
            code__in={row["prefecture_code"] for row in rows if row["prefecture_code"]}
        )
    }
    shown = [
        dict(
            row,
            reason_texts=reason_texts(row["reasons"]),
            stage_label=str(STAGE_LABELS.get(row["stage"], row["stage"])),
            event_name=localized_name(events[row["event"]]) if row["event"] in events else None,
            region=(
                localized_name(prefectures[row["prefecture_code"]])
                if row["prefecture_code"] in prefectures
                else row["region"]
            ),
        )
        for row in rows
    ]
    sort = request.GET.get("sort") or DEFAULT_OVERDUE_SORT
    key = OVERDUE_SORTS.get(sort.removeprefix("-"))
    if key is None:
        sort, key = DEFAULT_OVERDUE_SORT, OVERDUE_SORTS[DEFAULT_OVERDUE_SORT]
    shown.sort(key=key, reverse=sort.startswith("-"))
    return form, shown, sort


@web_view
def overdue(request):
    """Projects flagged as stuck today, by region or sorted by a column, with filters."""
    form, rows, sort = _overdue_rows(request)
    thresholds = current_thresholds()
    red = sum(1 for row in rows if row["level"] == "red")
    keep = request.GET.copy()
    keep.pop("sort", None)
    return page(
        request,
        "web/followup/overdue.html",
        {
            "form": form,
            "rows": rows[:ROWS_SHOWN],
            "rows_cut": len(rows) > ROWS_SHOWN,
            "rows_shown": ROWS_SHOWN,
            "counts": {"red": red, "yellow": len(rows) - red, "total": len(rows)},
            "thresholds": thresholds,
            "idle_limits": [
                (STAGE_LABELS[stage], yellow, red)
                for stage, (yellow, red) in idle_limits(thresholds).items()
            ],
            "low_funds_percent": thresholds.red_low_funds_share * 100,
            "today": timezone.localdate(),
            "sort": sort,
            "grouped": sort == DEFAULT_OVERDUE_SORT,
            "keep_query": keep.urlencode(),
            "sort_columns": _sort_columns(sort, keep.urlencode()),
        },
    )


def _sort_columns(sort: str, query: str) -> dict:
    """For each sortable column: the link that sorts by it (again: the other way) and its state."""
    columns = {}
    for name in OVERDUE_SORTS:
        if sort == name:
            target, state = f"-{name}", "ascending"
        elif sort == f"-{name}":
            target, state = name, "descending"
        else:
            # Days, value and level read best from the largest or most urgent.
            target, state = (f"-{name}" if name in ("days", "value") else name), "none"
        columns[name] = {
            "url": "?" + "&".join(p for p in (query, f"sort={target}") if p),
            "aria": state,
        }
    return columns


@web_view
def overdue_export(request):
    """The overdue list as it is filtered and sorted, as an xlsx workbook."""
    form, rows, _sort = _overdue_rows(request)
    scope = "; ".join(
        f"{form.fields[name].label}: {value}"
        for name, value in (form.cleaned_data.items() if form.is_bound and form.is_valid() else ())
        if value
    ) or _("all projects you may see")
    stream = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115
    write_overdue_xlsx(rows, stream, as_of=timezone.localdate(), scope=scope)
    stream.seek(0)
    name = f"investpromo-overdue-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(stream, as_attachment=True, filename=name)


@web_view
@require_http_methods(["GET", "POST"])
def thresholds_edit(request):
    """Administrators change when projects are flagged."""
    ensure_administrator(request.user, "overdue thresholds")
    thresholds = current_thresholds()
    form = ThresholdsForm(request.POST or None, initial=ThresholdsForm.initial_for(thresholds))
    if request.method == "POST" and form.is_valid():
        try:
            set_thresholds(actor=request.user, via=VIA, **form.service_arguments())
        except UserError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The overdue thresholds were saved."))
            return redirect("web:overdue")
    return page(request, "web/followup/thresholds.html", {"form": form})
