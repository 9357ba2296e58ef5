"""Schemathesis against the live schema, in process: no 500s, and the schema tells the truth.

As an administrator with a token, against the reference data plus a small event, every
operation (writes included, except revoking tokens, which would sign the run itself out) gets

- the coverage cases: schemathesis's deterministic boundary values and violations of each
  parameter and body field (too long, wrong type, outside an enum, missing, …), schema-valid
  and schema-violating; aimed at records that exist unless the path itself is the violation;
- a few random schema-valid requests, with random and with existing identifiers.

Every response must conform (status documented, body and headers as the schema says), a
schema-valid request must be accepted and a schema-violating one refused. Refusals that no
schema can express (an unknown record, a duplicate, a cross-field rule) are allowed per
operation in schemathesis.toml, which `st run` reads too; here such a 400 must also name only
the fields those rules are about (INEXPRESSIBLE).

The operations are driven through Hypothesis directly rather than schemathesis's pytest
plugin, whose lazy loader does not work with pytest 9 (it writes a removed node attribute).
"""

import collections
from pathlib import Path

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode
from schemathesis.generation.meta import CoverageScenario
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from investpromo.core.audit import system_user
from investpromo.followup.services import record_progress, take_snapshot
from investpromo.jobs.models import Job
from investpromo.jobs.services import submit_job
from investpromo.participants import services as participant_services
from investpromo.projects.models import ExchangeRate
from investpromo.wsgi import application
from tests.passes import ONCE_PER_RUN

CONFIG = Path(__file__).resolve().parents[2] / "schemathesis.toml"
EXAMPLES_PER_OPERATION = 3
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    positive_data_acceptance,
    negative_data_rejection,
    missing_required_header,
]
SKIPPED = {("DELETE", "/api/auth/token/"), ("DELETE", "/api/auth/tokens/{username}/")}

# schemathesis.toml lets a write (and two reads) refuse a schema-valid request with 400, for
# rules no schema expresses; here each such refusal must name only the fields those rules are
# about, so a constraint the schema forgot (a length, an enum) still fails the test.
_PROJECT = {"investor", "co_investors", "event", "industry_class", "sei_industry"}
_PARTICIPANT = {
    "organisation",
    "uscc",
    "name",
    "region",
    "attendance",
    "investment_max",
    "investment_currency",
    "sei_industries",
    "industry_classes",
    "regions_of_interest",
    # A person's email that the schema's format allows and Django's validator does not.
    "contacts",
    "detail",
}
INEXPRESSIBLE = {
    # A wrong password.
    "POST /api/auth/token/": {"detail"},
    # A duplicate slug; an end before the start; a slug cannot change; an unknown region name.
    "POST /api/events/": {"slug", "end_date", "host_region"},
    "PUT /api/events/{slug}/": {"slug", "end_date", "host_region"},
    "PATCH /api/events/{slug}/": {"slug", "end_date", "host_region"},
    # Projects, uploads or snapshots still point at it.
    "DELETE /api/events/{slug}/": {"detail"},
    # A file that is not a spreadsheet by its name or content; an unknown event.
    "POST /api/events/{slug}/imports/": {"file"},
    "POST /api/progress-imports/": {"file", "event"},
    # A label of spaces only; a date still to come.
    "POST /api/events/{slug}/snapshots/": {"label", "as_of"},
    # The USCC's checksum; a duplicate name; a region by a name nobody knows.
    "POST /api/organisations/": {"uscc", "name", "home_region"},
    "PUT /api/organisations/{id}/": {"uscc", "name", "home_region"},
    "PATCH /api/organisations/{id}/": {"uscc", "name", "home_region"},
    # Projects still name it.
    "DELETE /api/organisations/{id}/": {"detail"},
    # Records named by id or slug that do not exist; regions by unknown names.
    "POST /api/projects/": _PROJECT | {"destination_region", "origin_region"},
    "PUT /api/projects/{id}/": _PROJECT | {"destination_region", "origin_region", "version"},
    "PATCH /api/projects/{id}/": _PROJECT | {"destination_region", "origin_region", "version"},
    "DELETE /api/projects/{id}/": {"detail"},
    "GET /api/projects/": {"destination", "origin", "event"},
    "GET /api/overdue/": {"event", "region"},
    # A participant the event does not have (by id or name).
    "GET /api/events/{slug}/recommendations/": {"participant"},
    # A step dated before the signing or out of order; funds beyond the contract's bounds, or
    # in a currency without a rate on that date.
    "POST /api/projects/{id}/progress/": {
        "date",
        "stage",
        "funds_in_place",
        "funds_currency",
        "detail",
    },
    "PATCH /api/progress/{id}/": {"funds_in_place", "funds_currency", "detail"},
    "DELETE /api/progress/{id}/": {"detail"},
    # A rate outside (0, 1,000,000]; a share above 1; thresholds out of order.
    "POST /api/rates/": {"cny_per_unit"},
    "PUT /api/rates/{id}/": {"cny_per_unit"},
    "PATCH /api/rates/{id}/": {"cny_per_unit"},
    "PUT /api/overdue/thresholds/": {"red_low_funds_share", "idle_months", "detail"},
    # A participant's organisation already registered; a USCC's checksum; codes, regions and
    # days the reference data or the event does not have; a range that starts above its end;
    # a name of spaces only.
    "POST /api/events/{slug}/participants/": _PARTICIPANT,
    "PATCH /api/participants/{id}/": _PARTICIPANT | {"version"},
    # Already reviewed; a merge into a participant the event does not have.
    "POST /api/participants/{id}/review/": {"status", "into", "version", "detail"},
    "POST /api/participants/{id}/contacts/": {"name", "email"},
    # Participants the event does not have, or not approved; a pair with an open request; the
    # event's limits.
    "POST /api/events/{slug}/meeting-requests/": {"requester", "recipient", "priority"},
    # A change the request's state does not allow; a decline without its reason.
    "POST /api/meeting-requests/{id}/": {"state", "reason", "priority", "version", "detail"},
    # A meeting that does not exist or was not agreed.
    "POST /api/projects/{id}/meetings/": {"meeting"},
}


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


def _failure(error) -> str:
    """A check failure in a few lines (schemathesis's own message, its reproduction curl)."""
    failures = getattr(error, "exceptions", [error])
    return "\n".join(str(failure).strip() for failure in failures)


def _refused_for_an_expressible_rule(operation, case, response) -> str | None:
    """A schema-valid request refused with 400 naming a field no listed rule is about."""
    if response.status_code != 400 or case.meta is None or case.meta.generation.mode.is_negative:
        return None
    named = set(response.json()) - INEXPRESSIBLE.get(operation.label, set())
    if named:
        return f"schema-valid request refused for {sorted(named)}: {response.json()}"
    return None


def _call(operation, case, headers):
    """Send the case and run the checks; the response."""
    response = case.call_and_validate(headers=headers, checks=CHECKS)
    problem = _refused_for_an_expressible_rule(operation, case, response)
    if problem:
        raise AssertionError(f"{problem}\nReproduce with:\n{case.as_curl_command()}")
    return response


def _run_coverage(schema, operation, headers, known: dict | None) -> tuple[list[int], list[str]]:
    """The operation's coverage cases; the statuses, and the failures found."""
    calls, failures = [], []
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    config = schema.config.generation_for(operation=operation)
    for case in schema.iter_coverage_cases(
        operation, generation_modes=modes, generation_config=config
    ):
        data = case.meta.phase.data if case.meta is not None else None
        if getattr(data, "scenario", None) == CoverageScenario.UNSPECIFIED_HTTP_METHOD:
            # A method the operation does not have: no check here judges its answer (st run's
            # unsupported_method does), and there are many.
            continue
        location = getattr(data, "parameter_location", None)
        if known and location != ParameterLocation.PATH:
            # As text: an identifier of another type would make the case schema-violating.
            case.path_parameters = {name: str(value) for name, value in known.items()}
        try:
            calls.append(_call(operation, case, headers).status_code)
        except (Exception, BaseExceptionGroup) as error:
            failures.append(f"{case.method} {case.formatted_path}: {_failure(error)}")
    return calls, failures


def _run(operation, headers, **fixed) -> list[int]:
    """Run one operation's random schema-valid examples; the status of each response."""
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
        calls.append(_call(operation, case, headers).status_code)

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
    host = participant_services.create_participant(
        actor=system_user(), event=ledger["event"], name="哈尔滨表格园区", side="host"
    )
    visitor = participant_services.create_participant(
        actor=system_user(), event=ledger["event"], name="深圳表格企业", side="visitor"
    )
    meeting = participant_services.create_must_meeting(
        actor=system_user(), requester=visitor, recipient=host
    )
    return {
        "/api/participants/": {"id": host.pk},
        "/api/meeting-requests/": {"id": meeting.pk},
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
        "/api/schema/?format=json",
        application,
        headers=headers,
        config=SchemathesisConfig.from_path(str(CONFIG)),
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
    failures: dict[str, list[str]] = {}
    for operation in operations:
        existing = None
        if "{" in operation.path:
            existing = known[operation.path[: operation.path.index("{")]]
        calls, found = _run_coverage(schema, operation, headers, existing)
        statuses.update(calls)
        # Random identifiers only ever find nothing: also aim at records that exist.
        for fixed in [{}, {"path_parameters": existing}] if existing else [{}]:
            try:
                statuses.update(_run(operation, headers, **fixed))
            # Schemathesis reports check failures as a BaseExceptionGroup, not an Exception.
            except (Exception, BaseExceptionGroup) as error:
                found.append(f"random, {fixed or 'random path'}: {_failure(error)}")
        if found:
            failures[operation.label] = found
    examples = sum(statuses.values())
    print(
        f"\nschemathesis: {len(operations)} operations, {examples} requests, "
        f"{sum(map(len, failures.values()))} failed; statuses {sorted(statuses.items())}"
    )
    assert not failures, "\n\n".join(
        f"{label}: {len(found)} failed, e.g.\n" + "\n".join(found[:3])
        for label, found in failures.items()
    )
    assert len(operations) >= 30
