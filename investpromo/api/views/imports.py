"""Importing a signing list into an event: a job of the task queue, as a web upload is."""

from pathlib import Path

from drf_spectacular.utils import extend_schema
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.views import APIView

from investpromo.accounts.permissions import ensure_can_write_projects_in
from investpromo.api.serializers.imports import ImportRequestSerializer
from investpromo.api.serializers.jobs import JobSerializer
from investpromo.api.views.jobs import accepted
from investpromo.events.selectors import get_event
from investpromo.jobs.models import Job
from investpromo.jobs.services import submit_job


def _check_role(user) -> None:
    # Region scope is the importer's, row by row.
    ensure_can_write_projects_in(user)


class EventImportView(APIView):
    """POST a signing list: a job that checks (dry_run) or checks and writes, all or nothing."""

    parser_classes = [MultiPartParser, FormParser]
    write_check = staticmethod(_check_role)

    @extend_schema(
        summary="Import a signing list into the event",
        description=(
            "Answers 202 at once with the job and its address (`Location: /api/jobs/<id>/`). "
            "The job runs the same importer as `investpromo import`: with `dry_run` it only "
            "checks; otherwise it checks and writes, all or nothing unless `skip_invalid` "
            "(invalid rows: the job is `done` with `summary.written` false and the rows in "
            "`problems`). A file that cannot be read at all makes the job `failed` with "
            "`error`. Officers may only import rows within their regions."
        ),
        request={"multipart/form-data": ImportRequestSerializer},
        responses={202: JobSerializer},
    )
    def post(self, request, slug):
        event = get_event(slug)
        params = ImportRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        upload = params.validated_data["file"]
        job = submit_job(
            actor=request.user,
            kind=Job.Kind.SIGNING_IMPORT,
            file=upload,
            original_name=Path(upload.name).name,
            event=event,
            dry_run=params.validated_data["dry_run"],
            skip_invalid=params.validated_data["skip_invalid"],
        )
        return accepted(job)
