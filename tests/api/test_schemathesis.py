"""Schemathesis against the live schema, in process: no 500s, and responses match the schema.

Stateless, positive (schema-valid) requests, a bounded number per operation, as an
administrator with a token, against the reference data plus a small event. Every operation
is exercised, writes included, except revoking tokens (that would sign the run itself out).

The operations are driven through Hypothesis directly rather than schemathesis's pytest
plugin, whose lazy loader does not work with pytest 9 (it writes a removed node attribute).
"""

import collections

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from investpromo.core.audit import system_user
from investpromo.followup.services import record_progress, take_snapshot
from investpromo.jobs.models import Job
from investpromo.jobs.services import submit_job
from investpromo.projects.models import ExchangeRate
from investpromo.wsgi import application
from tests.passes import ONCE_PER_RUN

EXAMPLES_PER_OPERATION = 15
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
SKIPPED = {("DELETE", "/api/auth/token/"), ("DELETE", "/api/auth/tokens/{username}/")}


@pytest.fixture
def in_process_requests():
    """Requests through WSGI that leave the test's transaction open."""
    # Django closes "old" connections when a request starts and ends; inside the test's
    # transaction that would close it mid-test, so (as Django's test client does) not here.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _run(operation, headers, **fixed) -> list[int]:
    """Run one operation's examples; the status of each response."""
    calls = []

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    @given(case=operation.as_strategy(**fixed))
    def check(case):
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        calls.append(response.status_code)

    check()
    return calls


def _known_records(ledger) -> dict[str, dict]:
    """Path parameters naming records that exist, per path prefix."""
    step = record_progress(
        actor=system_user(),
        project=ledger["harbin"],
        stage="started",
        date=ledger["event"].start_date,
        evidence_files=[SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff site photo")],
    )
    snap = take_snapshot(
        actor=system_user(), event=ledger["event"], as_of=ledger["event"].start_date, label="1"
    )
    job = submit_job(
        actor=system_user(),
        kind=Job.Kind.SIGNING_IMPORT,
        file=SimpleUploadedFile("list.csv", "项目名称,投资方,项目落地地,签约金额\n".encode()),
        original_name="list.csv",
        event=ledger["event"],
        dry_run=True,
    )
    return {
        "/api/jobs/": {"id": job.pk},
        "/api/progress/": {"id": step.pk},
        "/api/evidence/": {"id": step.evidence.get().pk},
        "/api/snapshots/": {"id": snap.pk},
        "/api/events/": {"slug": ledger["event"].slug},
        "/api/organisations/": {"id": ledger["investor"].pk},
        "/api/projects/": {"id": ledger["harbin"].pk},
        "/api/rates/": {"id": ExchangeRate.objects.get().pk},
        "/api/regions/": {"code": "230103"},
        "/api/industries/": {"code": "3911"},
        "/api/sei-industries/": {"code": 1},
    }


@ONCE_PER_RUN
@pytest.mark.django_db
def test_api_conforms_to_its_schema(ledger, admin_user, in_process_requests):
    headers = {"Authorization": f"Token {Token.objects.get_or_create(user=admin_user)[0].key}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", application, headers=headers
    )
    known = _known_records(ledger)
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if (result.ok().method.upper(), result.ok().path) not in SKIPPED
    ]
    # Deletions last, so the other operations still find the records they are pointed at.
    operations.sort(key=lambda op: op.method.upper() == "DELETE")
    statuses: collections.Counter = collections.Counter()
    failures = {}
    for operation in operations:
        runs = [{}]
        if "{" in operation.path:
            # Random identifiers only ever find nothing: also aim at records that exist.
            prefix = operation.path[: operation.path.index("{")]
            runs.append({"path_parameters": known[prefix]})
        for fixed in runs:
            try:
                statuses.update(_run(operation, headers, **fixed))
            # Schemathesis reports check failures as a BaseExceptionGroup, not an Exception.
            except (Exception, BaseExceptionGroup) as error:
                failures[f"{operation.label} {fixed}"] = error
    examples = sum(statuses.values())
    print(
        f"\nschemathesis: {len(operations)} operations, {examples} examples, "
        f"{len(failures)} failed; statuses {sorted(statuses.items())}"
    )
    assert not failures, "\n\n".join(f"{label}:\n{error}" for label, error in failures.items())
    assert len(operations) >= 30
