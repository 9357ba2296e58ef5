"""The vocabulary of a signing list: its columns, how its rows read, and its row rules.

Rows are parsed by rows.RowReader; the rules here are the sheet's own: rows without project,
investor or amount are notes, totals rows are checked against the rows above them, and a
project named twice in the file is imported once.
"""

import re
import unicodedata
from decimal import Decimal

from investpromo.core.errors import UserError
from investpromo.core.text import normalize_text
from investpromo.geo.resolver import province_of
from investpromo.imports import messages, values
from investpromo.imports.headers import (
    COLUMN_ALIASES,
    REQUIRED,
    find_header_row,
    is_summary_label,
    match_header,
)
from investpromo.imports.pipeline import HEADER_SEARCH_ROWS
from investpromo.imports.report import ImportReport, Problem, SheetReport
from investpromo.imports.rows import Layout, ParsedRow, RowReader, cell_text, is_blank
from investpromo.projects.rates import RateBook

_MAYBE_TOTAL = re.compile("[计lLｌＬ]")

# A row signed this long before the event's start, or after its end, is likely not the
# event's: agreements presented at an event are often negotiated and signed in the months
# before it (never half a year, as most events are annual and half a year is the midpoint
# between two editions: last year's rows land well outside), and a signing list is compiled
# within weeks after it. Such rows are imported, with a warning naming them.
SIGNED_BEFORE_EVENT_DAYS = 180
SIGNED_AFTER_EVENT_DAYS = 30


class SigningList:
    """A signing list as the pipeline reads it (see pipeline.FileFormat)."""

    def __init__(self, *, event, report: ImportReport, rates: RateBook):
        self.event, self.report, self.rates = event, report, rates
        self.reader = RowReader(province=province_of(event.host_region))
        # The first row of each identity, by (investor USCC or name, project name).
        self.seen: dict[tuple, tuple[str, int]] = {}

    def find_header(self, rows: list[list]):
        return find_header_row(rows, max_rows=HEADER_SEARCH_ROWS)

    def no_header(self, rows: list[tuple[int, list]]) -> str:
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

    def no_sheet(self, file: str, reasons: str) -> str:
        return (
            f"{file}: no sheet has a header row naming the project, investor, "
            f"destination and value columns within its first {HEADER_SEARCH_ROWS} rows"
            + (f" ({reasons})" if reasons else " (the file is empty)")
        )

    def sheet(self, report: SheetReport, header, number: int, cells: list, titles: list):
        layout = Layout(header, cells, titles)
        report.header_row, report.unit = number, layout.unit
        report.unknown_columns = [label for _, label in layout.unknown]
        report.ignored_columns = [label for _, label in layout.ignored]
        if layout.unit_from_title:
            self.report.warnings.append(
                Problem(
                    report.name,
                    number,
                    layout.label("contract_value"),
                    f"the header names no unit: values are read in {layout.unit}, "
                    "as the title rows say",
                )
            )
        return _Sheet(self, layout, report)

    def cny(self, row: ParsedRow) -> Decimal | None:
        """The row's amount in yuan, for the totals check (None: no rate)."""
        amount = row.amount
        if amount.currency == "CNY":
            return amount.value
        try:
            on = row.signing_date or self.event.start_date
            return amount.value * self.rates.rate_on(amount.currency, on)[1]
        except UserError:
            return None

    def check_signing_date(self, row: ParsedRow) -> None:
        """Warn of a signing date far outside the event's dates (row from another event?)."""
        signed, event = row.signing_date, self.event
        if signed is None:
            return
        if (signed - event.start_date).days < -SIGNED_BEFORE_EVENT_DAYS:
            code, days, limit = (
                "signing_date_before_event",
                (event.start_date - signed).days,
                SIGNED_BEFORE_EVENT_DAYS,
            )
        elif (signed - event.end_date).days > SIGNED_AFTER_EVENT_DAYS:
            code, days, limit = (
                "signing_date_after_event",
                (signed - event.end_date).days,
                SIGNED_AFTER_EVENT_DAYS,
            )
        else:
            return
        params = {
            "file": self.report.file,
            "event": event.slug,
            "date": signed.isoformat(),
            "start": event.start_date.isoformat(),
            "end": event.end_date.isoformat(),
            "days": days,
            "limit": limit,
        }
        self.report.warnings.append(
            Problem(
                row.sheet,
                row.number,
                row.layout.label("signing_date"),
                messages.english(code, params),
                code=code,
                params=params,
            )
        )

    def check_duplicate(self, row: ParsedRow) -> None:
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


class _Sheet:
    """The rows of one sheet of a signing list."""

    def __init__(self, signing: SigningList, layout: Layout, report: SheetReport):
        self.signing, self.layout, self.report = signing, layout, report
        self.reader = signing.reader
        self.sums = _Sums()

    def row(self, number: int, cells: list) -> ParsedRow | None:
        layout, report = self.layout, self.report
        label = summary_label(layout, cells)
        if label is not None:
            report.summary_rows += 1
            self._check_summary(number, label, cells)
            self.sums.restart()
            return None
        row = self.reader.parse(layout, report.name, number, cells)
        report.rows_read += 1
        if not row.name and not row.investor:
            if is_blank(layout.cell(cells, "contract_value")):
                report.ignored += 1
                text = " ".join(cell_text(cell) for cell in cells if not is_blank(cell))
                self.signing.report.warnings.append(
                    Problem(
                        report.name,
                        number,
                        None,
                        f"ignored: no project name, investor or amount ({text[:80]})",
                    )
                )
                return None
            row.errors.insert(
                0,
                (layout.label("project_name"), "the row has an amount but no project or investor"),
            )
        if row.amount is not None:
            self.sums.add(row.amount, self.signing.cny(row))
        if row.name and row.investor:
            self.signing.check_duplicate(row)
        self.signing.check_signing_date(row)
        return row

    def _check_summary(self, number: int, label: str, cells) -> None:
        layout = self.layout
        found = summary_amount(layout, cells)
        if found is None:
            return
        amount, tolerance = found
        candidates = self.sums.candidates(amount.currency)
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
        self.signing.report.warnings.append(
            Problem(
                self.report.name,
                number,
                layout.label("contract_value"),
                message + ": check for missing or repeated rows",
            )
        )


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


def _shown(value: Decimal, currency: str, unit: str) -> str:
    try:
        return values.format_amount(value, currency, unit=unit)
    except UserError:
        return f"{value:,} {currency}"


def summary_label(layout: Layout, cells: list) -> str | None:
    """The label of a totals row (合计, 总计, 小计, Total…) in its serial or name cell, else None."""
    for key in ("serial", "project_name"):
        cell = layout.cell(cells, key)
        # Labels are short and end in 计 or "total" (合计, 小计, Grand total): most project
        # names need no closer look.
        if (
            isinstance(cell, str)
            and len(cell) <= 24
            and _MAYBE_TOTAL.search(cell)
            and is_summary_label(cell)
        ):
            return normalize_text(cell)
    return None


def summary_amount(layout: Layout, cells: list) -> tuple[values.Amount, Decimal] | None:
    """A totals row's amount and how close a sum must be to agree with it, or None."""
    # Half a unit of the last digit written (1.23亿 agrees with 1.234亿; 100000万元 does not
    # with 80000万元), and at least a billionth, for the float noise of a SUM formula.
    cell = layout.cell(cells, "contract_value")
    if is_blank(cell):
        return None
    try:
        amount = values.parse_amount(cell, header_unit=layout.unit)
    except values.ParseError:
        return None
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", cell_text(cell))).lstrip("0")
    if digits:
        place = amount.value.adjusted() - (len(digits) - 1)
    else:  # Chinese numerals: the last non-zero digit is the last one written
        place = amount.value.normalize().as_tuple().exponent
    return amount, max(Decimal(1).scaleb(place) / 2, amount.value * Decimal("1e-9"))
