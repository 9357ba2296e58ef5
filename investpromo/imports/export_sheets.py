"""How export sheets look: frozen header, column widths, number formats, the totals row bold,
and the sheet that says what was exported and when.

Every cell still goes through core.spreadsheets, so text an export writes never runs as a
formula; numbers and dates are the only cells written as themselves.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from investpromo.core.spreadsheets import xlsx_cell

SIGNING_SHEET = "签约项目"
# Shown in 万 with separators and up to six decimals (values are stored to the fen, 0.000001万).
WAN_FORMAT = "#,##0.00####"
DATE_FORMAT = "yyyy-mm-dd"
_BOLD = Font(bold=True)
_WAN = Decimal("1e4")


@dataclass(frozen=True)
class Column:
    """A column of an export sheet: its header, width in characters and kind of cell."""

    header: str
    width: float
    number: bool = False
    date: bool = False


def number_in_wan(value: Decimal | None, *, fallback=None):
    """VALUE (in whole units) in 万 as a spreadsheet number, if a number holds it exactly.

    A spreadsheet number holds 15 significant digits, as many as a value may have today; a
    value that needs more (a record from before that rule) is written as FALLBACK, its text,
    which the importer reads exactly, when one is given.
    """
    if value is None:
        return None
    wan = (Decimal(value) / _WAN).normalize()
    number = float(wan)
    if fallback is not None and Decimal(repr(number)) != wan:
        return fallback
    return number


def write_table_sheet(
    workbook, title: str, columns: list[Column], rows: Iterable[list], *, totals_label=None
) -> int:
    """A sheet of rows under a bold, frozen header; returns the rows written, totals not counted.

    A row whose first cell is `totals_label` is written bold and not counted.
    """
    sheet = workbook.create_sheet(title)
    # Write-only sheets take views and column widths only before the first row.
    sheet.freeze_panes = "B2" if columns and columns[0].header == "序号" else "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    header = []
    for column in columns:
        cell = xlsx_cell(sheet, column.header)
        cell.font = _BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        is_totals = totals_label is not None and row and row[0] == totals_label
        sheet.append(
            [_cell(sheet, value, column, is_totals) for value, column in _pairs(row, columns)]
        )
        count += not is_totals
    return count


def _pairs(row: list, columns: list[Column]):
    for index, value in enumerate(row):
        yield value, columns[index] if index < len(columns) else None


def _cell(sheet, value, column: Column | None, bold: bool):
    if isinstance(value, int | float | Decimal | dt.date) and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            cell.number_format = DATE_FORMAT
        elif column is not None and column.number:
            cell.number_format = WAN_FORMAT
    else:
        cell = xlsx_cell(sheet, value)
    if bold and isinstance(cell, Cell):
        cell.font = _BOLD
    return cell


def write_info_sheet(workbook, *, filters, count: int, exported_at: dt.datetime, lang: str):
    """The sheet that says which projects these are, when they were exported and the units."""
    with translation.override(lang):
        sheet = workbook.create_sheet(_("Export information"))
        sheet.column_dimensions["A"].width = 24
        sheet.column_dimensions["B"].width = 60
        rows = [
            [_("InvestPromo ledger export")],
            [],
            [_("Exported at"), exported_at.strftime("%Y-%m-%d %H:%M:%S %Z").strip()],
            [pgettext("count", "Projects"), count],
            [_("Filters"), _("none: every project") if not filters else ""],
            *([f"  {label}", value] for label, value in filters),
            [],
            [
                _("Units"),
                _(
                    "Amounts are in 万 (ten thousand) of the currency in the 币种 column; "
                    "折合人民币 and 到位资金 are in 万元 (ten thousand yuan)."
                ),
            ],
            [
                _("Latest progress"),
                _(
                    "最新进展阶段 and 最新进展日期 are the latest progress step "
                    "recorded up to the time of export."
                ),
            ],
            [
                _("Re-importing"),
                _(
                    "The 签约项目 sheet imports as a signing list (the 合计 row "
                    "and the computed columns are skipped); the 项目进展 sheet "
                    "imports with investpromo import-progress."
                ),
            ],
        ]
        for index, row in enumerate(rows):
            # The title and each label bold; a filter's label is indented under "Filters".
            bold = index == 0 or (len(row) == 2 and not row[0].startswith(" "))
            sheet.append(
                [_cell(sheet, value, None, bold and i == 0) for i, value in enumerate(row)]
            )


def _choice_labels(field) -> dict:
    """A choice field's values and labels, option groups flattened."""
    labels: dict = {}
    choices = getattr(field, "choices", None)
    # Compared with None, never tested for truth: callable choices have no length.
    if choices is None:
        return labels
    for value, label in choices:
        if isinstance(label, list | tuple):
            labels.update({str(inner): text for inner, text in label})
        else:
            labels[str(value)] = label
    return labels


def filters_used(project_filter) -> list[tuple[str, str]]:
    """The filled-in filters of a ledger FilterSet as (label, value shown), sort left out."""
    if not project_filter.is_bound or not project_filter.form.is_valid():
        return []
    form = project_filter.form
    used = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name == "sort" or value in (None, "", [], ()):
            continue
        if hasattr(value, "code") and hasattr(value, "name"):  # a region
            shown = f"{value.name} ({value.code})"
        elif hasattr(value, "pk"):  # an event
            shown = str(value)
        else:
            shown = str(_choice_labels(field).get(str(value), value))
        used.append((str(field.label), shown))
    return used
