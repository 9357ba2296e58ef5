"""Importing a signing list (xlsx, xls, csv) into an event: the one importer for CLI, web and API.

Rows stream from the file; each sheet's header row is found, data rows are parsed, checked for
duplicates and totals rows, and handed in batches to the LedgerMatcher, which validates them
with the single-project rules and writes them in bulk. Writing happens in one transaction:
by default any invalid row rolls everything back; with skip_invalid the valid rows stay.
"""

import hashlib
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.db import IntegrityError, transaction

from investpromo.accounts.permissions import ensure_can_write_projects_in
from investpromo.core.errors import UserError
from investpromo.geo.resolver import province_of
from investpromo.imports import values
from investpromo.imports.batches import LedgerMatcher
from investpromo.imports.bulkinsert import large_page_cache
from investpromo.imports.headers import COLUMN_ALIASES, REQUIRED, find_header_row, match_header
from investpromo.imports.readers import Sheet, UnreadableFile, read_sheets
from investpromo.imports.rejects import check_rejects_path, write_rejects
from investpromo.imports.report import ImportReport, Problem, SheetReport
from investpromo.imports.rows import (
    Layout,
    ParsedRow,
    RowReader,
    cell_text,
    is_blank,
    is_blank_row,
    summary_amount,
    summary_label,
)

HEADER_SEARCH_ROWS = 20
BATCH_SIZE = 2000
PROGRESS_EVERY = 1000

Progress = Callable[[int, int | None], None]


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
    # UserError (UnreadableFile, PermissionDenied) only when the file or account cannot be
    # used at all; report.failed when, all or nothing, invalid rows stopped the write.
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
    sheets = read_sheets(path, display_name=file_name)
    run = _Run(
        actor=actor,
        event=event,
        report=report,
        file_name=file_name,
        file_digest=_sha256(path),
        progress=progress,
        uploaded_by=uploader,
    )
    if dry_run:
        run.run(sheets, write=False, skip_invalid=skip_invalid)
    else:
        # The cache setting is restored after the transaction ends (no query may run between a
        # rollback being marked and the end of the atomic block).
        try:
            with large_page_cache(), transaction.atomic():
                run.run(sheets, write=True, skip_invalid=skip_invalid)
                if report.failed:
                    transaction.set_rollback(True)
                else:
                    run.matcher.finish()
                    report.written = True
        except IntegrityError as error:
            # Someone wrote the same organisation (USCC) or ids meanwhile: all was rolled back.
            raise UserError(
                f"{file_name}: the ledger changed while importing (another import at the same "
                f"time?); nothing was written: import the file again ({error})"
            ) from None
    if rejects_path and run.matcher.rejected_rows:
        write_rejects(rejects_path, run.matcher.rejected_rows)
        report.rejects_path = str(rejects_path)
    report.seconds = time.perf_counter() - started
    return report


class _Sums:
    """Amounts of the rows above in a sheet, in all and since the last totals row."""

    def __init__(self):
        self.all: dict[str, Decimal] = {}
        self.since: dict[str, Decimal] = {}
        self.cny_all = self.cny_since = Decimal(0)
        self.currencies: set[str] = set()

    def add(self, amount: values.Amount, cny: Decimal | None) -> None:
        for sums in (self.all, self.since):
            sums[amount.currency] = sums.get(amount.currency, Decimal(0)) + amount.value
        self.currencies.add(amount.currency)
        if cny is not None:
            self.cny_all += cny
            self.cny_since += cny

    def candidates(self, currency: str) -> list[tuple[Decimal, str]]:
        """Sums a totals row may mean: of all rows above or since the last totals row."""
        found = [
            (self.all.get(currency, Decimal(0)), ""),
            (self.since.get(currency, Decimal(0)), " since the last totals row"),
        ]
        if currency == "CNY" and len(self.currencies) > 1:
            converted = " with other currencies converted at the dated rates"
            found = [
                (self.cny_all, converted),
                (self.cny_since, converted + ", since the last totals row"),
                *found,
            ]
        return found

    def restart(self) -> None:
        self.since = {}
        self.cny_since = Decimal(0)


class _Run:
    """One pass over the file's sheets."""

    def __init__(
        self,
        *,
        actor,
        event,
        report: ImportReport,
        file_name: str,
        file_digest: str,
        progress,
        uploaded_by=None,
    ):
        self.event, self.report, self.progress = event, report, progress
        self.matcher = LedgerMatcher(
            actor=actor,
            event=event,
            report=report,
            source=(
                f"import {file_name}"
                if uploaded_by is None
                else f"import uploaded by {uploaded_by.get_username()}: {file_name}"
            )[:300],
            file_name=file_name,
            file_digest=file_digest,
            uploaded_by=uploaded_by,
        )
        self.reader = RowReader(province=province_of(event.host_region))
        self.seen: dict[tuple, tuple[str, int]] = {}
        self.batch: list[ParsedRow] = []
        self.done = 0
        self.total = 0
        self.write = False
        self.skip_invalid = False

    def run(self, sheets, *, write: bool, skip_invalid: bool) -> None:
        self.write, self.skip_invalid = write, skip_invalid
        for sheet in sheets:
            self._sheet(sheet)
        self._flush()
        if not any(sheet.imported for sheet in self.report.sheets):
            reasons = "; ".join(f"{s.name}: {s.skip_reason}" for s in self.report.sheets)
            raise UnreadableFile(
                f"{self.report.file}: no sheet has a header row naming the project, investor, "
                f"destination and value columns within its first {HEADER_SEARCH_ROWS} rows"
                + (f" ({reasons})" if reasons else " (the file is empty)")
            )
        order = {sheet.name: index for index, sheet in enumerate(self.report.sheets)}
        self.report.warnings.sort(key=lambda p: (order.get(p.sheet, 0), p.row or 0))
        self.report.errors.sort(key=lambda p: (order.get(p.sheet, 0), p.row or 0))
        if self.progress:
            self.progress(self.done, self.done)

    def _sheet(self, sheet: Sheet) -> None:
        report = SheetReport(sheet.name)
        self.report.sheets.append(report)
        self.total += sheet.total_rows or 0
        self.matcher.expected_rows = self.total
        rows = iter(sheet.rows)
        head: list[tuple[int, list]] = []
        for number, cells in rows:
            head.append((number, cells))
            if number >= HEADER_SEARCH_ROWS:
                break
        searched = [(number, cells) for number, cells in head if number <= HEADER_SEARCH_ROWS]
        header = find_header_row([cells for _, cells in searched], max_rows=HEADER_SEARCH_ROWS)
        self._tick(len(head))
        if header is None:
            report.skip_reason = _why_no_header(searched)
            return
        header_number, header_cells = searched[header.index]
        layout = Layout(header, header_cells, [cells for _, cells in searched[: header.index]])
        report.header_row, report.unit = header_number, layout.unit
        report.unknown_columns = [label for _, label in layout.unknown]
        report.ignored_columns = [label for _, label in layout.ignored]
        if layout.unit_from_title:
            self.report.warnings.append(
                Problem(
                    sheet.name,
                    header_number,
                    layout.label("contract_value"),
                    f"the header names no unit: values are read in {layout.unit}, "
                    "as the title rows say",
                )
            )
        sums = _Sums()
        for number, cells in head[header.index + 1 :]:
            self._row(layout, report, sums, number, cells)
        for number, cells in rows:
            self._tick(1)
            self._row(layout, report, sums, number, cells)

    def _tick(self, rows: int) -> None:
        before = self.done
        self.done += rows
        if self.progress and before // PROGRESS_EVERY != self.done // PROGRESS_EVERY:
            self.progress(self.done, max(self.total, self.done) or None)

    def _row(self, layout: Layout, report: SheetReport, sums: _Sums, number: int, cells) -> None:
        if is_blank_row(cells):
            report.blank_rows += 1
            return
        label = summary_label(layout, cells)
        if label is not None:
            report.summary_rows += 1
            self._check_summary(layout, report.name, number, label, cells, sums)
            sums.restart()
            return
        row = self.reader.parse(layout, report.name, number, cells)
        report.rows_read += 1
        if not row.name and not row.investor:
            if is_blank(layout.cell(cells, "contract_value")):
                report.ignored += 1
                text = " ".join(cell_text(cell) for cell in cells if not is_blank(cell))
                self.report.warnings.append(
                    Problem(
                        report.name,
                        number,
                        None,
                        f"ignored: no project name, investor or amount ({text[:80]})",
                    )
                )
                return
            row.errors.insert(
                0,
                (layout.label("project_name"), "the row has an amount but no project or investor"),
            )
        if row.amount is not None:
            sums.add(row.amount, self._cny(row))
        if row.name and row.investor:
            self._check_duplicate(row)
        self.batch.append(row)
        if len(self.batch) >= BATCH_SIZE:
            self._flush()

    def _cny(self, row: ParsedRow) -> Decimal | None:
        amount = row.amount
        if amount.currency == "CNY":
            return amount.value
        try:
            on = row.signing_date or self.event.start_date
            return amount.value * self.matcher.rates.rate_on(amount.currency, on)[1]
        except UserError:
            return None

    def _check_duplicate(self, row: ParsedRow) -> None:
        # name_key and investor_key are normalize_key of the normalised name and investor.
        investor_key = ("uscc", row.uscc) if row.uscc else ("name", row.investor_key)
        key = (investor_key, row.name_key)
        first = self.seen.get(key)
        if first is None:
            self.seen[key] = (row.sheet, row.number)
            return
        row.error(
            row.layout.label("project_name"),
            f"duplicate of {first[0]}!{first[1]} (same investor and project name): "
            "the project is imported once",
        )

    def _check_summary(self, layout, sheet: str, number: int, label: str, cells, sums) -> None:
        found = summary_amount(layout, cells)
        if found is None:
            return
        amount, tolerance = found
        candidates = sums.candidates(amount.currency)
        if any(abs(total - amount.value) <= tolerance for total, _ in candidates):
            return
        unit = layout.unit or "元"
        (total, how), (since, since_how) = candidates[:2]
        message = (
            f"the {label} row says {_shown(amount.value, amount.currency, unit)} but the rows "
            f"above add up to {_shown(total, amount.currency, unit)}{how}"
        )
        if since != total:
            message += f" ({_shown(since, amount.currency, unit)}{since_how})"
        self.report.warnings.append(
            Problem(
                sheet,
                number,
                layout.label("contract_value"),
                message + ": check for missing or repeated rows",
            )
        )

    def _flush(self) -> None:
        if not self.batch:
            return
        rows, self.batch = self.batch, []
        all_valid = self.matcher.process(rows, write=self.write)
        if not all_valid and not self.skip_invalid:
            # All or nothing: once a row is invalid nothing will be kept; stop writing.
            self.write = False


def _sha256(path) -> str:
    """The file's SHA-256, recorded in the import's audit row: which file exactly was read."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _why_no_header(rows: list[tuple[int, list]]) -> str:
    """Which required columns the likeliest header row lacks, for the summary."""
    best: tuple[int, int, set[str]] | None = None
    for number, cells in rows:
        found = {match.key for cell in cells if (match := match_header(cell)) is not None}
        named = len(found & set(REQUIRED))
        if named and (best is None or named > best[1]):
            best = (number, named, found)
    if best is None:
        return "no header row"
    number, _, found = best
    missing = [COLUMN_ALIASES[key][0] for key in REQUIRED if key not in found]
    return f"row {number} looks like the header but has no {', '.join(missing)} column"


def _shown(value: Decimal, currency: str, unit: str) -> str:
    try:
        return values.format_amount(value, currency, unit=unit)
    except UserError:
        return f"{value:,} {currency}"
