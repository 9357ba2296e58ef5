"""An event's participants and meeting requests; the meetings a project came from.

Administrators and the event's organisers manage; officers read the participants located in
their regions; the services check again when they write.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from investpromo.api.concurrency import IF_MATCH, etag, expected_version
from investpromo.api.serializers.participants import (
    ContactSerializer,
    MeetingOverviewSerializer,
    MeetingRequestCreateSerializer,
    MeetingRequestSerializer,
    MeetingStateSerializer,
    ParticipantCreateSerializer,
    ParticipantQuerySerializer,
    ParticipantSerializer,
    ParticipantUpdateSerializer,
    ProjectMeetingSerializer,
    RequestQuerySerializer,
    ReviewSerializer,
)
from investpromo.api.views.base import VIA
from investpromo.core.errors import UserError
from investpromo.events.selectors import get_event
from investpromo.participants import selectors, services
from investpromo.participants.access import (
    ensure_can_manage_event,
    ensure_can_read_participant,
    participants_visible_to,
)
from investpromo.participants.models import MeetingRequest, MeetingState, Participant
from investpromo.projects.models import Project

_ERROR = OpenApiResponse(description="see the error body")
_VERSIONED = {412: _ERROR, 428: _ERROR}


def _path_id(what: str) -> OpenApiParameter:
    return OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description=what)


def _query(serializer_class, request) -> dict:
    given = {key: value for key, value in request.query_params.items() if value != ""}
    params = serializer_class(data=given)
    params.is_valid(raise_exception=True)
    return params.validated_data


def _participants():
    return Participant.objects.select_related("event", "organisation", "region").prefetch_related(
        "sei_industries", "industry_classes", "regions_of_interest", "contacts"
    )


def _participant_response(participant, *, status_code=status.HTTP_200_OK) -> Response:
    participant = _participants().get(pk=participant.pk)
    response = Response(ParticipantSerializer(participant).data, status=status_code)
    response["ETag"] = etag(participant.version)
    return response


def _meeting_response(meeting, *, status_code=status.HTTP_200_OK) -> Response:
    meeting = MeetingRequest.objects.select_related("event", "requester", "recipient").get(
        pk=meeting.pk
    )
    response = Response(MeetingRequestSerializer(meeting).data, status=status_code)
    response["ETag"] = etag(meeting.version)
    return response


def _one(model, pk, what: str):
    """The record with this id, or a 404 (the id is text in the path)."""
    text = str(pk)
    found = (
        model.objects.filter(pk=int(text)).first() if text.isdigit() and len(text) < 10 else None
    )
    if found is None:
        raise NotFound(f"no {what} {text}")
    return found


def _participant_of(event, pk: int, field: str) -> Participant:
    participant = Participant.objects.filter(event=event, pk=pk).select_related("event").first()
    if participant is None:
        raise UserError(f"no participant {pk} at event {event.slug}", field=field)
    return participant


@extend_schema(
    parameters=[OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)],
)
class EventParticipantsView(generics.ListAPIView):
    """GET the event's participants you may see; POST registers one (organisers)."""

    serializer_class = ParticipantSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Participant.objects.none()
        event = get_event(self.kwargs["slug"])
        params = _query(ParticipantQuerySerializer, self.request)
        queryset = _participants().filter(event=event)
        if "status" in params:
            queryset = queryset.filter(status=params["status"])
        return participants_visible_to(self.request.user, queryset).order_by("name", "id")

    @extend_schema(
        summary="The event's participants you may see (organisers: all; officers: their regions')",
        parameters=[ParticipantQuerySerializer],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Register a participant (administrators and the event's organisers)",
        request=ParticipantCreateSerializer,
        responses={201: ParticipantSerializer},
    )
    def post(self, request, slug):
        event = get_event(slug)
        ensure_can_manage_event(request.user, event)
        params = ParticipantCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        participant = services.create_participant(actor=request.user, event=event, via=VIA, **data)
        return _participant_response(participant, status_code=status.HTTP_201_CREATED)


@extend_schema(parameters=[_path_id("the participant's id")])
class ParticipantView(APIView):
    """One participant: read (its ETag is its version) and change."""

    @extend_schema(summary="One participant", responses={200: ParticipantSerializer})
    def get(self, request, id):
        participant = _one(Participant, id, "participant")
        ensure_can_read_participant(request.user, participant)
        return _participant_response(participant)

    @extend_schema(
        summary="Change a participant (organisers; needs If-Match or version)",
        parameters=[IF_MATCH],
        request=ParticipantUpdateSerializer,
        responses={200: ParticipantSerializer, **_VERSIONED},
    )
    def patch(self, request, id):
        participant = _one(Participant, id, "participant")
        ensure_can_manage_event(request.user, participant.event)
        params = ParticipantUpdateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        changes = dict(params.validated_data)
        version = expected_version(request, changes.pop("version", None), required=True)
        participant = services.update_participant(
            actor=request.user,
            participant=participant,
            expected_version=version,
            via=VIA,
            **changes,
        )
        return _participant_response(participant)


@extend_schema(parameters=[_path_id("the participant's id")])
class ParticipantReviewView(APIView):
    """Approve, reject or merge a registration."""

    @extend_schema(
        summary="Approve, reject or merge a registration (organisers; needs If-Match or version)",
        parameters=[IF_MATCH],
        request=ReviewSerializer,
        responses={200: ParticipantSerializer, **_VERSIONED},
    )
    def post(self, request, id):
        participant = _one(Participant, id, "participant")
        ensure_can_manage_event(request.user, participant.event)
        params = ReviewSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        version = expected_version(request, data.get("version"), required=True)
        common = {"actor": request.user, "participant": participant, "via": VIA}
        if data["action"] == "approve":
            services.approve_participant(expected_version=version, **common)
        elif data["action"] == "reject":
            services.reject_participant(expected_version=version, **common)
        else:
            if "into" not in data:
                raise UserError("merge: name the participant it duplicates", field="into")
            into = _participant_of(participant.event, data["into"], "into")
            services.merge_participant(into=into, expected_version=version, **common)
        return _participant_response(participant)


@extend_schema(parameters=[_path_id("the participant's id")])
class ParticipantContactsView(APIView):
    """A participant's people."""

    @extend_schema(
        summary="Add a person (organisers)",
        request=ContactSerializer,
        responses={201: ParticipantSerializer},
    )
    def post(self, request, id):
        participant = _one(Participant, id, "participant")
        ensure_can_manage_event(request.user, participant.event)
        params = ContactSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.add_contact(
            actor=request.user, participant=participant, via=VIA, **params.validated_data
        )
        return _participant_response(participant, status_code=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)])
class EventMeetingRequestsView(generics.ListAPIView):
    """GET the event's requests (organisers); POST makes one for a participant."""

    serializer_class = MeetingRequestSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MeetingRequest.objects.none()
        event = get_event(self.kwargs["slug"])
        ensure_can_manage_event(self.request.user, event)
        state = _query(RequestQuerySerializer, self.request).get("state")
        return (
            selectors.requests_of_event(event, state=state)
            .select_related("event")
            .order_by("-created_at", "-id")
        )

    @extend_schema(
        summary="The event's meeting requests, newest first (organisers)",
        parameters=[RequestQuerySerializer],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Request a meeting for a participant; priority must makes a must-meeting",
        request=MeetingRequestCreateSerializer,
        responses={201: MeetingRequestSerializer},
    )
    def post(self, request, slug):
        event = get_event(slug)
        ensure_can_manage_event(request.user, event)
        params = MeetingRequestCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        requester = _participant_of(event, data["requester"], "requester")
        recipient = _participant_of(event, data["recipient"], "recipient")
        common = {
            "actor": request.user,
            "requester": requester,
            "recipient": recipient,
            "message": data.get("message", ""),
            "via": VIA,
        }
        if data["priority"] == "must":
            meeting = services.create_must_meeting(**common)
        else:
            meeting = services.request_meeting(priority=data["priority"], **common)
        return _meeting_response(meeting, status_code=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)])
class EventMeetingOverviewView(APIView):
    """The organiser's view of the event's requests."""

    @extend_schema(
        summary="Requests by state, participants with no agreed meeting, the most requested",
        responses={200: MeetingOverviewSerializer},
    )
    def get(self, request, slug):
        event = get_event(slug)
        ensure_can_manage_event(request.user, event)
        answer = {
            "by_state": selectors.request_counts_by_state(event),
            "without_agreed_meeting": [
                {"id": p.pk, "name": p.name}
                for p in selectors.participants_without_accepted_request(event)
            ],
            "most_requested": [
                {"id": p.pk, "name": p.name, "requests": p.requests}
                for p in selectors.most_requested(event)
            ],
        }
        return Response(MeetingOverviewSerializer(answer).data)


_OUTCOMES = {
    "schedule": MeetingState.SCHEDULED,
    "unschedule": MeetingState.ACCEPTED,
    "held": MeetingState.HELD,
    "no_show": MeetingState.NO_SHOW,
}


@extend_schema(parameters=[_path_id("the meeting request's id")])
class MeetingRequestView(APIView):
    """One meeting request (organisers)."""

    @extend_schema(summary="One meeting request", responses={200: MeetingRequestSerializer})
    def get(self, request, id):
        meeting = _one(MeetingRequest, id, "meeting request")
        ensure_can_manage_event(request.user, meeting.event)
        return _meeting_response(meeting)

    @extend_schema(
        summary="Accept, decline, cancel, schedule, mark held or no-show, or set the priority "
        "(organisers; needs If-Match or version)",
        parameters=[IF_MATCH],
        request=MeetingStateSerializer,
        responses={200: MeetingRequestSerializer, **_VERSIONED},
    )
    def post(self, request, id):
        meeting = _one(MeetingRequest, id, "meeting request")
        ensure_can_manage_event(request.user, meeting.event)
        params = MeetingStateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        version = expected_version(request, data.get("version"), required=True)
        common = {
            "actor": request.user,
            "meeting": meeting,
            "expected_version": version,
            "via": VIA,
        }
        action = data["action"]
        if action == "accept":
            services.accept_meeting(**common)
        elif action == "decline":
            if "reason" not in data:
                raise UserError("decline: give a reason code", field="reason")
            services.decline_meeting(reason=data["reason"], **common)
        elif action == "cancel":
            services.cancel_meeting(**common)
        elif action == "priority":
            if "priority" not in data:
                raise UserError("priority: give the new priority", field="priority")
            services.set_meeting_priority(priority=data["priority"], **common)
        else:
            services.record_meeting_outcome(state=_OUTCOMES[action], **common)
        return _meeting_response(meeting)


@extend_schema(parameters=[_path_id("the project's id")])
class ProjectMeetingsView(APIView):
    """The meetings a signed project came from."""

    @extend_schema(
        summary="The meetings a project came from",
        responses={200: MeetingRequestSerializer(many=True)},
    )
    def get(self, request, id):
        project = _one(Project, id, "project")
        meetings = selectors.project_origins(project).order_by("id")
        return Response(MeetingRequestSerializer(meetings, many=True).data)

    @extend_schema(
        summary="Name a meeting the project came from (the event's organisers, or whoever may "
        "change the project)",
        request=ProjectMeetingSerializer,
        responses={201: MeetingRequestSerializer(many=True)},
    )
    def post(self, request, id):
        project = _one(Project, id, "project")
        params = ProjectMeetingSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        meeting = MeetingRequest.objects.filter(pk=params.validated_data["meeting"]).first()
        if meeting is None:
            raise serializers.ValidationError({"meeting": ["no such meeting request"]})
        services.link_project_to_meeting(
            actor=request.user, project=project, meeting=meeting, via=VIA
        )
        meetings = selectors.project_origins(project).order_by("id")
        return Response(
            MeetingRequestSerializer(meetings, many=True).data, status=status.HTTP_201_CREATED
        )
