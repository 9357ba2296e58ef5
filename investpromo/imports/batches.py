"""Matching parsed rows to the ledger and writing them, a batch at a time, in bulk.

Each batch costs a fixed handful of queries (organisations by USCC and name, the existing
projects it updates, then bulk inserts and updates), never one per row. Every project is
checked by projects.services.validate_and_convert, the single-project rules, with one RateBook.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models.base import ModelState
from django.utils import timezone

from investpromo.accounts.permissions import ensure_can_write_projects_in
from investpromo.core.audit import change_values, record_change, snapshot
from investpromo.core.errors import UserError
from investpromo.core.models import ChangeLog
from investpromo.geo.resolver import resolve_region
from investpromo.imports import bulkinsert
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
# Below this many organisations an import loads them all at once (see _load_all_organisations).
PRELOAD_ORGANISATIONS = 20_000
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
# Left out when deciding "unchanged": the same rows from a renamed or reordered file are.
_NOT_COMPARED = {"version", "source_ref", "created_at", "updated_at"}
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


def build(model, values: dict):
    """A new, unsaved instance from attname values, made the way unpickling makes one."""
    # Model.__init__ costs ~25 µs with keywords (each foreign key through its descriptor) and
    # an import builds one per row. Only for models without post_init receivers (Project,
    # Organisation and ChangeLog have none); missing fields get their defaults, as in __init__.
    plan = _PLANS.get(model)
    if plan is None:
        plan = _PLANS[model] = (
            {f.attname: f.get_default() for f in model._meta.concrete_fields},
            [
                f.attname
                for f in model._meta.concrete_fields
                if f.has_default() and callable(f.default)
            ],
        )
    constants, fresh = plan
    instance = model.__new__(model)
    data = instance.__dict__
    data.update(constants)
    for name in fresh:  # mutable defaults (dict, list) must not be shared
        if name not in values:
            data[name] = model._meta.get_field(name).get_default()
    data.update(values)
    instance._state = ModelState()
    return instance


_PLANS: dict = {}
_EVENT_CACHE, _DESTINATION_CACHE, _INDUSTRY_CACHE = (
    Project._meta.get_field(name).cache_name
    for name in ("event", "destination_region", "industry_class")
)
_ATTNAMES = [field.attname for field in Project._meta.concrete_fields]
_COMPARED = [name for name in _ATTNAMES if name not in _NOT_COMPARED]


def _loaded_project(values: dict, db: str) -> Project:
    """A Project as loaded from the database, from its stored field values."""
    project = build(Project, {name: values[name] for name in _ATTNAMES})
    project._state.adding = False
    project._state.db = db
    return project


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _in_chunk_size() -> int:
    # SQLite (as Django configures it) accepts 999 parameters per query.
    return min(connection.features.max_query_params or 2000, 2000) - 10


@dataclass(slots=True)
class _Org:
    """An organisation as the import needs it: its id once it has one, its name for messages."""

    pk: int | None
    name: str
    normalized_name: str
    aliases: list
    # The fields of a new organisation, until it is written (a dry run never builds it).
    new_values: dict | None = None


@dataclass
class _Pending:
    """What a batch will write."""

    organisations: list[_Org] = field(default_factory=list)
    creates: list[tuple[Project, _Org]] = field(default_factory=list)
    updates: list[tuple[Project, dict]] = field(default_factory=list)


class LedgerMatcher:
    """Decides create / update / unchanged / reject for each row, and writes batches."""

    def __init__(
        self,
        *,
        actor,
        event,
        report: ImportReport,
        source: str,
        file_name: str,
        file_digest: str = "",
        uploaded_by=None,
    ):
        self.actor, self.event, self.report = actor, event, report
        # Rows must be within the regions of everyone answerable for them.
        self.uploaded_by = uploaded_by
        self.scope_actors = [actor] if uploaded_by is None else [actor, uploaded_by]
        self.source, self.file_name, self.file_digest = source, file_name, file_digest
        self.import_log: ChangeLog | None = None
        self.indexes = bulkinsert.DeferredIndexes()
        # Rows of the sheets read so far: whether rebuilding indexes after the load pays.
        self.expected_rows = 0
        self.rates = RateBook()
        self.industries = {industry.code: industry for industry in SEIIndustry.objects.all()}
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
        # (investor key, project key) of the projects this import creates: the event's identity.
        self.new_keys: dict[tuple[str, str], ParsedRow] = {}
        # Organisations by USCC and by normalised name: found in the database (None: not there)
        # or created by this import; filled a batch at a time.
        self.orgs_by_uscc: dict[str, _Org | None] = {}
        self.orgs_by_name: dict[str, _Org | None] = {}
        # Whether the maps hold every organisation (None: not decided before the first batch).
        self.all_organisations_loaded: bool | None = None
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
            # Values, not model instances: most re-imported rows turn out unchanged.
            for data in query.values(*_ATTNAMES):
                project = _loaded_project(data, query.db)
                current[project.pk] = project
        pending = _Pending()
        all_valid = True
        report = self.report
        for row in rows:
            if not row.errors:
                pk = self._existing_pk(row)
                self._match(row, current.get(pk) if pk else None, pending)
            sheet = report.sheet(row.sheet)
            if row.errors:
                all_valid = False
                sheet.rejected += 1
                report.rejected += 1
                report.errors.extend(
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
        if row.uscc:
            return self.by_uscc.get((row.uscc, row.name_key))
        return self.by_name.get((row.investor_key, row.name_key))

    def _load_organisations(self, rows: list[ParsedRow]) -> None:
        if self.all_organisations_loaded is None:
            self.all_organisations_loaded = self._load_all_organisations()
        if self.all_organisations_loaded:
            return
        codes = {row.uscc for row in rows if row.uscc and row.uscc not in self.orgs_by_uscc}
        names = {
            row.investor_key
            for row in rows
            if row.investor_key and row.investor_key not in self.orgs_by_name
        }
        size = _in_chunk_size()
        fields = ("id", "name", "normalized_name", "aliases", "uscc")
        for chunk in _chunks(sorted(codes), size):
            found = {
                uscc: _Org(pk, name, key, aliases or [])
                for pk, name, key, aliases, uscc in Organisation.objects.filter(
                    uscc__in=chunk
                ).values_list(*fields)
            }
            for code in chunk:
                self.orgs_by_uscc[code] = found.get(code)
        for chunk in _chunks(sorted(names), size):
            found_names: dict[str, _Org] = {}
            # The oldest organisation of a name, as find_or_create_investor picks it.
            query = Organisation.objects.filter(normalized_name__in=chunk).order_by("-id")
            for pk, name, key, aliases, _ in query.values_list(*fields):
                found_names[key] = _Org(pk, name, key, aliases or [])
            for name in chunk:
                self.orgs_by_name[name] = found_names.get(name)

    def _load_all_organisations(self) -> bool:
        """Load every organisation at once when there are not many more than the file's rows."""
        # One read instead of two IN queries per batch (100,000 rows: ~100 queries, 0.6 s);
        # memory stays proportional to the file, as the per-batch lookups would fill the maps.
        if Organisation.objects.count() > max(self.expected_rows, PRELOAD_ORGANISATIONS):
            return False
        fields = ("id", "name", "normalized_name", "aliases", "uscc")
        # Newest first, so the oldest organisation of a name is the one kept, as
        # find_or_create_investor picks it.
        query = Organisation.objects.order_by("-id").values_list(*fields)
        for pk, name, key, aliases, uscc in query.iterator(chunk_size=5000):
            org = _Org(pk, name, key, aliases or [])
            if uscc:
                self.orgs_by_uscc[uscc] = org
            self.orgs_by_name[key] = org
        return True

    def _investor(self, row: ParsedRow, pending: _Pending) -> _Org:
        """The row's organisation (find_or_create_investor's rule), new ones held for writing."""
        key = row.investor_key
        org = self.orgs_by_uscc.get(row.uscc) if row.uscc else self.orgs_by_name.get(key)
        if org is None:
            values = {
                "name": row.investor,
                "normalized_name": key,
                "uscc": row.uscc,
                "home_region_id": row.origin.code if row.origin else None,
                "aliases": [],
            }
            org = _Org(None, row.investor, key, [], values)
            if row.uscc:
                self.orgs_by_uscc[row.uscc] = org
            if self.orgs_by_name.get(key) is None:
                self.orgs_by_name[key] = org
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
            self._check_identity(row, org)
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

    def _check_identity(self, row: ParsedRow, org: _Org) -> None:
        """Refuse a second project of one identity in the event (see Project's docstring)."""
        key = (org.normalized_name, row.name_key)
        first = self.new_keys.get(key)
        if first is not None:
            raise UserError(
                f"this row and {first.sheet}!{first.number} are the same project (same project "
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
        self.new_keys[key] = row

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

    def _check_investor_name(self, row: ParsedRow, org: _Org) -> None:
        if org.normalized_name != row.investor_key and row.investor not in org.aliases:
            self.report.warnings.append(
                Problem(
                    row.sheet,
                    row.number,
                    row.layout.label("investor"),
                    f"USCC {row.uscc} belongs to {org.name}, not {row.investor}: "
                    f"the project is recorded under {org.name}",
                )
            )

    def _project(self, row: ParsedRow, org: _Org) -> Project:
        values = self._values(row, row.layout.positions)
        values["event_id"] = self.event.pk
        values["investor_id"] = org.pk or _PENDING_INVESTOR
        values["investor_key"] = org.normalized_name
        values["source_ref"] = self._source_ref(row)
        values["extra"] = row.extra
        project = build(Project, values)
        self._cache_related(project, row.destination, row.industry_class)
        return project

    def _values(self, row: ParsedRow, columns) -> dict:
        """The project fields the row gives; of the optional ones only those its sheet has."""
        amount = row.amount
        values = {
            "name": row.name,
            "destination_region_id": row.destination.code,
            "contract_value": amount.value,
            "currency": amount.currency,
            "value_text": row.value_text,
            "value_approximate": amount.approximate,
        }
        if "origin" in columns:
            values["origin_region_id"] = row.origin.code if row.origin else None
        if "signing_date" in columns:
            values["signing_date"] = row.signing_date
        if "agreement_type" in columns:
            values["agreement_type"] = row.agreement_type
        if "industry_code" in columns:
            values["industry_class_id"] = row.industry_class.code if row.industry_class else None
        if "sei" in columns or "industry_code" in columns:
            values["sei_status"] = row.sei_status
            values["sei_industry_id"] = row.sei_code or None
        if "industry_text" in columns:
            values["industry_text"] = row.industry_text
        if "notes" in columns:
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

    def _source_ref(self, row: ParsedRow) -> str:
        return f"{self.file_name}!{row.sheet}!{row.number}"[-300:]

    def _update(self, row: ParsedRow, current: Project, pending: _Pending) -> None:
        """Apply the row's columns (absent columns keep what is stored); unchanged or updated."""
        layout = row.layout
        data = current.__dict__
        stored = dict(data)
        data.update(self._values(row, layout.positions))
        extra = dict(data.get("extra") or {})
        if layout.unknown:
            for _, label in layout.unknown:
                extra.pop(label, None)
            extra.update(row.extra)
        data["extra"] = extra
        class_code = data.get("industry_class_id")
        self._cache_related(
            current, row.destination, resolve_industry_class(class_code) if class_code else None
        )
        validate_and_convert(current, rates=self.rates)
        # Compared as stored (decimals numerically): most re-imported rows are unchanged, and
        # the audit snapshot is only needed for those that are not.
        if all(data[name] == stored[name] for name in _COMPARED):
            self.report.unchanged += 1
            return
        before = snapshot(_loaded_project(stored, current._state.db))
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
        # Created organisations and projects point to the import's one audit row; an update
        # overwrites stored values, so each keeps its own row with the values before.
        if pending.organisations:
            log_id = self._import_log().pk
            models = []
            for org in pending.organisations:
                org.new_values["created_by_import_id"] = log_id
                models.append(build(Organisation, org.new_values))
            bulkinsert.insert(Organisation, models, with_ids=True)
            for org, model in zip(pending.organisations, models, strict=True):
                org.pk, org.new_values = model.pk, None
        if pending.creates:
            # The import looks projects up by id only, so their other indexes can wait.
            self.indexes.drop_for(Project, self.expected_rows)
            log_id = self._import_log().pk
            projects = []
            for project, org in pending.creates:
                project.investor_id = org.pk
                project.created_by_import_id = log_id
                projects.append(project)
            bulkinsert.insert(Project, projects, with_ids=True)
        if pending.updates:
            self._import_log()
            updated = [project for project, _ in pending.updates]
            Project.objects.bulk_update(updated, UPDATE_FIELDS, batch_size=200)
            entries = [
                build(
                    ChangeLog,
                    change_values(
                        actor=self.actor,
                        instance=project,
                        action="update",
                        before=before,
                        after=snapshot(project),
                        source=self.source,
                    ),
                )
                for project, before in pending.updates
            ]
            bulkinsert.insert(ChangeLog, entries, with_ids=False)

    def _import_log(self) -> ChangeLog:
        """The import's audit row, written before the first record that points to it."""
        if self.import_log is None:
            self.import_log = record_change(
                actor=self.actor,
                instance=self.event,
                action=ChangeLog.Action.IMPORT,
                before=None,
                after=self._log_values(),
                source=self.source,
            )
        return self.import_log

    def _log_values(self) -> dict:
        values = {"file": self.file_name, "sha256": self.file_digest}
        if self.uploaded_by is not None:
            values["uploaded_by"] = self.uploaded_by.get_username()
        return values

    def finish(self) -> None:
        """Rebuild deferred indexes; complete the import's audit row (if it wrote anything)."""
        self.indexes.rebuild()
        if self.import_log is None:
            return
        report = self.report
        self.import_log.after = {
            **self._log_values(),
            "skip_invalid": report.skip_invalid,
            "rows_read": report.rows_read,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "rejected": report.rejected,
            "organisations_created": report.organisations_created,
            "added_value_cny": str(report.added_value_cny),
        }
        self.import_log.save(update_fields=["after"])
