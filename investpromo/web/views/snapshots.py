"""Snapshots: freezing an event's published figures, and what changed since."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from investpromo.accounts.permissions import ensure_administrator
from investpromo.core.errors import UserError
from investpromo.events.selectors import get_event
from investpromo.followup.models import Snapshot
from investpromo.followup.selectors import snapshot_diff
from investpromo.followup.services import SnapshotUnchanged, take_snapshot
from investpromo.web.access import page, web_view
from investpromo.web.followthrough import followthrough_figures
from investpromo.web.followup_forms import SnapshotForm
from investpromo.web.views.events import render_event

VIA = "web"


@web_view
@require_POST
def snapshot_create(request, slug):
    """Administrators freeze the event's report as of a date under a label."""
    event = get_event(slug)
    # Refused before the form is read: nothing is taken for anyone else.
    ensure_administrator(request.user, "published snapshots")
    form = SnapshotForm(request.POST)
    if form.is_valid():
        try:
            snap = take_snapshot(
                actor=request.user,
                event=event,
                as_of=form.cleaned_data["as_of"],
                label=form.cleaned_data["label"],
                via=VIA,
            )
        except SnapshotUnchanged as unchanged:
            existing = unchanged.snapshot
            messages.info(
                request,
                _("Unchanged since snapshot %(id)s (“%(label)s”): no new snapshot was taken.")
                % {"id": existing.pk, "label": existing.label},
            )
            return redirect("web:snapshot_detail", pk=existing.pk)
        except UserError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Snapshot “%(label)s” taken.") % {"label": snap.label})
            return redirect("web:snapshot_detail", pk=snap.pk)
    return render_event(request, event, snapshot_form=form)


@web_view
def snapshot_detail(request, pk):
    """The frozen figures and bulletins, and the projects added, edited or moved since."""
    snap = get_object_or_404(Snapshot.objects.select_related("event", "created_by"), pk=pk)
    report = snap.report
    frozen = report.get("followthrough")
    diff = snapshot_diff(snap, today=timezone.localdate())
    ft = followthrough_figures(frozen, scope=None, as_of=snap.as_of) if frozen else None
    return page(
        request,
        "web/followup/snapshot.html",
        {
            "snap": snap,
            "event": snap.event,
            "report": report,
            "followthrough": ft,
            "charts": {"funnel": ft["chart"]} if ft else {},
            "diff": diff,
            "changes": sum(len(rows) for rows in diff.values()),
            "today": timezone.localdate(),
        },
    )
