"""Writing events and their participants; every change is audited."""

import datetime as dt
import re

from django.db import models, transaction
from django.utils.text import get_text_list, slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from investpromo.accounts.permissions import ensure_administrator
from investpromo.core.audit import (
    delete_and_record,
    record_change,
    record_deletion,
    save_and_record_update,
    snapshot,
)
from investpromo.core.errors import UserError
from investpromo.events.models import Event, Participant

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Paths of the web's event pages that a slug would shadow (/events/new/).
RESERVED_SLUGS = {"new"}
_EDITABLE = {
    "name",
    "name_en",
    "start_date",
    "end_date",
    "host_region",
    "organiser",
    "description",
    "source",
    "is_demo",
}


def _check(*, slug: str, name: str, start_date: dt.date, end_date: dt.date) -> None:
    if not _SLUG.match(slug or "") or len(slug) > 80:
        raise UserError(
            f"event slug {slug!r} must be lower-case letters, digits and single hyphens "
            "(e.g. hlj-industry-transfer-2024)",
            field="slug",
        )
    if slug in RESERVED_SLUGS:
        raise UserError(
            _("%(slug)s is reserved for a page of the site: choose another short name.")
            % {"slug": slug},
            field="slug",
            code="slug_reserved",
        )
    if not (name or "").strip():
        raise UserError("an event needs a name", field="name")
    if end_date < start_date:
        raise UserError(
            f"the event ends ({end_date.isoformat()}) before it starts ({start_date.isoformat()})",
            field="end_date",
        )


def free_slug(*, name_en: str, host_region, start_date: dt.date) -> str:
    """A slug no event has yet: the English name (or the host region's code) and the year."""
    base = re.sub(r"[-_]+", "-", slugify(name_en or "")).strip("-")[:60].strip("-")
    base = base or f"event-{host_region.code}"
    if str(start_date.year) not in base:
        base = f"{base}-{start_date.year}"
    taken = set(Event.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken or slug in RESERVED_SLUGS:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def create_event(
    *,
    actor,
    slug: str,
    name: str,
    start_date: dt.date,
    host_region,
    end_date: dt.date | None = None,
    name_en: str = "",
    organiser: str = "",
    description: str = "",
    source: str = "",
    is_demo: bool = False,
    via: str = "",
) -> Event:
    """Create a promotion event; the slug is its permanent identifier (made up when empty)."""
    ensure_administrator(actor, "events")
    end_date = end_date or start_date
    slug = (slug or "").strip() or free_slug(
        name_en=name_en, host_region=host_region, start_date=start_date
    )
    _check(slug=slug, name=name, start_date=start_date, end_date=end_date)
    if Event.objects.filter(slug=slug).exists():
        raise UserError(f"an event with slug {slug!r} already exists", field="slug")
    event = Event.objects.create(
        slug=slug,
        name=name.strip(),
        name_en=name_en.strip(),
        start_date=start_date,
        end_date=end_date,
        host_region=host_region,
        organiser=organiser.strip(),
        description=description,
        source=source,
        is_demo=is_demo,
    )
    record_change(
        actor=actor, instance=event, action="create", before=None, after=snapshot(event), source=via
    )
    return event


@transaction.atomic
def update_event(*, actor, event: Event, via: str = "", **changes) -> Event:
    """Change an event's fields (not its slug)."""
    ensure_administrator(actor, "events")
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise UserError(f"cannot change {', '.join(sorted(unknown))} of an event")
    if "start_date" in changes and changes["start_date"] != event.start_date:
        # Such projects are converted to CNY at the event's start: moving it would leave their
        # CNY values at the old date's rate.
        undated = event.projects.filter(signing_date__isnull=True).exclude(currency="CNY").count()
        if undated:
            raise UserError(
                f"{undated} foreign-currency projects of {event.slug} have no signing date and are "
                "converted at the event's start date: give them signing dates before moving it",
                field="start_date",
            )
    before = snapshot(event)
    for field, value in changes.items():
        setattr(event, field, value)
    _check(slug=event.slug, name=event.name, start_date=event.start_date, end_date=event.end_date)
    save_and_record_update(actor=actor, instance=event, before=before, via=via)
    return event


# How a record that keeps an event from being deleted is counted, by model (no import of the
# apps above this one: they are found through the event's protected relations).
_RECORDS_LEFT = {
    "projects.project": lambda n: ngettext("%(count)d project", "%(count)d projects", n),
    "jobs.job": lambda n: ngettext("%(count)d upload", "%(count)d uploads", n),
    "followup.snapshot": lambda n: ngettext(
        "%(count)d published snapshot", "%(count)d published snapshots", n
    ),
}


def records_left(event: Event) -> list[str]:
    """The records that still point at an event, counted in words ("3 projects")."""
    left = []
    # Hidden relations too: uploads point at their event without a reverse accessor.
    for relation in Event._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and relation.is_relation and not relation.concrete):
            continue
        if relation.on_delete is not models.PROTECT:
            continue
        count = relation.related_model._base_manager.filter(**{relation.field.name: event}).count()
        if count:
            words = _RECORDS_LEFT.get(relation.related_model._meta.label_lower)
            left.append(
                words(count) % {"count": count}
                if words
                else f"{count} {relation.related_model._meta.verbose_name_plural}"
            )
    return left


@transaction.atomic
def delete_event(*, actor, event: Event, via: str = "") -> None:
    """Delete an event with nothing left in it; its projects, uploads and snapshots go first."""
    ensure_administrator(actor, "events")
    event = Event.objects.select_for_update().get(pk=event.pk)
    left = records_left(event)
    if left:
        # Never deleted along with the event: each is removed through its own service, which
        # logs it (and takes its files with it).
        raise UserError(
            _("Event %(slug)s still has %(records)s: remove them first.")
            # Django's own catalogue words the list ("1 project, 2 uploads and 1 snapshot").
            % {"slug": event.slug, "records": get_text_list(left, _("and"))},
            code="event_has_records",
        )
    for participant in event.participants.all():  # deleted with the event
        record_deletion(actor=actor, instance=participant, via=via)
    delete_and_record(actor=actor, instance=event, via=via)


@transaction.atomic
def add_participant(
    *, actor, event: Event, organisation, role: str = "", via: str = ""
) -> Participant:
    """Record that an organisation took part in an event (idempotent)."""
    ensure_administrator(actor, "events")
    participant, created = Participant.objects.get_or_create(
        event=event, organisation=organisation, defaults={"role": role}
    )
    if created:
        record_change(
            actor=actor,
            instance=participant,
            action="create",
            before=None,
            after=snapshot(participant),
            source=via,
        )
    return participant
