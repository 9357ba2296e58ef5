"""Creating and editing events (administrators), through the events services."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from investpromo.core.errors import PermissionDenied, UserError
from investpromo.events.selectors import get_event
from investpromo.events.services import create_event, update_event
from investpromo.web.access import abilities, page, web_view
from investpromo.web.event_forms import EDITABLE, EventForm

VIA = "web"


def _administrators_only(request) -> None:
    if not abilities(request).is_administrator:
        raise PermissionDenied(
            _("Only administrators can create and change events."), code="not_administrator"
        )


@web_view
@require_http_methods(["GET", "POST"])
def event_create(request):
    """A new event; its page then invites the first import."""
    _administrators_only(request)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = create_event(actor=request.user, via=VIA, **data)
        except UserError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The event “%(name)s” was created.") % {"name": event.name})
            return redirect("web:event_detail", slug=event.slug)
    return page(request, "web/events/form.html", {"form": form, "event": None})


@web_view
@require_http_methods(["GET", "POST"])
def event_edit(request, slug):
    """Change an event's names, dates, host region or organiser (not its slug)."""
    _administrators_only(request)
    event = get_event(slug)
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event), event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data["end_date"] = data["end_date"] or data["start_date"]
        changes = {f: data[f] for f in EDITABLE if data[f] != getattr(event, f)}
        try:
            update_event(actor=request.user, event=event, via=VIA, **changes)
        except UserError as error:
            form.add_service_error(error)
            event = get_event(slug)  # the service had begun changing this copy
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("web:event_detail", slug=event.slug)
    return page(request, "web/events/form.html", {"form": form, "event": event})
