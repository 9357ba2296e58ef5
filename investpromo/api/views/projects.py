"""The ledger: read with the web's filters, write through the projects service."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.response import Response

from investpromo.accounts.permissions import ensure_can_write_projects_in
from investpromo.api.concurrency import IF_MATCH, etag, expected_version
from investpromo.api.filters import ProjectListFilter
from investpromo.api.serializers.projects import ProjectSerializer
from investpromo.api.views.base import LOOKUP, VIA
from investpromo.core.errors import UserError
from investpromo.projects.models import Project
from investpromo.projects.selectors import (
    DEFAULT_SORT,
    SORTS,
    get_project,
    with_list_related,
)
from investpromo.projects.services import create_project, delete_project, update_project

_ERROR = OpenApiResponse(description="see the error body")


def _check_role(user) -> None:
    # The role alone; the destination's region scope is checked by the service.
    ensure_can_write_projects_in(user)


@extend_schema_view(
    list=extend_schema(
        summary="List projects with the web ledger's filters",
        description="`sort` takes the web ledger's sort keys; `ordering` overrides it.",
    ),
    retrieve=extend_schema(summary="One project; its ETag is its version"),
    create=extend_schema(summary="Create a project (officers in their regions, administrators)"),
    update=extend_schema(
        summary="Replace a project's fields (needs If-Match or version)",
        parameters=[IF_MATCH],
        responses={200: ProjectSerializer, 412: _ERROR, 428: _ERROR},
    ),
    partial_update=extend_schema(
        summary="Change some of a project's fields (needs If-Match or version)",
        parameters=[IF_MATCH],
        responses={200: ProjectSerializer, 412: _ERROR, 428: _ERROR},
    ),
    destroy=extend_schema(
        summary="Delete a project (needs If-Match)",
        parameters=[IF_MATCH],
        responses={204: None, 412: _ERROR, 428: _ERROR},
    ),
)
class ProjectViewSet(viewsets.ModelViewSet):
    """Signed projects."""

    queryset = with_list_related(Project.objects.all()).prefetch_related("co_investors")
    lookup_value_regex = LOOKUP
    serializer_class = ProjectSerializer
    filterset_class = ProjectListFilter
    ordering_fields = ["signing_date", "value_cny", "name", "id", "created_at", "updated_at"]
    write_check = staticmethod(_check_role)

    def default_order_by(self, request):
        """Without `ordering`, the web ledger's `sort` (already validated by the filter)."""
        return SORTS.get(request.query_params.get("sort") or DEFAULT_SORT, SORTS[DEFAULT_SORT])

    def _respond(self, project, *, status_code=status.HTTP_200_OK):
        project = get_project(project.pk)
        response = Response(self.get_serializer(project).data, status=status_code)
        response["ETag"] = etag(project.version)
        return response

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        project = create_project(actor=request.user, via=VIA, **data)
        return self._respond(project, status_code=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        project = self.get_object()
        serializer = self.get_serializer(project, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = expected_version(request, changes.pop("version", None), required=True)
        co_investors = changes.pop("co_investors", None)
        if co_investors is not None and {o.pk for o in co_investors} != {
            o.pk for o in project.co_investors.all()
        }:
            raise UserError("co-investors are set when a project is created", field="co_investors")
        project = update_project(
            actor=request.user, project=project, expected_version=version, via=VIA, **changes
        )
        return self._respond(project)

    def destroy(self, request, *args, **kwargs):
        project = self.get_object()
        # Who may delete it first: a caller without the right gets 403, not a request for a version.
        ensure_can_write_projects_in(request.user, project.destination_region)
        version = expected_version(request, None, required=True)
        delete_project(actor=request.user, project=project, expected_version=version, via=VIA)
        return Response(status=status.HTTP_204_NO_CONTENT)
