import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from investpromo.core.audit import system_user
from investpromo.core.errors import PermissionDenied
from investpromo.followup.models import Snapshot
from investpromo.followup.selectors import overdue_report, snapshot_diff
from investpromo.followup.services import current_thresholds, record_progress, take_snapshot
from investpromo.projects.services import update_project
from tests.factories import make_event, make_org, make_project

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def event_with_projects():
    event = make_event(start=D(2024, 8, 31))
    investor = make_org()
    first = make_project(event=event, name="一号", investor=investor, value="100000000")
    second = make_project(event=event, name="二号", investor=investor, value="300000000")
    return event, first, second


def test_snapshot_freezes_report_and_lists_what_changed_since(event_with_projects):
    event, first, second = event_with_projects
    snap = take_snapshot(actor=system_user(), event=event, as_of=D(2025, 1, 31), label="1月月报")
    frozen = dict(snap.report)
    assert snap.report["projects"] == 2 and "共签约项目2个" in snap.bulletin_zh

    update_project(actor=system_user(), project=first, contract_value=Decimal("150000000"))
    record_progress(actor=system_user(), project=second, stage="registered", date=D(2025, 2, 10))
    third = make_project(event=event, name="三号", investor=make_org("另一家公司"), value="5000000")

    snap.refresh_from_db()
    assert snap.report == frozen
    diff = snapshot_diff(snap, today=D(2025, 3, 1))
    assert [p["id"] for p in diff["added"]] == [third.pk]
    assert [p["id"] for p in diff["edited"]] == [first.pk]
    assert diff["moved"] == [
        {"id": second.pk, "name": "二号", "from": "signed", "to": "registered"}
    ]


def test_snapshot_cannot_be_changed(event_with_projects):
    event, *_ = event_with_projects
    snap = take_snapshot(actor=system_user(), event=event, as_of=D(2025, 1, 31), label="x")
    snap.label = "changed"
    with pytest.raises(ValueError, match="never changes"):
        snap.save()
    assert Snapshot.objects.get(pk=snap.pk).label == "x"


def test_only_administrators_take_snapshots(event_with_projects, django_user_model):
    event, *_ = event_with_projects
    viewer = django_user_model.objects.create_user("leader", password="x")
    with pytest.raises(PermissionDenied):
        take_snapshot(actor=viewer, event=event, as_of=D(2025, 1, 31), label="x")
    assert not Snapshot.objects.exists()


def test_snapshot_command(event_with_projects, capsys):
    event, *_ = event_with_projects
    call_command("snapshot", "--event", event.slug, "--as-of", "2025-01-31", "--label", "1月")
    assert "sha256" in capsys.readouterr().out
    call_command("snapshot", "--event", event.slug, "--list")
    assert "1月" in capsys.readouterr().out


def test_overdue_report_by_region(event_with_projects):
    event, *_ = event_with_projects
    rows = overdue_report(
        today=D(2025, 9, 30), thresholds=current_thresholds(), event_slug=event.slug
    )
    assert {r["project_id"] for r in rows} == {p.pk for p in event.projects.all()}
    assert all(r["level"] == "red" and r["region"] == "哈尔滨市" for r in rows)
    from investpromo.geo.models import Region

    assert (
        overdue_report(
            today=D(2025, 9, 30),
            thresholds=current_thresholds(),
            region=Region.objects.get(code="230600"),
        )
        == []
    )


def test_snapshot_cannot_be_dated_in_the_future(event_with_projects):
    from investpromo.core.errors import UserError

    event, *_ = event_with_projects
    with pytest.raises(UserError, match="still to come"):
        take_snapshot(actor=system_user(), event=event, as_of=D(2999, 1, 1), label="x")
    assert not Snapshot.objects.exists()


def test_an_event_with_snapshots_cannot_be_deleted(event_with_projects):
    from investpromo.core.errors import UserError
    from investpromo.events.services import delete_event

    event, *_ = event_with_projects
    take_snapshot(actor=system_user(), event=event, as_of=D(2025, 1, 31), label="x")
    with pytest.raises(UserError) as refused:
        delete_event(actor=system_user(), event=event)
    assert refused.value.code == "event_has_records"


def test_a_project_with_progress_is_terminated_not_deleted(event_with_projects):
    from investpromo.core.errors import UserError
    from investpromo.projects.services import delete_project

    _, first, _ = event_with_projects
    record_progress(actor=system_user(), project=first, stage="registered", date=D(2024, 10, 1))
    with pytest.raises(UserError, match="terminated"):
        delete_project(actor=system_user(), project=first)
    first.refresh_from_db()
