"""Exporting projects as a signing list the importer reads back to the same ledger.

Headers are importer aliases; the value cell is the text as written when it reads back to the
stored value, currency and approximate flag, else a formatted amount; regions are written as
full names (or codes where a full name would not resolve to the same region); extra attributes
become their own columns. Computed columns (CNY value, rate) come last and the importer
ignores them, since it recomputes them.
"""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from investpromo.core.errors import UserError, check_writable_file
from investpromo.geo.resolver import province_of, resolve_region
from investpromo.imports import values
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


def export_event(event, path) -> int:
    """Write the event's projects to PATH (.xlsx or .csv by extension); returns the count."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UserError(f"the export file {path} must end in .xlsx or .csv", field="path")
    check_writable_file(path, what="export file", field="path")
    projects = Project.objects.filter(event=event)
    if suffix == ".xlsx":
        with open(path, "wb") as stream:
            return write_projects_xlsx(projects, stream)
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        return write_projects_csv(projects, stream)


def write_projects_xlsx(queryset, stream) -> int:
    """Write the projects as an importable xlsx (write-only mode: rows stream out)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("签约项目")
    header, rows = _table(queryset)
    bold = Font(bold=True)
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    workbook.save(stream)
    return count


def write_projects_csv(queryset, stream) -> int:
    """Write the projects as an importable csv to a text stream (dates in ISO form)."""
    if isinstance(stream, io.BufferedIOBase | io.RawIOBase):
        raise TypeError("write_projects_csv needs a text stream (open it with newline='')")
    writer = csv.writer(stream)
    header, rows = _table(queryset)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(["" if cell is None else _csv_text(cell) for cell in row])
        count += 1
    return count


def _csv_text(cell) -> str:
    return cell.isoformat() if hasattr(cell, "isoformat") else str(cell)


def _table(queryset) -> tuple[list[str], Iterable[list]]:
    projects = queryset.select_related(
        "investor", "industry_class", "sei_industry", "event__host_region"
    ).order_by("id")
    extra_keys: dict[str, None] = {}
    for extra in projects.values_list("extra", flat=True).iterator(chunk_size=5000):
        extra_keys.update(dict.fromkeys(extra or {}))
    keys = list(extra_keys)
    header = [*HEADERS, *keys, *COMPUTED]

    def rows():
        for number, project in enumerate(projects.iterator(chunk_size=2000), start=1):
            extra = project.extra or {}
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
                *(extra.get(key, "") for key in keys),
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
    value = Decimal(project.contract_value)
    text = project.value_text or ""
    try:
        again = values.parse_amount(text)
        if (again.value, again.currency, again.approximate) == (
            value,
            project.currency,
            project.value_approximate,
        ):
            return text
    except values.ParseError:
        pass
    try:
        formatted = values.format_amount(value, project.currency)
    except UserError:
        formatted = f"{value.normalize():f} {project.currency}"
    return f"约{formatted}" if project.value_approximate else formatted


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
