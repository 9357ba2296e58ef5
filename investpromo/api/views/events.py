"""Events: read, write through the events service, and their figures."""

import datetime as dt

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from investpromo.accounts.permissions import ensure_administrator
from investpromo.api.filters import EventFilter
from investpromo.api.serializers.events import EventSerializer
from investpromo.api.serializers.summary import EventSummarySerializer
from investpromo.api.views.base import LOOKUP, VIA
from investpromo.core.errors import UserError
from investpromo.events.services import create_event, delete_event, update_event
from investpromo.projects.selectors import events_with_totals
from investpromo.reports.selectors import event_summary


def _check_events(user) -> None:
    ensure_administrator(user, "events")


class _AsOf(serializers.Serializer):
    as_of = serializers.DateField(required=False)


@extend_schema_view(
    list=extend_schema(summary="List events with their project count and value"),
    retrieve=extend_schema(summary="One event"),
    create=extend_schema(summary="Create an event (administrators)"),
    update=extend_schema(summary="Replace an event's fields (not its slug)"),
    partial_update=extend_schema(summary="Change some of an event's fields"),
    destroy=extend_schema(summary="Delete an event that has no projects"),
)
class EventViewSet(viewsets.ModelViewSet):
    """Promotion events, identified by their slug."""

    queryset = events_with_totals()
    lookup_value_regex = LOOKUP
    serializer_class = EventSerializer
    filterset_class = EventFilter
    lookup_field = "slug"
    ordering_fields = ["start_date", "slug", "name", "project_count", "value_cny"]
    ordering = ["-start_date", "slug"]
    write_check = staticmethod(_check_events)

    def _shown(self, event):
        # Again with the totals the list shows, so every response has the same fields.
        return self.get_serializer(events_with_totals().get(pk=event.pk)).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = create_event(actor=request.user, via=VIA, **serializer.validated_data)
        return Response(self._shown(event), status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        event = self.get_object()
        serializer = self.get_serializer(event, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if changes.pop("slug", event.slug) != event.slug:
            raise UserError("an event's slug cannot be changed", field="slug")
        event = update_event(actor=request.user, event=event, via=VIA, **changes)
        return Response(self._shown(event))

    def destroy(self, request, *args, **kwargs):
        delete_event(actor=request.user, event=self.get_object(), via=VIA)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="The event's figures, exactly as `investpromo report --format json` prints them",
        parameters=[
            OpenApiParameter(
                "as_of",
                OpenApiTypes.DATE,
                description="date of the follow-through figures (default: today)",
            )
        ],
        responses=EventSummarySerializer,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def summary(self, request, slug=None):
        event = self.get_object()
        params = _AsOf(data=request.query_params)
        params.is_valid(raise_exception=True)
        as_of: dt.date | None = params.validated_data.get("as_of")
        return Response(event_summary(event, as_of=as_of))
