"""Recommended counterparts of an event's participants (administrators and its organisers)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from investpromo.api.serializers.matchmaking import (
    EventRecommendationsSerializer,
    RecommendationQuerySerializer,
    RunRequestSerializer,
    RunSerializer,
    WeightsRequestSerializer,
    WeightsSerializer,
)
from investpromo.core.errors import NotFound
from investpromo.events.selectors import get_event
from investpromo.matchmaking.models import WEIGHT_FIELDS
from investpromo.matchmaking.reasons import run_error_text
from investpromo.matchmaking.selectors import (
    event_weights,
    find_participant,
    latest_run_any_state,
    participant_recommendations,
)
from investpromo.matchmaking.services import (
    ensure_can_manage_matchmaking,
    set_match_weights,
    start_recommendation_run,
)

VIA = "api"
_REFUSED = OpenApiResponse(description="not an administrator or an organiser of the event")


def _run(run) -> dict | None:
    if run is None:
        return None
    return {
        "id": run.pk,
        "state": run.state,
        "limit": run.limit,
        "participants_done": run.participants_done,
        "participants_total": run.participants_total,
        "recommendations": run.recommendations,
        "seconds": run.seconds,
        "error": run_error_text(run.error_code, run.error_params) if run.error_code else "",
        "created_at": run.created_at,
        "finished_at": run.finished_at,
    }


def _weights(event) -> dict:
    weights = event_weights(event)
    return {name: getattr(weights, name) for name in WEIGHT_FIELDS}


class EventRecommendationsView(APIView):
    """GET the latest run and a participant's recommendations; POST starts a run for everyone."""

    @extend_schema(
        summary="A participant's recommended counterparts, with reasons and the score's parts",
        parameters=[RecommendationQuerySerializer],
        responses={200: EventRecommendationsSerializer, 403: _REFUSED},
    )
    def get(self, request, slug):
        event = get_event(slug)
        ensure_can_manage_matchmaking(request.user, event)
        given = {key: value for key, value in request.query_params.items() if value != ""}
        params = RecommendationQuerySerializer(data=given)
        params.is_valid(raise_exception=True)
        answer = {"run": _run(latest_run_any_state(event)), "weights": _weights(event)}
        if "participant" in params.validated_data:
            try:
                participant = find_participant(event, params.validated_data["participant"])
            except NotFound as missing:
                # A query parameter naming nothing is the request's fault, as with the filters.
                raise serializers.ValidationError({"participant": [missing.message]}) from None
            answer["participant"] = participant.pk
            answer["recommendations"] = [
                item.as_json(parts=True)
                for item in participant_recommendations(
                    participant,
                    limit=params.validated_data["limit"],
                    fresh=params.validated_data["fresh"],
                )
            ]
        return Response(EventRecommendationsSerializer(answer).data)

    @extend_schema(
        summary="Compute every participant's recommendations (a job for the worker)",
        request=RunRequestSerializer,
        responses={202: RunSerializer},
    )
    def post(self, request, slug):
        event = get_event(slug)
        ensure_can_manage_matchmaking(request.user, event)
        params = RunRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        run = start_recommendation_run(
            actor=request.user, event=event, limit=params.validated_data["limit"], via=VIA
        )
        return Response(RunSerializer(_run(run)).data, status=status.HTTP_202_ACCEPTED)


class EventMatchWeightsView(APIView):
    """How much each kind of fit counts at the event; its organisers change it."""

    @extend_schema(
        summary="The event's matchmaking weights (the defaults unless changed)",
        responses={200: WeightsSerializer, 403: _REFUSED},
    )
    def get(self, request, slug):
        event = get_event(slug)
        ensure_can_manage_matchmaking(request.user, event)
        return Response(WeightsSerializer(_weights(event)).data)

    @extend_schema(
        summary="Change some of the event's matchmaking weights (a new run applies them)",
        request=WeightsRequestSerializer,
        responses={200: WeightsSerializer},
    )
    def put(self, request, slug):
        event = get_event(slug)
        ensure_can_manage_matchmaking(request.user, event)
        params = WeightsRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        set_match_weights(actor=request.user, event=event, via=VIA, **params.validated_data)
        return Response(WeightsSerializer(_weights(event)).data)
