"""Importing many projects into an event: the one writer behind every signing-list import.

The rows come from the import pipeline (investpromo.imports), parsed and checked cell by cell;
here they are matched to the event's ledger (projects.matching) and written in bulk, in one
transaction: the organisations and projects they create, pointing to the import's one
change-log row, and a change-log row per project they update.

Imports into one event are serialised: the event's row is locked (PostgreSQL; a SQLite write
transaction already excludes every other writer) before the ledger is read, so a second
import of the same file waits for the first and finds its rows unchanged. The database's
identity constraint (see Project) catches what anything else might still write meanwhile.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice

from django.db import IntegrityError, OperationalError, transaction

from investpromo.accounts.permissions import ensure_can_write_projects_in
from investpromo.core import bulk
from investpromo.core.audit import record_change, record_updates, snapshot
from investpromo.core.errors import Conflict
from investpromo.core.models import ChangeLog
from investpromo.events.models import Event
from investpromo.projects.matching import ImportOutcome, LedgerMatcher, Plan, ProjectRow
from investpromo.projects.models import Project
from investpromo.projects.rates import RateBook

BATCH_SIZE = 2000
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


@dataclass(frozen=True)
class ImportSource:
    """The file an import reads, for its audit row: its name, SHA-256 and uploader."""

    file_name: str
    sha256: str = ""
    # Whose upload an administrator (the actor) confirms: named in the audit, and the rows
    # must be within their regions too.
    uploaded_by: object = None
    # How many rows the reader has read (the audit row's rows_read); default: rows handed over.
    rows_read: Callable[[], int] | None = None

    @property
    def via(self) -> str:
        """The change log's source: the uploader first, since a long file name is what is cut."""
        if self.uploaded_by is None:
            return f"import {self.file_name}"[:300]
        return f"import uploaded by {self.uploaded_by.get_username()}: {self.file_name}"[:300]


def import_projects(
    *,
    actor,
    event,
    rows: Iterable[ProjectRow],
    source: ImportSource,
    dry_run: bool = False,
    skip_invalid: bool = False,
    rates: RateBook | None = None,
    checked: Callable[[list[ProjectRow]], None] | None = None,
    expected_rows: Callable[[], int] = lambda: 0,
) -> ImportOutcome:
    """Create and update the event's projects from imported rows: all or nothing by default."""
    # Row problems are given to the rows (row.reject); checked(batch) is called once a batch's
    # rows are final. With skip_invalid the valid rows are written; otherwise any invalid row
    # means nothing is. expected_rows() says how many rows the file holds, as far as known.
    ensure_can_write_projects_in(actor)
    run = _Import(
        actor=actor,
        event=event,
        source=source,
        rates=rates or RateBook(),
        checked=checked,
        expected_rows=expected_rows,
    )
    if dry_run:
        with bulk.fewer_collections():
            return run.run(rows, write=False, skip_invalid=skip_invalid)
    try:
        # The page cache is restored after the transaction ends (no query may run between a
        # rollback being marked and the end of the atomic block).
        with bulk.fewer_collections(), bulk.large_page_cache(), transaction.atomic():
            _lock(event)
            outcome = run.run(rows, write=True, skip_invalid=skip_invalid)
            if outcome.rejected and not skip_invalid:
                transaction.set_rollback(True)
            else:
                run.finish()
                outcome.written = True
    except IntegrityError as error:
        # Someone wrote the same organisation (USCC) or project meanwhile: all was rolled back.
        raise Conflict(
            f"{source.file_name}: the ledger changed while importing (another import at the same "
            f"time?); nothing was written: import the file again ({error})"
        ) from None
    except OperationalError as error:
        if "locked" not in str(error):
            raise
        # SQLite: another write held the database longer than a connection waits.
        raise Conflict(
            f"{source.file_name}: the database was busy with another write (another import?) "
            "for longer than an import waits; nothing was written: import the file again"
        ) from None
    return outcome


def _lock(event) -> None:
    """Wait for any other import into the event to finish; hold it off until this one ends."""
    # FOR NO KEY UPDATE: imports exclude each other, while a project added to the event
    # meanwhile (its key share on the event) need not wait for a long import to end.
    rows = Event.objects.select_for_update(no_key=True).filter(pk=event.pk)
    list(rows.values_list("pk", flat=True))


class _Import:
    """One import's pass over its rows: matched a batch at a time, and written when asked."""

    def __init__(self, *, actor, event, source: ImportSource, rates, checked, expected_rows):
        self.actor, self.event, self.source = actor, event, source
        self.rates, self.checked, self.expected_rows = rates, checked, expected_rows
        self.matcher: LedgerMatcher | None = None
        self.import_log: ChangeLog | None = None
        self.indexes = bulk.DeferredIndexes()
        self.write = False
        self.skip_invalid = False

    def run(self, rows: Iterable[ProjectRow], *, write: bool, skip_invalid: bool) -> ImportOutcome:
        self.write, self.skip_invalid = write, skip_invalid
        # Read the ledger only now: when writing, after the event is locked.
        scope = [self.actor]
        if self.source.uploaded_by is not None:
            scope.append(self.source.uploaded_by)
        self.matcher = LedgerMatcher(
            event=self.event,
            scope_actors=scope,
            source_file=self.source.file_name,
            rates=self.rates,
        )
        rows = iter(rows)
        while batch := list(islice(rows, BATCH_SIZE)):
            self._batch(batch)
        return self.matcher.counts

    def _batch(self, rows: list[ProjectRow]) -> None:
        matcher = self.matcher
        matcher.investors.expected_rows = self.expected_rows()
        rejected = matcher.counts.rejected
        plan = matcher.plan(rows, lock=self.write)
        if self.checked is not None:
            self.checked(rows)
        if matcher.counts.rejected > rejected and not self.skip_invalid:
            # All or nothing: once a row is invalid nothing will be kept; stop writing.
            self.write = False
        if self.write:
            self._write(plan)

    def _write(self, plan: Plan) -> None:
        # Created organisations and projects point to the import's one audit row; an update
        # overwrites stored values, so each keeps its own row with the values before.
        if plan.creates:
            log = self._import_log()
            self.matcher.investors.create_new(actor=self.actor, created_by_import=log)
            # The import looks projects up by id only, so their other indexes can wait.
            self.indexes.drop_for(Project, self.expected_rows())
            projects = []
            for project, investor in plan.creates:
                data = project.__dict__  # as the matcher built it: no related object cached
                data["investor_id"] = investor.pk
                data["created_by_import_id"] = log.pk
                projects.append(project)
            bulk.insert(Project, projects, with_ids=True)
        if plan.updates:
            self._import_log()
            Project.objects.bulk_update(
                [project for project, _ in plan.updates], UPDATE_FIELDS, batch_size=200
            )
            record_updates(
                actor=self.actor,
                changes=((project, before, snapshot(project)) for project, before in plan.updates),
                source=self.source.via,
            )

    def _import_log(self) -> ChangeLog:
        """The import's audit row, written before the first record that points to it."""
        if self.import_log is None:
            self.import_log = record_change(
                actor=self.actor,
                instance=self.event,
                action=ChangeLog.Action.IMPORT,
                before=None,
                after=self._log_values(),
                source=self.source.via,
            )
        return self.import_log

    def _log_values(self) -> dict:
        values = {"file": self.source.file_name, "sha256": self.source.sha256}
        if self.source.uploaded_by is not None:
            values["uploaded_by"] = self.source.uploaded_by.get_username()
        return values

    def finish(self) -> None:
        """Rebuild deferred indexes; complete the import's audit row (if it wrote anything)."""
        self.indexes.rebuild()
        if self.import_log is None:
            return
        counts = self.matcher.counts
        self.import_log.after = {
            **self._log_values(),
            "skip_invalid": self.skip_invalid,
            "rows_read": self.source.rows_read() if self.source.rows_read else counts.rows,
            "created": counts.created,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
            "rejected": counts.rejected,
            "organisations_created": counts.organisations_created,
            "added_value_cny": str(counts.added_value_cny),
        }
        self.import_log.save(update_fields=["after"])
