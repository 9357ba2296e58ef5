"""Follow-through pages cost the same number of queries for 5 projects as for 50."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from investpromo.core.audit import system_user
from investpromo.followup.models import Snapshot
from investpromo.followup.services import record_progress
from tests.factories import make_event
from tests.web.test_queries import add_projects, count_queries

pytestmark = pytest.mark.django_db


def test_queries_do_not_grow_with_projects(admin_client):
    """5 projects or 50, each with steps and evidence: the same number of queries per page."""
    event = make_event()

    def add(count, start=0):
        add_projects(event, count, start=start)
        for project in event.projects.filter(progress_steps__isnull=True):
            record_progress(
                actor=system_user(), project=project, stage="registered", date=dt.date(2024, 9, 9)
            )
            record_progress(
                actor=system_user(),
                project=project,
                stage="started",
                date=dt.date(2024, 10, 9),
                funds_in_place=Decimal(100000),
                evidence_files=[SimpleUploadedFile("证明.pdf", b"x")],
            )

    def urls():
        project = event.projects.order_by("id").first()
        snap = Snapshot.objects.get()
        return {
            "dashboard": reverse("web:dashboard"),
            "dashboard_as_of": f"{reverse('web:dashboard')}?event={event.slug}&as_of=2024-10-01",
            "event": f"{reverse('web:event_detail', args=[event.slug])}?as_of=2024-10-01",
            "project": reverse("web:project_detail", args=[project.pk]),
            "overdue": f"{reverse('web:overdue')}?region=230600",
            "ledger_stage": f"{reverse('web:project_list')}?stage=from_started&stage_on=2024-12-01",
            "snapshot": reverse("web:snapshot_detail", args=[snap.pk]),
        }

    add(5)
    admin_client.post(
        reverse("web:snapshot_create", args=[event.slug]),
        {"snapshot-as_of": "2024-12-31", "snapshot-label": "x"},
    )
    for url in urls().values():
        admin_client.get(url)
    small = {name: count_queries(admin_client, url) for name, url in urls().items()}
    add(45, start=5)
    large = {name: count_queries(admin_client, url) for name, url in urls().items()}
    assert large == small
    assert max(small.values()) <= 20, small
