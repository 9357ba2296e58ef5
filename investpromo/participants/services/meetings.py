"""Meeting requests between participants, their answers and outcomes, and the projects they led to."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from investpromo.accounts.permissions import ensure_can_write_projects_in
from investpromo.core.audit import delete_and_record, record_change, snapshot
from investpromo.core.errors import Conflict, PermissionDenied, UserError
from investpromo.participants.access import (
    ensure_can_act_for,
    ensure_can_manage_event,
    is_organiser,
    is_portal,
)
from investpromo.participants.models import (
    OPEN_REQUEST_STATES,
    DeclineReason,
    MeetingPriority,
    MeetingRequest,
    MeetingState,
    Participant,
    ParticipantStatus,
    ProjectOrigin,
)
from investpromo.participants.services.organisers import rules_for

State = MeetingState

# What each state may become, and who may make the change: "parties" are the two
# participants (each through its link) besides the organisers; "recipient" the one asked.
_TRANSITIONS = {
    (State.REQUESTED, State.ACCEPTED): "recipient",
    (State.REQUESTED, State.DECLINED): "recipient",
    (State.REQUESTED, State.CANCELLED): "requester",
    (State.ACCEPTED, State.CANCELLED): "parties",
    (State.ACCEPTED, State.SCHEDULED): "organisers",
    (State.SCHEDULED, State.ACCEPTED): "organisers",  # taken off the agenda to be rescheduled
    (State.SCHEDULED, State.CANCELLED): "parties",
    (State.SCHEDULED, State.HELD): "organisers",
    (State.SCHEDULED, State.NO_SHOW): "organisers",
    (State.ACCEPTED, State.HELD): "organisers",  # met outside the agenda
    (State.HELD, State.NO_SHOW): "organisers",  # check-in corrected
    (State.NO_SHOW, State.HELD): "organisers",
}
# Meetings a signed project may name as its origin.
LINKABLE_STATES = (State.ACCEPTED, State.SCHEDULED, State.HELD)


def _ensure_may(actor, meeting: MeetingRequest, who: str) -> None:
    if who == "organisers" or not is_portal(actor):
        ensure_can_manage_event(actor, meeting.event)
        return
    allowed = {
        "recipient": (meeting.recipient_id,),
        "requester": (meeting.requester_id,),
        "parties": (meeting.requester_id, meeting.recipient_id),
    }[who]
    if actor.participant.pk not in allowed:
        raise PermissionDenied(
            _("Only the organisers or the other participant can do this to request %(id)s.")
            % {"id": meeting.pk},
            code="not_your_request",
        )


def _locked(meeting: MeetingRequest, expected_version: int | None) -> MeetingRequest:
    current = (
        MeetingRequest.objects.select_for_update()
        .select_related("event", "requester", "recipient")
        .get(pk=meeting.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise Conflict(
            _(
                "Meeting request %(id)s was changed by someone else (version %(current)s, you "
                "saw version %(expected)s): reload and try again."
            )
            % {"id": current.pk, "current": current.version, "expected": expected_version},
            code="version_conflict",
        )
    return current


def _save(*, actor, meeting, current, before, via) -> MeetingRequest:
    current.version += 1
    current.save()
    record_change(
        actor=actor,
        instance=current,
        action="update",
        before=before,
        after=snapshot(current),
        source=via,
    )
    meeting.__dict__.update(current.__dict__)
    return current


def _move(
    *, actor, meeting, to: str, expected_version, via, decline_reason: str = ""
) -> MeetingRequest:
    current = _locked(meeting, expected_version)
    who = _TRANSITIONS.get((current.state, to))
    if who is None:
        raise UserError(
            _("A %(state)s meeting request cannot become %(to)s.")
            % {"state": current.get_state_display(), "to": State(to).label},
            field="state",
            code="invalid_transition",
        )
    _ensure_may(actor, current, who)
    before = snapshot(current)
    current.state = to
    current.decline_reason = decline_reason
    if to in (State.ACCEPTED, State.DECLINED) and before["state"] == State.REQUESTED:
        current.responded_at = timezone.now()
    return _save(actor=actor, meeting=meeting, current=current, before=before, via=via)


def _open_between(a: Participant, b: Participant):
    return MeetingRequest.objects.filter(
        Q(requester=a, recipient=b) | Q(requester=b, recipient=a), state__in=OPEN_REQUEST_STATES
    )


def _check_pair(requester: Participant, recipient: Participant) -> None:
    if requester.pk == recipient.pk:
        raise UserError(
            _("A participant cannot request a meeting with itself."),
            field="recipient",
            code="meeting_with_oneself",
        )
    if requester.event_id != recipient.event_id:
        raise UserError(
            _("%(name)s is not a participant of the same event.") % {"name": recipient.name},
            field="recipient",
            code="different_event",
        )
    for participant in (requester, recipient):
        if participant.status != ParticipantStatus.APPROVED:
            raise UserError(
                _("%(name)s is %(status)s, not an approved participant.")
                % {"name": participant.name, "status": participant.get_status_display()},
                field="recipient" if participant is recipient else "requester",
                code="participant_not_approved",
            )


def _check_limits(requester: Participant, recipient: Participant) -> None:
    rules = rules_for(requester.event)
    counted = MeetingRequest.objects.filter(state__in=OPEN_REQUEST_STATES).exclude(
        priority=MeetingPriority.MUST
    )
    if counted.filter(requester=requester).count() >= rules.max_requests_sent:
        raise UserError(
            _("%(name)s already has %(limit)s open requests, the most this event allows.")
            % {"name": requester.name, "limit": rules.max_requests_sent},
            field="requester",
            code="too_many_requests_sent",
        )
    if counted.filter(recipient=recipient).count() >= rules.max_requests_received:
        raise UserError(
            _("%(name)s has received %(limit)s open requests, the most this event allows.")
            % {"name": recipient.name, "limit": rules.max_requests_received},
            field="recipient",
            code="too_many_requests_received",
        )


def _clean_message(message: str) -> str:
    message = str(message or "").strip()
    if len(message) > 1000:
        raise UserError(
            _("A message may have at most 1000 characters."),
            field="message",
            code="message_too_long",
        )
    return message


@transaction.atomic
def request_meeting(
    *,
    actor,
    requester: Participant,
    recipient: Participant,
    message: str = "",
    priority: str = MeetingPriority.NORMAL,
    via: str = "",
) -> MeetingRequest:
    """Ask for a meeting: the participant through its link, or an organiser for it."""
    requester = Participant.objects.select_for_update().select_related("event").get(pk=requester.pk)
    recipient = Participant.objects.select_related("event").get(pk=recipient.pk)
    ensure_can_act_for(actor, requester)
    if priority not in MeetingPriority.values or priority == MeetingPriority.MUST:
        raise UserError(
            _("A request's priority is high or normal; organisers set must-meetings."),
            field="priority",
            code="invalid_priority",
        )
    if priority != MeetingPriority.NORMAL and is_portal(actor):
        raise PermissionDenied(
            _("Only organisers set a request's priority."), code="priority_by_organisers"
        )
    _check_pair(requester, recipient)
    if _open_between(requester, recipient).exists():
        raise UserError(
            _("%(a)s and %(b)s already have an open meeting request.")
            % {"a": requester.name, "b": recipient.name},
            field="recipient",
            code="request_already_open",
        )
    if (
        is_portal(actor)
        and MeetingRequest.objects.filter(
            requester=requester, recipient=recipient, state=State.DECLINED
        ).exists()
    ):
        raise UserError(
            _("%(name)s declined your request; ask the organisers if you still wish to meet.")
            % {"name": recipient.name},
            field="recipient",
            code="declined_before",
        )
    _check_limits(requester, recipient)
    meeting = MeetingRequest.objects.create(
        event_id=requester.event_id,
        requester=requester,
        recipient=recipient,
        message=_clean_message(message),
        priority=priority,
        by_organiser=not is_portal(actor),
        created_by=None if is_portal(actor) else actor,
    )
    record_change(
        actor=actor,
        instance=meeting,
        action="create",
        before=None,
        after=snapshot(meeting),
        source=via,
    )
    return meeting


@transaction.atomic
def create_must_meeting(
    *, actor, requester: Participant, recipient: Participant, message: str = "", via: str = ""
) -> MeetingRequest:
    """An organiser's must-meeting, accepted at once; an open request between the two becomes one."""
    ensure_can_manage_event(actor, requester.event)
    _check_pair(requester, recipient)
    existing = _open_between(requester, recipient).select_for_update().first()
    if existing is not None:
        before = snapshot(existing)
        existing.priority = MeetingPriority.MUST
        existing.by_organiser = True
        if existing.state == State.REQUESTED:
            existing.state = State.ACCEPTED
            existing.responded_at = timezone.now()
        return _save(actor=actor, meeting=existing, current=existing, before=before, via=via)
    meeting = MeetingRequest.objects.create(
        event_id=requester.event_id,
        requester=requester,
        recipient=recipient,
        message=_clean_message(message),
        priority=MeetingPriority.MUST,
        state=State.ACCEPTED,
        by_organiser=True,
        created_by=actor,
        responded_at=timezone.now(),
    )
    record_change(
        actor=actor,
        instance=meeting,
        action="create",
        before=None,
        after=snapshot(meeting),
        source=via,
    )
    return meeting


@transaction.atomic
def set_meeting_priority(
    *,
    actor,
    meeting: MeetingRequest,
    priority: str,
    expected_version: int | None = None,
    via: str = "",
) -> MeetingRequest:
    """The organiser's priority for a request (must, high or normal)."""
    current = _locked(meeting, expected_version)
    ensure_can_manage_event(actor, current.event)
    if priority not in MeetingPriority.values:
        raise UserError(
            _("Unknown priority %(value)r.") % {"value": priority},
            field="priority",
            code="invalid_priority",
        )
    if current.priority == priority:
        return current
    before = snapshot(current)
    current.priority = priority
    current.by_organiser = current.by_organiser or priority == MeetingPriority.MUST
    return _save(actor=actor, meeting=meeting, current=current, before=before, via=via)


@transaction.atomic
def accept_meeting(
    *, actor, meeting: MeetingRequest, expected_version: int | None = None, via: str = ""
) -> MeetingRequest:
    """The counterpart (or an organiser for it) accepts a request."""
    return _move(
        actor=actor, meeting=meeting, to=State.ACCEPTED, expected_version=expected_version, via=via
    )


@transaction.atomic
def decline_meeting(
    *,
    actor,
    meeting: MeetingRequest,
    reason: str,
    expected_version: int | None = None,
    via: str = "",
) -> MeetingRequest:
    """The counterpart (or an organiser for it) declines a request, with a reason code."""
    if reason not in DeclineReason.values:
        raise UserError(
            _("Give a reason to decline: one of %(codes)s.")
            % {"codes": ", ".join(DeclineReason.values)},
            field="reason",
            code="invalid_decline_reason",
        )
    return _move(
        actor=actor,
        meeting=meeting,
        to=State.DECLINED,
        expected_version=expected_version,
        via=via,
        decline_reason=reason,
    )


@transaction.atomic
def cancel_meeting(
    *, actor, meeting: MeetingRequest, expected_version: int | None = None, via: str = ""
) -> MeetingRequest:
    """Withdraw a request (its requester) or call off an agreed meeting (either party)."""
    return _move(
        actor=actor, meeting=meeting, to=State.CANCELLED, expected_version=expected_version, via=via
    )


@transaction.atomic
def record_meeting_outcome(
    *,
    actor,
    meeting: MeetingRequest,
    state: str,
    expected_version: int | None = None,
    via: str = "",
) -> MeetingRequest:
    """Scheduled, back to accepted, held or no-show: set by the scheduler and at check-in."""
    if state not in (State.SCHEDULED, State.ACCEPTED, State.HELD, State.NO_SHOW):
        raise UserError(
            _("An outcome is scheduled, accepted, held or no_show, not %(value)r.")
            % {"value": state},
            field="state",
            code="invalid_transition",
        )
    # Organisers only, whatever the transition table lets the parties do.
    ensure_can_manage_event(actor, meeting.event)
    return _move(actor=actor, meeting=meeting, to=state, expected_version=expected_version, via=via)


def _ensure_can_link(actor, project, meeting) -> None:
    if is_organiser(actor, meeting.event):
        return
    try:
        ensure_can_write_projects_in(actor, project.destination_region)
    except PermissionDenied:
        raise PermissionDenied(
            _(
                "Only the event's organisers or those who may change project %(project)s can "
                "name the meeting it came from."
            )
            % {"project": project.pk},
            code="cannot_link_project",
        ) from None


@transaction.atomic
def link_project_to_meeting(
    *, actor, project, meeting: MeetingRequest, via: str = ""
) -> ProjectOrigin:
    """Record that a signed project came from a meeting (idempotent)."""
    meeting = MeetingRequest.objects.select_related("event").get(pk=meeting.pk)
    _ensure_can_link(actor, project, meeting)
    if meeting.state not in LINKABLE_STATES:
        raise UserError(
            _(
                "Meeting request %(id)s is %(state)s: only an agreed or held meeting leads to a project."
            )
            % {"id": meeting.pk, "state": meeting.get_state_display()},
            field="meeting",
            code="meeting_not_agreed",
        )
    origin = ProjectOrigin.objects.filter(project=project, meeting=meeting).first()
    if origin is None:
        origin = ProjectOrigin.objects.create(
            project=project, meeting=meeting, created_by=None if is_portal(actor) else actor
        )
        record_change(
            actor=actor,
            instance=origin,
            action="create",
            before=None,
            after=snapshot(origin),
            source=via,
        )
    return origin


@transaction.atomic
def unlink_project_from_meeting(*, actor, project, meeting: MeetingRequest, via: str = "") -> None:
    """Remove a project's link to a meeting (the same people who may add it)."""
    _ensure_can_link(actor, project, meeting)
    origin = ProjectOrigin.objects.filter(project=project, meeting=meeting).first()
    if origin is not None:
        delete_and_record(actor=actor, instance=origin, via=via)
