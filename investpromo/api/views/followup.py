"""Follow-through: progress steps, evidence, overdue flags, rates as of a date, snapshots."""

from contextlib import contextmanager
from functools import reduce
from operator import or_
from pathlib import Path

from django.db.models import Q
from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from investpromo.accounts.permissions import (
    ensure_administrator,
    ensure_can_write_projects_in,
    scope_prefixes,
)
from investpromo.api.serializers.followup import (
    AsOfSerializer,
    FollowthroughSerializer,
    OverdueQuerySerializer,
    OverdueRowSerializer,
    ProgressImportRequestSerializer,
    ProgressStepJSONRequestSerializer,
    ProgressStepRequestSerializer,
    ProgressStepSerializer,
    ProgressStepUpdateSerializer,
    SnapshotDetailSerializer,
    SnapshotRequestSerializer,
    SnapshotSerializer,
    ThresholdsSerializer,
)
from investpromo.api.serializers.jobs import JobSerializer
from investpromo.api.views.base import VIA
from investpromo.api.views.jobs import accepted
from investpromo.core.errors import UserError
from investpromo.events.selectors import get_event
from investpromo.followup.models import Evidence, ProgressStep, Snapshot
from investpromo.followup.selectors import followthrough, overdue_report
from investpromo.followup.services import (
    SnapshotUnchanged,
    current_thresholds,
    delete_step,
    record_progress,
    set_thresholds,
    take_snapshot,
    update_step,
)
from investpromo.jobs.models import Job
from investpromo.jobs.services import submit_job
from investpromo.projects.models import Project


def _check_role(user) -> None:
    # The role alone; the project's region scope is checked by the service.
    ensure_can_write_projects_in(user)


def _check_thresholds(user) -> None:
    ensure_administrator(user, "overdue thresholds")


def _check_snapshots(user) -> None:
    ensure_administrator(user, "published snapshots")


def _path_id(what: str) -> OpenApiParameter:
    return OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description=what)


@contextmanager
def _funds_currency_errors():
    """The rates' errors name `currency`; here the field is `funds_currency`."""
    try:
        yield
    except UserError as error:
        if error.field == "currency":
            error.field = "funds_currency"
        raise


def _steps():
    return ProgressStep.objects.select_related("recorded_by").prefetch_related(
        "evidence__uploaded_by"
    )


@extend_schema(parameters=[_path_id("the project's id")])
@extend_schema_view(
    get=extend_schema(summary="A project's progress steps with their evidence, oldest first")
)
class ProjectProgressView(generics.ListCreateAPIView):
    """A project's steps, oldest first; POST records the next one."""

    serializer_class = ProgressStepSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filter_backends = []
    write_check = staticmethod(_check_role)

    def get_project(self) -> Project:
        return generics.get_object_or_404(
            Project.objects.select_related("destination_region", "event"), pk=self.kwargs["id"]
        )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProgressStep.objects.none()
        return _steps().filter(project=self.get_project()).order_by("date", "id")

    @extend_schema(
        summary="Record a step (officers in their regions, administrators)",
        description=(
            "JSON, or multipart with `evidence` files (repeat the field for several). From "
            "'started' on, a step needs evidence or `no_evidence_reason`; going back a stage "
            "is allowed and marked `is_regression`."
        ),
        request={
            "multipart/form-data": ProgressStepRequestSerializer,
            "application/json": ProgressStepJSONRequestSerializer,
        },
        responses={201: ProgressStepSerializer},
    )
    def post(self, request, *args, **kwargs):
        project = self.get_project()
        params = ProgressStepRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        files = data.pop("evidence", [])
        with _funds_currency_errors():
            step = record_progress(
                actor=request.user, project=project, evidence_files=files, via=VIA, **data
            )
        shown = self.get_serializer(_steps().get(pk=step.pk))
        return Response(shown.data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[_path_id("the step's id")])
class ProgressStepView(generics.GenericAPIView):
    """One step: read, correct (not its stage, date or evidence) or delete."""

    serializer_class = ProgressStepSerializer
    queryset = _steps()
    lookup_url_kwarg = "id"
    filter_backends = []
    write_check = staticmethod(_check_role)

    def _shown(self, step):
        return Response(self.get_serializer(_steps().get(pk=step.pk)).data)

    @extend_schema(summary="One progress step")
    def get(self, request, *args, **kwargs):
        return self._shown(self.get_object())

    @extend_schema(
        summary="Correct a step's funds, note, approvals or reasons",
        description="A new funds figure clears `funds_text` (as written) unless it is sent too.",
        request=ProgressStepUpdateSerializer,
        responses={200: ProgressStepSerializer},
    )
    def patch(self, request, *args, **kwargs):
        step = self.get_object()
        params = ProgressStepUpdateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        for fixed in ("stage", "date", "evidence"):
            if fixed in request.data:
                raise UserError(
                    f"a step's {fixed} is set when it is recorded: delete it and record it again",
                    field=fixed,
                )
        changes = dict(params.validated_data)
        if "funds_in_place" in changes:
            changes.setdefault("funds_text", "")
        with _funds_currency_errors():
            step = update_step(actor=request.user, step=step, via=VIA, **changes)
        return self._shown(step)

    @extend_schema(summary="Delete a step recorded by mistake (the change log keeps it)")
    def delete(self, request, *args, **kwargs):
        delete_step(actor=request.user, step=self.get_object(), via=VIA)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _FileOrJSONError(BaseContentNegotiation):
    """The file whatever the Accept header asks for; errors as JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class EvidenceDownloadView(generics.GenericAPIView):
    """An evidence file, streamed as an attachment (never shown inline)."""

    queryset = Evidence.objects.all()
    lookup_url_kwarg = "id"
    filter_backends = []
    content_negotiation_class = _FileOrJSONError

    @extend_schema(
        summary="Download an evidence file",
        parameters=[_path_id("the evidence's id")],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="the file as uploaded"
            )
        },
    )
    def get(self, request, *args, **kwargs):
        evidence = self.get_object()
        try:
            stream = evidence.file.storage.open(evidence.file.name, "rb")
        except FileNotFoundError:
            raise NotFound("the file of this evidence is missing from storage") from None
        # Always octet-stream: an uploaded HTML or SVG file must not run in the API's origin.
        response = FileResponse(
            stream,
            as_attachment=True,
            filename=evidence.original_name,
            content_type="application/octet-stream",
        )
        response["ETag"] = f'"{evidence.sha256}"'
        return response


class OverdueView(generics.ListAPIView):
    """Projects flagged as stuck today, by region."""

    serializer_class = OverdueRowSerializer
    queryset = Project.objects.none()  # the flags are computed; this names the model
    filter_backends = []

    @extend_schema(
        summary="Flagged projects, by region (red first within a region)",
        description=(
            "Flags use the thresholds in force and today's date. `region` takes a code or a "
            "name and includes the divisions below it; `mine=true` keeps the caller's regions."
        ),
        parameters=[OverdueQuerySerializer],
    )
    def get(self, request, *args, **kwargs):
        params = OverdueQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        projects, prefixes = Project.objects.all(), scope_prefixes(request.user)
        if params.validated_data["mine"] and prefixes is not None:
            mine = (Q(destination_region__code__startswith=prefix) for prefix in prefixes)
            projects = projects.filter(reduce(or_, mine, Q(pk__in=[])))
        event = params.validated_data.get("event")
        rows = overdue_report(
            today=timezone.localdate(),
            thresholds=current_thresholds(),
            event_slug=event.slug if event else None,
            region=params.validated_data.get("region"),
            projects=projects,
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(OverdueRowSerializer(page, many=True).data)


class ThresholdsView(APIView):
    """The overdue thresholds in force; administrators change them."""

    write_check = staticmethod(_check_thresholds)

    @extend_schema(summary="The overdue thresholds in force", responses=ThresholdsSerializer)
    def get(self, request):
        return Response(ThresholdsSerializer(current_thresholds()).data)

    @extend_schema(
        summary="Change the overdue thresholds (administrators)",
        request=ThresholdsSerializer,
        responses=ThresholdsSerializer,
    )
    def put(self, request):
        params = ThresholdsSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        thresholds = set_thresholds(actor=request.user, via=VIA, **params.validated_data)
        return Response(ThresholdsSerializer(thresholds).data)


class EventFollowthroughView(APIView):
    """An event's follow-through figures as of a date."""

    @extend_schema(
        summary="Stages and rates of the event's projects, as the report's `followthrough`",
        parameters=[
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="default: today"),
        ],
        responses=FollowthroughSerializer,
    )
    def get(self, request, slug):
        event = get_event(slug)
        params = AsOfSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        as_of = params.validated_data.get("as_of") or timezone.localdate()
        return Response(followthrough(event.projects.all(), as_of))


@extend_schema_view(get=extend_schema(summary="List the event's snapshots"))
class EventSnapshotsView(generics.ListCreateAPIView):
    """An event's frozen reports, newest first; administrators take new ones."""

    serializer_class = SnapshotSerializer
    filter_backends = []
    write_check = staticmethod(_check_snapshots)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Snapshot.objects.none()
        event = get_event(self.kwargs["slug"])
        return event.snapshots.select_related("event", "created_by").order_by("-created_at", "-id")

    @extend_schema(
        summary="Freeze the event's report as of a date (administrators)",
        description="A snapshot is never changed or deleted afterwards.",
        request=SnapshotRequestSerializer,
        responses={
            201: SnapshotDetailSerializer,
            200: OpenApiResponse(
                SnapshotDetailSerializer,
                description="unchanged since the latest snapshot of that label and date: that "
                "snapshot, none taken (unless force)",
            ),
        },
    )
    def post(self, request, slug):
        event = get_event(slug)
        params = SnapshotRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        try:
            snap = take_snapshot(
                actor=request.user,
                event=event,
                as_of=params.validated_data.get("as_of") or timezone.localdate(),
                label=params.validated_data["label"],
                force=params.validated_data["force"],
                via=VIA,
            )
        except SnapshotUnchanged as unchanged:
            return Response(SnapshotDetailSerializer(unchanged.snapshot).data)
        return Response(SnapshotDetailSerializer(snap).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        summary="A snapshot's frozen report and bulletins, and what changed since",
        parameters=[_path_id("the snapshot's id")],
    )
)
class SnapshotDetailView(generics.RetrieveAPIView):
    """One snapshot: read only, for ever."""

    serializer_class = SnapshotDetailSerializer
    queryset = Snapshot.objects.select_related("event", "created_by")
    lookup_url_kwarg = "id"
    filter_backends = []


class ProgressImportView(APIView):
    """POST a progress report: a job that checks (dry_run) or checks and writes, all or nothing."""

    parser_classes = [MultiPartParser, FormParser]
    write_check = staticmethod(_check_role)

    @extend_schema(
        summary="Import a progress report",
        description=(
            "Answers 202 at once with the job and its address (`Location: /api/jobs/<id>/`). "
            "The job runs the same importer as `investpromo import-progress`; one invalid row "
            "means nothing is written (the job is `done` with `summary.written` false and the "
            "rows in `problems`). Officers may only report on projects within their regions."
        ),
        request={"multipart/form-data": ProgressImportRequestSerializer},
        responses={202: JobSerializer},
    )
    def post(self, request):
        params = ProgressImportRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        upload = params.validated_data["file"]
        job = submit_job(
            actor=request.user,
            kind=Job.Kind.PROGRESS_IMPORT,
            file=upload,
            original_name=Path(upload.name).name,
            event=params.validated_data.get("event"),
            dry_run=params.validated_data["dry_run"],
        )
        return accepted(job)
