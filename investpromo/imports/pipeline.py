"""The import pipeline: a file's sheets → header row → rows, parsed and checked, with problems.

One walk for every kind of file. A format (its vocabulary: the columns it looks for, how a
row's cells read, its row rules) says how a sheet's header is recognised and what its rows
are; signing lists (imports.signing) and progress reports (imports.progress) differ only
there. The pipeline reads and never writes: the rows it yields go to their domain's service,
which writes them and hands each batch back (`checked`) to be counted and reported, in one
summary and problem format (imports.report).
"""

from collections.abc import Callable, Iterator
from typing import Protocol

from investpromo.imports.headers import HeaderRow
from investpromo.imports.readers import UnreadableFile, read_sheets
from investpromo.imports.report import Problem, SheetReport, Summary
from investpromo.imports.rows import is_blank_row

HEADER_SEARCH_ROWS = 20
PROGRESS_EVERY = 1000

Progress = Callable[[int, int | None], None]


class Row(Protocol):
    """A data row as a format reads it: where it is, and its problems as (column, message)."""

    sheet: str
    number: int
    errors: list[tuple[str | None, str]]
    warnings: list[tuple[str | None, str]] | None


class SheetRules(Protocol):
    """How the data rows of one sheet read, once its header is known."""

    def row(self, number: int, cells: list) -> Row | None:
        """The row's fields and problems, or None for a row that is no data (totals, notes)."""


class FileFormat(Protocol):
    """A kind of file: how its header row is found and what its sheets' rows are."""

    def find_header(self, rows: list[list]) -> HeaderRow | None: ...

    def sheet(
        self, report: SheetReport, header: HeaderRow, number: int, cells: list, titles: list
    ) -> SheetRules: ...

    def no_header(self, rows: list[tuple[int, list]]) -> str:
        """Why a sheet without a header row was skipped."""

    def no_sheet(self, file: str, reasons: str) -> str:
        """The error when no sheet of the file has a header row."""


class Pipeline:
    """One file read through a format: rows out, and their outcome counted back in."""

    def __init__(
        self,
        *,
        path,
        file_name: str,
        file_format: FileFormat,
        report: Summary,
        progress: Progress | None = None,
        progress_every: int = PROGRESS_EVERY,
        keep_rejected: bool = False,
    ):
        self.format, self.report, self.progress = file_format, report, progress
        self.progress_every = progress_every
        self.sheets = read_sheets(path, display_name=file_name)
        self.keep_rejected = keep_rejected
        self.rejected_rows: list[tuple[Row, list[str]]] = []
        self.done = 0
        self.total = 0

    def expected_rows(self) -> int:
        """Rows of the sheets opened so far: a large load may defer its indexes."""
        return self.total

    def rows(self) -> Iterator[Row]:
        """Every data row of every sheet with a header row, in file order, with its problems."""
        for sheet in self.sheets:
            yield from self._sheet(sheet)
        report = self.report
        if not any(sheet.imported for sheet in report.sheets):
            reasons = "; ".join(f"{s.name}: {s.skip_reason}" for s in report.sheets)
            raise UnreadableFile(self.format.no_sheet(report.file, reasons))

    def finish(self) -> None:
        """Once the service is done: problems in file order, and the progress at its end."""
        self.report.sort_problems()
        if self.progress:
            self.progress(self.done, self.done)

    def _sheet(self, sheet) -> Iterator[Row]:
        report = SheetReport(sheet.name)
        self.report.sheets.append(report)
        self.total += sheet.total_rows or 0
        rows = iter(sheet.rows)
        head: list[tuple[int, list]] = []
        for number, cells in rows:
            head.append((number, cells))
            if number >= HEADER_SEARCH_ROWS:
                break
        searched = [(number, cells) for number, cells in head if number <= HEADER_SEARCH_ROWS]
        header = self.format.find_header([cells for _, cells in searched])
        self._tick(len(head))
        if header is None:
            report.skip_reason = self.format.no_header(searched)
            return
        number, cells = searched[header.index]
        titles = [cells for _, cells in searched[: header.index]]
        rules = self.format.sheet(report, header, number, cells, titles)
        for number, cells in head[header.index + 1 :]:
            if is_blank_row(cells):
                report.blank_rows += 1
            elif (row := rules.row(number, cells)) is not None:
                yield row
        progress, every = self.progress, self.progress_every
        for number, cells in rows:
            self.done += 1
            if progress and not self.done % every:
                progress(self.done, max(self.total, self.done) or None)
            if is_blank_row(cells):
                report.blank_rows += 1
            elif (row := rules.row(number, cells)) is not None:
                yield row

    def _tick(self, rows: int) -> None:
        before = self.done
        self.done += rows
        every = self.progress_every
        if self.progress and before // every != self.done // every:
            self.progress(self.done, max(self.total, self.done) or None)

    def checked(self, rows: list[Row]) -> None:
        """Count a batch of rows the service has decided on, and report their problems."""
        report = self.report
        for row in rows:
            sheet = report.sheet(row.sheet)
            if row.errors:
                sheet.rejected += 1
                report.rejected += 1
                report.errors.extend(
                    Problem(row.sheet, row.number, column, message)
                    for column, message in row.errors
                )
                if self.keep_rejected:
                    reasons = [f"{c}: {m}" if c else m for c, m in row.errors]
                    self.rejected_rows.append((row, reasons))
            else:
                sheet.valid += 1
            if row.warnings:
                report.warnings.extend(
                    Problem(row.sheet, row.number, column, message)
                    for column, message in row.warnings
                )
