"""Writing spreadsheets safely: text stays text, and a file appears whole or not at all.

Every export (the ledger, rejected rows, an upload's problems) writes its cells through here.
Text a user typed or a file carried may start like a formula (`=HYPERLINK(…)`, `@SUM(…)`,
`+cmd|…`); a spreadsheet that opens the export must show it, never run it (OWASP, "CSV
Injection"). In xlsx a text cell is written as a string, never as a formula; csv has no cell
types, so such text gets a leading apostrophe, which spreadsheets read as "this is text" and
which the importer takes off again (`unguard_csv_text`), so exports still read back exactly.
"""

import datetime as dt
import json
import os
import re
import secrets
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# What makes a spreadsheet read a cell as a formula (or, for tab and carriage return, what
# some strip before doing so).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_GUARD = "'"
_GUARDED = frozenset(_GUARD + start for start in FORMULA_STARTS)
# Cell values a spreadsheet stores as they are; any other value is written as text.
_PLAIN = (bool, int, float, Decimal, dt.date, dt.datetime, dt.time)
_SURROGATE = re.compile("[\ud800-\udfff]")


def as_text(value) -> str:
    """A value that is no plain cell value (a dict or list kept as JSON) as its text."""
    if isinstance(value, dict | list | tuple):
        value = json.dumps(value, ensure_ascii=False, default=str)
    # A lone surrogate (stored before the services refused one) has no UTF-8: the file could
    # not be written at all. It becomes the replacement character, the rest of the cell stays.
    return _SURROGATE.sub("\ufffd", value if isinstance(value, str) else str(value))


def csv_text(text: str) -> str:
    """Text for a csv cell: an apostrophe before a start a spreadsheet would run as a formula."""
    return _GUARD + text if text.startswith(FORMULA_STARTS) else text


def unguard_csv_text(text: str) -> str:
    """A csv cell as it was before `csv_text` (only the apostrophe it adds is taken off)."""
    return text[1:] if text[:2] in _GUARDED else text


def csv_cell(value) -> str:
    """Any value as a safe csv cell: numbers and dates as written (ISO dates), text guarded."""
    if value is None:
        return ""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, _PLAIN):
        return str(value)
    return csv_text(as_text(value))


def csv_row(values) -> list[str]:
    """A row of values as safe csv cells."""
    return [csv_cell(value) for value in values]


def xlsx_cell(sheet, value):
    """A value for a write-only sheet's row: text as a string cell, never a formula."""
    if value is None or isinstance(value, _PLAIN):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", as_text(value))
    cell = WriteOnlyCell(sheet, value=text)
    # Assigned after the value: openpyxl makes "=…" a formula and "#N/A" an error otherwise.
    cell.data_type = "s"
    return cell


def xlsx_row(sheet, values) -> list:
    """A row of values for sheet.append, every text cell a string."""
    return [xlsx_cell(sheet, value) for value in values]


@contextmanager
def replaced_atomically(path):
    """Yield a temporary path beside PATH; on success it replaces PATH, on failure it goes.

    A failed export then leaves whatever was at PATH before, never an empty or partial file.
    """
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    # Created here with the mode an ordinary new file gets (the umask applies).
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
