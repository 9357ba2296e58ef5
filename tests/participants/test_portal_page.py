"""The personal page a link opens: no account, only the participant's own requests."""

import pytest
from django.test import Client

from investpromo.participants import services
from investpromo.participants.access import PortalActor

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_participant_and_answers_its_requests(seeker, park, organiser):
    asked = services.request_meeting(
        actor=PortalActor(seeker), requester=seeker, recipient=park, message="想了解工业用地"
    )
    _, token = services.issue_portal_link(actor=organiser, participant=park)
    client = Client()
    page = client.get(f"/portal/{token}/")
    assert page.status_code == 200 and page["Referrer-Policy"] == "no-referrer"
    assert page["Cache-Control"] == "no-store"
    text = page.content.decode()
    assert park.name in text and "想了解工业用地" in text
    refused = client.post(f"/portal/{token}/", {"request": asked.pk, "action": "decline"})
    assert refused.status_code == 400  # no reason given
    done = client.post(f"/portal/{token}/", {"request": asked.pk, "action": "accept"})
    assert done.status_code == 302
    asked.refresh_from_db()
    assert asked.state == "accepted"


def test_a_link_cannot_answer_for_another_participant(seeker, park, exchange, organiser):
    asked = services.request_meeting(actor=PortalActor(seeker), requester=seeker, recipient=park)
    _, token = services.issue_portal_link(actor=organiser, participant=exchange)
    answer = Client().post(f"/portal/{token}/", {"request": asked.pk, "action": "accept"})
    assert answer.status_code == 400
    asked.refresh_from_db()
    assert asked.state == "requested"


def test_a_revoked_link_opens_nothing(seeker, organiser):
    _, token = services.issue_portal_link(actor=organiser, participant=seeker)
    services.revoke_portal_links(actor=organiser, participant=seeker)
    page = Client().get(f"/portal/{token}/")
    assert page.status_code == 403 and seeker.name not in page.content.decode()
