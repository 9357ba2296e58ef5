"""Registering participants: create, change, review (approve, reject, merge), add people."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from investpromo.core.audit import record_change, snapshot
from investpromo.core.errors import Conflict, UserError
from investpromo.geo.models import Region
from investpromo.orgs.services import find_or_create_investor
from investpromo.participants import profile
from investpromo.participants.access import (
    ensure_can_act_for,
    ensure_can_manage_event,
    is_portal,
)
from investpromo.participants.models import (
    OPEN_REQUEST_STATES,
    ContactPerson,
    Participant,
    ParticipantStatus,
)
from investpromo.sectors.models import IndustryCategory, SEIIndustry

# The fields a person may change after registration (the organiser, or the participant
# through its link for the profile part); many-to-many ones are set by their lists.
PROFILE_FIELDS = (
    "offers",
    "seeks",
    "profile_language",
    "sei_industries",
    "industry_classes",
    "regions_of_interest",
    "investment_min",
    "investment_max",
    "investment_currency",
    "investment_text",
    "cooperation_modes",
    "attendance",
)
ORGANISER_FIELDS = ("name", "kind", "side", "region", "source_ref", "is_demo")
EDITABLE_FIELDS = frozenset(PROFILE_FIELDS + ORGANISER_FIELDS)
_MANY = ("sei_industries", "industry_classes", "regions_of_interest")
_LIVE = (ParticipantStatus.PENDING, ParticipantStatus.APPROVED)


def participant_snapshot(participant: Participant) -> dict:
    """The record's fields and its many-to-many lists, for the change log."""
    data = snapshot(participant)
    if participant.pk:
        data["sei_industries"] = sorted(participant.sei_industries.values_list("pk", flat=True))
        data["industry_classes"] = sorted(participant.industry_classes.values_list("pk", flat=True))
        data["regions_of_interest"] = sorted(
            participant.regions_of_interest.values_list("pk", flat=True)
        )
    return data


def _keys(values, model, *, field: str, **conditions) -> list:
    """Primary keys of the given records or codes, each checked to exist (and match)."""
    wanted = [getattr(v, "pk", v) for v in values or []]
    wanted = list(dict.fromkeys(str(v) if model is not SEIIndustry else int(v) for v in wanted))
    found = set(model.objects.filter(pk__in=wanted, **conditions).values_list("pk", flat=True))
    missing = [str(v) for v in wanted if v not in found]
    if missing:
        raise UserError(
            _("Unknown codes in %(field)s: %(codes)s.")
            % {"field": field, "codes": ", ".join(missing)},
            field=field,
            code="unknown_code",
        )
    return wanted


def _clean_many(changes: dict) -> dict:
    many = {}
    if "sei_industries" in changes:
        many["sei_industries"] = _keys(
            changes.pop("sei_industries"), SEIIndustry, field="sei_industries"
        )
    if "industry_classes" in changes:
        many["industry_classes"] = _keys(
            changes.pop("industry_classes"),
            IndustryCategory,
            field="industry_classes",
            level=IndustryCategory.Level.CLASS,
        )
    if "regions_of_interest" in changes:
        many["regions_of_interest"] = _keys(
            changes.pop("regions_of_interest"), Region, field="regions_of_interest"
        )
    return many


def _validate(participant: Participant) -> None:
    participant.name = profile.clean_name(participant.name)
    participant.kind = profile.clean_kind(participant.kind)
    participant.side = profile.clean_side(participant.side)
    participant.profile_language = profile.clean_language(
        participant.profile_language, field="profile_language"
    )
    participant.offers = profile.clean_profile_text(participant.offers, field="offers")
    participant.seeks = profile.clean_profile_text(participant.seeks, field="seeks")
    participant.investment_text = str(participant.investment_text or "").strip()[:200]
    (
        participant.investment_min,
        participant.investment_max,
        participant.investment_currency,
    ) = profile.clean_investment(
        participant.investment_min, participant.investment_max, participant.investment_currency
    )
    participant.cooperation_modes = profile.clean_cooperation_modes(participant.cooperation_modes)
    participant.attendance = profile.clean_attendance(participant.attendance, participant.event)


def _refuse_second_registration(participant: Participant) -> None:
    clash = (
        Participant.objects.filter(
            event_id=participant.event_id,
            organisation_id=participant.organisation_id,
            status__in=_LIVE,
        )
        .exclude(pk=participant.pk)
        .first()
    )
    if clash is not None:
        raise UserError(
            _("%(organisation)s is already registered for this event (participant %(id)s).")
            % {"organisation": participant.organisation.name, "id": clash.pk},
            field="organisation",
            code="already_registered",
        )


@transaction.atomic
def create_participant(
    *,
    actor,
    event,
    name: str,
    side: str,
    organisation=None,
    uscc: str | None = None,
    status: str = ParticipantStatus.APPROVED,
    contacts: list[dict] | None = None,
    via: str = "",
    **fields,
) -> Participant:
    """Register an organisation (found by USCC or name, created if new) at an event.

    Organisers add participants already approved; a registration awaiting review is created
    with status="pending".
    """
    ensure_can_manage_event(actor, event)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise UserError(
            _("Unknown participant fields: %(names)s.") % {"names": ", ".join(sorted(unknown))},
            code="unknown_field",
        )
    if status not in _LIVE:
        raise UserError(
            _("A new participant is pending or approved, not %(status)s.") % {"status": status},
            field="status",
            code="invalid_status",
        )
    name = profile.clean_name(name)
    many = _clean_many(fields)
    if organisation is None:
        organisation, _created = find_or_create_investor(
            actor=actor,
            name=name,
            uscc=uscc,
            home_region=fields.get("region"),
            is_demo=fields.get("is_demo", False),
            via=via,
        )
    participant = Participant(
        event=event,
        organisation=organisation,
        name=name,
        side=side,
        status=status,
        created_by=actor if getattr(actor, "pk", None) else None,
        **fields,
    )
    if participant.region_id is None and organisation.home_region_id:
        participant.region_id = organisation.home_region_id
    _validate(participant)
    _refuse_second_registration(participant)
    participant.save()
    for relation, keys in many.items():
        getattr(participant, relation).set(keys)
    record_change(
        actor=actor,
        instance=participant,
        action="create",
        before=None,
        after=participant_snapshot(participant),
        source=via,
    )
    for contact in contacts or []:
        add_contact(actor=actor, participant=participant, via=via, **contact)
    return participant


def _locked(participant: Participant, expected_version: int | None) -> Participant:
    current = Participant.objects.select_for_update().select_related("event").get(pk=participant.pk)
    if expected_version is not None and current.version != expected_version:
        raise Conflict(
            _(
                "Participant %(id)s was changed by someone else (version %(current)s, you "
                "edited version %(expected)s): reload and try again."
            )
            % {"id": current.pk, "current": current.version, "expected": expected_version},
            code="version_conflict",
        )
    return current


def _save_change(*, actor, participant, current, before, many=None, via) -> Participant:
    for relation, keys in (many or {}).items():
        getattr(current, relation).set(keys)
    after = participant_snapshot(current)
    unchanged = {k: v for k, v in after.items() if k != "version"} == {
        k: v for k, v in before.items() if k != "version"
    }
    if not unchanged:
        current.version += 1
        current.save()
        record_change(
            actor=actor,
            instance=current,
            action="update",
            before=before,
            after=participant_snapshot(current),
            source=via,
        )
    participant.__dict__.update(current.__dict__)
    return current


@transaction.atomic
def update_participant(
    *,
    actor,
    participant: Participant,
    expected_version: int | None = None,
    via: str = "",
    **changes,
) -> Participant:
    """Change a participant's registration or profile, refusing a stale version.

    Through its link a participant changes only its profile (what it offers and seeks, its
    pickers, size, modes and attendance); organisers change everything.
    """
    current = _locked(participant, expected_version)
    ensure_can_act_for(actor, current)
    allowed = EDITABLE_FIELDS if not is_portal(actor) else frozenset(PROFILE_FIELDS)
    unknown = set(changes) - allowed
    if unknown:
        raise UserError(
            _("Cannot change %(names)s of a participant.") % {"names": ", ".join(sorted(unknown))},
            code="field_not_editable",
        )
    before = participant_snapshot(current)
    many = _clean_many(changes)
    for field, value in changes.items():
        setattr(current, field, value)
    _validate(current)
    return _save_change(
        actor=actor, participant=participant, current=current, before=before, many=many, via=via
    )


def _review(*, actor, participant, expected_version, status, via, merged_into=None):
    current = _locked(participant, expected_version)
    ensure_can_manage_event(actor, current.event)
    if current.status not in _LIVE:
        raise UserError(
            _("Participant %(name)s is already %(status)s.")
            % {"name": current.name, "status": current.get_status_display()},
            field="status",
            code="already_reviewed",
        )
    before = participant_snapshot(current)
    current.status = status
    current.merged_into = merged_into
    return _save_change(
        actor=actor, participant=participant, current=current, before=before, via=via
    )


@transaction.atomic
def approve_participant(
    *, actor, participant: Participant, expected_version: int | None = None, via: str = ""
) -> Participant:
    """Accept a pending registration (organisers)."""
    if participant.status == ParticipantStatus.APPROVED:
        ensure_can_manage_event(actor, participant.event)
        return participant
    return _review(
        actor=actor,
        participant=participant,
        expected_version=expected_version,
        status=ParticipantStatus.APPROVED,
        via=via,
    )


def _refuse_open_requests(participant: Participant, what: str) -> None:
    open_requests = participant.requests_sent.filter(state__in=OPEN_REQUEST_STATES).count()
    open_requests += participant.requests_received.filter(state__in=OPEN_REQUEST_STATES).count()
    if open_requests:
        raise UserError(
            _("%(name)s has %(count)s open meeting request(s): cancel them before you %(what)s it.")
            % {"name": participant.name, "count": open_requests, "what": what},
            code="has_open_requests",
        )


@transaction.atomic
def reject_participant(
    *, actor, participant: Participant, expected_version: int | None = None, via: str = ""
) -> Participant:
    """Refuse a registration (organisers); it stays on record, out of every list."""
    _refuse_open_requests(participant, _("reject"))
    return _review(
        actor=actor,
        participant=participant,
        expected_version=expected_version,
        status=ParticipantStatus.REJECTED,
        via=via,
    )


@transaction.atomic
def merge_participant(
    *,
    actor,
    participant: Participant,
    into: Participant,
    expected_version: int | None = None,
    via: str = "",
) -> Participant:
    """Fold a duplicate registration into an existing participant of the same event.

    The duplicate's people who are not already listed move to the survivor; the duplicate
    stays on record as merged.
    """
    if into.pk == participant.pk or into.event_id != participant.event_id:
        raise UserError(
            _("A participant can be merged only into another participant of the same event."),
            field="into",
            code="invalid_merge_target",
        )
    if into.status not in _LIVE:
        raise UserError(
            _("%(name)s is %(status)s: merge into a pending or approved participant.")
            % {"name": into.name, "status": into.get_status_display()},
            field="into",
            code="invalid_merge_target",
        )
    _refuse_open_requests(participant, _("merge"))
    merged = _review(
        actor=actor,
        participant=participant,
        expected_version=expected_version,
        status=ParticipantStatus.MERGED,
        via=via,
        merged_into=into,
    )
    known = {(c.name, c.phone, c.email) for c in ContactPerson.objects.filter(participant=into)}
    for contact in ContactPerson.objects.filter(participant=merged).order_by("id"):
        if (contact.name, contact.phone, contact.email) in known:
            continue
        add_contact(
            actor=actor,
            participant=into,
            name=contact.name,
            title=contact.title,
            phone=contact.phone,
            email=contact.email,
            language=contact.language,
            via=via,
        )
    return merged


def _clean_email(email) -> str:
    email = str(email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise UserError(
                _("%(value)r is not an email address.") % {"value": email},
                field="email",
                code="invalid_email",
            ) from None
    return email


@transaction.atomic
def add_contact(
    *,
    actor,
    participant: Participant,
    name: str,
    title: str = "",
    phone: str = "",
    email: str = "",
    language: str = "zh",
    is_primary: bool | None = None,
    via: str = "",
) -> ContactPerson:
    """Add a person to a participant; the first person is its primary contact."""
    ensure_can_act_for(actor, participant)
    email = _clean_email(email)
    has_primary = ContactPerson.objects.filter(participant=participant, is_primary=True)
    if is_primary is None:
        is_primary = not has_primary.exists()
    if is_primary:
        for previous in has_primary.select_for_update():
            before = snapshot(previous)
            previous.is_primary = False
            previous.save(update_fields=["is_primary"])
            record_change(
                actor=actor,
                instance=previous,
                action="update",
                before=before,
                after=snapshot(previous),
                source=via,
            )
    contact = ContactPerson.objects.create(
        participant=participant,
        name=profile.clean_name(name, limit=100),
        title=str(title or "").strip()[:100],
        phone=str(phone or "").strip()[:40],
        email=email[:254],
        language=profile.clean_language(language),
        is_primary=is_primary,
    )
    record_change(
        actor=actor,
        instance=contact,
        action="create",
        before=None,
        after=snapshot(contact),
        source=via,
    )
    return contact


@transaction.atomic
def update_contact(*, actor, contact: ContactPerson, via: str = "", **changes) -> ContactPerson:
    """Change a person's title, phone, email or language (the name identifies them)."""
    current = ContactPerson.objects.select_for_update().get(pk=contact.pk)
    ensure_can_act_for(actor, current.participant)
    unknown = set(changes) - {"title", "phone", "email", "language"}
    if unknown:
        raise UserError(
            _("Cannot change %(names)s of a contact.") % {"names": ", ".join(sorted(unknown))},
            code="field_not_editable",
        )
    before = snapshot(current)
    if "email" in changes:
        changes["email"] = _clean_email(changes["email"])
    if "language" in changes:
        changes["language"] = profile.clean_language(changes["language"])
    for name in ("title", "phone"):
        if name in changes:
            changes[name] = str(changes[name] or "").strip()[: 100 if name == "title" else 40]
    for name, value in changes.items():
        setattr(current, name, value)
    after = snapshot(current)
    if after != before:
        current.save()
        record_change(
            actor=actor, instance=current, action="update", before=before, after=after, source=via
        )
    contact.__dict__.update(current.__dict__)
    return current
