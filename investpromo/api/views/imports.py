"""Importing a signing list into an event, synchronously, with the importer's own rules."""

import tempfile
from pathlib import Path

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from investpromo.accounts.permissions import ensure_can_write_projects_in
from investpromo.api.serializers.imports import ImportReportSerializer, ImportRequestSerializer
from investpromo.core.errors import UserError
from investpromo.events.selectors import get_event
from investpromo.imports.importer import import_signing_list

# Problems listed in the answer; the counts are always complete.
MAX_PROBLEMS = 1000


def _check_role(user) -> None:
    # Region scope is the importer's, row by row.
    ensure_can_write_projects_in(user)


class EventImportView(APIView):
    """POST a signing list: all-or-nothing unless skip_invalid; dry_run writes nothing."""

    parser_classes = [MultiPartParser, FormParser]
    write_check = staticmethod(_check_role)

    @extend_schema(
        summary="Import a signing list into the event",
        description=(
            "Rows are checked and written by the same importer as `investpromo import`. "
            "Without `skip_invalid`, one invalid row means nothing is written: the answer is "
            "422 with the report. Officers may only import rows within their regions."
        ),
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            200: ImportReportSerializer,
            422: OpenApiResponse(
                ImportReportSerializer, description="invalid rows: nothing written"
            ),
        },
    )
    def post(self, request, slug):
        event = get_event(slug)
        params = ImportRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        upload = params.validated_data["file"]
        # The importer reads a path; the original name keeps its suffix and the report's label.
        with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix[:10]) as copy:
            for chunk in upload.chunks():
                copy.write(chunk)
            copy.flush()
            try:
                report = import_signing_list(
                    actor=request.user,
                    path=copy.name,
                    event=event,
                    dry_run=params.validated_data["dry_run"],
                    skip_invalid=params.validated_data["skip_invalid"],
                    source_name=Path(upload.name).name,
                )
            except UserError as error:
                # A file that cannot be read at all is the `file` field's fault.
                error.field = error.field or "file"
                raise
        code = status.HTTP_422_UNPROCESSABLE_ENTITY if report.failed else status.HTTP_200_OK
        return Response(report.to_dict(max_problems=MAX_PROBLEMS), status=code)
