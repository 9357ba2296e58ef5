"""Background jobs: an upload answers 202 with the job's address; the job says how it went."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from investpromo.api.serializers.jobs import JobSerializer
from investpromo.jobs.selectors import as_it_stands, jobs_visible_to


def accepted(job) -> Response:
    """202 Accepted: the job is queued; `Location` is where its state can be read."""
    data = JobSerializer(job).data
    return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


class JobView(APIView):
    """One job: state (queued, running, done, failed), progress, summary and problems."""

    @extend_schema(
        summary="A background job's state, progress and outcome", responses=JobSerializer
    )
    def get(self, request, id):
        job = (
            jobs_visible_to(request.user)
            .filter(pk=int(id) if id.isascii() and id.isdigit() else None)
            .first()
        )
        if job is None:
            raise NotFound("no such job")
        return Response(JobSerializer(as_it_stands(job)).data)
