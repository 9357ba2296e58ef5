"""One sheet's layout (header row, columns, unit) and the fields each of its rows holds.

Every cell is read with the pure parsers of `values` and the cached resolvers, collecting every
problem of the row (not just the first) as (column header, message). Nothing here touches the
database except through those caches.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, replace

from investpromo.core.errors import UserError
from investpromo.core.text import normalize_text
from investpromo.geo.models import Region
from investpromo.geo.resolver import resolve_region
from investpromo.imports import values
from investpromo.imports.headers import HeaderRow
from investpromo.orgs.uscc import validate_uscc
from investpromo.sectors.models import IndustryCategory
from investpromo.sectors.selectors import derive_sei_industry, resolve_industry_class

# Columns InvestPromo computes and writes into its exports and rejects files: ignored on import
# (recomputed), so an exported or rejected file re-imports without them becoming extra columns.
VALUE_CNY_HEADER = "折合人民币(元)"
RATE_HEADER = "汇率(人民币/单位)"
RATE_DATE_HEADER = "汇率日期"
ID_HEADER = "InvestPromo编号"
SOURCE_HEADER = "InvestPromo来源"
REASON_HEADER = "导入错误"
VALUE_CNY_WAN_HEADER = "折合人民币（万元）"
LATEST_STAGE_HEADER = "最新进展阶段"
LATEST_DATE_HEADER = "最新进展日期"
FUNDS_WAN_HEADER = "到位资金（万元）"
# Not computed: the amount as written beside a numeric value column (imports.export writes
# it); the importer keeps it as the text, and its approximate flag, when it reads as the value.
VALUE_TEXT_HEADER = "金额原文"
COMPUTED_HEADERS = (
    VALUE_CNY_HEADER,
    VALUE_CNY_WAN_HEADER,
    LATEST_STAGE_HEADER,
    LATEST_DATE_HEADER,
    FUNDS_WAN_HEADER,
    RATE_HEADER,
    RATE_DATE_HEADER,
    ID_HEADER,
    SOURCE_HEADER,
    REASON_HEADER,
)
_SPACES = re.compile(r"\s+")
# "单位：万元" in a title row: the unit of the value column when its header names none.
_TITLE_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*([^\s,，;；、()\[\]【】]+)")
_CACHE_LIMIT = 50_000
# The columns a service's row problem names, by the field it names.
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
# The optional project fields each column gives (a sheet without them keeps what is stored).
_GIVES = {
    "origin": ("origin_region",),
    "signing_date": ("signing_date",),
    "agreement_type": ("agreement_type",),
    "industry_code": ("industry_class", "sei_status"),
    "sei": ("sei_status",),
    "industry_text": ("industry_text",),
    "notes": ("notes",),
}
_PARSED_KEYS = (
    "project_name",
    "investor",
    "uscc",
    "destination",
    "origin",
    "contract_value",
    "currency",
    "signing_date",
    "agreement_type",
    "industry_code",
    "sei",
    "industry_text",
    "notes",
    "value_text",
)


def header_key(text: str) -> str:
    """How computed headers are compared: NFKC, case-folded, without whitespace."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).casefold()


_COMPUTED_KEYS = frozenset(header_key(text) for text in COMPUTED_HEADERS)


def is_blank(cell: object) -> bool:
    if cell is None or cell == "":
        return True
    return isinstance(cell, str) and cell.isspace()


def is_blank_row(cells: list) -> bool:
    """Whether every cell is blank (a data row's first cell usually settles it)."""
    for cell in cells:
        if cell is None or cell == "":
            continue
        if type(cell) is str and cell.isspace():
            continue
        return False
    return True


def cell_text(cell: object) -> str:
    """A cell as text: whole floats without .0, dates in ISO form, text trimmed."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(" ")
    if isinstance(cell, dt.date | dt.time):
        return cell.isoformat()
    return str(cell)


def _label(text: str) -> str:
    """A header as written, whitespace (line breaks in header cells) collapsed: for messages."""
    return " ".join(str(text).split())


class Layout:
    """The columns of one sheet, from its header row (and the title rows above it)."""

    def __init__(self, header: HeaderRow, header_cells: list, title_rows: list[list]):
        self.header_cells = header_cells
        self.positions = {match.key: position for position, match in header.columns.items()}
        # Positions of the columns RowReader.parse reads, in its order (None: not in the sheet).
        self.slots = [self.positions.get(key) for key in _PARSED_KEYS]
        self.labels = {match.key: _label(match.text) for match in header.columns.values()}
        self.unknown: list[tuple[int, str]] = []
        self.ignored: list[tuple[int, str]] = []
        for position, text in header.unknown:
            target = self.ignored if header_key(text) in _COMPUTED_KEYS else self.unknown
            target.append((position, _label(text)))
        # What a row of this sheet tells the ledger (see projects.matching.ProjectRow).
        self.given = frozenset(name for key in self.positions for name in _GIVES.get(key, ()))
        self.extra_columns = [label for _, label in self.unknown]
        value_match = header.columns[self.positions["contract_value"]]
        self.unit = value_match.unit
        self.unit_from_title = False
        if self.unit is None:
            self.unit = _title_unit(title_rows)
            self.unit_from_title = self.unit is not None
        sei_label = self.labels.get("sei", "")
        # "是否战略性新兴产业" asks yes or no: its 1 and 0 are answers, not industry codes.
        self.sei_yes_no = sei_label.startswith("是否")

    def has(self, key: str) -> bool:
        return key in self.positions

    def label(self, key: str) -> str:
        return self.labels.get(key) or self.labels["contract_value"]

    def cell(self, cells: list, key: str) -> object:
        position = self.positions.get(key)
        if position is None or position >= len(cells):
            return None
        return cells[position]


def _title_unit(title_rows: list[list]) -> str | None:
    for cells in title_rows:
        for cell in cells:
            if isinstance(cell, str) and "单位" in cell:
                match = _TITLE_UNIT.search(unicodedata.normalize("NFKC", cell))
                if match:
                    try:
                        values.parse_unit(match.group(1))
                    except values.ParseError:
                        continue
                    return match.group(1)
    return None


@dataclass(slots=True)
class ParsedRow:
    """The fields of one data row, and every problem found in it."""

    sheet: str
    number: int
    cells: list
    layout: Layout
    name: str = ""
    investor: str = ""
    # normalize_key of name and investor: the row's identity, computed once.
    name_key: str = ""
    investor_key: str = ""
    uscc: str | None = None
    destination: Region | None = None
    origin: Region | None = None
    amount: values.Amount | None = None
    value_text: str = ""
    signing_date: dt.date | None = None
    agreement_type: str = "unspecified"
    sei_status: str = "not_sei"
    sei_code: int | None = None
    # "derived" (from the industry class), "unknown" (blank and not derivable) or "" (given).
    sei_source: str = ""
    industry_class: IndustryCategory | None = None
    industry_text: str = ""
    notes: str = ""
    extra: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] | None = None

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))

    # What projects.matching.ProjectRow asks of a row: problems by field, the sheet's columns.

    def reject(self, field_name: str | None, message: str) -> None:
        """A problem the ledger found, put on the column of the field it names."""
        self.errors.append((self._column(field_name), message))

    def warn(self, field_name: str | None, message: str) -> None:
        if self.warnings is None:
            self.warnings = []
        self.warnings.append((self._column(field_name), message))

    def _column(self, field_name: str | None) -> str:
        column = _FIELD_COLUMNS.get(field_name or "", "contract_value")
        if column == "currency" and not self.layout.has("currency"):
            column = "contract_value"
        return self.layout.label(column)

    @property
    def given(self) -> frozenset[str]:
        return self.layout.given

    @property
    def extra_columns(self) -> list[str]:
        return self.layout.extra_columns


class RowReader:
    """Reads rows of one file; caches the parsing of repeated cell values."""

    def __init__(self, *, province: Region | None):
        self.province = province
        # One cache per kind of cell (a fresh dict per kind, so keys need no kind prefix).
        self._caches: dict[str, dict] = {}

    def _memo(self, kind: str, key, compute, *args):
        """compute(*args) once per key of a kind; a UserError is remembered as its message."""
        cache = self._caches.get(kind)
        if cache is None:
            cache = self._caches[kind] = {}
        try:
            return cache[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable cell: compute without the cache
            return self._safe(compute, *args)
        result = self._safe(compute, *args)
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[key] = result
        return result

    @staticmethod
    def _safe(compute, *args):
        try:
            return compute(*args)
        except UserError as error:
            return _Failure(error.message)

    def parse(self, layout: Layout, sheet: str, number: int, cells: list) -> ParsedRow:
        """The fields of a data row (not blank, not a summary row)."""
        row = ParsedRow(sheet, number, cells, layout)
        count = len(cells)
        (
            name,
            investor,
            uscc,
            destination,
            origin,
            value,
            currency,
            signing,
            agreement,
            industry,
            sei,
            industry_text,
            notes,
            value_text,
        ) = [cells[p] if p is not None and p < count else None for p in layout.slots]
        row.name = normalize_text(cell_text(name))
        row.investor = normalize_text(cell_text(investor))
        row.name_key, row.investor_key = row.name.casefold(), row.investor.casefold()
        if row.investor and not row.name:
            row.error(layout.label("project_name"), "the project name is missing")
        elif row.name and not row.investor:
            row.error(layout.label("investor"), "the investor is missing")
        self._uscc(layout, row, uscc)
        self._regions(layout, row, destination, origin)
        self._amount(layout, row, value, currency)
        if row.amount is not None and not is_blank(value_text):
            self._as_written(layout, row, value_text)
        row.signing_date = self._simple(layout, row, "signing_date", signing, values.parse_date)
        agreement = self._simple(
            layout, row, "agreement_type", agreement, values.parse_agreement_type
        )
        row.agreement_type = agreement or "unspecified"
        self._industry(layout, row, industry)
        self._sei(layout, row, sei)
        if not is_blank(industry_text):
            row.industry_text = normalize_text(cell_text(industry_text))
            if len(row.industry_text) > 200:
                row.error(layout.label("industry_text"), "at most 200 characters")
        if not is_blank(notes):
            row.notes = cell_text(notes)
        for position, label in layout.unknown:
            if position < count and not is_blank(cells[position]):
                row.extra[label] = cell_text(cells[position])
        return row

    def _simple(self, layout: Layout, row: ParsedRow, key: str, cell, parse):
        if is_blank(cell):
            return None
        result = self._memo(key, (cell, type(cell)), parse, cell)
        if isinstance(result, _Failure):
            row.error(layout.label(key), result.message)
            return None
        return result

    def _uscc(self, layout: Layout, row: ParsedRow, cell) -> None:
        if is_blank(cell):
            return
        result = self._memo("uscc", (cell, type(cell)), validate_uscc, cell)
        if isinstance(result, _Failure):
            row.error(layout.label("uscc"), result.message)
        else:
            row.uscc = result

    def _regions(self, layout: Layout, row: ParsedRow, destination, origin) -> None:
        if is_blank(destination):
            if row.name or row.investor:
                row.error(layout.label("destination"), "the destination region is missing")
        else:
            text = cell_text(destination)
            result = self._memo("destination", text, self._destination, text)
            if isinstance(result, _Failure):
                row.error(layout.label("destination"), result.message)
            else:
                row.destination = result
        if not is_blank(origin):
            text = cell_text(origin)
            result = self._memo("origin", text, resolve_region, text)
            if isinstance(result, _Failure):
                row.error(layout.label("origin"), result.message)
            else:
                row.origin = result

    def _destination(self, text: str) -> Region:
        return resolve_region(text, within=self.province)

    def _amount(self, layout: Layout, row: ParsedRow, cell, currency_cell) -> None:
        currency = None
        if not is_blank(currency_cell):
            result = self._memo(
                "currency",
                (currency_cell, type(currency_cell)),
                values.parse_currency,
                currency_cell,
            )
            if isinstance(result, _Failure):
                row.error(layout.label("currency"), result.message)
                return
            currency = result
        key = (cell, type(cell), layout.unit, currency)
        result = self._memo("amount", key, _read_amount, cell, layout.unit, currency)
        if isinstance(result, _Failure):
            row.error(layout.label("contract_value"), result.message)
        else:
            row.amount, row.value_text = result

    def _as_written(self, layout: Layout, row: ParsedRow, cell) -> None:
        """Keep the amount as written (its text and approximate flag) if it reads as the amount."""
        amount = row.amount
        assert amount is not None
        text = cell_text(cell)
        again = self._memo("as_written", (text, amount.currency), _read_as_written, text, amount)
        if isinstance(again, _Failure) or (again.value, again.currency) != (
            amount.value,
            amount.currency,
        ):
            row.warn(
                "contract_value",
                f'the amount as written ("{text[:40]}") is not the amount in '
                f"{layout.label('contract_value')}: the amount is kept, the text is not",
            )
            return
        row.amount = replace(amount, approximate=again.approximate, text=text)
        row.value_text = text[:200]

    def _industry(self, layout: Layout, row: ParsedRow, cell) -> None:
        if is_blank(cell):
            return
        # Excel turns the code 0519 into the number 519: put the leading zero back.
        text = (
            f"{int(cell):04d}" if isinstance(cell, float) and cell.is_integer() else cell_text(cell)
        )
        result = self._memo("industry", text, resolve_industry_class, text)
        if isinstance(result, _Failure):
            row.error(layout.label("industry_code"), result.message)
        else:
            row.industry_class = result

    def _sei(self, layout: Layout, row: ParsedRow, cell) -> None:
        result = (
            None
            if is_blank(cell)
            else self._memo("sei", (cell, type(cell), layout.sei_yes_no), _read_sei, cell, layout)
        )
        if isinstance(result, _Failure):
            row.error(layout.label("sei"), result.message)
            return
        if result is not None and result.status != "blank":
            row.sei_status, row.sei_code = result.status, result.industry_code
            return
        derived = derive_sei_industry(row.industry_class.code) if row.industry_class else None
        if derived is not None:
            row.sei_status, row.sei_code, row.sei_source = "sei", derived.code, "derived"
        else:
            row.sei_status, row.sei_code, row.sei_source = "not_sei", None, "unknown"


class _Failure:
    """A cached parse failure: its message, re-reported for every row with the same cell."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


def _read_sei(cell, layout: Layout) -> values.SEIChoice:
    if layout.sei_yes_no and _is_one_or_zero(cell):
        answer = values.parse_bool_like(cell)
        return values.SEIChoice("sei_unspecified" if answer else "not_sei")
    return values.parse_sei(cell)


def _is_one_or_zero(cell) -> bool:
    if isinstance(cell, bool):
        return False
    if isinstance(cell, int | float):
        return cell in (0, 1)
    return isinstance(cell, str) and cell.strip() in ("0", "1", "1.0", "0.0")


def _read_amount(cell, unit: str | None, currency: str | None) -> tuple[values.Amount, str]:
    """The amount and its text as stored: the cell as written, with the header's unit if needed."""
    # "12.5" under 签约金额（亿元） is kept as "12.5亿元", so the text alone still says the value.
    amount = values.parse_amount(cell, header_unit=unit, header_currency=currency)
    text = amount.text.strip()
    candidates = [text]
    if unit:
        candidates.append(f"{text}{unit}")
    if amount.currency != "CNY":
        candidates += [f"{candidate} {amount.currency}" for candidate in list(candidates)]
    for candidate in candidates:
        if len(candidate) <= 200 and _reads_as(candidate, amount):
            return amount, candidate
    return amount, text[:200]


def _read_as_written(text: str, amount: values.Amount) -> values.Amount:
    """The amount as-written text says, in the currency of the row when it names none."""
    try:
        return values.parse_amount(text, header_currency=amount.currency)
    except values.ParseError as error:
        raise UserError(str(error)) from None


def _reads_as(text: str, amount: values.Amount) -> bool:
    try:
        again = values.parse_amount(text)
    except values.ParseError:
        return False
    return (again.value, again.currency, again.approximate) == (
        amount.value,
        amount.currency,
        amount.approximate,
    )
