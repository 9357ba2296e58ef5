"""What an import did (or, in a dry run, would do): counts, totals, problems, per sheet."""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Problem:
    """A row error or a warning, located as `SHEET!ROW: COLUMN: message`."""

    sheet: str
    row: int | None
    column: str | None
    message: str
    # A coded problem (imports.messages) is shown in the reader's language from its code and
    # parameters; `message` is its English text, for the command line and logs.
    code: str = ""
    params: dict | None = field(default=None, compare=False, hash=False)

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.row}" if self.row is not None else self.sheet
        return (
            f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )

    def to_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "text": str(self),
            **({"code": self.code, "params": self.params or {}} if self.code else {}),
        }


@dataclass
class SheetReport:
    """One worksheet: whether it had a header row, and what its rows came to."""

    name: str
    header_row: int | None = None
    rows_read: int = 0
    valid: int = 0
    rejected: int = 0
    summary_rows: int = 0
    blank_rows: int = 0
    # Rows with text but no project, investor or amount (notes, signatures under the table).
    ignored: int = 0
    unit: str | None = None
    unknown_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    # Why a sheet without a header row was skipped ("row 2 … has no 落地地区 column").
    skip_reason: str = ""

    @property
    def imported(self) -> bool:
        return self.header_row is not None

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "imported": self.imported,
            "header_row": self.header_row,
            "rows_read": self.rows_read,
            "valid": self.valid,
            "rejected": self.rejected,
            "summary_rows": self.summary_rows,
            "blank_rows": self.blank_rows,
            "ignored": self.ignored,
            "unit": self.unit,
            "unknown_columns": list(self.unknown_columns),
            "ignored_columns": list(self.ignored_columns),
            "skip_reason": self.skip_reason,
        }


@dataclass
class Summary:
    """What any import did or would do: its sheets, counts and problems, one format for all."""

    file: str
    dry_run: bool = False
    skip_invalid: bool = False
    written: bool = False
    sheets: list[SheetReport] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rejects_path: str | None = None
    # A rejects file asked for but not written, as no row was rejected; whether an older file
    # is at that path (left as it was).
    rejects_not_written: str | None = None
    rejects_left_over: bool = False
    seconds: float = 0.0

    def sheet(self, name: str) -> SheetReport:
        """The report of the sheet with this name (sheet names are unique in a workbook)."""
        for sheet in reversed(self.sheets):
            if sheet.name == name:
                return sheet
        raise KeyError(name)

    @property
    def rows_read(self) -> int:
        return sum(sheet.rows_read for sheet in self.sheets)

    @property
    def skipped_sheets(self) -> list[str]:
        return [sheet.name for sheet in self.sheets if not sheet.imported]

    @property
    def failed(self) -> bool:
        """All-or-nothing and some row was invalid: nothing was (or would be) written."""
        return bool(self.errors) and not self.skip_invalid

    @property
    def status(self) -> str:
        if self.failed:
            return "invalid"
        return "dry_run" if self.dry_run else "written"

    def sort_problems(self) -> None:
        """Errors and warnings in file order: by sheet, then row."""
        order = {sheet.name: index for index, sheet in enumerate(self.sheets)}
        self.warnings.sort(key=lambda p: (order.get(p.sheet, 0), p.row or 0))
        self.errors.sort(key=lambda p: (order.get(p.sheet, 0), p.row or 0))


@dataclass
class ImportReport(Summary):
    """The outcome of import_signing_list; `to_dict()` is the API's JSON, `format_text()` the CLI's."""

    event: str = ""
    organisations_created: int = 0
    sei_derived: int = 0
    sei_unknown: int = 0
    added_value_cny: Decimal = Decimal("0.00")
    updated_value_change_cny: Decimal = Decimal("0.00")
    # The first rows as read and resolved, for the web preview (projects.matching.PREVIEW_ROWS).
    preview: list[dict] = field(default_factory=list)

    @property
    def summary_rows(self) -> int:
        return sum(sheet.summary_rows for sheet in self.sheets)

    @property
    def unknown_columns(self) -> list[str]:
        seen: dict[str, None] = {}
        for sheet in self.sheets:
            seen.update(dict.fromkeys(sheet.unknown_columns))
        return list(seen)

    def to_dict(self, *, max_problems: int | None = None) -> dict:
        """JSON-ready (decimals as strings); problem lists cut at max_problems when given."""
        errors, warnings = self.errors, self.warnings
        if max_problems is not None:
            errors, warnings = errors[:max_problems], warnings[:max_problems]
        return {
            "file": self.file,
            "event": self.event,
            "status": self.status,
            "dry_run": self.dry_run,
            "skip_invalid": self.skip_invalid,
            "written": self.written,
            "sheets": [sheet.to_dict() for sheet in self.sheets],
            "skipped_sheets": self.skipped_sheets,
            "rows_read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "summary_rows_skipped": self.summary_rows,
            "organisations_created": self.organisations_created,
            "unknown_columns": self.unknown_columns,
            "sei_derived": self.sei_derived,
            "sei_unknown": self.sei_unknown,
            "added": {"projects": self.created, "value_cny": str(self.added_value_cny)},
            "updated_value_change_cny": str(self.updated_value_change_cny),
            "error_count": len(self.errors),
            "warning_count": len(self.warnings),
            "errors": [problem.to_dict() for problem in errors],
            "warnings": [problem.to_dict() for problem in warnings],
            "rejects_path": self.rejects_path,
            "seconds": round(self.seconds, 3),
        }

    def format_text(self) -> str:
        """The summary the command prints, problems included."""
        lines = [self._headline()]
        for sheet in self.sheets:
            lines.append(f"  {_sheet_line(sheet)}")
        verb = "would be " if not self.written else ""
        lines.append(
            f"Projects: {self.created} {verb}created, {self.updated} {verb}updated, "
            f"{self.unchanged} unchanged, {self.rejected} rejected"
        )
        lines.append(f"Organisations {verb}created: {self.organisations_created}")
        lines.append(
            f"Added: {self.created} projects, {_money(self.added_value_cny)} CNY"
            + (
                f"; updates changed the total by {_money(self.updated_value_change_cny, sign=True)} CNY"
                if self.updated
                else ""
            )
        )
        lines.append(
            f"SEI left blank: derived from the industry code for {self.sei_derived} rows, "
            f"unknown (counted as not SEI) for {self.sei_unknown}"
        )
        if self.summary_rows:
            lines.append(f"Summary rows skipped: {self.summary_rows}")
        if self.unknown_columns:
            lines.append(
                "Unknown columns kept as extra attributes: " + ", ".join(self.unknown_columns)
            )
        if self.rejects_path:
            lines.append(f"Rejected rows written to {self.rejects_path}")
        elif self.rejects_not_written:
            lines.append(
                f"No rows rejected; {self.rejects_not_written} not written"
                + (
                    " (the file already there is not from this import: left untouched)"
                    if self.rejects_left_over
                    else ""
                )
            )
        if self.warnings:
            lines.append(f"Warnings ({len(self.warnings)}):")
            lines.extend(f"  {problem}" for problem in self.warnings)
        if self.errors:
            lines.append(f"Errors ({len(self.errors)}):")
            lines.extend(f"  {problem}" for problem in self.errors)
        return "\n".join(lines)

    def _headline(self) -> str:
        if self.failed:
            outcome = (
                f"{self.rejected} invalid rows: nothing was written (fix them, or use "
                "--skip-invalid to import the valid rows)"
            )
            if self.dry_run:
                outcome = f"{self.rejected} invalid rows (dry run: nothing written)"
        elif self.dry_run:
            outcome = "dry run: nothing written"
        else:
            outcome = "written" if self.written else "nothing to write"
        return f"{self.file} → event {self.event}: {self.rows_read} rows read; {outcome}"


@dataclass
class ProgressImportReport(Summary):
    """The outcome of import_progress: steps created, updated and unchanged, and the problems."""

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "status": self.status,
            "dry_run": self.dry_run,
            "written": self.written,
            "rows_read": {sheet.name: sheet.rows_read for sheet in self.sheets if sheet.imported},
            "skipped_sheets": self.skipped_sheets,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": [p.to_dict() for p in self.errors],
            "warnings": [p.to_dict() for p in self.warnings],
        }

    def format_text(self) -> str:
        lines = [str(p) for p in self.errors] + [f"warning: {p}" for p in self.warnings]
        for sheet in self.sheets:
            if sheet.imported:
                lines.append(f"sheet {sheet.name}: {sheet.rows_read} rows read")
        for name in self.skipped_sheets:
            lines.append(f"sheet {name}: skipped (no header row with stage and date)")
        verb = "would be" if self.dry_run or self.failed else "were"
        lines.append(
            f"steps: {self.created} new, {self.updated} updated, {self.unchanged} unchanged "
            f"{verb} written; {self.rejected} rows rejected"
        )
        if self.failed:
            lines.append("nothing was written: fix the rows above and import again")
        return "\n".join(lines)


def _sheet_line(sheet: SheetReport) -> str:
    if not sheet.imported:
        return f"{sheet.name}: skipped ({sheet.skip_reason or 'no header row'})"
    parts = [f"{sheet.rows_read} rows read", f"{sheet.valid} valid", f"{sheet.rejected} rejected"]
    if sheet.summary_rows:
        parts.append(f"{sheet.summary_rows} summary rows skipped")
    unit = f", values in {sheet.unit}" if sheet.unit else ""
    return f"{sheet.name}: header on row {sheet.header_row}{unit}; " + ", ".join(parts)


def _money(value: Decimal, *, sign: bool = False) -> str:
    return f"{value:+,.2f}" if sign else f"{value:,.2f}"
