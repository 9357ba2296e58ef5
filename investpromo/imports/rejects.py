"""Writing the rows an import rejected, with all their cells and the reason, to xlsx or csv.

The file keeps each sheet's header row, so once corrected it can be imported again (the reason
column is one the importer ignores). Cells are written as text a spreadsheet does not run
(core.spreadsheets): a formula-like cell of the input stays text in the rejects file.
"""

import csv
import re
from pathlib import Path

from openpyxl import Workbook

from investpromo.core.errors import UserError, check_writable_file
from investpromo.core.spreadsheets import csv_row, xlsx_row
from investpromo.imports.rows import REASON_HEADER, ParsedRow, cell_text

_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SUFFIXES = (".xlsx", ".csv")


def check_rejects_path(path) -> None:
    """Refuse a rejects path whose extension says neither xlsx nor csv (before importing)."""
    if Path(path).suffix.lower() not in SUFFIXES:
        raise UserError(f"the rejects file {path} must end in .xlsx or .csv", field="rejects")
    check_writable_file(path, what="rejects file", field="rejects")


def write_rejects(path, rejected: list[tuple[ParsedRow, list[str]]]) -> None:
    """Write the rejected rows, grouped by sheet in file order, with a reason column."""
    check_rejects_path(path)
    groups: dict[str, list[tuple[ParsedRow, str]]] = {}
    for row, reasons in rejected:
        reason = f"{row.sheet}!{row.number}: " + "; ".join(reasons)
        groups.setdefault(row.sheet, []).append((row, reason))
    if Path(path).suffix.lower() == ".xlsx":
        _write_xlsx(path, groups)
    else:
        _write_csv(path, groups)


def _headers(row: ParsedRow) -> list[str]:
    return [cell_text(cell) for cell in row.layout.header_cells]


def _width(header: list[str], rows: list[tuple[ParsedRow, str]]) -> int:
    return max([len(header)] + [len(row.cells) for row, _ in rows])


def _write_xlsx(path, groups: dict[str, list[tuple[ParsedRow, str]]]) -> None:
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for sheet_name, rows in groups.items():
        sheet = workbook.create_sheet(_sheet_title(sheet_name, used))
        header = _headers(rows[0][0])
        width = _width(header, rows)
        sheet.append(xlsx_row(sheet, [*_padded(header, width), REASON_HEADER]))
        for row, reason in rows:
            cells = [_xlsx_cell(cell) for cell in row.cells]
            sheet.append(xlsx_row(sheet, [*_padded(cells, width), reason]))
    workbook.save(path)


def _write_csv(path, groups: dict[str, list[tuple[ParsedRow, str]]]) -> None:
    # Sheets may differ in layout: their columns are merged by header text, in order of first use.
    columns: dict[str, None] = {}
    prepared = []
    for rows in groups.values():
        header = _headers(rows[0][0])
        width = _width(header, rows)
        labels = [text or f"列{index + 1}" for index, text in enumerate(_padded(header, width))]
        columns.update(dict.fromkeys(labels))
        prepared.append((labels, rows))
    order = list(columns)
    position = {label: index for index, label in enumerate(order)}
    # UTF-8 with a BOM: Excel then opens the Chinese text correctly.
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(csv_row([*order, REASON_HEADER]))
        for labels, rows in prepared:
            for row, reason in rows:
                line = [""] * len(order)
                for label, cell in zip(labels, row.cells, strict=False):
                    line[position[label]] = cell_text(cell)
                writer.writerow(csv_row([*line, reason]))


def _padded(cells: list, width: int) -> list:
    return list(cells) + [""] * (width - len(cells))


def _xlsx_cell(cell):
    # openpyxl writes str, numbers, dates and booleans; anything else as its text.
    if cell is None or isinstance(cell, str | int | float | bool) or hasattr(cell, "isoformat"):
        return cell
    return cell_text(cell)


def _sheet_title(name: str, used: set[str]) -> str:
    base = _SHEET_NAME_FORBIDDEN.sub("_", name)[:31] or "Sheet"
    title, counter = base, 2
    while title.casefold() in used:
        suffix = f" ({counter})"
        title, counter = base[: 31 - len(suffix)] + suffix, counter + 1
    used.add(title.casefold())
    return title
