"""Matching parsed rows to the ledger and writing them, a batch at a time, in bulk.

Each batch costs a fixed handful of queries (organisations by USCC and name, the existing
projects it updates, then bulk inserts and updates), never one per row. Every project is
checked by projects.services.validate_and_convert, the single-project rules, with one RateBook.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from investpromo.accounts.permissions import ensure_can_write_projects_in
from investpromo.core.audit import change_entry, record_changes_bulk, snapshot
from investpromo.core.errors import UserError
from investpromo.core.text import normalize_key
from investpromo.geo.resolver import resolve_region
from investpromo.imports.report import ImportReport, Problem
from investpromo.imports.rows import ParsedRow
from investpromo.orgs.models import Organisation
from investpromo.projects.models import Project
from investpromo.projects.rates import RateBook
from investpromo.projects.services import validate_and_convert
from investpromo.sectors.models import SEIIndustry
from investpromo.sectors.selectors import resolve_industry_class

# validate_and_convert only asks whether a project has an investor; a new investor gets its
# id when it is written, after the rows that need it have passed.
_PENDING_INVESTOR = 0
# The columns a service error names, by the field it names.
_FIELD_COLUMNS = {
    "name": "project_name",
    "investor": "investor",
    "destination_region": "destination",
    "origin_region": "origin",
    "agreement_type": "agreement_type",
    "sei_status": "sei",
    "sei_industry": "sei",
    "industry_class": "industry_code",
    "contract_value": "contract_value",
    "currency": "currency",
    "signing_date": "signing_date",
}
# Fields a re-import compares and writes; source_ref is left out so that the same rows from a
# renamed or reordered file are "unchanged".
_COMPARED_OUT = {"version", "source_ref"}
UPDATE_FIELDS = [
    "name",
    "normalized_name",
    "origin_region",
    "destination_region",
    "signing_date",
    "agreement_type",
    "contract_value",
    "currency",
    "value_text",
    "value_approximate",
    "value_cny",
    "rate_date",
    "rate_cny_per_unit",
    "sei_status",
    "sei_industry",
    "industry_class",
    "industry_text",
    "notes",
    "extra",
    "source_ref",
    "version",
    "updated_at",
]


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _in_chunk_size() -> int:
    # SQLite (as Django configures it) accepts 999 parameters per query.
    return min(connection.features.max_query_params or 2000, 2000) - 10


@dataclass
class _Pending:
    """What a batch will write."""

    organisations: list[Organisation] = field(default_factory=list)
    creates: list[tuple[Project, Organisation]] = field(default_factory=list)
    updates: list[tuple[Project, dict]] = field(default_factory=list)


class LedgerMatcher:
    """Decides create / update / unchanged / reject for each row, and writes batches."""

    def __init__(self, *, actor, event, report: ImportReport, source: str, file_name: str):
        self.actor, self.event, self.report = actor, event, report
        self.source, self.file_name = source, file_name
        self.rates = RateBook()
        self.industries = {industry.code: industry for industry in SEIIndustry.objects.all()}
        self.by_uscc: dict[tuple[str, str], int] = {}
        self.by_name: dict[tuple[str, str], int] = {}
        existing = (
            Project.objects.filter(event=event)
            .order_by("id")
            .values_list("id", "normalized_name", "investor__uscc", "investor__normalized_name")
        )
        for pk, project_key, uscc, investor_key in existing.iterator(chunk_size=5000):
            if uscc:
                self.by_uscc.setdefault((uscc, project_key), pk)
            self.by_name.setdefault((investor_key, project_key), pk)
        # Organisations by USCC and by normalised name: found in the database (None: not there)
        # or created by this import; filled a batch at a time.
        self.orgs_by_uscc: dict[str, Organisation | None] = {}
        self.orgs_by_name: dict[str, Organisation | None] = {}
        self.matched: dict[int, ParsedRow] = {}
        self.allowed: dict[str, str | None] = {}
        self.rejected_rows: list[tuple[ParsedRow, list[str]]] = []

    # --- per batch -----------------------------------------------------------------------------

    def process(self, rows: list[ParsedRow], *, write: bool) -> bool:
        """Classify the rows (and write them when asked); True if every row was valid."""
        self._load_organisations([row for row in rows if not row.errors])
        pks = [pk for row in rows if not row.errors and (pk := self._existing_pk(row))]
        current = {}
        if pks:
            query = Project.objects.filter(pk__in=pks)
            if write:
                query = query.select_for_update()
            current = {project.pk: project for project in query}
        pending = _Pending()
        all_valid = True
        for row in rows:
            if not row.errors:
                pk = self._existing_pk(row)
                self._match(row, current.get(pk) if pk else None, pending)
            sheet = self.report.sheet(row.sheet)
            if row.errors:
                all_valid = False
                sheet.rejected += 1
                self.report.rejected += 1
                self.report.errors.extend(
                    Problem(row.sheet, row.number, column, message)
                    for column, message in row.errors
                )
                self.rejected_rows.append((row, [f"{c}: {m}" for c, m in row.errors]))
            else:
                sheet.valid += 1
        if write:
            self._write(pending)
        return all_valid

    def _existing_pk(self, row: ParsedRow) -> int | None:
        project_key = normalize_key(row.name)
        if row.uscc:
            return self.by_uscc.get((row.uscc, project_key))
        return self.by_name.get((normalize_key(row.investor), project_key))

    def _load_organisations(self, rows: list[ParsedRow]) -> None:
        codes = {row.uscc for row in rows if row.uscc and row.uscc not in self.orgs_by_uscc}
        names = {
            key
            for row in rows
            if row.investor and (key := normalize_key(row.investor)) not in self.orgs_by_name
        }
        size = _in_chunk_size()
        for chunk in _chunks(sorted(codes), size):
            found = {org.uscc: org for org in Organisation.objects.filter(uscc__in=chunk)}
            for code in chunk:
                self.orgs_by_uscc[code] = found.get(code)
        for chunk in _chunks(sorted(names), size):
            found: dict[str, Organisation] = {}
            # The oldest organisation of a name, as find_or_create_investor picks it.
            for org in Organisation.objects.filter(normalized_name__in=chunk).order_by("-id"):
                found[org.normalized_name] = org
            for name in chunk:
                self.orgs_by_name[name] = found.get(name)

    def _investor(self, row: ParsedRow, pending: _Pending) -> Organisation:
        """The row's organisation (find_or_create_investor's rule), new ones held for writing."""
        name_key = normalize_key(row.investor)
        org = self.orgs_by_uscc.get(row.uscc) if row.uscc else self.orgs_by_name.get(name_key)
        if org is None:
            org = Organisation(
                name=row.investor,
                normalized_name=name_key,
                uscc=row.uscc,
                home_region=row.origin,
                kind=Organisation.Kind.ENTERPRISE,
            )
            if row.uscc:
                self.orgs_by_uscc[row.uscc] = org
            if self.orgs_by_name.get(name_key) is None:
                self.orgs_by_name[name_key] = org
            pending.organisations.append(org)
            self.report.organisations_created += 1
        return org

    def _match(self, row: ParsedRow, current: Project | None, pending: _Pending) -> None:
        layout = row.layout
        try:
            self._check_scope(row.destination)
            if current is not None:
                first = self.matched.get(current.pk)
                if first is not None:
                    raise UserError(
                        f"this row and {first.sheet}!{first.number} are the same project "
                        f"(#{current.pk} of the event): it is counted once",
                        field="name",
                    )
                self._check_scope(resolve_region(current.destination_region_id))
                self.matched[current.pk] = row
                self._update(row, current, pending)
                return
            org = self._investor(row, pending)
            project = self._project(row, org)
            validate_and_convert(project, rates=self.rates)
        except UserError as error:
            column = _FIELD_COLUMNS.get(error.field or "", "contract_value")
            if column == "currency" and not layout.has("currency"):
                column = "contract_value"
            row.error(layout.label(column), error.message)
            return
        self._check_investor_name(row, org)
        pending.creates.append((project, org))
        self.report.created += 1
        self.report.added_value_cny += project.value_cny
        self._count_sei(row)

    def _check_scope(self, region) -> None:
        allowed = self.allowed.get(region.code, "")
        if allowed == "":
            try:
                ensure_can_write_projects_in(self.actor, region)
                allowed = None
            except UserError as error:
                allowed = error.message
            self.allowed[region.code] = allowed
        if allowed is not None:
            raise UserError(f"outside your regions: {allowed}", field="destination_region")

    def _check_investor_name(self, row: ParsedRow, org: Organisation) -> None:
        name_key = normalize_key(row.investor)
        if org.normalized_name != name_key and row.investor not in (org.aliases or []):
            self.report.warnings.append(
                Problem(
                    row.sheet,
                    row.number,
                    row.layout.label("investor"),
                    f"USCC {row.uscc} belongs to {org.name}, not {row.investor}: "
                    f"the project is recorded under {org.name}",
                )
            )

    def _project(self, row: ParsedRow, org: Organisation) -> Project:
        amount = row.amount
        return Project(
            event=self.event,
            name=row.name,
            investor_id=org.pk or _PENDING_INVESTOR,
            origin_region=row.origin,
            destination_region=row.destination,
            signing_date=row.signing_date,
            agreement_type=row.agreement_type,
            contract_value=amount.value,
            currency=amount.currency,
            value_text=row.value_text,
            value_approximate=amount.approximate,
            sei_status=row.sei_status,
            sei_industry=self.industries.get(row.sei_code) if row.sei_code else None,
            industry_class=row.industry_class,
            industry_text=row.industry_text,
            notes=row.notes,
            extra=row.extra,
            source_ref=self._source_ref(row),
        )

    def _source_ref(self, row: ParsedRow) -> str:
        return f"{self.file_name}!{row.sheet}!{row.number}"[-300:]

    def _update(self, row: ParsedRow, current: Project, pending: _Pending) -> None:
        """Apply the row's columns (absent columns keep what is stored); unchanged or updated."""
        layout = row.layout
        # Shared cached objects, so validation and comparison cost no query per row.
        current.event = self.event
        if current.industry_class_id:
            current.industry_class = resolve_industry_class(current.industry_class_id)
        before = snapshot(current)
        amount = row.amount
        current.name = row.name
        current.destination_region = row.destination
        current.contract_value = amount.value
        current.currency = amount.currency
        current.value_text = row.value_text
        current.value_approximate = amount.approximate
        if layout.has("origin"):
            current.origin_region = row.origin
        if layout.has("signing_date"):
            current.signing_date = row.signing_date
        if layout.has("agreement_type"):
            current.agreement_type = row.agreement_type
        if layout.has("industry_code"):
            current.industry_class = row.industry_class
        if layout.has("sei") or layout.has("industry_code"):
            current.sei_status = row.sei_status
            current.sei_industry = self.industries.get(row.sei_code) if row.sei_code else None
        if layout.has("industry_text"):
            current.industry_text = row.industry_text
        if layout.has("notes"):
            current.notes = row.notes
        if layout.unknown:
            extra = dict(current.extra or {})
            for _, label in layout.unknown:
                extra.pop(label, None)
            extra.update(row.extra)
            current.extra = extra
        validate_and_convert(current, rates=self.rates)
        after = snapshot(current)
        if _compared(before) == _compared(after):
            self.report.unchanged += 1
            return
        current.version += 1
        current.source_ref = self._source_ref(row)
        current.updated_at = timezone.now()
        pending.updates.append((current, before))
        self.report.updated += 1
        self.report.updated_value_change_cny += current.value_cny - Decimal(before["value_cny"])
        if layout.has("sei") or layout.has("industry_code"):
            self._count_sei(row)

    def _count_sei(self, row: ParsedRow) -> None:
        if row.sei_source == "derived":
            self.report.sei_derived += 1
        elif row.sei_source == "unknown":
            self.report.sei_unknown += 1

    # --- writing -------------------------------------------------------------------------------

    def _write(self, pending: _Pending) -> None:
        entries = []
        if pending.organisations:
            Organisation.objects.bulk_create(pending.organisations, batch_size=500)
            entries += [
                change_entry(
                    actor=self.actor,
                    instance=org,
                    action="create",
                    before=None,
                    after=snapshot(org),
                    source=self.source,
                )
                for org in pending.organisations
            ]
        if pending.creates:
            projects = []
            for project, org in pending.creates:
                project.investor = org  # now saved: sets the real investor_id
                projects.append(project)
            Project.objects.bulk_create(projects, batch_size=500)
            for project in projects:
                after = snapshot(project)
                after["co_investor_ids"] = []  # as create_project records it
                entries.append(
                    change_entry(
                        actor=self.actor,
                        instance=project,
                        action="create",
                        before=None,
                        after=after,
                        source=self.source,
                    )
                )
        if pending.updates:
            Project.objects.bulk_update(
                [project for project, _ in pending.updates], UPDATE_FIELDS, batch_size=200
            )
            entries += [
                change_entry(
                    actor=self.actor,
                    instance=project,
                    action="update",
                    before=before,
                    after=snapshot(project),
                    source=self.source,
                )
                for project, before in pending.updates
            ]
        if entries:
            record_changes_bulk(entries)


def _compared(data: dict) -> dict:
    return {key: value for key, value in data.items() if key not in _COMPARED_OUT}
