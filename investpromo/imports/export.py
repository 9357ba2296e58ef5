"""Exporting projects as a signing list the importer reads back to the same ledger.

Headers are importer aliases. The value is a number in 万 of the project's currency (the
header says the unit, the currency column the currency), and beside the computed columns the
amount as written (金额原文), which the importer keeps as the text and approximate flag when it
reads as that number; regions are written as full names (or codes where a full name would not
resolve to the same region); extra attributes become their own columns. Computed columns (CNY
value, latest progress step, funds in place, rate) come last and the importer ignores them,
since it recomputes them. The last row holds the totals (合计), which the importer skips.

An xlsx export has a frozen header, set column widths and number formats, a second sheet with
the projects' progress steps as `investpromo import-progress` reads them
(imports.progress_export) and a third with the filters used and the time of export
(imports.export_sheets).

Text cells are written so that no spreadsheet runs them as formulas (core.spreadsheets), and
one odd record cannot stop an export: an extra attribute that is no plain value (a legacy
nested map) is written as its JSON text.
"""

import csv
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from investpromo.core.errors import UserError, check_writable_file
from investpromo.core.spreadsheets import csv_row, replaced_atomically
from investpromo.followup.selectors import progress_as_of
from investpromo.geo.resolver import province_of, resolve_region
from investpromo.imports import values
from investpromo.imports.export_sheets import (
    SIGNING_SHEET,
    Column,
    number_in_wan,
    write_info_sheet,
    write_table_sheet,
)
from investpromo.imports.progress_export import PROGRESS_SHEET, STAGE_WORDS, progress_table
from investpromo.imports.rows import (
    FUNDS_WAN_HEADER,
    ID_HEADER,
    LATEST_DATE_HEADER,
    LATEST_STAGE_HEADER,
    RATE_DATE_HEADER,
    RATE_HEADER,
    SOURCE_HEADER,
    VALUE_CNY_WAN_HEADER,
    VALUE_TEXT_HEADER,
)
from investpromo.projects.models import Project

# The value column: a number in 万 of the currency in the next column (a header unit of 万元
# would make every value yuan, and the importer would refuse a USD row under it).
VALUE_HEADER = "签约金额（万）"
TOTALS_LABEL = "合计"
_TEXT, _WIDE, _NUMBER, _DATE = 14, 30, 16, 12
HEADERS = [
    Column("序号", 8),
    Column("项目名称", _WIDE),
    Column("投资方", _WIDE),
    Column("统一社会信用代码", 22),
    Column("投资方所在地", 24),
    Column("落地地区", 24),
    Column(VALUE_HEADER, _NUMBER, number=True),
    Column("币种", 8),
    Column("签约日期", _DATE, date=True),
    Column("签约类型", 10),
    Column("战略性新兴产业", 22),
    Column("行业代码", 10),
    Column("所属行业", 20),
    Column("备注", _WIDE),
]
COMPUTED = [
    Column(VALUE_TEXT_HEADER, 18),
    Column(VALUE_CNY_WAN_HEADER, _NUMBER, number=True),
    Column(LATEST_STAGE_HEADER, 12),
    Column(LATEST_DATE_HEADER, _DATE, date=True),
    Column(FUNDS_WAN_HEADER, _NUMBER, number=True),
    Column(RATE_HEADER, 14),
    Column(RATE_DATE_HEADER, _DATE, date=True),
    Column(ID_HEADER, 14),
    Column(SOURCE_HEADER, _TEXT),
]
_AGREEMENTS = {"intent": "意向", "framework": "框架协议", "contract": "合同", "unspecified": ""}
_SEI_NO, _SEI_YES = "否", "是"
# The column of an `extra` that is not a map at all (only data from before it was checked).
LEGACY_EXTRA_HEADER = "extra"


def export_event(event, path, *, lang: str = "zh") -> int:
    """Write the event's projects to PATH (.xlsx or .csv by extension); returns the count."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UserError(f"the export file {path} must end in .xlsx or .csv", field="path")
    check_writable_file(path, what="export file", field="path")
    projects = Project.objects.filter(event=event)
    with replaced_atomically(path) as temporary:
        if suffix == ".xlsx":
            with open(temporary, "wb") as stream:
                filters = [(gettext_lazy("Event"), f"{event.name} ({event.slug})")]
                return write_projects_xlsx(projects, stream, filters=filters, lang=lang)
        with open(temporary, "w", encoding="utf-8-sig", newline="") as stream:
            return write_projects_csv(projects, stream)


def write_projects_xlsx(
    queryset, stream, *, filters: list[tuple[str, str]] = (), lang: str = "zh"
) -> int:
    """Write the projects, their progress steps and what was exported as an importable xlsx.

    `filters` are (label, value) pairs saying which projects these are, for the third sheet.
    """
    # Write-only mode: rows stream out.
    workbook = Workbook(write_only=True)
    exported_at = timezone.localtime()
    columns, rows = _table(queryset)
    count = write_table_sheet(workbook, SIGNING_SHEET, columns, rows, totals_label=TOTALS_LABEL)
    progress_header, progress_rows = progress_table(queryset)
    write_table_sheet(
        workbook, PROGRESS_SHEET, [Column(text, _TEXT) for text in progress_header], progress_rows
    )
    write_info_sheet(workbook, filters=filters, count=count, exported_at=exported_at, lang=lang)
    workbook.save(stream)
    return count


def write_projects_csv(queryset, stream) -> int:
    """Write the projects as an importable csv to a text stream (dates in ISO form)."""
    if isinstance(stream, io.BufferedIOBase | io.RawIOBase):
        raise TypeError("write_projects_csv needs a text stream (open it with newline='')")
    writer = csv.writer(stream)
    # No totals row: a csv is read by programs, which add up themselves.
    columns, rows = _table(queryset, totals=False)
    writer.writerow(csv_row(column.header for column in columns))
    count = 0
    for row in rows:
        # Numbers as their exact decimal text: csv has no cell types to lose digits in.
        writer.writerow(csv_row(_csv_number(cell) for cell in row))
        count += 1
    return count


def _csv_number(cell):
    if isinstance(cell, float):
        text = repr(cell)
        return text[:-2] if text.endswith(".0") else text
    return cell


def _extra_map(extra) -> dict:
    """A project's extra attributes as a map, whatever an old record holds."""
    if isinstance(extra, dict):
        return extra
    return {LEGACY_EXTRA_HEADER: extra} if extra not in (None, "", [], {}) else {}


def _extra_cell(value):
    """A plain value as it is; anything else (a nested map or list, true, null) as JSON text."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


class _Totals:
    """Sums of the exported rows, for the totals row: exact, in whole units."""

    def __init__(self):
        self.projects = 0
        self.values: dict[str, Decimal] = {}
        self.value_cny = Decimal(0)
        self.funds_cny = Decimal(0)

    def add(self, project, funds_cny: Decimal | None) -> None:
        self.projects += 1
        currency = project.currency
        self.values[currency] = self.values.get(currency, Decimal(0)) + project.contract_value
        self.value_cny += project.value_cny
        self.funds_cny += funds_cny or 0

    def row(self, width: int, positions: dict[str, int]) -> list:
        cells: list = [None] * width
        cells[0] = TOTALS_LABEL
        cells[1] = f"{self.projects}个项目"
        # A sum across currencies means nothing: the value total only when there is one.
        if len(self.values) == 1:
            ((currency, total),) = self.values.items()
            cells[positions[VALUE_HEADER]] = number_in_wan(total)
            cells[positions["币种"]] = currency
        cells[positions[VALUE_CNY_WAN_HEADER]] = number_in_wan(self.value_cny)
        cells[positions[FUNDS_WAN_HEADER]] = number_in_wan(self.funds_cny)
        return cells


def _table(queryset, *, totals: bool = True) -> tuple[list[Column], Iterable[list]]:
    """The columns and rows of the signing sheet, the totals row last if `totals`."""
    projects = queryset.select_related(
        "investor", "industry_class", "sei_industry", "event__host_region"
    ).order_by("id")
    extra_keys: dict[str, None] = {}
    for extra in projects.values_list("extra", flat=True).iterator(chunk_size=5000):
        extra_keys.update(dict.fromkeys(_extra_map(extra)))
    keys = list(extra_keys)
    columns = [*HEADERS, *(Column(key, _TEXT) for key in keys), *COMPUTED]
    positions = {column.header: index for index, column in enumerate(columns)}
    progress = progress_as_of(projects, timezone.localdate())

    def rows():
        sums = _Totals()
        for number, project in enumerate(projects.iterator(chunk_size=2000), start=1):
            extra = _extra_map(project.extra)
            state = progress.get(project.pk)
            funds = state.funds_cny if state else None
            sums.add(project, funds)
            yield [
                number,
                project.name,
                project.investor.name,
                project.investor.uscc or "",
                _region_text(project.origin_region_id, None),
                _region_text(project.destination_region_id, _province(project)),
                number_in_wan(project.contract_value, fallback=value_cell(project)),
                project.currency,
                project.signing_date,
                _AGREEMENTS.get(project.agreement_type, ""),
                _sei_cell(project),
                _industry_cell(project),
                project.industry_text,
                project.notes,
                *(_extra_cell(extra[key]) if key in extra else "" for key in keys),
                value_cell(project),
                number_in_wan(project.value_cny),
                STAGE_WORDS.get(state.stage, "") if state and state.last_move else "",
                state.last_move if state else None,
                number_in_wan(funds) if funds is not None else None,
                project.rate_cny_per_unit,
                project.rate_date,
                project.pk,
                project.source_ref,
            ]
        if totals and sums.projects:
            yield sums.row(len(columns), positions)

    return columns, rows()


def _province(project):
    return province_of(project.event.host_region) if project.event_id else None


def _region_text(code: str | None, within) -> str:
    """The full name (黑龙江省哈尔滨市松北区) if it resolves back to the region, else the code."""
    if not code:
        return ""
    region = resolve_region(code)
    try:
        if resolve_region(region.full_name, within=within).code == code:
            return region.full_name
    except UserError:
        pass
    return code


def value_cell(project) -> str:
    """The value as written if it reads back exactly (value, currency, approximate), else formatted."""
    return values.amount_text(
        Decimal(project.contract_value),
        project.currency,
        project.value_text or "",
        approximate=project.value_approximate,
    )


def _sei_cell(project) -> str:
    if project.sei_status == Project.SEIStatus.SEI and project.sei_industry_id:
        return f"{project.sei_industry.code} {project.sei_industry.name_zh}"
    if project.sei_status == Project.SEIStatus.SEI_UNSPECIFIED:
        return _SEI_YES
    return _SEI_NO


def _industry_cell(project) -> str:
    category = project.industry_class
    # With its section letter, so a spreadsheet cannot read 0519 as the number 519.
    return f"{category.section}{category.code}" if category else ""
