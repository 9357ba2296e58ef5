"""Who organises an event, and the event's limits on meeting requests."""

from django.db import transaction
from django.utils.translation import gettext as _

from investpromo.accounts.permissions import Role, ensure_administrator, role_of
from investpromo.core.audit import delete_and_record, record_change, snapshot
from investpromo.core.errors import UserError
from investpromo.participants.access import ensure_can_manage_event
from investpromo.participants.models import EventOrganiser, MeetingRules

_RULE_FIELDS = ("max_requests_sent", "max_requests_received", "portal_link_days")


@transaction.atomic
def assign_organiser(*, actor, event, user, via: str = "") -> EventOrganiser:
    """Make a user an organiser of one event (administrators only; idempotent)."""
    ensure_administrator(actor, "event organisers")
    # Organisers add organisations to the shared register: a read-only account cannot.
    if role_of(user) not in (Role.ADMINISTRATOR, Role.OFFICER):
        raise UserError(
            _("%(user)s has a read-only account and cannot organise an event.")
            % {"user": user.get_username()},
            field="user",
            code="organiser_read_only",
        )
    organiser = EventOrganiser.objects.filter(event=event, user=user).first()
    if organiser is None:
        organiser = EventOrganiser.objects.create(event=event, user=user)
        record_change(
            actor=actor,
            instance=organiser,
            action="create",
            before=None,
            after=snapshot(organiser),
            source=via,
        )
    return organiser


@transaction.atomic
def remove_organiser(*, actor, event, user, via: str = "") -> None:
    """End a user's role as organiser of an event (administrators only)."""
    ensure_administrator(actor, "event organisers")
    organiser = EventOrganiser.objects.filter(event=event, user=user).first()
    if organiser is not None:
        delete_and_record(actor=actor, instance=organiser, via=via)


def rules_for(event) -> MeetingRules:
    """The event's rules, or the defaults (unsaved) when none were set."""
    return MeetingRules.objects.filter(event=event).first() or MeetingRules(event=event)


@transaction.atomic
def set_meeting_rules(*, actor, event, via: str = "", **limits) -> MeetingRules:
    """Set an event's request limits and portal link lifetime (organisers)."""
    ensure_can_manage_event(actor, event)
    unknown = set(limits) - set(_RULE_FIELDS)
    if unknown:
        raise UserError(
            _("Unknown meeting rules: %(names)s.") % {"names": ", ".join(sorted(unknown))},
            code="unknown_field",
        )
    for name, value in limits.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10_000:
            raise UserError(
                _("%(name)s must be a whole number from 0 to 10000.") % {"name": name},
                field=name,
                code="invalid_limit",
            )
    if limits.get("portal_link_days") == 0:
        raise UserError(
            _("A portal link must last at least one day."),
            field="portal_link_days",
            code="invalid_limit",
        )
    rules = MeetingRules.objects.select_for_update().filter(event=event).first()
    before = snapshot(rules) if rules else None
    rules = rules or MeetingRules(event=event)
    for name, value in limits.items():
        setattr(rules, name, value)
    rules.save()
    record_change(
        actor=actor,
        instance=rules,
        action="update" if before else "create",
        before=before,
        after=snapshot(rules),
        source=via,
    )
    return rules
