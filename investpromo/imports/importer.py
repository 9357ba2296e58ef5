"""Importing a signing list (xlsx, xls, csv) into an event: the one importer for CLI, web and API.

The pipeline reads the file (sheets, header rows, parsed and checked rows: imports.pipeline
with the signing-list vocabulary of imports.signing); the projects service matches the rows
to the event's ledger and writes them (projects.services.import_projects), in one
transaction: by default any invalid row rolls everything back; with skip_invalid the valid
rows stay.
"""

import hashlib
import time
from pathlib import Path

from investpromo.accounts.permissions import ensure_can_write_projects_in
from investpromo.imports.pipeline import Pipeline, Progress
from investpromo.imports.rejects import check_rejects_path, write_rejects
from investpromo.imports.report import ImportReport
from investpromo.imports.signing import SigningList
from investpromo.projects.rates import RateBook
from investpromo.projects.services import ImportSource, import_projects

PROGRESS_EVERY = 1000


def import_signing_list(
    *,
    actor,
    path,
    event,
    dry_run: bool = False,
    skip_invalid: bool = False,
    rejects_path=None,
    progress: Progress | None = None,
    source_name: str | None = None,
    uploaded_by=None,
) -> ImportReport:
    """Import every sheet of the file into the event; row problems are in the report."""
    # uploaded_by: whose upload an administrator (the actor) confirms. The actor writes and the
    # audit names them; rows must be within the uploader's regions too, as the preview checked.
    # UserError (UnreadableFile, PermissionDenied, Conflict) only when the file or account
    # cannot be used at all, or another import changed the ledger meanwhile; report.failed
    # when, all or nothing, invalid rows stopped the write.
    # progress(done_rows, total_rows or None) is called every PROGRESS_EVERY rows and at the end.
    started = time.perf_counter()
    file_name = source_name or Path(path).name
    # A read-only account, or a rejects file we cannot write, is refused before reading.
    ensure_can_write_projects_in(actor)
    uploader = uploaded_by if uploaded_by is not None and uploaded_by != actor else None
    if rejects_path:
        check_rejects_path(rejects_path)
    report = ImportReport(
        file=file_name, event=event.slug, dry_run=dry_run, skip_invalid=skip_invalid
    )
    rates = RateBook()
    pipeline = Pipeline(
        path=path,
        file_name=file_name,
        file_format=SigningList(event=event, report=report, rates=rates),
        report=report,
        progress=progress,
        progress_every=PROGRESS_EVERY,
        keep_rejected=bool(rejects_path),
    )
    outcome = import_projects(
        actor=actor,
        event=event,
        rows=pipeline.rows(),
        source=ImportSource(
            file_name=file_name,
            sha256=_sha256(path),
            uploaded_by=uploader,
            rows_read=lambda: report.rows_read,
        ),
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        rates=rates,
        checked=pipeline.checked,
        expected_rows=pipeline.expected_rows,
    )
    pipeline.finish()
    report.written = outcome.written
    report.created, report.updated = outcome.created, outcome.updated
    report.unchanged = outcome.unchanged
    report.organisations_created = outcome.organisations_created
    report.sei_derived, report.sei_unknown = outcome.sei_derived, outcome.sei_unknown
    report.added_value_cny = outcome.added_value_cny
    report.updated_value_change_cny = outcome.updated_value_change_cny
    report.preview = outcome.preview
    if rejects_path and pipeline.rejected_rows:
        write_rejects(rejects_path, pipeline.rejected_rows)
        report.rejects_path = str(rejects_path)
    elif rejects_path:
        # An older rejects file is left untouched (never deleted: it may be someone's work in
        # progress); the summary says it is not this run's, so it is not taken for one.
        report.rejects_not_written = str(rejects_path)
        report.rejects_left_over = Path(rejects_path).exists()
    report.seconds = time.perf_counter() - started
    return report


def _sha256(path) -> str:
    """The file's SHA-256, recorded in the import's audit row: which file exactly was read."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
