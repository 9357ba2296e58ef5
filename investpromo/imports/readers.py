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
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from python_calamine import CalamineWorkbook

from investpromo.core.errors import UserError
from investpromo.core.spreadsheets import unguard_csv_text
from investpromo.imports import xlsxparts

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_ROWS = 1_000_000
# A sheet wider than this is not a signing list (they have 5 to 30 columns).
MAX_COLUMNS = 200
# Cells a sheet may span, as columns × the row limit: calamine gives every cell of a sheet's
# used range 32 bytes, so 30 columns of 1,000,000 rows is about 1 GB, what the largest real
# signing list (15-odd columns, long texts) needs anyway. Up to 30 columns a sheet may have
# every row; a wider one proportionally fewer (200 columns: 150,000 rows).
CELLS_PER_ROW = xlsxparts.FAST_COLUMNS
# How much a workbook may unpack to, per row of the row limit, on top of the file's own size
# (incompressible parts, such as pictures, unpack to about their size). openpyxl writes a
# 10,000-row list of 15 typical columns (Chinese names and addresses, inline strings: the
# bulkiest layout; Excel's shared strings take less) as 9.1 MB of sheet XML, about 930 bytes
# a row: 2 KB a row leaves twice that. At the default limits: 200 MB + 2 GB, so a 4 GB zip
# bomb is refused from its directory before a byte is inflated.
UNPACKED_BYTES_PER_ROW = 2048
# Cell text a signing list holds, per row of the row limit, where calamine copies it (an
# .ods repeats cells and rows by copying them): 1 KB a row, the measured 930 bytes of XML a row
# above being mostly text.
TEXT_BYTES_PER_ROW = 1024
# A workbook has tens of parts; a zip directory listing more is not one (Python's zipfile
# would keep an object for each entry: a 200 MB directory is millions of them).
MAX_ZIP_ENTRIES = 10_000
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
        sheets = _workbook_sheets(path, shown, kind, max_bytes, max_rows)
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


def _workbook_sheets(
    path: Path, shown: str, kind: str, max_bytes: int, max_rows: int
) -> Iterator[Sheet]:
    """Opens the workbook now (so a damaged file fails here); loads each sheet when reached.

    Before calamine sees the file, what it declares is checked against what a signing list
    can be: calamine allocates a sheet's whole used range (and, for .xls, the DIMENSIONS
    record's) at once, so a file of a few kilobytes can ask for terabytes and abort the
    process, which no exception handler survives.
    """
    limits = sheet_limits(max_rows)
    parts = _check_zip(path, shown, max_bytes, limits) if kind == "zip" else None
    if kind == "ole2":
        _check_ole2(path, shown, limits)
    try:
        if _by_path(path, kind):
            workbook = CalamineWorkbook.from_path(str(path))
        else:
            with path.open("rb") as handle:
                workbook = CalamineWorkbook.from_filelike(handle)
        names = list(workbook.sheet_names)
    except Exception as error:  # calamine raises its own types, and Rust panics as others
        raise UnreadableFile(f"{shown}: {_calamine_reason(error)}") from None
    except BaseException as error:
        raise _panic(error, shown) from None
    return _iter_workbook(workbook, names, parts, shown)


def sheet_limits(max_rows: int) -> xlsxparts.Limits:
    """How far a signing list's sheets may reach with this row limit."""
    return xlsxparts.Limits(
        max_rows=max_rows,
        max_columns=MAX_COLUMNS,
        max_cells=max_rows * CELLS_PER_ROW,
        max_merges=max_rows,
        max_text=max_rows * TEXT_BYTES_PER_ROW,
    )


def _panic(error: BaseException, shown: str, sheet: str | None = None) -> BaseException:
    """A Rust panic in calamine (pyo3's PanicException is a BaseException) as UnreadableFile."""
    if type(error).__name__ != "PanicException":
        return error
    where = f"sheet {sheet!r} cannot be read: " if sheet else ""
    return UnreadableFile(f"{shown}: {where}{_calamine_reason(error)}")


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
            except BaseException as error:
                raise _panic(error, shown, name) from None
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


def _check_zip(
    path: Path, shown: str, max_bytes: int, limits: xlsxparts.Limits
) -> xlsxparts.Parts | None:
    """The zip's declared and real sizes, and every sheet's reach; the xlsx parts if any."""
    _check_zip_directory(path, shown)
    try:
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
            limit = max_bytes + limits.max_rows * UNPACKED_BYTES_PER_ROW
            if unzipped > limit:
                raise UnreadableFile(
                    f"{shown}: the workbook unpacks to {unzipped / 1048576:,.0f} MB, more than a "
                    f"signing list of at most {limits.max_rows:,} rows takes "
                    f"({limit / 1048576:,.0f} MB): it is not a signing list"
                )
            parts = xlsxparts.read_parts(archive)
            xlsxparts.check_members(archive, parts, limits)
            return parts
    except xlsxparts.TooLarge as error:
        where = f"sheet {error.sheet!r} " if error.sheet else ""
        raise UnreadableFile(f"{shown}: {where}{error.reason}") from None
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as error:
        raise UnreadableFile(
            f"{shown}: the file is damaged (not a readable zip: {error})"
        ) from None
    except (NotImplementedError, RuntimeError) as error:  # compression method, encryption
        raise UnreadableFile(f"{shown}: the file is damaged or not a workbook ({error})") from None
    except (ValueError, IndexError, struct.error) as error:  # what a parse of it cannot take
        raise UnreadableFile(f"{shown}: the file is damaged ({error})") from None


def _check_zip_directory(path: Path, shown: str) -> None:
    """Refuses a zip whose directory lists more entries than any workbook has, unread."""
    with path.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - 65557))
        end = handle.read()
        at = end.rfind(b"PK\x05\x06")
        if at < 0 or len(end) - at < 22:
            return  # zipfile says what is wrong
        entries, directory = struct.unpack_from("<xxxxxxxxxxHL", end, at)
        if entries == 0xFFFF or directory == 0xFFFFFFFF:  # zip64: the real counts are elsewhere
            locator = end.rfind(b"PK\x06\x07", 0, at)
            if locator >= 0 and len(end) - locator >= 20:
                (offset,) = struct.unpack_from("<Q", end, locator + 8)
                handle.seek(offset)
                record = handle.read(56)
                if len(record) == 56 and record.startswith(b"PK\x06\x06"):
                    entries, directory = struct.unpack_from("<QQ", record, 32)
    if entries > MAX_ZIP_ENTRIES or directory > MAX_ZIP_ENTRIES * 1024:
        raise UnreadableFile(
            f"{shown}: the file is damaged or not a workbook: its zip directory lists "
            f"{entries:,} parts (a workbook has tens)"
        )


class _Harmless(Exception):
    """calamine fails on this .xls before allocating anything for it: nothing to check."""


def _check_ole2(path: Path, shown: str, limits: xlsxparts.Limits) -> None:
    """Walks an .xls as calamine will (it reads every sheet when it opens the file) and
    refuses what would make it allocate beyond a signing list's size or loop for ever."""
    try:
        with (
            path.open("rb") as handle,
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data,
        ):
            _check_biff(_Cfb(data).workbook(), limits)
    except (_Harmless, struct.error):
        return  # calamine refuses the file itself, before allocating for it
    except xlsxparts.TooLarge as error:
        where = f"sheet {error.sheet!r} " if error.sheet else ""
        raise UnreadableFile(f"{shown}: {where}{error.reason}") from None
    except (OSError, ValueError) as error:
        raise UnreadableFile(f"{shown}: cannot be opened ({error})") from None


class _Cfb:
    """The OLE2 compound file as calamine's cfb.rs reads it, with its allocations bounded."""

    FREE_LIMIT = 0xFFFFFFFA  # ids from here on are markers, not sectors
    END = 0xFFFFFFFE

    def __init__(self, data):
        self.data = data
        if len(data) < 512:
            raise _Harmless
        (version,) = struct.unpack_from("<H", data, 26)
        shift, mini_shift = struct.unpack_from("<HH", data, 30)
        if shift not in (9, 12) or mini_shift != 6:
            raise _Harmless
        self.size = 1 << shift
        self.maxid = len(data) // self.size
        fat_len, dir_start = struct.unpack_from("<II", data, 44)
        mini_fat_start, self.mini_fat_len, difat_start = struct.unpack_from("<III", data, 60)
        (difat_capacity,) = struct.unpack_from("<I", data, 62)  # calamine reserves this many
        if fat_len > self.maxid or difat_capacity > 1 << 26:
            raise self._damaged("its header declares more sectors than the file has")
        difat = list(struct.unpack_from("<109I", data, 76))
        seen: set[int] = set()
        sector = difat_start
        while sector < self.FREE_LIMIT:
            if sector in seen:
                raise self._damaged("its sector table loops")
            seen.add(sector)
            difat.extend(self._ids(self._sector(sector)))
            sector = difat.pop()
        fat_sectors = [id_ for id_ in difat if id_ < 0xFFFFFFFC]
        if len(fat_sectors) > self.maxid:
            raise self._damaged("its sector table is larger than the file")
        self.fat: list[int] = []
        for id_ in fat_sectors:
            self.fat.extend(self._ids(self._sector(id_)))
        directory = self._chain(dir_start, self.fat, self._sector, None)
        self.entries = []
        for at in range(0, len(directory), 128):
            entry = directory[at : at + 128]
            if len(entry) < 128:
                raise _Harmless  # calamine panics on the short entry
            name = entry[:64].decode("utf-16-le", "replace").split("\x00", 1)[0]
            start, length = struct.unpack_from("<IQ", entry, 116)
            self.entries.append((name, start, length if shift == 12 else length & 0xFFFFFFFF))
        if not self.entries or (version != 3 and self.entries[0][1] == self.END):
            raise _Harmless
        self.mini = b""
        self.mini_fat: list[int] = []
        if self.mini_fat_len:
            _, root_start, root_length = self.entries[0]
            self.mini = self._chain(root_start, self.fat, self._sector, root_length)
            table = self._chain(
                mini_fat_start, self.fat, self._sector, self.mini_fat_len * self.size
            )
            self.mini_fat = self._ids(table)

    def workbook(self) -> bytes:
        for wanted in ("Workbook", "Book", "WORKBOOK", "BOOK"):
            for name, start, length in self.entries:
                if name == wanted:
                    if length < 4096:
                        return self._chain(start, self.mini_fat, self._mini_sector, length)
                    return self._chain(start, self.fat, self._sector, length)
        raise _Harmless

    def _sector(self, id_: int) -> bytes:
        if id_ > self.maxid:
            raise _Harmless  # calamine: sector beyond the end of the file
        at = (id_ + 1) * self.size  # the header takes the place of sector -1
        return bytes(self.data[at : at + self.size])

    def _mini_sector(self, id_: int) -> bytes:
        if id_ > self.maxid * 8:
            raise _Harmless
        if (id_ + 1) * 64 > len(self.mini):
            raise self._damaged("a stream lies past the end of its container")
        return self.mini[id_ * 64 : id_ * 64 + 64]

    def _chain(self, start: int, table: list[int], read, length: int | None) -> bytes:
        """calamine's get_chain: sectors until the end mark or length bytes, loops refused."""
        parts, total, seen, sector = [], 0, set(), start
        while sector != self.END:
            if sector in seen:
                raise self._damaged("a stream's sectors loop")
            seen.add(sector)
            block = read(sector)
            if length is not None:
                block = block[: length - total]
            parts.append(block)
            total += len(block)
            if length is not None and total >= length:
                break
            if sector >= len(table):
                raise _Harmless  # calamine panics (index out of bounds)
            sector = table[sector]
        return b"".join(parts)

    @staticmethod
    def _ids(block: bytes) -> list[int]:
        return list(struct.unpack_from(f"<{len(block) // 4}I", block))

    @staticmethod
    def _damaged(what: str) -> xlsxparts.TooLarge:
        return xlsxparts.TooLarge(f"the file is damaged ({what})")


# BIFF records whose first four bytes place a cell (row, column), as calamine reads them.
_BIFF_CELLS = {0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006}


def _biff_records(stream: bytes, start: int) -> Iterator[tuple[int, memoryview]]:
    view = memoryview(stream)
    at, end = start, len(stream)
    while at < end:
        if end - at < 4:
            raise _Harmless
        kind, size = struct.unpack_from("<HH", stream, at)
        if end - at - 4 < size:
            raise _Harmless
        yield kind, view[at + 4 : at + 4 + size]
        at += 4 + size


def _check_biff(stream: bytes, limits: xlsxparts.Limits) -> None:
    """Every sheet's DIMENSIONS and cells against the limits, all sheets together too."""
    sheets = []
    for kind, data in _biff_records(stream, 0):
        if kind == 0x0085 and len(data) >= 4:  # BoundSheet8: where the sheet's records start
            sheets.append((struct.unpack_from("<I", data)[0], _biff_sheet_name(bytes(data))))
        elif kind == 0x000A:
            break
    total_cells = merges = 0
    for number, (position, name) in enumerate(sheets, start=1):
        if position > len(stream):
            raise _Harmless
        try:
            extent, sheet_merges = _check_biff_sheet(stream, position, limits)
        except xlsxparts.TooLarge as error:
            error.sheet = error.sheet or name or f"#{number}"
            raise
        total_cells += extent.columns * extent.rows
        merges += sheet_merges
        if total_cells > limits.max_cells or merges > limits.max_merges:
            raise xlsxparts.TooLarge(
                f"its sheets together use more than {limits.max_cells:,} cells or "
                f"{limits.max_merges:,} merged ranges; {limits.describe()}"
            )


def _biff_sheet_name(data: bytes) -> str:
    """The name in a BIFF8 BoundSheet8 record (for messages only)."""
    if len(data) < 8:
        return ""
    size, wide = data[6], data[7] & 1
    raw = data[8 : 8 + size * (2 if wide else 1)]
    return raw.decode("utf-16-le" if wide else "latin-1", "replace")


def _check_biff_sheet(stream: bytes, position: int, limits: xlsxparts.Limits):
    extent = xlsxparts.Extent(limits)
    merges = depth = 0
    seen_bof = False
    for kind, data in _biff_records(stream, position):
        if depth:
            depth += kind == 0x0809
            depth -= kind == 0x000A
            continue
        if kind == 0x0809:
            depth, seen_bof = (1 if seen_bof else 0), True
        elif kind in _BIFF_CELLS and len(data) >= 4:
            row, column = struct.unpack_from("<HH", data)
            extent.add(column + 1, row + 1)
        elif kind == 0x00BD and len(data) >= 6:  # MulRk: a run of cells in one row
            row, first = struct.unpack_from("<HH", data)
            (last,) = struct.unpack_from("<H", data, len(data) - 2)
            extent.add(max(first, last) + 1, row + 1)
        elif kind == 0x0200:  # DIMENSIONS: calamine reserves rows × columns cells from it
            _check_biff_dimensions(bytes(data), limits)
        elif kind == 0x00E5 and len(data) >= 2:
            merges += struct.unpack_from("<H", data)[0]
        elif kind == 0x000A:
            break
    return extent, merges


def _check_biff_dimensions(data: bytes, limits: xlsxparts.Limits) -> None:
    if len(data) == 10:
        first_row, last_row, first_col, last_col = struct.unpack_from("<4H", data)
    elif len(data) == 14:
        first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", data)
    else:
        raise _Harmless
    if first_col > 0xFF or last_col < first_col:
        first_col = 0
    if last_row < 1 or last_col < 1:
        return
    limits.check(last_col, last_row)
    rows = (last_row - 1 - first_row + 1) & 0xFFFFFFFF
    columns = (last_col - 1 - first_col + 1) & 0xFFFFFFFF
    if rows * columns > limits.max_cells:
        raise xlsxparts.TooLarge(
            f"the file is damaged (it declares {rows:,} rows × {columns:,} columns)"
        )


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
    first_col, last_col = start[1], sheet.end[1]
    # calamine yields rows from the first row of the sheet on (row offset found below, so a
    # version that starts at the first non-empty row numbers rows right too), but columns from
    # the first non-empty column: merges are shifted to match. A merge is cut at the last
    # used column: past it there is nothing to fill, and a merge declared up to XFD would
    # otherwise make every row it spans 16,384 cells long.
    spans: dict[int, list[tuple[int, int, int]]] = {}
    for (row0, col0), (row1, col1) in merges:
        if col1 < first_col or col0 > last_col:
            continue
        spans.setdefault(row0, []).append(
            (row1, max(col0 - first_col, 0), min(col1, last_col) - first_col)
        )
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
            # Exports guard text that starts like a formula with an apostrophe; it comes off.
            for number, row in enumerate(csv.reader(handle, delimiter=delimiter), start=1):
                yield number, [unguard_csv_text(cell) for cell in row]
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
