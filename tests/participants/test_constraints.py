"""The rules the database itself holds for participants and meeting requests."""

import pytest
from django.db import IntegrityError, transaction

from investpromo.participants.models import MeetingRequest, Participant
from tests.factories import make_event, make_org

pytestmark = pytest.mark.django_db


def _participant(event, name, **fields):
    fields.setdefault("side", Participant.Side.VISITOR)
    # Direct writes: these tests check what the database refuses, below any service.
    return Participant.objects.create(
        event=event, organisation=make_org(name=name), name=name, **fields
    )


@pytest.fixture
def pair():
    event = make_event()
    return (
        event,
        _participant(event, "深圳石墨烯科技有限公司"),
        _participant(event, "宁波数据交易所"),
    )


def _refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.create(**fields)


def test_no_request_with_oneself(pair):
    event, seeker, _ = pair
    _refused(event=event, requester=seeker, recipient=seeker)


def test_one_open_request_per_ordered_pair_but_a_new_one_after_a_decline(pair):
    event, seeker, park = pair
    first = MeetingRequest.objects.create(event=event, requester=seeker, recipient=park)
    _refused(event=event, requester=seeker, recipient=park)
    # The other direction is another ordered pair (the services refuse it; see the services).
    MeetingRequest.objects.filter(pk=first.pk).update(state="declined", decline_reason="no_time")
    MeetingRequest.objects.create(event=event, requester=seeker, recipient=park)


def test_a_decline_needs_its_reason_and_only_a_decline_has_one(pair):
    event, seeker, park = pair
    _refused(event=event, requester=seeker, recipient=park, state="declined")
    _refused(event=event, requester=seeker, recipient=park, decline_reason="no_time")


def test_must_meetings_only_from_organisers(pair):
    event, seeker, park = pair
    _refused(event=event, requester=seeker, recipient=park, priority="must")
    MeetingRequest.objects.create(
        event=event, requester=seeker, recipient=park, priority="must", by_organiser=True
    )


def test_one_live_registration_per_organisation_and_event():
    event = make_event()
    first = _participant(event, "哈尔滨新区管委会", side="host")
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(
            event=event, organisation=first.organisation, name="哈尔滨新区", side="host"
        )
    Participant.objects.create(
        event=event,
        organisation=first.organisation,
        name="哈尔滨新区",
        side="host",
        status="merged",
        merged_into=first,
    )


def test_merged_names_its_survivor_and_ranges_are_ordered():
    event = make_event()
    with pytest.raises(IntegrityError), transaction.atomic():
        _participant(event, "甲公司", status="merged")
    with pytest.raises(IntegrityError), transaction.atomic():
        _participant(event, "乙公司", investment_min=10, investment_max=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        _participant(event, "丙公司", side="both")
