"""Personal portal links: they work, expire, can be revoked, and cannot be forged."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from investpromo.core.errors import PermissionDenied, UserError
from investpromo.participants import services
from investpromo.participants.models import PortalLink

pytestmark = pytest.mark.django_db


def _refusal(token) -> str:
    with pytest.raises(PermissionDenied) as refused:
        services.verify_portal_token(token)
    return refused.value.code


def test_a_link_acts_for_its_participant_until_it_expires(seeker, organiser):
    link, token = services.issue_portal_link(actor=organiser, participant=seeker, days=3)
    assert services.verify_portal_token(token).participant == seeker
    assert token not in link.secret_hash and len(link.secret_hash) == 64
    assert link.expires_at - link.created_at == pytest.approx(
        dt.timedelta(days=3), abs=dt.timedelta(seconds=5)
    )
    # Three days and a second later:
    later = dt.timedelta(days=3, seconds=1)
    PortalLink.objects.filter(pk=link.pk).update(
        created_at=link.created_at - later, expires_at=link.expires_at - later
    )
    assert _refusal(token) == "portal_link_expired"


def test_revoked_replaced_and_altered_links_stop_working(seeker, park, organiser):
    _, first = services.issue_portal_link(actor=organiser, participant=seeker)
    _, second = services.issue_portal_link(actor=organiser, participant=seeker)
    assert _refusal(first) == "portal_link_revoked"  # a new link replaces the old one
    assert services.verify_portal_token(second).participant == seeker
    assert (
        _refusal(second[:-2] + ("AA" if not second.endswith("AA") else "BB"))
        == "portal_link_invalid"
    )
    assert _refusal("") == "portal_link_invalid"
    assert services.revoke_portal_links(actor=organiser, participant=seeker) == 1
    assert _refusal(second) == "portal_link_revoked"
    with pytest.raises(PermissionDenied):
        services.issue_portal_link(
            actor=services.verify_portal_token(
                services.issue_portal_link(actor=organiser, participant=park)[1]
            ),
            participant=park,
        )


def test_a_rejected_participant_gets_no_link_and_loses_its_link(event, organiser):
    pending = services.create_participant(
        actor=organiser, event=event, name="某公司（示例）", side="visitor", status="pending"
    )
    with pytest.raises(UserError):
        services.issue_portal_link(actor=organiser, participant=pending)
    services.approve_participant(actor=organiser, participant=pending)
    _, token = services.issue_portal_link(actor=organiser, participant=pending)
    services.reject_participant(actor=organiser, participant=pending)
    assert _refusal(token) == "portal_link_revoked"


def test_the_link_is_emailed_to_the_primary_contact_in_their_language(seeker, organiser):
    services.add_contact(
        actor=organiser,
        participant=seeker,
        name="Anna Chen",
        email="anna@example.org",
        language="en",
        is_primary=True,
    )
    services.email_portal_link(actor=organiser, participant=seeker)
    [message] = mail.outbox
    assert message.to == ["anna@example.org"]
    assert message.subject.startswith("Your personal page")
    assert "/portal/" in message.body and seeker.name in message.body


def test_organisers_print_links_to_copy(event, seeker, park, capsys):
    call_command("participants", "links", "--event", event.slug, "--days", "5")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    ids = {int(line.split("\t")[0]) for line in lines}
    assert ids == {seeker.pk, park.pk}
    token = lines[0].split("/portal/")[1].rstrip("/")
    assert services.verify_portal_token(token).participant.pk == int(lines[0].split("\t")[0])


def test_administrators_name_organisers_from_the_command_line(event, daqing_officer, capsys):
    call_command("participants", "organiser", "add", daqing_officer.username, "--event", event.slug)
    call_command("participants", "organiser", "list", "--event", event.slug)
    assert capsys.readouterr().out.splitlines()[-1] == daqing_officer.username
    call_command(
        "participants", "organiser", "remove", daqing_officer.username, "--event", event.slug
    )
    assert not event.organisers.exists()
