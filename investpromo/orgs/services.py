"""Writing organisations; every change is audited."""

from django.db import transaction
from django.db.models import Exists, OuterRef

from investpromo.accounts.permissions import ensure_can_write_organisations
from investpromo.core.audit import (
    delete_and_record,
    record_change,
    save_and_record_update,
    snapshot,
)
from investpromo.core.errors import UserError
from investpromo.core.text import normalize_key, normalize_text
from investpromo.orgs.models import Organisation
from investpromo.orgs.uscc import validate_uscc

_EDITABLE = {"name", "aliases", "uscc", "home_region", "kind", "is_demo"}


def _clean_name(name: str) -> str:
    cleaned = normalize_text(name)
    if not cleaned:
        raise UserError("an organisation needs a name", field="name")
    if len(cleaned) > 200:
        raise UserError("an organisation name may have at most 200 characters", field="name")
    return cleaned


def _clean_uscc(uscc: str | None, *, exclude_pk=None) -> str | None:
    if uscc is None or not str(uscc).strip():
        return None
    code = validate_uscc(uscc)
    clash = Organisation.objects.filter(uscc=code).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise UserError(f"USCC {code} already belongs to {clash.name}", field="uscc")
    return code


@transaction.atomic
def create_organisation(
    *,
    actor,
    name: str,
    uscc: str | None = None,
    aliases: list[str] | None = None,
    home_region=None,
    kind: str = Organisation.Kind.ENTERPRISE,
    is_demo: bool = False,
    via: str = "",
) -> Organisation:
    """Create an organisation after validating its name and USCC."""
    ensure_can_write_organisations(actor)
    name = _clean_name(name)
    if kind not in Organisation.Kind.values:
        raise UserError(f"unknown organisation type {kind!r}", field="kind")
    organisation = Organisation.objects.create(
        name=name,
        normalized_name=normalize_key(name),
        uscc=_clean_uscc(uscc),
        aliases=[normalize_text(a) for a in aliases or [] if normalize_text(a)],
        home_region=home_region,
        kind=kind,
        is_demo=is_demo,
    )
    record_change(
        actor=actor,
        instance=organisation,
        action="create",
        before=None,
        after=snapshot(organisation),
        source=via,
    )
    return organisation


@transaction.atomic
def update_organisation(
    *, actor, organisation: Organisation, via: str = "", **changes
) -> Organisation:
    """Change an organisation's fields; a rename keeps the old name as an alias."""
    ensure_can_write_organisations(actor)
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise UserError(f"cannot change {', '.join(sorted(unknown))} of an organisation")
    before = snapshot(organisation)
    if "name" in changes:
        new_name = _clean_name(changes.pop("name"))
        if new_name != organisation.name and organisation.name not in organisation.aliases:
            organisation.aliases = [*organisation.aliases, organisation.name]
        organisation.name = new_name
        if normalize_key(new_name) != organisation.normalized_name:
            organisation.normalized_name = normalize_key(new_name)
            _rekey_projects(organisation)
    if "uscc" in changes:
        organisation.uscc = _clean_uscc(changes.pop("uscc"), exclude_pk=organisation.pk)
    if "kind" in changes and changes["kind"] not in Organisation.Kind.values:
        raise UserError(f"unknown organisation type {changes['kind']!r}", field="kind")
    for field, value in changes.items():
        setattr(organisation, field, value)
    save_and_record_update(actor=actor, instance=organisation, before=before, via=via)
    return organisation


def _rekey_projects(organisation: Organisation) -> None:
    """Keep the investor key of the organisation's projects its normalised name (see Project)."""
    # Through the reverse relation: organisations sit below projects and do not import them.
    projects = organisation.projects
    clash = (
        projects.model.objects.filter(
            investor_key=organisation.normalized_name,
            event__isnull=False,
        )
        .exclude(investor=organisation)
        .filter(
            Exists(
                projects.filter(
                    event=OuterRef("event"), normalized_name=OuterRef("normalized_name")
                )
            )
        )
        .select_related("event", "investor")
        .first()
    )
    if clash is not None:
        raise UserError(
            f"event {clash.event.slug} has a project {clash.name} of {organisation.name} and one "
            f"of {clash.investor.name} (#{clash.pk}): with the new name they would be the same "
            "project; rename one of the projects first",
            field="name",
        )
    projects.update(investor_key=organisation.normalized_name)


@transaction.atomic
def delete_organisation(*, actor, organisation: Organisation, via: str = "") -> None:
    """Delete an organisation that no project refers to."""
    ensure_can_write_organisations(actor)
    if organisation.projects.exists() or organisation.co_invested_projects.exists():
        raise UserError(f"{organisation.name} is an investor in projects and cannot be deleted")
    delete_and_record(actor=actor, instance=organisation, via=via)


def find_or_create_investor(
    *,
    actor,
    name: str,
    uscc: str | None = None,
    home_region=None,
    is_demo: bool = False,
    via: str = "",
) -> tuple[Organisation, bool]:
    """The organisation with this USCC (or, without one, this normalised name), created if new."""
    code = validate_uscc(uscc) if uscc and str(uscc).strip() else None
    if code:
        existing = Organisation.objects.filter(uscc=code).first()
        if existing is not None:
            return existing, False
    else:
        existing = (
            Organisation.objects.filter(normalized_name=normalize_key(name)).order_by("id").first()
        )
        if existing is not None:
            return existing, False
    return (
        create_organisation(
            actor=actor, name=name, uscc=code, home_region=home_region, is_demo=is_demo, via=via
        ),
        True,
    )
