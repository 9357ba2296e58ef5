"""Taking the same snapshot again: none is taken while nothing changed, unless forced."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from investpromo.core.audit import system_user
from investpromo.core.models import ChangeLog
from investpromo.followup.models import Snapshot
from investpromo.projects.services import update_project
from tests.factories import make_event, make_project

pytestmark = pytest.mark.django_db
AS_OF = "2025-01-31"


def snapshot_command(*args) -> str:
    out = StringIO()
    call_command("snapshot", "--event", "snap-event", "--as-of", AS_OF, *args, stdout=out)
    return out.getvalue()


def test_issue_18_10_a_repeated_snapshot_is_unchanged_since_the_last_unless_forced(admin_client):
    event = make_event(slug="snap-event", start=dt.date(2024, 8, 31))
    project = make_project(event=event, name="一号", value="100000000")

    first_out = snapshot_command("--label", "1月月报")
    first = Snapshot.objects.get()
    assert first_out.startswith(f"Snapshot {first.pk} of snap-event")
    again = snapshot_command("--label", "1月月报")
    assert again.startswith(f"Snapshot unchanged since snapshot {first.pk} ('1月月报'")
    assert first.content_sha256 in again
    assert Snapshot.objects.count() == 1
    assert ChangeLog.objects.filter(content_type__model="snapshot").count() == 1

    # The web form: no second copy, the page of the one there is, and why.
    create = reverse("web:snapshot_create", args=["snap-event"])
    response = admin_client.post(create, {"snapshot-as_of": AS_OF, "snapshot-label": "1月月报"})
    assert response["Location"] == reverse("web:snapshot_detail", args=[first.pk])
    page = admin_client.get(response["Location"]).content.decode()
    assert f"自快照 {first.pk}（“1月月报”）以来没有变化" in page
    # The API: 200 with that snapshot, not 201 with a new one.
    url = "/api/events/snap-event/snapshots/"
    answer = admin_client.post(url, {"as_of": AS_OF, "label": "1月月报"}, "application/json")
    assert (answer.status_code, answer.json()["id"]) == (200, first.pk)
    assert Snapshot.objects.count() == 1

    # Forced, another label, or the ledger changed: a new snapshot each time.
    forced = admin_client.post(
        url, {"as_of": AS_OF, "label": "1月月报", "force": True}, "application/json"
    )
    assert forced.status_code == 201
    assert forced.json()["content_sha256"] == first.content_sha256
    snapshot_command("--label", "1月月报（终稿）")
    update_project(actor=system_user(), project=project, contract_value=Decimal("150000000"))
    changed = snapshot_command("--label", "1月月报")
    assert changed.startswith("Snapshot ") and "unchanged" not in changed
    assert Snapshot.objects.count() == 4
    assert ChangeLog.objects.filter(content_type__model="snapshot").count() == 4
