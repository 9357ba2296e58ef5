"""Organisations: read, and write through the organisations service."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.response import Response

from investpromo.accounts.permissions import ensure_can_write_organisations
from investpromo.api.filters import OrganisationFilter
from investpromo.api.serializers.orgs import OrganisationSerializer
from investpromo.api.views.base import LOOKUP, VIA
from investpromo.orgs.models import Organisation
from investpromo.orgs.services import (
    create_organisation,
    delete_organisation,
    ensure_can_change_organisation,
    update_organisation,
)


@extend_schema_view(
    list=extend_schema(summary="List organisations"),
    retrieve=extend_schema(summary="One organisation"),
    create=extend_schema(summary="Create an organisation (officers and administrators)"),
    update=extend_schema(
        summary="Replace an organisation's fields",
        description="Officers: only when every project using it is in their regions, or when "
        "they created it and nothing uses it.",
    ),
    partial_update=extend_schema(
        summary="Change some of an organisation's fields",
        description="Officers: only when every project using it is in their regions, or when "
        "they created it and nothing uses it.",
    ),
    destroy=extend_schema(summary="Delete an organisation no project refers to (administrators)"),
)
class OrganisationViewSet(viewsets.ModelViewSet):
    """Investors, enterprises and other participants."""

    queryset = Organisation.objects.select_related("home_region")
    lookup_value_regex = LOOKUP
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering_fields = ["name", "id", "created_at", "updated_at"]
    ordering = ["name", "id"]
    write_check = staticmethod(ensure_can_write_organisations)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = create_organisation(actor=request.user, via=VIA, **serializer.validated_data)
        return Response(self.get_serializer(organisation).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        organisation = self.get_object()
        # The service checks again; asked first, a refused officer hears why, not about the body.
        ensure_can_change_organisation(request.user, organisation)
        serializer = self.get_serializer(organisation, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        organisation = update_organisation(
            actor=request.user, organisation=organisation, via=VIA, **serializer.validated_data
        )
        return Response(self.get_serializer(organisation).data)

    def destroy(self, request, *args, **kwargs):
        delete_organisation(actor=request.user, organisation=self.get_object(), via=VIA)
        return Response(status=status.HTTP_204_NO_CONTENT)
