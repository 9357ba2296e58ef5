"""Personal portal links: issue, revoke, verify, and send them by email.

A token is Django-signed (HMAC with the secret key) data naming the link and a random secret;
the database keeps only the secret's SHA-256 and the link's expiry and revocation. So a token
cannot be forged or altered (signature), stops at its expiry, ends when revoked, and a leaked
database copy holds no working token.
"""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from investpromo.core.audit import record_change, snapshot
from investpromo.core.errors import PermissionDenied, UserError
from investpromo.participants.access import PortalActor, ensure_can_manage_event
from investpromo.participants.models import (
    ContactPerson,
    Participant,
    ParticipantStatus,
    PortalLink,
)
from investpromo.participants.services.organisers import rules_for

_SALT = "investpromo.participants.portal-link"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def portal_url(token: str) -> str:
    """The link a participant opens (INVESTPROMO_PUBLIC_URL in front of the portal's path)."""
    base = getattr(settings, "INVESTPROMO_PUBLIC_URL", "").rstrip("/")
    return f"{base}/portal/{token}/"


@transaction.atomic
def issue_portal_link(
    *, actor, participant: Participant, days: int | None = None, via: str = ""
) -> tuple[PortalLink, str]:
    """A new link for an approved participant (its earlier links revoked) and its token.

    The token is returned once, here: only its hash is stored.
    """
    participant = (
        Participant.objects.select_for_update().select_related("event").get(pk=participant.pk)
    )
    ensure_can_manage_event(actor, participant.event)
    if participant.status != ParticipantStatus.APPROVED:
        raise UserError(
            _("%(name)s is %(status)s: only approved participants get a link.")
            % {"name": participant.name, "status": participant.get_status_display()},
            code="participant_not_approved",
        )
    days = rules_for(participant.event).portal_link_days if days is None else days
    if not isinstance(days, int) or not 1 <= days <= 366:
        raise UserError(
            _("A link lasts from 1 to 366 days."), field="days", code="invalid_link_days"
        )
    now = timezone.now()
    for earlier in PortalLink.objects.filter(participant=participant, revoked_at__isnull=True):
        _revoke(actor=actor, link=earlier, now=now, via=via)
    secret = secrets.token_urlsafe(32)
    link = PortalLink.objects.create(
        participant=participant,
        secret_hash=_hash(secret),
        expires_at=now + dt.timedelta(days=days),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    record_change(
        actor=actor, instance=link, action="create", before=None, after=snapshot(link), source=via
    )
    token = signing.dumps({"link": link.pk, "secret": secret}, salt=_SALT, compress=False)
    return link, token


def _revoke(*, actor, link: PortalLink, now, via: str) -> None:
    before = snapshot(link)
    link.revoked_at = now
    link.save(update_fields=["revoked_at"])
    record_change(
        actor=actor, instance=link, action="update", before=before, after=snapshot(link), source=via
    )


@transaction.atomic
def revoke_portal_links(*, actor, participant: Participant, via: str = "") -> int:
    """End every live link of a participant at once; how many were live."""
    ensure_can_manage_event(actor, participant.event)
    now = timezone.now()
    live = PortalLink.objects.select_for_update().filter(
        participant=participant, revoked_at__isnull=True, expires_at__gt=now
    )
    count = 0
    for link in live:
        _revoke(actor=actor, link=link, now=now, via=via)
        count += 1
    return count


def _refused(code: str) -> PermissionDenied:
    messages = {
        "portal_link_invalid": _("This link is not valid: ask the organisers for a new one."),
        "portal_link_expired": _("This link has expired: ask the organisers for a new one."),
        "portal_link_revoked": _("This link was withdrawn: ask the organisers for a new one."),
    }
    return PermissionDenied(messages[code], code=code)


def verify_portal_token(token: str) -> PortalActor:
    """The participant a token acts for, or PermissionDenied saying why not (reads only)."""
    try:
        data = signing.loads(str(token or ""), salt=_SALT)
        link_id, secret = int(data["link"]), str(data["secret"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise _refused("portal_link_invalid") from None
    link = PortalLink.objects.select_related("participant__event").filter(pk=link_id).first()
    if link is None or not secrets.compare_digest(link.secret_hash, _hash(secret)):
        raise _refused("portal_link_invalid")
    if link.revoked_at is not None:
        raise _refused("portal_link_revoked")
    if link.expires_at <= timezone.now():
        raise _refused("portal_link_expired")
    if link.participant.status != ParticipantStatus.APPROVED:
        raise _refused("portal_link_revoked")
    return PortalActor(link.participant)


@transaction.atomic
def email_portal_link(
    *, actor, participant: Participant, days: int | None = None, via: str = ""
) -> PortalLink:
    """Issue a new link and send it to the participant's primary contact, in their language."""
    contact = (
        ContactPerson.objects.filter(participant=participant)
        .exclude(email="")
        .order_by("-is_primary", "id")
        .first()
    )
    if contact is None:
        raise UserError(
            _("%(name)s has no contact with an email address.") % {"name": participant.name},
            code="no_contact_email",
        )
    link, token = issue_portal_link(actor=actor, participant=participant, days=days, via=via)
    event = participant.event
    with translation.override("zh-hans" if contact.language == "zh" else "en"):
        subject = _("Your personal page for %(event)s") % {"event": event.name}
        body = _(
            "Dear %(name)s,\n\nThis is the personal page of %(participant)s at %(event)s: your "
            "profile, recommended counterparts and meeting requests.\n\n%(url)s\n\nThe link "
            "is yours alone and works until %(expires)s; do not pass it on.\n"
        ) % {
            "name": contact.name,
            "participant": participant.name,
            "event": event.name,
            "url": portal_url(token),
            "expires": timezone.localtime(link.expires_at).strftime("%Y-%m-%d %H:%M"),
        }
    send_mail(subject, body, None, [contact.email])
    return link
