"""Writing one project at a time (forms, the API, the admin): create, update, delete."""

import datetime as dt
import math
import re
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from investpromo.accounts.permissions import ensure_can_write_projects_in
from investpromo.core.audit import delete_and_record, record_change, snapshot
from investpromo.core.errors import Conflict, UserError
from investpromo.core.text import normalize_key, normalize_text
from investpromo.geo.models import Region
from investpromo.projects.models import Project
from investpromo.projects.money import (
    MAX_SIGNIFICANT_DIGITS,
    MAX_VALUE_CNY,
    significant_digits,
    written_amount,
)
from investpromo.projects.rates import RateBook, normalize_currency

# The fields a person may type (forms, the API, the admin), in the order forms show them.
# Not among them: value_text (the value as a signing list wrote it: what the importer read,
# else written from the value), source_ref (the file row an import read) and is_demo (the
# demo loader's mark); a typed value that says otherwise would be shown as the source's word.
PROJECT_FIELDS = (
    "event",
    "name",
    "investor",
    "origin_region",
    "destination_region",
    "signing_date",
    "agreement_type",
    "contract_value",
    "currency",
    "value_approximate",
    "sei_status",
    "sei_industry",
    "industry_class",
    "industry_text",
    "notes",
    "extra",
)
EDITABLE_FIELDS = frozenset(PROJECT_FIELDS)
_VALUE_FIELDS = ("contract_value", "currency", "value_approximate")

# What `extra` (the columns a signing list had beyond ours) may hold when typed: a flat map of
# short names to short texts or numbers, so every export can write it as columns of cells.
MAX_EXTRA_KEYS = 50
MAX_EXTRA_KEY_CHARS = 100
MAX_EXTRA_VALUE_CHARS = 1000
# Text no export or API answer could carry: a lone surrogate has no UTF-8 (a JSON body can
# still send one as an escape) and PostgreSQL's jsonb refuses NUL. Stored on SQLite, one such
# value made every export and the API's project list fail.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


# Computed once: the enum's .values builds a new list on every access, and imports ask per row.
_AGREEMENT_TYPES = frozenset(Project.AgreementType.values)
_SEI_STATUSES = frozenset(Project.SEIStatus.values)


def conversion_date(project: Project) -> dt.date | None:
    """The date a project's value is converted at: its signing date, else its event's start."""
    if project.signing_date:
        return project.signing_date
    if project.event_id:
        return project.event.start_date
    return None


def validate_and_convert(project: Project, *, rates: RateBook | None = None) -> Project:
    """Check a project's fields and set its CNY value at the dated rate (raises UserError)."""
    project.name = normalize_text(project.name)
    if not project.name:
        raise UserError("a project needs a name", field="name")
    if len(project.name) > 300:
        raise UserError("a project name may have at most 300 characters", field="name")
    project.normalized_name = normalize_key(project.name)
    if project.investor_id is None:
        raise UserError("a project needs an investor", field="investor")
    destination = project.destination_region
    if destination is None:
        raise UserError("a project needs a destination region", field="destination_region")
    if destination.level == Region.Level.PROVINCE and not destination.acts_as_prefecture:
        raise UserError(
            f"the destination {destination.name} is a province: give the city or county",
            field="destination_region",
        )
    if project.agreement_type not in _AGREEMENT_TYPES:
        raise UserError(
            f"unknown agreement type {project.agreement_type!r}", field="agreement_type"
        )
    if project.sei_status not in _SEI_STATUSES:
        raise UserError(f"unknown SEI status {project.sei_status!r}", field="sei_status")
    if project.sei_industry_id is not None:
        project.sei_status = Project.SEIStatus.SEI
    elif project.sei_status == Project.SEIStatus.SEI:
        raise UserError(
            "an SEI project needs its industry (1-9), or use 'SEI, unspecified'",
            field="sei_industry",
        )
    if project.industry_class_id is not None and project.industry_class.level != 4:
        raise UserError(
            "the industry code must be a GB/T 4754 class (4 digits)", field="industry_class"
        )
    value = project.contract_value
    if not isinstance(value, Decimal):
        raise UserError("the contract value must be an exact decimal", field="contract_value")
    if not value.is_finite() or value <= 0:
        raise UserError(f"the contract value must be positive, not {value}", field="contract_value")
    if significant_digits(value) > MAX_SIGNIFICANT_DIGITS:
        raise UserError(
            f"the contract value {value} has more than {MAX_SIGNIFICANT_DIGITS} significant "
            "digits, more than can be kept exactly",
            field="contract_value",
        )
    project.currency = normalize_currency(project.currency)
    on = conversion_date(project)
    if project.currency != "CNY" and on is None:
        raise UserError(
            f"a {project.currency} value needs a signing date or an event to date its conversion",
            field="signing_date",
        )
    book = rates if rates is not None else RateBook()
    try:
        project.value_cny, project.rate_date, project.rate_cny_per_unit = book.to_cny(
            value, project.currency, on
        )
    except UserError as error:
        error.field = "currency"
        raise
    # Beyond 10 trillion yuan the fen no longer survive SQLite's floats (see projects.money).
    if project.value_cny >= MAX_VALUE_CNY:
        raise UserError(
            f"the value is {project.value_cny} yuan: too large to record (at most 10 trillion)",
            field="contract_value",
        )
    if not project.value_text:
        project.value_text = written_amount(
            value, project.currency, approximate=project.value_approximate
        )
    return project


def check_extra(extra) -> dict:
    """Refuse typed extra attributes that are not a flat map of short names to short values."""
    if extra is None:
        return {}
    if not isinstance(extra, dict):
        raise _extra_error(
            "extra_not_a_map", _("The extra attributes must be a map of names to values.")
        )
    if len(extra) > MAX_EXTRA_KEYS:
        raise _extra_error(
            "extra_too_many",
            _("At most %(max)d extra attributes, not %(count)d.")
            % {"max": MAX_EXTRA_KEYS, "count": len(extra)},
        )
    for name, value in extra.items():
        if (
            not isinstance(name, str)
            or not name.strip()
            or len(name) > MAX_EXTRA_KEY_CHARS
            or _UNSTORABLE.search(name)
        ):
            raise _extra_error(
                "extra_bad_name",
                _("An extra attribute's name must be text of 1 to %(max)d characters.")
                % {"max": MAX_EXTRA_KEY_CHARS},
            )
        plain = isinstance(value, str | int) or (isinstance(value, float) and math.isfinite(value))
        if (
            not plain
            or isinstance(value, bool)
            or (isinstance(value, str) and _UNSTORABLE.search(value))
        ):
            raise _extra_error(
                "extra_bad_value",
                _("The extra attribute “%(name)s” must be a text or a number.") % {"name": name},
            )
        if isinstance(value, str) and len(value) > MAX_EXTRA_VALUE_CHARS:
            raise _extra_error(
                "extra_value_too_long",
                _("The extra attribute “%(name)s” may have at most %(max)d characters.")
                % {"name": name, "max": MAX_EXTRA_VALUE_CHARS},
            )
    return extra


def _extra_error(code: str, message: str) -> UserError:
    return UserError(message, field="extra", code=code)


def refuse_duplicate(project: Project) -> None:
    """Refuse a project whose event already has one of the same identity (see Project)."""
    if project.event_id is None:
        return
    clash = (
        Project.objects.filter(
            event_id=project.event_id,
            normalized_name=project.normalized_name,
            investor_key=project.investor_key,
        )
        .exclude(pk=project.pk)
        .select_related("investor")
        .first()
    )
    if clash is not None:
        raise UserError(
            f"the event already has the project {clash.name} of {clash.investor.name} "
            f"(#{clash.pk}): a project is recorded once per event",
            field="name",
        )


@transaction.atomic
def create_project(
    *,
    actor,
    name: str,
    investor,
    destination_region: Region,
    contract_value: Decimal,
    currency: str = "CNY",
    value_text: str = "",
    value_approximate: bool = False,
    event=None,
    origin_region: Region | None = None,
    signing_date: dt.date | None = None,
    agreement_type: str = Project.AgreementType.UNSPECIFIED,
    sei_status: str = Project.SEIStatus.NOT_SEI,
    sei_industry=None,
    industry_class=None,
    industry_text: str = "",
    notes: str = "",
    extra: dict | None = None,
    co_investors=(),
    # What the demo loader (and tests standing for an import) set; typed entries leave them.
    source_ref: str = "",
    is_demo: bool = False,
    via: str = "",
    rates: RateBook | None = None,
) -> Project:
    """Validate, convert to CNY at the dated rate, save and audit one project."""
    ensure_can_write_projects_in(actor, destination_region)
    extra = check_extra(extra)
    project = Project(
        name=name,
        investor=investor,
        destination_region=destination_region,
        contract_value=contract_value,
        currency=currency,
        value_text=value_text,
        value_approximate=value_approximate,
        event=event,
        origin_region=origin_region,
        signing_date=signing_date,
        agreement_type=agreement_type,
        sei_status=sei_status,
        sei_industry=sei_industry,
        industry_class=industry_class,
        industry_text=industry_text,
        notes=notes,
        extra=extra or {},
        source_ref=source_ref,
        is_demo=is_demo,
    )
    validate_and_convert(project, rates=rates)
    project.investor_key = investor.normalized_name
    refuse_duplicate(project)
    project.save()
    if co_investors:
        project.co_investors.set(co_investors)
    after = snapshot(project)
    after["co_investor_ids"] = sorted(o.pk for o in co_investors)
    record_change(
        actor=actor, instance=project, action="create", before=None, after=after, source=via
    )
    return project


@transaction.atomic
def update_project(
    *,
    actor,
    project: Project,
    expected_version: int | None = None,
    via: str = "",
    rates: RateBook | None = None,
    **changes,
) -> Project:
    """Apply changes to a project (re-converting its value), refusing a stale version."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise UserError(f"cannot change {', '.join(sorted(unknown))} of a project")
    current = Project.objects.select_for_update().get(pk=project.pk)
    ensure_can_write_projects_in(
        actor, current.destination_region, changes.get("destination_region")
    )
    if expected_version is not None and current.version != expected_version:
        raise Conflict(
            f"project {project.pk} was changed by someone else (version {current.version}, "
            f"you edited version {expected_version}): reload and try again"
        )
    if "extra" in changes:
        changes["extra"] = check_extra(changes["extra"])
    before = snapshot(current)
    value_before = [getattr(current, field) for field in _VALUE_FIELDS]
    for field, value in changes.items():
        setattr(current, field, value)
    validate_and_convert(current, rates=rates)
    if [getattr(current, field) for field in _VALUE_FIELDS] != value_before:
        # The value as written no longer says the value: it is written from the typed one.
        current.value_text = written_amount(
            current.contract_value, current.currency, approximate=current.value_approximate
        )
    if "investor" in changes:
        current.investor_key = current.investor.normalized_name
    if changes.keys() & {"name", "investor", "event"}:
        refuse_duplicate(current)
    after = snapshot(current)
    if {k: v for k, v in after.items() if k != "version"} == {
        k: v for k, v in before.items() if k != "version"
    }:
        return current
    current.version += 1
    current.save()
    record_change(
        actor=actor,
        instance=current,
        action="update",
        before=before,
        after=snapshot(current),
        source=via,
    )
    project.__dict__.update(current.__dict__)
    return current


@transaction.atomic
def delete_project(
    *, actor, project: Project, expected_version: int | None = None, via: str = ""
) -> None:
    """Delete a project; its change log keeps what it was."""
    current = Project.objects.select_for_update().get(pk=project.pk)
    ensure_can_write_projects_in(actor, current.destination_region)
    if expected_version is not None and current.version != expected_version:
        raise Conflict(f"project {project.pk} was changed by someone else: reload and try again")
    if current.progress_steps.exists():
        # Its follow-through is part of published figures: the way out is a 'terminated' step.
        raise UserError(
            f"project {project.pk} has recorded progress and cannot be deleted: "
            "record it as terminated instead"
        )
    delete_and_record(actor=actor, instance=current, via=via)
