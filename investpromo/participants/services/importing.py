"""Writing a participant list's rows: every row registered or updated, or none at all."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from investpromo.core.errors import UserError
from investpromo.core.text import normalize_key
from investpromo.orgs.models import Organisation
from investpromo.participants.access import ensure_can_manage_event
from investpromo.participants.models import ContactPerson, Participant, ParticipantStatus
from investpromo.participants.services.registrations import (
    add_contact,
    create_participant,
    update_contact,
    update_participant,
)

# The participant fields each column of a list sets; a re-import changes only its columns.
_COLUMN_FIELDS = {
    "name": ("name",),
    "side": ("side",),
    "kind": ("kind",),
    "region": ("region",),
    "offers": ("offers", "profile_language"),
    "seeks": ("seeks", "profile_language"),
    "sei": ("sei_industries",),
    "industry_code": ("industry_classes",),
    "regions_of_interest": ("regions_of_interest",),
    "investment": ("investment_min", "investment_max", "investment_currency", "investment_text"),
    "cooperation": ("cooperation_modes",),
    "attendance": ("attendance",),
}
_LIVE = (ParticipantStatus.PENDING, ParticipantStatus.APPROVED)


@dataclass
class ImportOutcome:
    """What an import wrote (or, when it rolled back, would have written)."""

    written: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organisations_created: int = 0
    contacts_added: int = 0


def _registered(event, row) -> Participant | None:
    """The event's live participant the row names: by USCC, else by name."""
    live = Participant.objects.filter(event=event, status__in=_LIVE).select_related("event")
    if row.uscc:
        found = live.filter(organisation__uscc=row.uscc).first()
        if found is not None:
            return found
    return (
        live.filter(Q(organisation__normalized_name=normalize_key(row.name)) | Q(name=row.name))
        .order_by("id")
        .first()
    )


def _fields(row) -> dict:
    fields = {}
    for column, names in _COLUMN_FIELDS.items():
        if column in row.given:
            fields.update({name: getattr(row, name) for name in names})
    return fields


def _contact(*, actor, participant, row, via, outcome) -> bool:
    """Add the row's person, or bring their details up to date; whether anything changed."""
    if not row.contact:
        return False
    wanted = {k: v for k, v in row.contact.items() if k != "name"}
    known = next(
        (
            c
            for c in ContactPerson.objects.filter(participant=participant)
            if normalize_key(c.name) == normalize_key(row.contact["name"])
        ),
        None,
    )
    if known is None:
        add_contact(actor=actor, participant=participant, via=via, **row.contact)
        outcome.contacts_added += 1
        return True
    changes = {k: v for k, v in wanted.items() if getattr(known, k) != v}
    if changes:
        update_contact(actor=actor, contact=known, via=via, **changes)
    return bool(changes)


def _apply(*, actor, event, row, file_name, via, outcome) -> None:
    fields = _fields(row)
    participant = _registered(event, row)
    if participant is None:
        participant = create_participant(
            actor=actor,
            event=event,
            uscc=row.uscc,
            source_ref=f"{file_name}!{row.sheet}!{row.number}"[:300],
            via=via,
            **fields,
        )
        _contact(actor=actor, participant=participant, row=row, via=via, outcome=outcome)
        outcome.created += 1
        return
    version = participant.version
    update_participant(actor=actor, participant=participant, via=via, **fields)
    contact_changed = _contact(
        actor=actor, participant=participant, row=row, via=via, outcome=outcome
    )
    if participant.version != version or contact_changed:
        outcome.updated += 1
    else:
        outcome.unchanged += 1


@transaction.atomic
def import_participants(
    *, actor, event, rows, checked, dry_run: bool = False, file_name: str = "", via: str = ""
) -> ImportOutcome:
    """Register or update every row's participant; any invalid row (or a dry run) writes nothing.

    A row names its participant by USCC, else by name; a known participant is updated in the
    columns the list has, a new one is registered approved (its organisation found or created).
    Problems the services find are put on the row's column; `checked` counts the rows.
    """
    ensure_can_manage_event(actor, event)
    rows = list(rows)
    outcome = ImportOutcome()
    organisations_before = Organisation.objects.count()
    start = transaction.savepoint()
    failed = False
    for row in rows:
        if row.errors:
            failed = True
            continue
        try:
            # Each row in its own savepoint: a refused row leaves the others' work usable.
            with transaction.atomic():
                _apply(
                    actor=actor, event=event, row=row, file_name=file_name, via=via, outcome=outcome
                )
        except UserError as error:
            row.reject(error.field, str(error))
            failed = True
    outcome.organisations_created = Organisation.objects.count() - organisations_before
    if failed or dry_run:
        transaction.savepoint_rollback(start)
    else:
        transaction.savepoint_commit(start)
        outcome.written = True
    checked(rows)
    return outcome
