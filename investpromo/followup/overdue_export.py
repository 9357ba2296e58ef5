"""The overdue list as an xlsx workbook: the columns of the page, amounts as numbers."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from investpromo.core.spreadsheets import xlsx_row
from investpromo.followup.reasons import reason_texts

YI = Decimal(100_000_000)


def _columns():
    # (heading, width, value of a row), in the order written.
    return [
        (_("Level"), 8, lambda r: _("red") if r["level"] == "red" else _("yellow")),
        (_("Days overdue"), 10, lambda r: r["days_overdue"]),
        (_("Overdue since"), 12, lambda r: _date(r["overdue_since"])),
        (_("Project"), 40, lambda r: r["name"]),
        (_("Investor"), 30, lambda r: r["investor"]),
        (_("Region"), 14, lambda r: r["region"]),
        (_("Event"), 24, lambda r: r.get("event_name") or r["event"]),
        (_("Stage"), 16, lambda r: r["stage_label"]),
        (_("Last move"), 12, lambda r: _date(r["last_move"])),
        (
            _("Value (100 million yuan)"),
            14,
            lambda r: (Decimal(r["value_cny"]) / YI).quantize(Decimal("0.0001")),
        ),
        (_("Why"), 60, lambda r: "；".join(reason_texts(r["reasons"]))),
        (_("Project ID"), 10, lambda r: r["project_id"]),
    ]


def _date(text):
    return dt.date.fromisoformat(text) if text else None


def write_overdue_xlsx(rows: list[dict], stream, *, as_of: dt.date, scope: str) -> None:
    """Write the flagged rows (overdue_report rows with stage_label) and what they cover."""
    book = Workbook()
    sheet: Worksheet = book.active
    sheet.title = _("Overdue warnings")[:31]
    columns = _columns()
    sheet.append(xlsx_row(sheet, [heading for heading, _width, _value in columns]))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(xlsx_row(sheet, [value(row) for _heading, _width, value in columns]))
    for index, (_heading, width, _value) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
    for cells in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
        cells[0].number_format = "yyyy-mm-dd"
    for cells in sheet.iter_rows(min_row=2, min_col=9, max_col=9):
        cells[0].number_format = "yyyy-mm-dd"
    for cells in sheet.iter_rows(min_row=2, min_col=10, max_col=10):
        cells[0].number_format = "#,##0.0000"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    about = book.create_sheet(_("About")[:31])
    for line in (
        (_("As of"), as_of),
        (_("Projects"), scope),
        (_("Flagged"), len(rows)),
    ):
        about.append(xlsx_row(about, line))
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 60
    about["B1"].number_format = "yyyy-mm-dd"
    book.save(stream)
