"""Server time of the dashboard and ledger pages with 100,000 projects in a scratch SQLite DB.

Prints the median of several requests per page (Django's test client: the full request cycle
without a network) and its ratio to baselines measured in the same run: a raw COUNT(*) of the
projects and the login page (a page that reads no ledger data). The target is under 300 ms per page.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECTS = int(os.environ.get("BENCH_PROJECTS", "100000"))
EVENTS = 40
ORGANISATIONS = 8000
RUNS = 7
TARGET_MS = 300.0


def _setup_django(workdir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "investpromo.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("INVESTPROMO_DATA_DIR", str(workdir))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _generate() -> dict:
    """Events, organisations and projects written with bulk_create (no services: speed)."""
    import datetime as dt
    from decimal import Decimal

    from django.db import transaction

    from investpromo.core.audit import system_user
    from investpromo.core.reference import load_reference_data
    from investpromo.events.models import Event
    from investpromo.geo.models import Region
    from investpromo.orgs.models import Organisation
    from investpromo.projects.models import ExchangeRate, Project
    from investpromo.sectors.models import SEIIndustry

    load_reference_data()
    system_user()
    rng = random.Random(20240831)
    hlj = list(
        Region.objects.filter(code__startswith="23", level__in=[2, 3]).values_list(
            "code", flat=True
        )
    )
    origins = list(Region.objects.filter(level=2).values_list("code", flat=True))
    industries = list(SEIIndustry.objects.values_list("code", flat=True))
    with transaction.atomic():
        ExchangeRate.objects.create(
            currency="USD", date=dt.date(2020, 1, 1), cny_per_unit=Decimal("7.1")
        )
        events = Event.objects.bulk_create(
            Event(
                slug=f"bench-event-{i:02d}",
                name=f"基准测试推介会{i:02d}",
                start_date=dt.date(2023, 1, 1) + dt.timedelta(days=18 * i),
                end_date=dt.date(2023, 1, 2) + dt.timedelta(days=18 * i),
                host_region_id="230100",
            )
            for i in range(EVENTS)
        )
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"基准投资方{i:05d}有限公司",
                normalized_name=f"基准投资方{i:05d}有限公司",
                home_region_id=rng.choice(origins),
            )
            for i in range(ORGANISATIONS)
        )
        batch = []
        for i in range(PROJECTS):
            event = events[i % EVENTS]
            investor = organisations[rng.randrange(ORGANISATIONS)]
            roll = rng.random()
            status = "sei" if roll < 0.6 else ("sei_unspecified" if roll < 0.65 else "not_sei")
            value = Decimal(rng.randrange(100, 500000)) * 10000
            batch.append(
                Project(
                    event=event,
                    name=f"基准项目{i:06d}",
                    normalized_name=f"基准项目{i:06d}",
                    investor=investor,
                    investor_key=investor.normalized_name,
                    origin_region_id=investor.home_region_id,
                    destination_region_id=rng.choice(hlj),
                    signing_date=event.start_date + dt.timedelta(days=rng.randrange(2)),
                    agreement_type=rng.choice(["contract", "framework", "intent"]),
                    contract_value=value,
                    value_cny=value,
                    value_text=f"{value / 10000}万元",
                    sei_status=status,
                    sei_industry_id=rng.choice(industries) if status == "sei" else None,
                )
            )
            if len(batch) == 5000:
                Project.objects.bulk_create(batch)
                batch = []
        Project.objects.bulk_create(batch)
        _generate_progress(rng)
    return {"event": events[EVENTS // 2].slug}


def _generate_progress(rng: random.Random) -> None:
    """About three dated steps per project and the state table the services would keep."""
    import datetime as dt

    from investpromo.followup.models import ProgressStep, ProjectState
    from investpromo.followup.selectors import walk_steps
    from investpromo.projects.models import Project

    path = ["registered", "approved", "started", "completed", "in_production", "full_capacity"]
    steps = []
    for project_id, signed, value in Project.objects.values_list("id", "signing_date", "value_cny"):
        day = signed
        for index in range(rng.randrange(0, 6)):
            day = day + dt.timedelta(days=rng.randrange(20, 120))
            stage = path[index]
            funds = (value * index / 6).quantize(1) if index >= 2 else None
            steps.append(
                ProgressStep(
                    project_id=project_id,
                    stage=stage,
                    date=day,
                    no_evidence_reason="bench",
                    funds_in_place=funds,
                    funds_currency="CNY" if funds else "",
                    funds_cny=funds,
                )
            )
    ProgressStep.objects.bulk_create(steps, batch_size=5000)
    states = walk_steps(
        ProgressStep.objects.order_by("project_id", "date", "id")
        .values_list("project_id", "stage", "date", "funds_cny")
        .iterator(chunk_size=5000)
    )
    ProjectState.objects.bulk_create(
        (
            ProjectState(
                project_id=pid,
                stage=p.stage,
                last_move=p.last_move,
                started_on=p.started_on,
                funds_cny=p.funds_cny,
            )
            for pid, p in states.items()
        ),
        batch_size=5000,
    )
    print(f"generated {len(steps):,} progress steps")


def _time(fn) -> float:
    fn()  # warm-up: caches, the first page of SQLite's file
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="investpromo-bench-") as tmp:
        _setup_django(Path(tmp))
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client

        started = time.perf_counter()
        data = _generate()
        print(f"generated {PROJECTS:,} projects in {time.perf_counter() - started:.1f} s")
        user = get_user_model().objects.create_superuser("bench", password=None)
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(user)

        def get(url):
            def request():
                response = client.get(url)
                if response.status_code != 200:
                    raise RuntimeError(f"{url}: HTTP {response.status_code}")

            return request

        def count():
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM projects_project")
                cursor.fetchone()

        count_ms = _time(count)
        anonymous = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")

        def login_page():
            if anonymous.get("/accounts/login/").status_code != 200:
                raise RuntimeError("login page")

        login_ms = _time(login_page)
        pages = [
            ("dashboard, all projects", "/"),
            ("dashboard, one event", f"/?event={data['event']}"),
            ("dashboard, a period", "/?signed_from=2023-06-01&signed_to=2023-12-31"),
            ("dashboard, follow-through as of a past date", "/?as_of=2024-06-30"),
            ("ledger, first page", "/projects/"),
            (
                "ledger, filtered + sorted by value",
                "/projects/?destination=230100&sei=any&sort=-value",
            ),
            ("ledger, search", "/projects/?q=基准项目0999"),
            ("ledger, last page", "/projects/?page=2000"),
            ("event page", f"/events/{data['event']}/"),
            ("events list", "/events/"),
        ]
        print(f"baselines: raw COUNT(*) {count_ms:.1f} ms; login page (no data) {login_ms:.1f} ms")
        print(f"{'page':40} {'ms':>8} {'×COUNT':>8} {'×login':>8}  target {TARGET_MS:.0f} ms")
        slow = []
        for label, url in pages:
            ms = _time(get(url))
            verdict = "ok" if ms < TARGET_MS else "SLOW"
            if ms >= TARGET_MS:
                slow.append(label)
            print(f"{label:40} {ms:8.1f} {ms / count_ms:8.1f} {ms / login_ms:8.1f}  {verdict}")
        connection.close()
    if slow:
        print(f"over target: {', '.join(slow)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
