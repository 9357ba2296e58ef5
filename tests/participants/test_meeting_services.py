"""Meeting requests from request to outcome, their limits, and the projects they led to."""

import pytest

from investpromo.core.audit import history_for
from investpromo.core.errors import Conflict, PermissionDenied, UserError
from investpromo.participants import selectors, services
from investpromo.participants.access import PortalActor
from investpromo.participants.models import MeetingRequest, ProjectOrigin
from tests.factories import make_project
from tests.participants.conftest import register

pytestmark = pytest.mark.django_db


def test_request_accept_then_the_scheduler_reads_it_with_priorities_and_attendance(
    event, seeker, park, exchange, organiser
):
    services.update_participant(
        actor=organiser, participant=park, attendance={"2026-06-18": ["am"]}
    )
    asked = services.request_meeting(
        actor=PortalActor(seeker), requester=seeker, recipient=park, message="想了解工业用地"
    )
    assert asked.state == "requested" and asked.created_by is None and not asked.by_organiser
    with pytest.raises(PermissionDenied):  # a requester cannot accept its own request
        services.accept_meeting(actor=PortalActor(seeker), meeting=asked)
    services.accept_meeting(actor=PortalActor(park), meeting=asked, expected_version=1)
    assert asked.state == "accepted" and asked.responded_at is not None
    must = services.create_must_meeting(actor=organiser, requester=exchange, recipient=park)
    [first, second] = selectors.accepted_requests_for_scheduling(event)
    assert (first.id, first.priority) == (must.pk, "must")
    assert (second.id, second.priority) == (asked.pk, "normal")
    assert second.recipient.attendance == {"2026-06-18": ["am"]}
    assert second.requester.side == "visitor" and second.recipient.side == "host"
    assert [e.after["state"] for e in history_for(asked)] == ["accepted", "requested"]


def test_a_decline_needs_a_reason_code_and_closes_the_pair_to_the_portal(seeker, park, organiser):
    asked = services.request_meeting(actor=PortalActor(seeker), requester=seeker, recipient=park)
    with pytest.raises(UserError) as refused:
        services.decline_meeting(actor=PortalActor(park), meeting=asked, reason="busy")
    assert refused.value.code == "invalid_decline_reason"
    services.decline_meeting(actor=PortalActor(park), meeting=asked, reason="no_time")
    assert asked.decline_reason == "no_time"
    with pytest.raises(UserError) as refused:
        services.request_meeting(actor=PortalActor(seeker), requester=seeker, recipient=park)
    assert refused.value.code == "declined_before"
    # The organiser may still ask on the seeker's behalf.
    services.request_meeting(actor=organiser, requester=seeker, recipient=park, priority="high")


def test_one_open_request_per_pair_in_either_direction(seeker, park):
    services.request_meeting(actor=PortalActor(seeker), requester=seeker, recipient=park)
    with pytest.raises(UserError) as refused:
        services.request_meeting(actor=PortalActor(park), requester=park, recipient=seeker)
    assert refused.value.code == "request_already_open"
    with pytest.raises(UserError) as refused:
        services.request_meeting(actor=PortalActor(park), requester=park, recipient=park)
    assert refused.value.code == "meeting_with_oneself"


def test_a_link_acts_only_for_its_participant(seeker, park, exchange):
    with pytest.raises(PermissionDenied):
        services.request_meeting(actor=PortalActor(exchange), requester=seeker, recipient=park)
    with pytest.raises(PermissionDenied):
        services.request_meeting(
            actor=PortalActor(seeker), requester=seeker, recipient=park, priority="high"
        )


def test_limits_per_event_count_open_requests_but_not_must_meetings(
    event, seeker, park, exchange, organiser
):
    services.set_meeting_rules(actor=organiser, event=event, max_requests_sent=1)
    services.create_must_meeting(actor=organiser, requester=seeker, recipient=exchange)
    first = services.request_meeting(actor=PortalActor(seeker), requester=seeker, recipient=park)
    third = register(event, "苏州某基金（示例）", region="320500")
    with pytest.raises(UserError) as refused:
        services.request_meeting(actor=PortalActor(seeker), requester=seeker, recipient=third)
    assert refused.value.code == "too_many_requests_sent"
    services.cancel_meeting(actor=PortalActor(seeker), meeting=first)
    services.request_meeting(actor=PortalActor(seeker), requester=seeker, recipient=third)


def test_must_meeting_upgrades_an_open_request(seeker, park, organiser):
    asked = services.request_meeting(actor=PortalActor(seeker), requester=seeker, recipient=park)
    must = services.create_must_meeting(actor=organiser, requester=park, recipient=seeker)
    assert must.pk == asked.pk
    asked.refresh_from_db()
    assert (asked.state, asked.priority, asked.by_organiser) == ("accepted", "must", True)
    assert MeetingRequest.objects.count() == 1


def test_outcomes_follow_the_states_and_a_stale_version_is_refused(seeker, park, organiser):
    meeting = services.create_must_meeting(actor=organiser, requester=seeker, recipient=park)
    with pytest.raises(UserError) as refused:
        services.record_meeting_outcome(actor=organiser, meeting=meeting, state="declined")
    assert refused.value.code == "invalid_transition"
    services.record_meeting_outcome(actor=organiser, meeting=meeting, state="scheduled")
    with pytest.raises(Conflict):
        services.record_meeting_outcome(
            actor=organiser, meeting=meeting, state="held", expected_version=1
        )
    with pytest.raises(PermissionDenied):
        services.record_meeting_outcome(actor=PortalActor(park), meeting=meeting, state="held")
    services.record_meeting_outcome(actor=organiser, meeting=meeting, state="held")
    with pytest.raises(UserError):
        services.cancel_meeting(actor=PortalActor(seeker), meeting=meeting)
    assert meeting.state == "held"


def test_a_project_names_the_agreed_meeting_it_came_from(
    event, seeker, park, organiser, daqing_officer, viewer
):
    project = make_project(
        event=event, name="石墨烯导热膜项目（示例）", investor=seeker.organisation, dest="230602"
    )
    asked = services.request_meeting(actor=PortalActor(seeker), requester=seeker, recipient=park)
    with pytest.raises(UserError) as refused:
        services.link_project_to_meeting(actor=organiser, project=project, meeting=asked)
    assert refused.value.code == "meeting_not_agreed"
    services.accept_meeting(actor=PortalActor(park), meeting=asked)
    with pytest.raises(PermissionDenied):
        services.link_project_to_meeting(actor=viewer, project=project, meeting=asked)
    # The officer of the project's region may, like the event's organisers.
    services.link_project_to_meeting(actor=daqing_officer, project=project, meeting=asked)
    services.link_project_to_meeting(actor=organiser, project=project, meeting=asked)
    assert list(selectors.project_origins(project)) == [asked]
    services.unlink_project_from_meeting(actor=organiser, project=project, meeting=asked)
    assert not ProjectOrigin.objects.exists()


def test_organiser_views_by_state_without_agreement_and_most_requested(
    event, seeker, park, exchange, organiser
):
    one = services.request_meeting(actor=organiser, requester=seeker, recipient=park)
    services.request_meeting(actor=organiser, requester=exchange, recipient=park)
    services.accept_meeting(actor=organiser, meeting=one)
    counts = selectors.request_counts_by_state(event)
    assert (counts["requested"], counts["accepted"], counts["held"]) == (1, 1, 0)
    assert list(selectors.participants_without_accepted_request(event)) == [exchange]
    ranked = list(selectors.most_requested(event))
    assert ranked == [park] and ranked[0].requests == 2
    assert selectors.find_participant(event, str(park.pk)) == park
    assert selectors.find_participant(event, "大庆高新区管委会（示例）") == park


def test_the_event_report_counts_what_matchmaking_led_to(event, seeker, park, organiser):
    meeting = services.create_must_meeting(actor=organiser, requester=seeker, recipient=park)
    services.record_meeting_outcome(actor=organiser, meeting=meeting, state="held")
    from_meeting = make_project(
        event=event, name="导热膜项目（示例）", investor=seeker.organisation, value="300000000"
    )
    make_project(event=event, name="其他项目（示例）", value="100000000")
    services.link_project_to_meeting(actor=organiser, project=from_meeting, meeting=meeting)
    outcome = selectors.matchmaking_outcome(event)
    assert (outcome.meetings_agreed, outcome.meetings_held) == (1, 1)
    assert (outcome.projects_from_meetings, outcome.projects_signed) == (1, 2)
    assert outcome.value_from_meetings_cny == 300_000_000
    assert str(outcome.share_of_value) == "0.7500"
