"""Reading signing lists: every sheet of an .xlsx/.xls workbook (python-calamine) or a .csv.

Rows come out lazily as (row number as the spreadsheet numbers it, cells) with vertically and
horizontally merged cells filled from their top-left cell. Cells are what calamine gives
(str, float, bool, date, datetime; '' for empty) or, for csv, strings. Anything that stops the
file being read at all is one UnreadableFile naming the file and the reason.
"""

import codecs
import csv
import io
import mmap
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from python_calamine import CalamineWorkbook

from investpromo.core.errors import UserError
from investpromo.imports import xlsxparts

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_ROWS = 1_000_000
# A zip that inflates to many times its size is a zip bomb, not a signing list.
UNZIPPED_FACTOR = 20
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
_WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
_CHUNK = 1 << 20


class UnreadableFile(UserError):
    """The file cannot be read as a signing list at all (missing, corrupt, encrypted, too large)."""


@dataclass
class Sheet:
    """One worksheet: its name, its row count when known, and its rows."""

    name: str
    total_rows: int | None
    rows: Iterator[tuple[int, list]]


def limits() -> tuple[int, int]:
    """(max bytes, max rows): a Django setting, else the environment variable, else the default."""

    def limit(name: str, default: int) -> int:
        value = getattr(settings, name, None) or os.environ.get(name) or default
        return int(value)

    return (
        limit("INVESTPROMO_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES),
        limit("INVESTPROMO_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS),
    )


def read_sheets(
    path: str | os.PathLike,
    *,
    display_name: str | None = None,
    max_bytes: int | None = None,
    max_rows: int | None = None,
) -> Iterator[Sheet]:
    """The file's sheets in workbook order; UnreadableFile now or while iterating."""
    # What the file is (missing, encrypted, not a spreadsheet) is settled before returning,
    # so a caller fails before it opens a transaction.
    default_bytes, default_rows = limits()
    max_bytes = default_bytes if max_bytes is None else max_bytes
    max_rows = default_rows if max_rows is None else max_rows
    path = Path(path)
    shown = display_name or path.name
    kind = _detect(path, shown, max_bytes)
    if kind == "csv":
        sheets = _csv_sheets(path, shown)
    else:
        sheets = _workbook_sheets(path, shown, kind, max_bytes)
    return _limited(sheets, _RowCounter(shown, max_rows))


def _limited(sheets: Iterator[Sheet], counter: "_RowCounter") -> Iterator[Sheet]:
    for sheet in sheets:
        if sheet.total_rows is not None:
            counter.check(sheet.total_rows)
        yield Sheet(sheet.name, sheet.total_rows, counter.counted(sheet.rows))


class _RowCounter:
    """Enforces the row limit across all sheets, before iterating where sizes are known."""

    def __init__(self, shown: str, max_rows: int):
        self.shown, self.max_rows, self.seen, self.announced = shown, max_rows, 0, 0

    def check(self, rows: int) -> None:
        self.announced += rows
        if self.announced > self.max_rows:
            raise self._too_many()

    def _too_many(self) -> UnreadableFile:
        return UnreadableFile(
            f"{self.shown}: the file is too large: more than {self.max_rows:,} rows "
            "(split it into smaller files)"
        )

    def counted(self, rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
        for item in rows:
            self.seen += 1
            if self.seen > self.max_rows:
                raise self._too_many()
            yield item


def _detect(path: Path, shown: str, max_bytes: int) -> str:
    """'csv', 'zip' (xlsx, xlsb, ods) or 'ole2' (xls) from the content, not the name."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        raise UnreadableFile(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise UnreadableFile(f"{shown}: is a folder, not a file") from None
    except OSError as error:
        raise UnreadableFile(f"{shown}: cannot be opened ({error.strerror or error})") from None
    if size > max_bytes:
        raise UnreadableFile(
            f"{shown}: the file is too large ({size / 1048576:.0f} MB; the limit is "
            f"{max_bytes / 1048576:.0f} MB)"
        )
    if size == 0:
        raise UnreadableFile(f"{shown}: the file is empty")
    # The name the user gave (an upload's original name) says more than a temporary file's.
    suffix = Path(shown).suffix.lower() or path.suffix.lower()
    if head.startswith(_OLE2_MAGIC):
        if _contains(path, _ENCRYPTED_STREAM):
            raise UnreadableFile(
                f"{shown}: the workbook is password-protected (encrypted): open it in Excel, "
                "remove the password and save it again"
            )
        return "ole2"
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if (
        head.lstrip(b"\xef\xbb\xbf \t\r\n")
        .lower()
        .startswith((b"<!doctype html", b"<html", b"<table"))
    ):
        raise UnreadableFile(
            f"{shown}: this is a web page (HTML) saved with a spreadsheet name, not a "
            "spreadsheet: open it in Excel and save it as .xlsx"
        )
    if suffix in _WORKBOOK_SUFFIXES:
        raise UnreadableFile(
            f"{shown}: not a valid {suffix} workbook (the file is damaged or is something else)"
        )
    if suffix in _TEXT_SUFFIXES:
        return "csv"
    raise UnreadableFile(f"{shown}: not a spreadsheet: use an .xlsx, .xls or .csv file")


def _contains(path: Path, needle: bytes) -> bool:
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return data.find(needle) >= 0


# --- workbooks ---------------------------------------------------------------------------------


def _workbook_sheets(path: Path, shown: str, kind: str, max_bytes: int) -> Iterator[Sheet]:
    """Opens the workbook now (so a damaged file fails here); loads each sheet when reached."""
    parts = _check_zip(path, shown, max_bytes) if kind == "zip" else None
    try:
        if _by_path(path, kind):
            workbook = CalamineWorkbook.from_path(str(path))
        else:
            with path.open("rb") as handle:
                workbook = CalamineWorkbook.from_filelike(handle)
        names = list(workbook.sheet_names)
    except Exception as error:  # calamine raises its own types, and Rust panics as others
        raise UnreadableFile(f"{shown}: {_calamine_reason(error)}") from None
    return _iter_workbook(workbook, names, parts, shown)


def _iter_workbook(workbook, names: list[str], parts, shown: str) -> Iterator[Sheet]:
    try:
        for index, name in enumerate(names):
            try:
                sheet = workbook.get_sheet_by_index(index)
                merges = _merges(sheet, parts, name)
                start = sheet.start
            except Exception as error:
                raise UnreadableFile(
                    f"{shown}: sheet {name!r} cannot be read: {_calamine_reason(error)}"
                ) from None
            total = (start is not None and sheet.end[0] + 1) or 0
            yield Sheet(name, total, _sheet_rows(sheet, merges, shown, name))
    finally:
        workbook.close()


def _by_path(path: Path, kind: str) -> bool:
    """Whether calamine can open the file by its name: its extension says the right format."""
    suffix = path.suffix
    return (kind == "zip" and suffix in {".xlsx", ".xlsm", ".xlsb", ".ods"}) or (
        kind == "ole2" and suffix == ".xls"
    )


def _check_zip(path: Path, shown: str, max_bytes: int) -> xlsxparts.Parts | None:
    try:
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
            if unzipped > max(max_bytes, 1) * UNZIPPED_FACTOR:
                raise UnreadableFile(
                    f"{shown}: the workbook unpacks to {unzipped / 1048576:.0f} MB, too large to read"
                )
            return xlsxparts.read_parts(archive)
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise UnreadableFile(
            f"{shown}: the file is damaged (not a readable zip: {error})"
        ) from None


def _calamine_reason(error: Exception) -> str:
    name = type(error).__name__
    if name == "PasswordError":
        return (
            "the workbook is password-protected: open it in Excel, remove the password and "
            "save it again"
        )
    text = str(error).strip() or name
    return f"the file is damaged or not an Excel workbook ({text[:200]})"


def _merges(sheet, parts: xlsxparts.Parts | None, name: str) -> list:
    """Merged ranges ((row0, col0), (row1, col1)), 0-based, from calamine or the xlsx XML."""
    ranges = getattr(sheet, "merged_cell_ranges", None)
    if ranges is None and parts is not None:
        # Older python-calamine versions do not expose merges for xlsx: read them from the XML.
        ranges = parts.merged_ranges(name)
    return list(ranges or [])


def _sheet_rows(sheet, merges: list, shown: str, name: str) -> Iterator[tuple[int, list]]:
    start = sheet.start
    if start is None:
        return
    first_col = start[1]
    # calamine yields rows from the first row of the sheet on (row offset found below, so a
    # version that starts at the first non-empty row numbers rows right too), but columns from
    # the first non-empty column: merges are shifted to match.
    spans: dict[int, list[tuple[int, int, int]]] = {}
    for (row0, col0), (row1, col1) in merges:
        if col1 < first_col:
            continue
        spans.setdefault(row0, []).append((row1, max(col0 - first_col, 0), col1 - first_col))
    offset = None
    active: list[tuple[int, int, int, object]] = []
    try:
        for index, cells in enumerate(sheet.iter_rows()):
            if offset is None:
                if all(cell == "" for cell in cells):
                    continue  # blank rows before the first cell: nothing to import
                # The first non-empty row is the sheet's start row, whichever way it is yielded.
                offset = start[0] - index
            row = index + offset
            if active or row in spans:
                active = _fill(cells, row, spans.pop(row, ()), active)
            yield row + 1, cells
    except UnreadableFile:
        raise
    except Exception as error:
        raise UnreadableFile(
            f"{shown}: sheet {name!r} cannot be read: {_calamine_reason(error)}"
        ) from None


def _fill(cells: list, row: int, starting, active: list) -> list:
    """Apply merges that start on this row and those still spanning it; returns the live ones."""
    for row1, col0, col1 in starting:
        value = cells[col0] if col0 < len(cells) else ""
        active.append((row1, col0, col1, value))
    live = []
    for row1, col0, col1, value in active:
        if row > row1:
            continue
        if col1 >= len(cells):
            cells.extend([""] * (col1 + 1 - len(cells)))
        for col in range(col0, col1 + 1):
            cells[col] = value
        if row < row1:
            live.append((row1, col0, col1, value))
    return live


# --- csv ---------------------------------------------------------------------------------------


def _csv_sheets(path: Path, shown: str) -> Iterator[Sheet]:
    """One sheet named after the file; the encoding and delimiter are settled here."""
    encoding, lines = _csv_encoding(path, shown)
    with path.open("r", encoding=encoding, newline="") as handle:
        delimiter = sniff_delimiter(handle.read(65536))
    return iter([Sheet(Path(shown).stem, lines, _csv_rows(path, encoding, delimiter, shown))])


def _csv_rows(path: Path, encoding: str, delimiter: str, shown: str) -> Iterator[tuple[int, list]]:
    try:
        with path.open("r", encoding=encoding, newline="") as handle:
            yield from enumerate(csv.reader(handle, delimiter=delimiter), start=1)
    except (csv.Error, UnicodeDecodeError) as error:
        raise UnreadableFile(f"{shown}: not a readable csv file ({error})") from None


def _csv_encoding(path: Path, shown: str) -> tuple[str, int]:
    """The file's encoding (BOM, else strict UTF-8, else GB18030) and its number of lines."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        lines = _decodes(path, encoding)
        if lines is not None:
            if encoding == "utf-8" and _reads_better_as_gb18030(path):
                return "gb18030", lines
            return encoding, lines
    raise UnreadableFile(
        f"{shown}: not a spreadsheet or text file in UTF-8 or GB18030/GBK (it cannot be decoded)"
    )


def _reads_better_as_gb18030(path: Path) -> bool:
    """Whether a file valid as UTF-8 reads as more Chinese in GB18030 (a tie stays UTF-8)."""
    # Short GBK text can be valid UTF-8 too: 元 is D4 AA, which UTF-8 reads as Ԫ.
    with path.open("rb") as handle:
        sample = handle.read(65536)
    as_utf8 = _cjk_share(sample.decode("utf-8", errors="ignore"))
    as_gb = _cjk_share(sample.decode("gb18030", errors="ignore"))
    return as_gb > as_utf8 and _decodes(path, "gb18030") is not None


def _cjk_share(text: str) -> float:
    wide = [char for char in text if ord(char) > 127]
    if not wide:
        return 0.0
    return sum("\u4e00" <= char <= "\u9fff" or "\u3000" <= char <= "\u303f" for char in wide) / len(
        wide
    )


def _decodes(path: Path, encoding: str) -> int | None:
    """The number of lines if the whole file decodes strictly, else None."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    lines = 0
    last = b""
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                text = decoder.decode(chunk)
                if "\x00" in text:
                    return None
                lines += text.count("\n")
                last = chunk
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return lines + (0 if last.endswith(b"\n") or not last else 1)


def sniff_delimiter(sample: str) -> str:
    """Comma, semicolon or tab: the one that splits the first lines most consistently."""
    lines = sample.splitlines()[:50]
    if len(sample) >= 65536 and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut off
    best, best_score = ",", (-1, -1)
    for delimiter in (",", ";", "\t"):
        counts = [
            len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
        ]
        wide = [count for count in counts if count > 1]
        if not wide:
            continue
        mode = max(set(wide), key=wide.count)
        score = (wide.count(mode), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best
