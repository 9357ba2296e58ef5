"""Follow-through: recording a project's steps, evidence downloads, overdue warnings, thresholds."""

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
from investpromo.followup.models import Evidence
from investpromo.followup.selectors import overdue_report
from investpromo.followup.services import current_thresholds, record_progress, set_thresholds
from investpromo.projects.models import Project
from investpromo.projects.selectors import STAGE_LABELS, get_project
from investpromo.web.access import abilities, page, web_view
from investpromo.web.followthrough import reason_text
from investpromo.web.followup_forms import OverdueFilterForm, ProgressStepForm, ThresholdsForm
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


@web_view
def overdue(request):
    """Projects flagged as stuck today, by region, with event and region filters."""
    form = OverdueFilterForm(request.GET or None)
    filters: dict = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters["event_slug"] = data["event"].slug if data["event"] else None
        filters["region"] = data["region"]
        if data["mine"] and abilities(request).prefixes is not None:
            filters["projects"] = Project.objects.filter(_mine(abilities(request).prefixes))
    thresholds = current_thresholds()
    rows = []
    if not form.is_bound or form.is_valid():
        rows = overdue_report(today=timezone.localdate(), thresholds=thresholds, **filters)
    red = sum(1 for row in rows if row["level"] == "red")
    event_names = dict(Event.objects.values_list("slug", "name"))
    shown = [
        dict(
            row,
            reasons=[reason_text(r) for r in row["reasons"]],
            event_name=event_names.get(row["event"]),
        )
        for row in rows
    ]
    return page(
        request,
        "web/followup/overdue.html",
        {
            "form": form,
            "rows": shown[:ROWS_SHOWN],
            "rows_cut": len(rows) > ROWS_SHOWN,
            "rows_shown": ROWS_SHOWN,
            "counts": {"red": red, "yellow": len(rows) - red, "total": len(rows)},
            "thresholds": thresholds,
            "low_funds_percent": thresholds.red_low_funds_share * 100,
            "today": timezone.localdate(),
        },
    )


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
