"""Exchange rates: read, and set or delete through the rates service (administrators)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.response import Response

from investpromo.accounts.permissions import ensure_administrator
from investpromo.api.filters import ExchangeRateFilter
from investpromo.api.serializers.rates import ExchangeRateSerializer, ExchangeRateUpdateSerializer
from investpromo.api.views.base import LOOKUP, VIA
from investpromo.projects.models import ExchangeRate
from investpromo.projects.services.rates import (
    RateOutcome,
    delete_exchange_rate,
    set_exchange_rate,
)


def _check_rates(user) -> None:
    ensure_administrator(user, "exchange rates")


@extend_schema_view(
    list=extend_schema(summary="List exchange rates"),
    retrieve=extend_schema(summary="One exchange rate"),
    create=extend_schema(
        summary="Set a currency's rate from a date (replaces one set for the same date)",
        responses={201: ExchangeRateSerializer, 200: ExchangeRateSerializer},
    ),
    update=extend_schema(summary="Change a rate's value or source"),
    partial_update=extend_schema(summary="Change a rate's value or source"),
    destroy=extend_schema(summary="Delete a rate (converted projects keep theirs)"),
)
class ExchangeRateViewSet(viewsets.ModelViewSet):
    """CNY per unit of a foreign currency, valid from a date until the next rate."""

    queryset = ExchangeRate.objects.all()
    lookup_value_regex = LOOKUP
    serializer_class = ExchangeRateSerializer
    filterset_class = ExchangeRateFilter
    ordering_fields = ["currency", "date", "id"]
    ordering = ["currency", "-date", "id"]
    write_check = staticmethod(_check_rates)

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return ExchangeRateUpdateSerializer
        return ExchangeRateSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rate, outcome = set_exchange_rate(actor=request.user, via=VIA, **serializer.validated_data)
        return Response(
            self.get_serializer(rate).data,
            status=status.HTTP_201_CREATED
            if outcome == RateOutcome.CREATED
            else status.HTTP_200_OK,
        )

    def update(self, request, *args, partial=False, **kwargs):
        rate = self.get_object()
        serializer = self.get_serializer(rate, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        rate, _outcome = set_exchange_rate(
            actor=request.user,
            currency=rate.currency,
            date=rate.date,
            cny_per_unit=serializer.validated_data.get("cny_per_unit", rate.cny_per_unit),
            # None: the rate keeps its source if its value stays, else the service names the user.
            source=serializer.validated_data.get("source"),
            via=VIA,
        )
        return Response(self.get_serializer(rate).data)

    def destroy(self, request, *args, **kwargs):
        delete_exchange_rate(actor=request.user, rate=self.get_object(), via=VIA)
        return Response(status=status.HTTP_204_NO_CONTENT)
