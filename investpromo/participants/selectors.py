"""Reading an event's participants and meeting requests (for the organiser, the API, the scheduler)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from investpromo.core.errors import NotFound
from investpromo.core.text import normalize_key, normalize_text
from investpromo.participants.models import (
    MeetingRequest,
    MeetingState,
    Participant,
    ParticipantStatus,
    ProjectOrigin,
)
from investpromo.projects.models import Project
from investpromo.projects.money import SumCNY, yuan_from_fen

ACCEPTED_STATES = (MeetingState.ACCEPTED, MeetingState.SCHEDULED, MeetingState.HELD)


def participants_of_event(event, *, status: str | None = ParticipantStatus.APPROVED) -> QuerySet:
    """The event's participants (approved ones unless another status, or None for all, is asked)."""
    queryset = Participant.objects.filter(event=event).select_related("organisation", "region")
    if status is not None:
        queryset = queryset.filter(status=status)
    return queryset.order_by("name", "id")


def find_participant(event, id_or_name: str) -> Participant:
    """A participant of the event by its id, or by its name as registered (or its organisation's)."""
    text = str(id_or_name).strip()
    candidates = Participant.objects.filter(event=event).exclude(
        status__in=[ParticipantStatus.REJECTED, ParticipantStatus.MERGED]
    )
    if text.isdigit():
        found = candidates.filter(pk=int(text)).first()
        if found is not None:
            return found
    matches = list(
        candidates.filter(
            Q(name__iexact=normalize_text(text))
            | Q(organisation__normalized_name=normalize_key(text))
        ).order_by("id")[:2]
    )
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(
            _("No participant %(name)r at event %(event)s.") % {"name": text, "event": event.slug},
            field="participant",
            code="participant_not_found",
        )
    raise NotFound(
        _("Several participants are called %(name)r: give the id (%(ids)s).")
        % {"name": text, "ids": ", ".join(str(p.pk) for p in matches)},
        field="participant",
        code="participant_ambiguous",
        candidates=[p.pk for p in matches],
    )


def requests_of_event(event, *, state: str | None = None) -> QuerySet:
    """The event's meeting requests, newest first, optionally in one state."""
    queryset = MeetingRequest.objects.filter(event=event).select_related("requester", "recipient")
    if state is not None:
        queryset = queryset.filter(state=state)
    return queryset


def request_counts_by_state(event) -> dict[str, int]:
    """How many of the event's requests are in each state (every state named, zeros too)."""
    counts = dict(
        MeetingRequest.objects.filter(event=event)
        .values_list("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {state: counts.get(state, 0) for state in MeetingState.values}


def participants_without_accepted_request(event) -> QuerySet:
    """Approved participants with no agreed meeting either way: someone should help them."""
    agreed = MeetingRequest.objects.filter(state__in=ACCEPTED_STATES).filter(
        Q(requester=OuterRef("pk")) | Q(recipient=OuterRef("pk"))
    )
    return participants_of_event(event).filter(~Exists(agreed))


def most_requested(event, *, limit: int = 20) -> QuerySet:
    """Approved participants by the requests they received (declined and cancelled count too)."""
    return (
        participants_of_event(event)
        .annotate(requests=Count("requests_received"))
        .filter(requests__gt=0)
        .order_by("-requests", "name", "id")[:limit]
    )


@dataclass(frozen=True)
class SchedulingParticipant:
    """One side of an accepted request, as the scheduler needs it."""

    id: int
    name: str
    side: str
    # {ISO day: [session codes]} (an empty list: the whole day); empty: the whole event.
    attendance: dict


@dataclass(frozen=True)
class SchedulingRequest:
    """An accepted meeting request the scheduler places on the agenda."""

    id: int
    priority: str
    state: str
    requester: SchedulingParticipant
    recipient: SchedulingParticipant


def accepted_requests_for_scheduling(event, *, include_scheduled: bool = True) -> list:
    """The event's agreed requests (accepted, and scheduled unless asked not to), must first.

    Both participants must still be approved; each request carries its priority and both
    participants' attendance, so the scheduler builds its instance without further queries.
    """
    states = [MeetingState.ACCEPTED] + ([MeetingState.SCHEDULED] if include_scheduled else [])
    rows = (
        MeetingRequest.objects.filter(
            event=event,
            state__in=states,
            requester__status=ParticipantStatus.APPROVED,
            recipient__status=ParticipantStatus.APPROVED,
        )
        .select_related("requester", "recipient")
        .order_by("id")
    )
    people: dict[int, SchedulingParticipant] = {}

    def side(participant: Participant) -> SchedulingParticipant:
        if participant.pk not in people:
            people[participant.pk] = SchedulingParticipant(
                id=participant.pk,
                name=participant.name,
                side=participant.side,
                attendance=participant.attendance or {},
            )
        return people[participant.pk]

    order = {"must": 0, "high": 1, "normal": 2}
    requests = [
        SchedulingRequest(
            id=row.pk,
            priority=row.priority,
            state=row.state,
            requester=side(row.requester),
            recipient=side(row.recipient),
        )
        for row in rows
    ]
    return sorted(requests, key=lambda r: (order[r.priority], r.id))


def project_origins(project) -> QuerySet:
    """The meetings a project came from, with their events and participants."""
    return MeetingRequest.objects.filter(projects_signed__project=project).select_related(
        "event", "requester", "recipient"
    )


@dataclass(frozen=True)
class MatchmakingOutcome:
    """What an event's matchmaking led to, for its report."""

    meetings_agreed: int
    meetings_held: int
    # The event's projects that name a meeting of the event as their origin.
    projects_from_meetings: int
    value_from_meetings_cny: Decimal
    projects_signed: int
    value_signed_cny: Decimal

    @property
    def share_of_value(self) -> Decimal | None:
        """The share of the event's signed value that came from its meetings (None: nothing)."""
        if not self.value_signed_cny:
            return None
        return (self.value_from_meetings_cny / self.value_signed_cny).quantize(Decimal("0.0001"))


def matchmaking_outcome(event) -> MatchmakingOutcome:
    """Meetings agreed and held at the event, and the event's signings that came from them."""
    states = dict(
        MeetingRequest.objects.filter(event=event)
        .values_list("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    signed = Project.objects.filter(event=event)
    from_meetings = signed.filter(
        Exists(ProjectOrigin.objects.filter(project=OuterRef("pk"), meeting__event=event))
    )
    totals = signed.aggregate(count=Count("id"), fen=SumCNY())
    matched = from_meetings.aggregate(count=Count("id"), fen=SumCNY())
    return MatchmakingOutcome(
        meetings_agreed=sum(states.get(state, 0) for state in ACCEPTED_STATES),
        meetings_held=states.get(MeetingState.HELD, 0),
        projects_from_meetings=matched["count"],
        value_from_meetings_cny=yuan_from_fen(matched["fen"]),
        projects_signed=totals["count"],
        value_signed_cny=yuan_from_fen(totals["fen"]),
    )
