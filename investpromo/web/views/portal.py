"""A participant's personal page, opened with its link (no account): profile and requests."""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from investpromo.core.errors import PermissionDenied, UserError
from investpromo.participants.models import DeclineReason, MeetingRequest
from investpromo.participants.services import (
    accept_meeting,
    cancel_meeting,
    decline_meeting,
    verify_portal_token,
)

VIA = "portal"
_ACTIONS = {"accept", "decline", "cancel"}


def _private(response):
    # The token is in the address: never sent on to another site, never kept by a cache.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _render(request, context: dict, *, status: int = 200):
    return _private(render(request, "web/portal/page.html", context, status=status))


def portal_page(request, token: str):
    """GET: the participant's profile and requests; POST: accept, decline or cancel one."""
    try:
        actor = verify_portal_token(token)
    except PermissionDenied as refused:
        return _render(request, {"refused": refused.message}, status=403)
    participant = actor.participant
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        meeting = MeetingRequest.objects.filter(
            pk=request.POST.get("request")
            if str(request.POST.get("request", "")).isdigit()
            else None
        ).first()
        if action not in _ACTIONS or meeting is None:
            error = _("Choose a request and what to do with it.")
        else:
            try:
                if action == "accept":
                    accept_meeting(actor=actor, meeting=meeting, via=VIA)
                elif action == "decline":
                    decline_meeting(
                        actor=actor, meeting=meeting, reason=request.POST.get("reason", ""), via=VIA
                    )
                else:
                    cancel_meeting(actor=actor, meeting=meeting, via=VIA)
            except UserError as refused:
                error = refused.message
            else:
                return _private(HttpResponseRedirect(request.path))
    requests = MeetingRequest.objects.select_related("requester", "recipient")
    context = {
        "participant": participant,
        "event": participant.event,
        "contacts": participant.contacts.all(),
        "received": requests.filter(recipient=participant).order_by("-created_at", "-id"),
        "sent": requests.filter(requester=participant).order_by("-created_at", "-id"),
        "decline_reasons": DeclineReason.choices,
        "error": error,
    }
    return _render(request, context, status=400 if error else 200)
