"""Matching imported rows to an event's ledger: create, update, unchanged or a row problem.

A read: nothing here writes. The import service (projects.services.importing) asks the
matcher for a plan a batch at a time and writes it. Each batch costs a fixed handful of
queries (the organisations it names, the projects it updates), never one per row; every
project is checked by validate_and_convert, the single-project rules, with one RateBook.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.utils import timezone

from investpromo.accounts.permissions import ensure_can_write_projects_in
from investpromo.core import bulk
from investpromo.core.audit import snapshot
from investpromo.core.errors import UserError
from investpromo.geo.models import Region
from investpromo.geo.resolver import resolve_region
from investpromo.orgs.services import Investor, InvestorBook
from investpromo.projects.models import Project
from investpromo.projects.rates import RateBook
from investpromo.projects.services.editing import validate_and_convert
from investpromo.sectors.selectors import resolve_industry_class

# validate_and_convert only asks whether a project has an investor; a new investor gets its
# id when it is written, after the rows that need it have passed.
_PENDING_INVESTOR = 0
# Left out when deciding "unchanged": the same rows from a renamed or reordered file are.
_NOT_COMPARED = {"version", "source_ref", "created_at", "updated_at"}
_ATTNAMES = [f.attname for f in Project._meta.concrete_fields]
_COMPARED = [name for name in _ATTNAMES if name not in _NOT_COMPARED]
_EVENT_CACHE, _DESTINATION_CACHE, _INDUSTRY_CACHE = (
    Project._meta.get_field(name).cache_name
    for name in ("event", "destination_region", "industry_class")
)


class Amount(Protocol):
    value: Decimal
    currency: str
    approximate: bool


class ProjectRow(Protocol):
    """A signing-list row as the import pipeline hands it over: parsed, with its problems."""

    sheet: str
    number: int
    name: str
    # normalize_key of the name and of the investor as written.
    name_key: str
    investor: str
    investor_key: str
    uscc: str | None
    destination: Region | None
    origin: Region | None
    amount: Amount | None
    value_text: str
    signing_date: object
    agreement_type: str
    sei_status: str
    sei_code: int | None
    # "derived" (from the industry class), "unknown" (blank, not derivable) or "" (given).
    sei_source: str
    industry_class: object
    industry_text: str
    notes: str
    extra: dict
    # Problems so far (any: the row is rejected).
    errors: list
    # The optional fields the row's sheet has a column for; the others keep what is stored.
    given: frozenset[str]
    # The labels of the sheet's unknown columns (kept in `extra`).
    extra_columns: list[str]

    def reject(self, field: str | None, message: str) -> None: ...
    def warn(self, field: str | None, message: str) -> None: ...


@dataclass
class ImportOutcome:
    """What an import's rows came to (or, in a dry run, would come to)."""

    written: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    organisations_created: int = 0
    sei_derived: int = 0
    sei_unknown: int = 0
    added_value_cny: Decimal = Decimal("0.00")
    updated_value_change_cny: Decimal = Decimal("0.00")
    # The first PREVIEW_ROWS rows as an official checks them before confirming (see plan()).
    preview: list[dict] = field(default_factory=list)


# Rows kept for the import preview; the counts cover every row.
PREVIEW_ROWS = 2000


@dataclass
class Plan:
    """What a batch will write: new projects (with their investors) and updated ones."""

    creates: list[tuple[Project, Investor]] = field(default_factory=list)
    updates: list[tuple[Project, dict]] = field(default_factory=list)


class LedgerMatcher:
    """Decides create / update / unchanged / row problem for each row of one import."""

    def __init__(self, *, event, scope_actors: list, source_file: str, rates: RateBook):
        self.event, self.scope_actors, self.file_name = event, scope_actors, source_file
        self.rates = rates
        self.investors = InvestorBook()
        self.counts = ImportOutcome()
        # The event's projects by the import's identity: (USCC, name) for rows that give a
        # USCC, else (investor key, name) — the database's identity (see Project).
        self.by_uscc: dict[tuple[str, str], int] = {}
        self.by_name: dict[tuple[str, str], int] = {}
        existing = (
            Project.objects.filter(event=event)
            .order_by("id")
            .values_list("id", "normalized_name", "investor__uscc", "investor_key")
        )
        for pk, project_key, uscc, investor_key in existing.iterator(chunk_size=5000):
            if uscc:
                self.by_uscc.setdefault((uscc, project_key), pk)
            self.by_name.setdefault((investor_key, project_key), pk)
        # (investor key, name) of the projects this import creates, and where each row is
        # (sheet, row number: not the row, whose cells need not stay in memory).
        self.new_keys: dict[tuple[str, str], tuple[str, int]] = {}
        self.matched: dict[int, tuple[str, int]] = {}
        self.allowed: dict[str, str | None] = {}

    def plan(self, rows: list[ProjectRow], *, lock: bool) -> Plan:
        """Classify a batch (row problems go to the rows); lock: the projects it will update."""
        counts = self.counts
        self.investors.load((row.uscc, row.investor_key) for row in rows if not row.errors)
        pks = [pk for row in rows if not row.errors and (pk := self._existing_pk(row))]
        current = {}
        if pks:
            query = Project.objects.filter(pk__in=pks)
            if lock:
                query = query.select_for_update()
            # Values, not model instances: most re-imported rows turn out unchanged.
            db = query.db
            for data in query.values(*_ATTNAMES):
                current[data["id"]] = bulk.loaded(Project, data, db)
        plan = Plan()
        for row in rows:
            counts.rows += 1
            before = (counts.created, counts.updated)
            self.value_cny = None
            if not row.errors:
                pk = self._existing_pk(row)
                self._match(row, current.get(pk) if pk else None, plan)
            if row.errors:
                counts.rejected += 1
            if len(counts.preview) < PREVIEW_ROWS:
                counts.preview.append(self._preview(row, before))
        return plan

    def _preview(self, row: ProjectRow, before: tuple[int, int]) -> dict:
        """One row as the preview lists it: what was read, what it resolved to, what it does."""
        counts = self.counts
        if row.errors:
            outcome = "rejected"
        elif counts.created > before[0]:
            outcome = "new"
        elif counts.updated > before[1]:
            outcome = "updated"
        else:
            outcome = "unchanged"
        return {
            "sheet": row.sheet,
            "row": row.number,
            "name": row.name,
            "investor": row.investor,
            "destination": row.destination.code if row.destination else None,
            "value_text": row.value_text,
            "currency": row.amount.currency if row.amount else None,
            "value_cny": None if self.value_cny is None or row.errors else str(self.value_cny),
            "sei": row.sei_code,
            "sei_status": row.sei_status,
            "signing_date": row.signing_date.isoformat() if row.signing_date else None,
            "outcome": outcome,
            "reasons": [
                f"{column}: {message}" if column else message for column, message in row.errors
            ],
        }

    def _existing_pk(self, row: ProjectRow) -> int | None:
        if row.uscc:
            return self.by_uscc.get((row.uscc, row.name_key))
        return self.by_name.get((row.investor_key, row.name_key))

    def _match(self, row: ProjectRow, current: Project | None, plan: Plan) -> None:
        try:
            self._check_scope(row.destination)
            if current is not None:
                first = self.matched.get(current.pk)
                if first is not None:
                    raise UserError(
                        f"this row and {first[0]}!{first[1]} are the same project "
                        f"(#{current.pk} of the event): it is counted once",
                        field="name",
                    )
                self._check_scope(resolve_region(current.destination_region_id))
                self.matched[current.pk] = (row.sheet, row.number)
                self._update(row, current, plan)
                return
            project = self._project(row)
            validate_and_convert(project, rates=self.rates)
            investor = self.investors.find(uscc=row.uscc, key=row.investor_key)
            self._check_identity(row, investor.normalized_name if investor else row.investor_key)
            if investor is None:
                try:
                    investor = self.investors.add(
                        name=row.investor,
                        uscc=row.uscc,
                        home_region_id=row.origin.code if row.origin else None,
                    )
                except UserError as error:
                    error.field = "investor"
                    raise
                self.counts.organisations_created += 1
        except UserError as error:
            row.reject(error.field, error.message)
            return
        self.new_keys[(investor.normalized_name, row.name_key)] = (row.sheet, row.number)
        # Into __dict__: the attname descriptors cost a call each, and nothing is cached yet.
        data = project.__dict__
        data["investor_id"] = investor.pk or _PENDING_INVESTOR
        data["investor_key"] = investor.normalized_name
        self._check_investor_name(row, investor)
        plan.creates.append((project, investor))
        self.value_cny = project.value_cny
        counts = self.counts
        counts.created += 1
        counts.added_value_cny += project.value_cny
        self._count_sei(row)

    def _check_scope(self, region) -> None:
        allowed = self.allowed.get(region.code, "")
        if allowed == "":
            try:
                for actor in self.scope_actors:
                    ensure_can_write_projects_in(actor, region)
                allowed = None
            except UserError as error:
                allowed = error.message
            self.allowed[region.code] = allowed
        if allowed is not None:
            raise UserError(f"outside your regions: {allowed}", field="destination_region")

    def _check_identity(self, row: ProjectRow, investor_key: str) -> None:
        """Refuse a second project of one identity in the event (see Project's docstring)."""
        key = (investor_key, row.name_key)
        first = self.new_keys.get(key)
        if first is not None:
            raise UserError(
                f"this row and {first[0]}!{first[1]} are the same project (same project "
                "name, investors of the same name): it is imported once",
                field="name",
            )
        pk = self.by_name.get(key)
        if pk is not None:
            other = Project.objects.select_related("investor").get(pk=pk)
            uscc = f", USCC {other.investor.uscc}" if other.investor.uscc else ""
            raise UserError(
                f"the event already has the project {other.name} of {other.investor.name} "
                f"(#{pk}{uscc}): an event holds one project of a name per investor name; "
                "check the USCC, or rename one of the projects",
                field="name",
            )

    def _check_investor_name(self, row: ProjectRow, investor: Investor) -> None:
        if investor.normalized_name != row.investor_key and row.investor not in investor.aliases:
            row.warn(
                "investor",
                f"USCC {row.uscc} belongs to {investor.name}, not {row.investor}: "
                f"the project is recorded under {investor.name}",
            )

    def _project(self, row: ProjectRow) -> Project:
        values = self._values(row)
        values["event_id"] = self.event.pk
        values["investor_id"] = _PENDING_INVESTOR
        values["source_ref"] = self._source_ref(row)
        values["extra"] = row.extra
        project = bulk.build(Project, values)
        self._cache_related(project, row.destination, row.industry_class)
        return project

    def _values(self, row: ProjectRow) -> dict:
        """The project fields the row gives; of the optional ones only those its sheet has."""
        amount = row.amount
        given = row.given
        values = {
            "name": row.name,
            "destination_region_id": row.destination.code,
            "contract_value": amount.value,
            "currency": amount.currency,
            "value_text": row.value_text,
            "value_approximate": amount.approximate,
        }
        if "origin_region" in given:
            values["origin_region_id"] = row.origin.code if row.origin else None
        if "signing_date" in given:
            values["signing_date"] = row.signing_date
        if "agreement_type" in given:
            values["agreement_type"] = row.agreement_type
        if "industry_class" in given:
            values["industry_class_id"] = row.industry_class.code if row.industry_class else None
        if "sei_status" in given:
            values["sei_status"] = row.sei_status
            values["sei_industry_id"] = row.sei_code or None
        if "industry_text" in given:
            values["industry_text"] = row.industry_text
        if "notes" in given:
            values["notes"] = row.notes
        return values

    def _cache_related(self, project: Project, destination, industry_class) -> None:
        """Shared cached objects on the project, so validation costs no query per row."""
        # The related-object cache set directly: what set_cached_value does, without the
        # descriptor lookups (three per row).
        cache = project._state.fields_cache
        cache[_EVENT_CACHE] = self.event
        cache[_DESTINATION_CACHE] = destination
        if industry_class is not None:
            cache[_INDUSTRY_CACHE] = industry_class

    def _source_ref(self, row: ProjectRow) -> str:
        return f"{self.file_name}!{row.sheet}!{row.number}"[-300:]

    def _update(self, row: ProjectRow, current: Project, plan: Plan) -> None:
        """Apply the row's columns (absent columns keep what is stored); unchanged or updated."""
        data = current.__dict__
        stored = dict(data)
        data.update(self._values(row))
        extra = dict(data.get("extra") or {})
        if row.extra_columns:
            for label in row.extra_columns:
                extra.pop(label, None)
            extra.update(row.extra)
        data["extra"] = extra
        class_code = data.get("industry_class_id")
        self._cache_related(
            current, row.destination, resolve_industry_class(class_code) if class_code else None
        )
        validate_and_convert(current, rates=self.rates)
        self.value_cny = current.value_cny
        counts = self.counts
        # Compared as stored (decimals numerically): most re-imported rows are unchanged, and
        # the audit snapshot is only needed for those that are not.
        if all(data[name] == stored[name] for name in _COMPARED):
            counts.unchanged += 1
            return
        before = snapshot(
            bulk.loaded(Project, {n: stored[n] for n in _ATTNAMES}, current._state.db)
        )
        current.version += 1
        current.source_ref = self._source_ref(row)
        current.updated_at = timezone.now()
        plan.updates.append((current, before))
        counts.updated += 1
        counts.updated_value_change_cny += current.value_cny - Decimal(before["value_cny"])
        if "sei_status" in row.given:
            self._count_sei(row)

    def _count_sei(self, row: ProjectRow) -> None:
        if row.sei_source == "derived":
            self.counts.sei_derived += 1
        elif row.sei_source == "unknown":
            self.counts.sei_unknown += 1
