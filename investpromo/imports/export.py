"""Exporting projects as a signing list the importer reads back to the same ledger.

Headers are importer aliases; the value cell is the text as written when it reads back to the
stored value, currency and approximate flag, else a formatted amount; regions are written as
full names (or codes where a full name would not resolve to the same region); extra attributes
become their own columns. Computed columns (CNY value, rate) come last and the importer
ignores them, since it recomputes them. An xlsx export has a second sheet, the projects'
progress steps as `investpromo import-progress` reads them (imports.progress_export).

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

from openpyxl import Workbook
from openpyxl.styles import Font

from investpromo.core.errors import UserError, check_writable_file
from investpromo.core.spreadsheets import csv_row, replaced_atomically, xlsx_cell, xlsx_row
from investpromo.geo.resolver import province_of, resolve_region
from investpromo.imports import values
from investpromo.imports.progress_export import PROGRESS_SHEET, progress_table
from investpromo.imports.rows import (
    ID_HEADER,
    RATE_DATE_HEADER,
    RATE_HEADER,
    SOURCE_HEADER,
    VALUE_CNY_HEADER,
)
from investpromo.projects.models import Project

HEADERS = [
    "序号",
    "项目名称",
    "投资方",
    "统一社会信用代码",
    "投资方所在地",
    "落地地区",
    "签约金额",
    "币种",
    "签约日期",
    "签约类型",
    "战略性新兴产业",
    "行业代码",
    "所属行业",
    "备注",
]
COMPUTED = [VALUE_CNY_HEADER, RATE_HEADER, RATE_DATE_HEADER, ID_HEADER, SOURCE_HEADER]
_AGREEMENTS = {"intent": "意向", "framework": "框架协议", "contract": "合同", "unspecified": ""}
_SEI_NO, _SEI_YES = "否", "是"
# The column of an `extra` that is not a map at all (only data from before it was checked).
LEGACY_EXTRA_HEADER = "extra"


def export_event(event, path) -> int:
    """Write the event's projects to PATH (.xlsx or .csv by extension); returns the count."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UserError(f"the export file {path} must end in .xlsx or .csv", field="path")
    check_writable_file(path, what="export file", field="path")
    projects = Project.objects.filter(event=event)
    with replaced_atomically(path) as temporary:
        if suffix == ".xlsx":
            with open(temporary, "wb") as stream:
                return write_projects_xlsx(projects, stream)
        with open(temporary, "w", encoding="utf-8-sig", newline="") as stream:
            return write_projects_csv(projects, stream)


def write_projects_xlsx(queryset, stream) -> int:
    """Write the projects, and their progress steps on a second sheet, as an importable xlsx."""
    # Write-only mode: rows stream out.
    workbook = Workbook(write_only=True)
    header, rows = _table(queryset)
    count = _write_sheet(workbook, "签约项目", header, rows)
    _write_sheet(workbook, PROGRESS_SHEET, *progress_table(queryset))
    workbook.save(stream)
    return count


def _write_sheet(workbook, title: str, header: list[str], rows: Iterable[list]) -> int:
    sheet = workbook.create_sheet(title)
    bold = Font(bold=True)
    cells = []
    for text in header:
        cell = xlsx_cell(sheet, text)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    count = 0
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
        count += 1
    return count


def write_projects_csv(queryset, stream) -> int:
    """Write the projects as an importable csv to a text stream (dates in ISO form)."""
    if isinstance(stream, io.BufferedIOBase | io.RawIOBase):
        raise TypeError("write_projects_csv needs a text stream (open it with newline='')")
    writer = csv.writer(stream)
    header, rows = _table(queryset)
    writer.writerow(csv_row(header))
    count = 0
    for row in rows:
        writer.writerow(csv_row(row))
        count += 1
    return count


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


def _table(queryset) -> tuple[list[str], Iterable[list]]:
    projects = queryset.select_related(
        "investor", "industry_class", "sei_industry", "event__host_region"
    ).order_by("id")
    extra_keys: dict[str, None] = {}
    for extra in projects.values_list("extra", flat=True).iterator(chunk_size=5000):
        extra_keys.update(dict.fromkeys(_extra_map(extra)))
    keys = list(extra_keys)
    header = [*HEADERS, *keys, *COMPUTED]

    def rows():
        for number, project in enumerate(projects.iterator(chunk_size=2000), start=1):
            extra = _extra_map(project.extra)
            yield [
                number,
                project.name,
                project.investor.name,
                project.investor.uscc or "",
                _region_text(project.origin_region_id, None),
                _region_text(project.destination_region_id, _province(project)),
                value_cell(project),
                project.currency,
                project.signing_date,
                _AGREEMENTS.get(project.agreement_type, ""),
                _sei_cell(project),
                _industry_cell(project),
                project.industry_text,
                project.notes,
                *(_extra_cell(extra[key]) if key in extra else "" for key in keys),
                project.value_cny,
                project.rate_cny_per_unit,
                project.rate_date,
                project.pk,
                project.source_ref,
            ]

    return header, rows()


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
