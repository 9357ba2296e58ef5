"""`investpromo schedule --event SLUG`: an event's accepted requests scheduled by the queue."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from investpromo.accounts.models import Profile
from investpromo.core.audit import history_for
from investpromo.core.errors import PermissionDenied
from investpromo.participants import services as participants
from investpromo.participants.access import PortalActor
from investpromo.participants.models import MeetingRequest, Participant
from investpromo.scheduling import services
from investpromo.scheduling.models import ScheduledMeeting, ScheduleRun
from investpromo.scheduling.selectors import event_instance
from tests.factories import make_event
from tests.participants.conftest import make_user, register
from tests.scheduling.checker import broken_rules

pytestmark = pytest.mark.django_db
DAY = "2026-06-18"


@pytest.fixture
def admin(db):
    return make_user("sch-admin", role=Profile.Role.ADMINISTRATOR)


@pytest.fixture
def fair(admin):
    """An event with a morning of 3 slots (2 tables) and an afternoon of 2 (1 table)."""
    event = make_event(slug="sch-fair", start=dt.date(2026, 6, 18), end_date=dt.date(2026, 6, 19))
    participants.assign_organiser(actor=admin, event=event, user=admin)
    services.add_slots(
        actor=admin,
        event=event,
        start=dt.datetime(2026, 6, 18, 9),
        count=3,
        minutes=25,
        pause=5,
        tables=2,
    )
    services.add_slots(
        actor=admin, event=event, start=dt.datetime(2026, 6, 18, 14), count=2, minutes=25, tables=1
    )
    return event


def accepted(admin, requester, recipient, priority="normal"):
    if priority == "must":
        return participants.create_must_meeting(
            actor=admin, requester=requester, recipient=recipient
        )
    # The organiser asks on the requester's behalf (and sets the priority); the recipient accepts.
    asked = participants.request_meeting(
        actor=admin, requester=requester, recipient=recipient, priority=priority
    )
    return participants.accept_meeting(actor=PortalActor(recipient), meeting=asked)


@pytest.fixture
def requests(fair, admin):
    """A park attending the morning only, asked by three visitors; one visitor asks another."""
    park = register(
        fair, "示例高新区管委会", side=Participant.Side.HOST, kind="park", region="230600"
    )
    participants.update_participant(actor=admin, participant=park, attendance={DAY: ["am"]})
    visitors = [register(fair, f"示例投资有限公司{n}") for n in range(3)]
    made = [accepted(admin, visitors[0], park, "must")]
    made += [accepted(admin, v, park, "high") for v in visitors[1:]]
    made.append(accepted(admin, visitors[1], visitors[2]))
    return made


def test_the_event_is_scheduled_by_the_queue_and_its_meetings_stored(fair, admin, requests, capsys):
    call_command("schedule", "--event", fair.slug, "--time-limit", "2", "--user", admin.username)
    run = ScheduleRun.objects.get(event=fair)
    assert run.state == ScheduleRun.State.DONE and run.user == admin
    # The park attends 3 morning slots and is asked 3 times; visitors 1 and 2 meet too.
    assert run.summary["placed"] == 4 and run.summary["gap"] == 0.0
    stored = {str(p.request_id): (f"s{p.slot_id}", p.table) for p in ScheduledMeeting.objects.all()}
    schedule = {
        "meetings": [{"id": k, "slot": s, "table": t} for k, (s, t) in stored.items()],
        "unplaced": [],
        "summary": run.summary,
    }
    assert broken_rules(event_instance(fair), schedule) == []
    for request in MeetingRequest.objects.all():
        assert request.state == "scheduled"
        assert next(e.after["state"] for e in history_for(request)) == "scheduled"
    assert "Scheduled sch-fair: 4 of 4 meetings" in capsys.readouterr().out


def test_locked_meetings_stay_when_a_late_request_is_scheduled(fair, admin, requests):
    services.start_schedule_run(actor=admin, event=fair, time_limit=2)
    placement = ScheduledMeeting.objects.get(request=requests[3])
    services.lock_meeting(actor=admin, placement=placement)
    late = register(fair, "示例晚到有限公司")
    accepted(admin, late, Participant.objects.get(name="示例投资有限公司0"))
    run = services.start_schedule_run(actor=admin, event=fair, time_limit=2)
    assert run.state == ScheduleRun.State.DONE, run.error_params
    again = ScheduledMeeting.objects.get(request=requests[3])
    assert (again.slot_id, again.table, again.locked) == (placement.slot_id, placement.table, True)
    assert ScheduledMeeting.objects.count() == 5


def test_the_instance_is_exported_as_the_contract_has_it(fair, admin, requests, tmp_path):
    path = tmp_path / "fair.json"
    call_command("schedule", "--event", fair.slug, "--export-instance", str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [s["start"] for s in data["slots"]] == [
        "2026-06-18T09:00",
        "2026-06-18T09:30",
        "2026-06-18T10:00",
        "2026-06-18T14:00",
        "2026-06-18T14:25",
    ]
    park = next(p for p in data["participants"] if p["name"] == "示例高新区管委会")
    assert park["available"] == [s["id"] for s in data["slots"][:3]]
    assert sorted(m["priority"] for m in data["meetings"]) == ["high", "high", "must", "normal"]
    assert not ScheduleRun.objects.exists()


def test_only_the_events_managers_may_schedule_it(fair, requests):
    viewer = make_user("sch-viewer", role=Profile.Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.start_schedule_run(actor=viewer, event=fair)
    with pytest.raises(CommandError) as error:
        call_command("schedule", "--event", "no-such-fair")
    assert error.value.returncode == 2


def test_an_event_without_slots_is_refused(admin):
    event = make_event(slug="sch-empty", start=dt.date(2026, 6, 18))
    with pytest.raises(CommandError, match="no meeting slots") as error:
        call_command("schedule", "--event", event.slug, "--user", admin.username)
    assert error.value.returncode == 2
