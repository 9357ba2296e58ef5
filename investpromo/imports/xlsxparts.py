"""What a zip workbook (xlsx, xlsb, ods) declares before python-calamine reads it.

python-calamine materialises a sheet as one dense block up to its furthest cell (32 bytes a
cell), so one cell at XFD1048576 asks for 512 GB and aborts the process. Before calamine opens
the file, every zip member is streamed here once in bounded memory: its inflated size is held
to what the zip directory declares, and each sheet's XML is refused when a cell or row
reference, or its <dimension>, reaches beyond what a signing list can be.

A sheet is scanned in up to two passes:
- a fast one, C-speed searches that stop only at tags not in the plain shape Excel, openpyxl,
  LibreOffice and WPS write (<c r="B7" s="1" t="s">, <row r="7" ...>) or beyond the plain
  limits; such a tag is checked on its own;
- an exact one, when a cell has no r attribute (calamine then places it after the cells and
  rows before it) or lies beyond column FAST_COLUMNS (whether it fits depends on the rows):
  every tag is followed as calamine follows it, and what would make calamine's count differ
  from ours (a row or cell inside a cell, a DOCTYPE) is refused as damaged.
An .xlsb sheet's records and an .ods content.xml (whose repeated rows and cells calamine
copies, all tables at once when it opens the file) are followed the same way. Merged-cell
ranges are read here too, for python-calamine versions without them.
"""

import copy
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')
_CHUNK = 1 << 20
_OVERLAP = 200
# Parts calamine parses whole (relationships, the workbook's sheet list) are read whole here.
SMALL_PART_BYTES = 16 * 1024 * 1024
# No tag of a real sheet comes near this; a longer one is refused rather than buffered.
MAX_TAG_BYTES = 1 << 20
# Columns the fast pass accepts without counting. readers gives a cell budget of
# FAST_COLUMNS × max rows, so cells within these columns always fit it.
FAST_COLUMNS = 30

_ATTR_WS = b" \t\r\n\x0c"  # Rust's is_ascii_whitespace: what calamine skips around attributes
# A tag with its attributes, quote-aware (a '>' inside a quoted value does not end it).
_TAG_AT = re.compile(rb'<(/?)([^\s/>!?<]+)((?:[^>"\']|"[^"]*"|\'[^\']*\')*)>')
# Prefixed tags: calamine ignores namespace prefixes. (Kept apart from other searches: a
# regex whose alternatives start differently loses the C prefix scan, twenty times slower.)
_PREFIXED = re.compile(rb":(?:c|row|dimension)[ \t\r\n/>]")
_PREFIX_BEFORE = re.compile(rb"<[^\s/>!?<:]+\Z")
_DIMENSION = re.compile(rb"<dimension[ \t\r\n/>]")
_SST = re.compile(rb"<(?:[^\s/>!?<:]+:)?sst[ \t\r\n/>]")
_MARKUP = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>"
    rb'|<(/?)([^\s/>!?<]+)((?:[^>"\']|"[^"]*"|\'[^\']*\')*)>'
    rb"|<",
    re.S,
)
# The exact pass's tokens: first a whole plain cell (plain attributes, plain <v>, <f> or
# inline-string content), one Python step instead of five; else any markup, as _MARKUP.
_EXACT = re.compile(
    rb'<c(?P<cell>(?: (?:r|s|t|cm|vm|ph)="[^"<>]*")*)[ ]?(?:/>|>(?:<v>[^<]*</v>|<f>[^<]*</f>'
    rb'|<is><t(?: xml:space="preserve")?>[^<]*</t></is>)*</c>)'
    rb"|<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>"
    rb'|<(/?)([^\s/>!?<]+)((?:[^>"\']|"[^"]*"|\'[^\']*\')*)>'
    rb"|<",
    re.S,
)
_R_VALUE = re.compile(rb' r="([^"]*)"')
_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_VALUE_TAGS = {b"v", b"f", b"is"}
_STRING_ITEMS = (b"<si>", b"<si ", b"<si/", b":si>", b":si ", b":si/")


class TooLarge(Exception):
    """The workbook (or a sheet of it) cannot be a signing list or cannot be read safely."""

    def __init__(self, reason: str, sheet: str | None = None):
        super().__init__(reason)
        self.reason, self.sheet = reason, sheet


class _NeedExact(Exception):
    """The fast pass met a cell it cannot place on its own."""


class _NeedWide(Exception):
    """The fast pass met a cell past FAST_COLUMNS: the sheet's extent must be counted."""


@dataclass(frozen=True)
class Limits:
    """How far a signing list may reach."""

    max_rows: int
    max_columns: int
    max_cells: int
    max_merges: int
    max_text: int  # bytes of cell text, where calamine copies repeated cells (.ods)

    def describe(self) -> str:
        return (
            f"a signing list has at most {self.max_columns:,} columns, {self.max_rows:,} rows "
            f"and {self.max_cells:,} cells"
        )

    def check(self, columns: int, rows: int) -> None:
        """TooLarge when cells up to this column and row (1-based) cannot be a signing list."""
        if columns == 0:
            reach = f"uses rows up to {rows:,}"
        else:
            reach = (
                f"uses cells up to {column_letters(columns)}{max(rows, 1)} "
                f"({_many(columns, 'column')} × {_many(rows, 'row')}"
            )
        if columns > self.max_columns or rows > self.max_rows:
            raise TooLarge(
                f"{reach}{')' if columns else ''}; a signing list has at most "
                f"{self.max_columns:,} columns and {self.max_rows:,} rows"
            )
        if columns * rows > self.max_cells:
            raise TooLarge(
                f"{reach} = {columns * rows:,} cells); a signing list has at most "
                f"{self.max_cells:,} cells"
            )


def _many(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


@dataclass
class Parts:
    """Where each sheet's XML lives inside the archive, found as calamine finds it."""

    path: str
    sheets: dict[str, str]
    # Every (sheet name, member) calamine may read as a sheet, duplicates included.
    sheet_members: list[tuple[str, zipfile.ZipInfo]] = field(default_factory=list)
    shared_strings: list[zipfile.ZipInfo] = field(default_factory=list)

    def merged_ranges(self, name: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """The sheet's merged ranges as ((row0, col0), (row1, col1)), 0-based and inclusive."""
        part = self.sheets.get(name)
        if part is None:
            return []
        with zipfile.ZipFile(self.path) as archive, archive.open(part) as stream:
            return scan_merges(stream)


# --- the members -------------------------------------------------------------------------------


def check_members(archive: zipfile.ZipFile, parts: Parts | None, limits: Limits) -> None:
    """Streams every member once: sizes as declared, sheets within the limits; else TooLarge."""
    sheets: dict[int, list[str]] = {}
    for name, info in parts.sheet_members if parts else ():
        sheets.setdefault(id(info), []).append(name)
    strings = {id(info) for info in parts.shared_strings} if parts else set()
    binary = {id(info) for info in xlsb_sheets(archive)}
    for info in archive.infolist():
        if info.is_dir():
            continue
        names = sheets.get(id(info))
        if names:
            _check_sheet(archive, info, names[0], limits)
        elif id(info) in strings:
            _check_shared_strings(archive, info, limits)
        elif id(info) in binary:
            _check_with(archive, info, _XlsbScan(limits))
        elif info.filename == "content.xml":  # an OpenDocument spreadsheet's cells
            _check_with(archive, info, _OdsScan(limits))
        else:
            for _ in read_capped(archive, info):
                pass


def _check_with(archive, info: zipfile.ZipInfo, scan) -> None:
    try:
        for chunk in read_capped(archive, info):
            scan.feed(chunk)
        scan.finish()
    except TooLarge as error:
        error.sheet = error.sheet or getattr(scan, "sheet", None)
        raise


def _check_sheet(archive, info: zipfile.ZipInfo, name: str, limits: Limits) -> None:
    fast: _FastScan | None = _FastScan(limits)
    again: type[Exception] | None = None
    merges = _Counter((b"mergeCell",))
    try:
        for chunk in read_capped(archive, info):
            merges.add(chunk)
            if merges.count > limits.max_merges:
                raise TooLarge(
                    f"has more than {limits.max_merges:,} merged cell ranges; a signing list "
                    "has far fewer"
                )
            if fast is not None:
                try:
                    fast.feed(chunk)
                except (_NeedWide, _NeedExact) as need:
                    fast, again = None, type(need)
        if fast is not None:
            fast.finish()
            return
        if again is _NeedWide:
            try:
                wide = _FastScan(limits, wide=True)
                for chunk in read_capped(archive, info):
                    wide.feed(chunk)
                wide.finish()
                return
            except _NeedExact:
                pass
        exact = _ExactScan(limits)
        for chunk in read_capped(archive, info):
            if exact.feed(chunk):
                break
    except TooLarge as error:
        error.sheet = error.sheet or name
        raise


def _check_shared_strings(archive, info: zipfile.ZipInfo, limits: Limits) -> None:
    """calamine reserves room for the declared uniqueCount and keeps every string in memory."""
    items = _Counter(_STRING_ITEMS)
    head = b""
    declared = None
    for chunk in read_capped(archive, info):
        items.add(chunk)
        if declared is None and len(head) < MAX_TAG_BYTES:
            head += chunk[:MAX_TAG_BYTES]
            found = _SST.search(head)
            tag = found and _TAG_AT.match(head, found.start())
            if tag:
                count = _attr(tag.group(3).removesuffix(b"/"), b"uniqueCount") or b""
                declared = _number(count) if count.isdigit() else 0
        if max(items.count, declared or 0) > limits.max_cells:
            raise TooLarge(
                f"its shared strings hold more than {limits.max_cells:,} texts; {limits.describe()}"
            )


class _Counter:
    """Occurrences of some byte strings across chunks (one split by a chunk end included)."""

    def __init__(self, needles: tuple[bytes, ...]):
        self.needles, self.count, self.tail = needles, 0, b""
        self.keep = max(len(needle) for needle in needles) - 1

    def add(self, chunk: bytes) -> None:
        # The tail and the chunk's start are each shorter than a needle: what they hold
        # together is only what the chunk boundary splits.
        seam = self.tail + chunk[: self.keep]
        self.count += sum(chunk.count(n) + seam.count(n) for n in self.needles)
        if self.keep:
            self.tail = (chunk if len(chunk) >= self.keep else self.tail + chunk)[-self.keep :]


def read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes in chunks, refused as soon as they pass the size its directory gives.

    calamine's zip reader inflates until the compressed data ends, whatever size the directory
    declares, so a member declaring 1 KB could inflate to gigabytes past a check of declared
    sizes. Reading with room for one byte more than declared tells.
    """
    probe = copy.copy(info)
    probe.file_size = info.file_size + 1
    seen = 0
    with archive.open(probe) as stream:
        while chunk := stream.read(_CHUNK):
            seen += len(chunk)
            if seen > info.file_size:
                raise TooLarge(
                    f"the file is damaged or built to exhaust memory: part {info.filename} "
                    f"unpacks to more than the {info.file_size:,} bytes the zip declares"
                )
            yield chunk
    if seen != info.file_size:
        raise TooLarge(
            f"the file is damaged: part {info.filename} unpacks to {seen:,} bytes, not the "
            f"{info.file_size:,} the zip declares"
        )


# --- the workbook's parts ---------------------------------------------------------------------


def read_parts(archive: zipfile.ZipFile) -> Parts | None:
    """The sheets of an xlsx and their XML parts, or None when the zip is not an xlsx.

    Found as calamine finds them: the workbook's folder from _rels/.rels, then
    <folder>_rels/workbook.xml.rels and <folder>workbook.xml, names matched ignoring ASCII
    case. Without _rels/.rels or its office document calamine cannot open the file at all.
    """
    members = _Members(archive)
    package = members.read_small("_rels/.rels")
    if package is None:
        return None
    target = None
    for attrs in _tags(package, b"Relationship"):
        kind, where = _attr(attrs, b"Type"), _attr(attrs, b"Target")
        if kind is not None and kind.endswith(b"/relationships/officeDocument") and where:
            target = where.decode("utf-8", "replace")
    if target is None:
        return None
    folder = target[: target.rfind("/") + 1].removeprefix("/") if "/" in target else ""
    parts = Parts(archive.filename or "", {})
    parts.shared_strings = members.find(f"{folder}sharedStrings.xml")
    rels = members.read_small(f"{folder}_rels/workbook.xml.rels")
    workbook = members.read_small(f"{folder}workbook.xml")
    if rels is None or workbook is None:
        return parts  # calamine fails, or finds no sheets
    targets = {}
    for attrs in _tags(rels, b"Relationship"):
        rel_id = _attr(attrs, b"Id")
        if rel_id is not None:
            targets[rel_id] = (_attr(attrs, b"Target") or b"").decode("utf-8", "replace")
    for attrs in _tags(workbook, b"sheet"):
        name, rel_id = "", b""
        try:
            for key, value in _raw_attrs(attrs):
                if key == b"name":
                    name = _unescape(value.decode("utf-8", "replace"))
                elif key == b"id" or key.endswith(b":id"):
                    rel_id = value
        except ValueError:
            pass  # calamine fails on this sheet; scanning what was read is harmless
        where = targets.get(rel_id)
        if not where:
            continue
        path = where[1:] if where.startswith("/") else folder + where
        found = members.find(path)
        if found and name not in parts.sheets:
            parts.sheets[name] = found[-1].filename
        parts.sheet_members.extend((name, info) for info in found)
    return parts


class _Members:
    """Zip members looked up as calamine looks them up: ASCII case and '\\' ignored."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.by_key: dict[str, list[zipfile.ZipInfo]] = {}
        for info in archive.infolist():
            self.by_key.setdefault(_key(info.filename), []).append(info)

    def find(self, path: str) -> list[zipfile.ZipInfo]:
        return self.by_key.get(_key(path), [])

    def read_small(self, path: str) -> bytes | None:
        found = self.find(path)
        if not found:
            return None
        info = found[-1]
        if info.file_size > SMALL_PART_BYTES:
            raise TooLarge(
                f"part {info.filename} is {info.file_size:,} bytes, far more than a "
                "workbook's list of sheets takes"
            )
        return b"".join(read_capped(self.archive, info))


def _key(name: str) -> str:
    raw = name.replace("\\", "/").encode("utf-8", "surrogateescape")
    return raw.lower().decode("utf-8", "surrogateescape")  # bytes.lower: ASCII only


def _tags(data: bytes, local: bytes) -> Iterator[bytes]:
    """The raw attributes of every start tag with this local name (comments skipped)."""
    for match in _MARKUP.finditer(data):
        name = match.group(2)
        if name is not None and not match.group(1) and name[name.find(b":") + 1 :] == local:
            yield match.group(3).removesuffix(b"/")


def _raw_attrs(raw: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(key, value) pairs as calamine's RawAttrIter reads them; ValueError where it fails."""
    pos, size = 0, len(raw)
    while True:
        while pos < size and raw[pos] in _ATTR_WS:
            pos += 1
        if pos >= size:
            return
        equals = raw.find(b"=", pos)
        if equals < 0:
            raise ValueError("attribute without a value")
        key = raw[pos:equals].rstrip(_ATTR_WS)
        pos = equals + 1
        while pos < size and raw[pos] in _ATTR_WS:
            pos += 1
        if pos >= size or raw[pos] not in b"\"'":
            raise ValueError("unquoted attribute value")
        end = raw.find(raw[pos : pos + 1], pos + 1)
        end = size if end < 0 else end
        yield key, raw[pos + 1 : end]
        pos = end + 1


def _attr(raw: bytes, name: bytes) -> bytes | None:
    """The first attribute with this exact key (calamine's raw_attr); None if absent or bad."""
    try:
        return _first_attr(raw, name)
    except ValueError:
        return None


def _first_attr(raw: bytes, name: bytes) -> bytes | None:
    for key, value in _raw_attrs(raw):
        if key == name:
            return value
    return None


def _cell_ref(raw: bytes) -> bytes | None:
    """The r calamine's get_attrs! gives a cell (the last r read before three of r, s and t
    are seen); None when there is none, ValueError where calamine fails."""
    found, ref = 0, None
    for key, value in _raw_attrs(raw):
        if key in (b"r", b"s", b"t"):
            found += 1
            if key == b"r":
                ref = value
            if found == 3:
                break
    return ref


def _unescape(text: str) -> str:
    def one(match: re.Match) -> str:
        entity = match.group(1)
        if entity.startswith("#x"):
            return chr(int(entity[2:], 16))
        if entity.startswith("#"):
            return chr(int(entity[1:]))
        return _NAMED[entity]

    try:
        return _ENTITY.sub(one, text)
    except (ValueError, OverflowError):
        return text


# --- references ---------------------------------------------------------------------------------


_REF = re.compile(rb"([A-Za-z]*)([0-9]+)\Z")
_HUGE = 10**15


def _number(digits: bytes) -> int:
    """A decimal number, any length (int() refuses more than 4,300 digits)."""
    digits = digits.lstrip(b"0") or b"0"
    return int(digits) if len(digits) <= 15 else _HUGE


_COLUMNS: dict[bytes, int] = {}


def parse_ref(ref: bytes) -> tuple[int, int] | None:
    """(column, row), 1-based, of a reference such as b"XFD1048576" as calamine reads it
    (column 0 when it has no letters); None where calamine refuses it."""
    match = _REF.match(ref)
    if match is None:
        return None
    letters, digits = match.groups()
    row = _number(digits)
    if row == 0:
        return None
    column = _COLUMNS.get(letters)
    if column is None and len(letters) > 8:
        column = _HUGE  # past any limit (calamine's u32 wraps; refusing is the safe side)
    elif column is None:
        column = 0
        for letter in letters.upper():
            column = column * 26 + letter - 64
        if len(_COLUMNS) < 4096:
            _COLUMNS[letters] = column
    return column, row


def column_letters(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _digits_at_most(limit: int) -> bytes:
    """A regex for a decimal number from 1 to limit written without leading zeros."""
    if limit < 1:
        return rb"(?!)"
    text = str(limit)
    size = len(text)
    options = [f"[1-9][0-9]{{0,{size - 2}}}"] if size > 1 else []
    for index, digit in enumerate(text):
        low = 1 if index == 0 else 0
        if int(digit) > low:
            options.append(f"{text[:index]}[{low}-{int(digit) - 1}][0-9]{{{size - index - 1}}}")
    options.append(text)
    return f"(?:{'|'.join(options)})".encode()


def _letters_at_most(limit: int) -> bytes:
    """A regex for upper-case letters of column 1 to column limit."""
    if limit < 1:
        return rb"(?!)"
    text = column_letters(limit)
    size = len(text)
    options = [f"[A-Z]{{1,{size - 1}}}"] if size > 1 else []
    for index, letter in enumerate(text):
        if letter > "A":
            options.append(f"{text[:index]}[A-{chr(ord(letter) - 1)}][A-Z]{{{size - index - 1}}}")
    options.append(text)
    return f"(?:{'|'.join(options)})".encode()


# --- scanning a sheet ---------------------------------------------------------------------------


class Extent:
    """The furthest column and row seen, checked against the limits as they grow."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.columns = self.rows = 0

    def add(self, column: int, row: int) -> None:
        if column <= self.columns and row <= self.rows:
            return
        self.columns, self.rows = max(self.columns, column), max(self.rows, row)
        self.limits.check(self.columns, self.rows)


def _damaged(what: str) -> TooLarge:
    return TooLarge(f"cannot be read: the file is damaged ({what})")


_PLAIN_COLUMNS = re.compile(rb'<c r="([A-Z]+)[0-9]')
_PLAIN_ROWS = re.compile(rb'<c r="[A-Z]+([0-9]{1,15})"')


class _FastScan:
    """Stateless checks of every explicit reference; plain in-limit tags cost no Python.

    Wide (past FAST_COLUMNS), it also takes the furthest column and row of the plain cells
    (C-level findall) to hold the sheet's extent to the cell budget.
    """

    def __init__(self, limits: Limits, wide: bool = False):
        self.limits, self.wide = limits, wide
        self.columns = limits.max_columns if wide else min(FAST_COLUMNS, limits.max_columns)
        self.extent = Extent(limits)
        self.tail = b""
        # The furthest row tag seen: checked after the cells around it, so that a far cell
        # is named rather than only its row.
        self.row = 0
        self.header = True  # before <sheetData>, where calamine reads <dimension>
        rows = _digits_at_most(limits.max_rows)
        columns = _letters_at_most(self.columns)
        # Tags not in the plain shape, or beyond the plain limits: each is looked at alone.
        self.odd_cells = re.compile(
            rb'<c(?=[ \t\r\n/>])(?! r="'
            + columns
            + rows
            + rb'"(?: (?:s|t|cm|vm|ph)="[^"]*")*(?: ?/)?>)'
        )
        self.odd_rows = re.compile(rb'<row(?=[ \t\r\n/>])(?! r="' + rows + rb'"[ \t\r\n/>])')

    def feed(self, chunk: bytes) -> None:
        data = self.tail + chunk
        self.tail = data[self._scan(data, final=False) :]

    def finish(self) -> None:
        if self.tail:
            self._scan(self.tail, final=True)

    def _scan(self, data: bytes, final: bool) -> int:
        """Checks the odd tags of data; returns where an unfinished last tag starts."""
        hits = []
        if self.header:
            hits += [m.start() for m in _DIMENSION.finditer(data)]
            self.header = b"sheetData" not in data
        hits += [m.start() for m in self.odd_rows.finditer(data)]
        hits += [m.start() for m in self.odd_cells.finditer(data)]
        for match in _PREFIXED.finditer(data):
            before = _PREFIX_BEFORE.search(data, max(0, match.start() - 256), match.start())
            if before:
                hits.append(before.start())
        keep = data.rfind(b"<")
        if keep < 0 or len(data) - keep > MAX_TAG_BYTES:
            keep = len(data)
        for start in sorted(hits):
            tag = _TAG_AT.match(data, start, min(len(data), start + MAX_TAG_BYTES))
            if tag is None:
                if final:
                    continue  # calamine stops at an unfinished tag too
                if start + MAX_TAG_BYTES < len(data):
                    raise _damaged("a tag longer than 1 MB")
                keep = min(start, keep)
                break
            self._check(tag.group(2), tag.group(3).removesuffix(b"/"))
        if self.wide:
            letters = set(_PLAIN_COLUMNS.findall(data))
            if letters:
                column = max(parse_ref(letters + b"1")[0] for letters in letters)
                rows = _PLAIN_ROWS.findall(data)
                self.extent.add(column, max(map(int, rows)) if rows else 0)
        if self.row:
            self.extent.add(0, self.row)
        return keep

    def _check(self, name: bytes, attrs: bytes) -> None:
        local = name[name.find(b":") + 1 :]
        if local == b"dimension":
            for part in (_attr(attrs, b"ref") or b"").split(b":"):
                place = parse_ref(part)
                if place:
                    self.extent.add(*place)
            return
        try:
            ref = _cell_ref(attrs) if local == b"c" else _first_attr(attrs, b"r")
        except ValueError:
            return  # calamine fails on this tag before placing anything
        if ref is None:
            if local == b"c":
                raise _NeedExact  # placed after the cells before it
            return
        place = parse_ref(ref)
        if place is None:
            return
        column, row = place
        if column > self.columns and local == b"c":
            self.extent.add(column, row)
            raise _NeedWide  # whether it fits depends on how many rows the sheet has
        if self.wide and local == b"c":
            self.extent.add(column, row)
        # The cells before this one are not counted here: only how deep the sheet goes.
        self.row = max(self.row, row)


class _ExactScan:
    """Follows cells and rows as calamine does, placing cells without r as it places them."""

    OUT, ROW, CELL = range(3)

    def __init__(self, limits: Limits):
        self.extent = Extent(limits)
        self.tail = b""
        self.started = self.done = False
        self.state = self.parent = self.OUT
        self.value: bytes | None = None
        self.row = self.column = 0
        self.row_ref = 0  # the open row's r: checked at its end, after its cells

    def feed(self, chunk: bytes) -> bool:
        """Follows the chunk; True once calamine would have stopped reading cells."""
        data = self.tail + chunk
        self.tail = data[self._scan(data) :]
        if len(self.tail) > MAX_TAG_BYTES:
            raise _damaged("an unfinished tag or comment longer than 1 MB")
        return self.done

    def _scan(self, data: bytes) -> int:
        for match in _EXACT.finditer(data):
            cell = match.group("cell")
            if cell is not None:
                if self.started:
                    self._plain_cell(cell)
                    if self.done:
                        return len(data)
                continue
            name = match.group(3)
            if name is None:
                if match.group(0) != b"<":
                    continue  # a comment, CDATA or processing instruction
                start = match.start()
                if (
                    data.startswith(b"<!", start)
                    and not data.startswith((b"<!--", b"<![CDATA["), start)
                    and len(data) - start >= 9
                ):
                    raise _damaged("a DOCTYPE in the sheet XML")
                return start  # unfinished: read on
            self._tag(match.group(2) == b"/", name, match.group(4))
            if self.done:
                return len(data)
        return len(data)

    def _plain_cell(self, attrs: bytes) -> None:
        """A whole cell, <c ...> to </c>, whose content holds no other tags."""
        if self.value is not None:
            raise _damaged("a cell value holds other cells")
        if self.state == self.CELL:
            raise _damaged("a cell inside another cell")
        refs = _R_VALUE.findall(attrs)
        self._place(refs[0] if len(refs) == 1 else _cell_ref(attrs) if refs else None)

    def _tag(self, closing: bool, name: bytes, attrs: bytes) -> None:
        local = name[name.find(b":") + 1 :]
        empty = attrs.endswith(b"/")
        attrs = attrs.removesuffix(b"/")
        if not self.started:
            if local == b"dimension" and not closing:
                for part in (_attr(attrs, b"ref") or b"").split(b":"):
                    place = parse_ref(part)
                    if place:
                        self.extent.add(*place)
            elif local == b"sheetData" and not closing:
                self.started, self.done = True, empty
            return
        if self.value is not None:
            if closing and name == self.value:
                self.value = None
            elif local in (b"c", b"row") or (local in _VALUE_TAGS and not closing):
                raise _damaged("a cell value holds other cells")
            return
        if local == b"row":
            self._row(closing, attrs, empty)
        elif local == b"c":
            self._cell(closing, attrs, empty)
        elif local == b"sheetData" and closing and self.state != self.CELL:
            self.done = True  # calamine stops reading cells here
        elif local in _VALUE_TAGS and self.state == self.CELL and not closing and not empty:
            self.value = name

    def _row(self, closing: bool, attrs: bytes, empty: bool) -> None:
        if not closing:
            if self.state != self.OUT:
                raise _damaged("a row inside another row or cell")
            try:
                ref = _first_attr(attrs, b"r")
            except ValueError:
                self.done = True  # calamine fails here, before placing anything more
                return
            if ref is not None:
                place = parse_ref(ref)
                if place is None:
                    self.done = True
                    return
                self.row = place[1] - 1
                self.row_ref = place[1]
            self.state = self.ROW
            if not empty:
                return
        elif self.state != self.ROW:
            raise _damaged("a row end outside a row")
        self.extent.add(0, self.row_ref)
        self.row_ref = 0
        self.row += 1
        self.column = 0
        self.state = self.OUT

    def _cell(self, closing: bool, attrs: bytes, empty: bool) -> None:
        if closing:
            if self.state != self.CELL:
                raise _damaged("a cell end outside a cell")
            self.state = self.parent
            return
        if self.state == self.CELL:
            raise _damaged("a cell inside another cell")
        try:
            self._place(_cell_ref(attrs))
        except ValueError:
            self.done = True  # calamine fails on this cell, before placing it
        if not empty and not self.done:
            self.parent, self.state = self.state, self.CELL

    def _place(self, ref: bytes | None) -> None:
        """Where calamine puts a cell: its r, else after the cell before it in the row."""
        if ref is not None:
            place = parse_ref(ref)
            if place is None or place[0] == 0:
                self.done = True  # calamine fails on the reference
                return
            column, row = place
            self.column = column - 1
        else:
            column, row = self.column + 1, self.row + 1
        self.column += 1
        self.extent.add(column, row)


# --- OpenDocument (.ods) ------------------------------------------------------------------------


def _ods_number(attrs: bytes, name: bytes, default: int) -> int | None:
    """A repeat count as calamine parses it; None where its parse fails (it stops there)."""
    try:
        value = _first_attr(attrs, name)
    except ValueError:
        return None
    if value is None:
        return default
    return _number(value) if value.isdigit() else None


def _keys(attrs: bytes) -> set[bytes]:
    keys = set()
    try:
        for key, _ in _raw_attrs(attrs):
            keys.add(key)
    except ValueError:
        return keys  # calamine stops reading the cell's attributes there too
    return keys


class _OdsScan:
    """content.xml as calamine's ods reader expands it, every table at once when it opens.

    Repeated rows and cells are copied, text included: one cell holding a long text, repeated
    16,384 columns and thousands of rows, is gigabytes from a few bytes; <text:s text:c="N"/>
    is N spaces. The cells and the text after expansion are held to a signing list's size.
    """

    MAX_ROWS, MAX_COLUMNS = 1 << 20, 1 << 14  # calamine's caps on repeats

    def __init__(self, limits: Limits):
        self.limits, self.max_text = limits, limits.max_text
        self.tail = b""
        self.extent = Extent(limits)
        self.cells = self.text = self.tables_cells = 0
        self.rows = self.row_repeats = self.column = 0
        self.cell: tuple[int, bool, int] | None = None  # repeats, valued, text length
        self.sheet: str | None = None
        self.done = False

    def feed(self, chunk: bytes) -> None:
        data = self.tail + chunk
        self.tail = data[self._scan(data) :]
        if len(self.tail) > MAX_TAG_BYTES:
            raise _damaged("an unfinished tag or comment longer than 1 MB")

    def finish(self) -> None:
        self._end_table()

    def _scan(self, data: bytes) -> int:
        last, stop = 0, len(data)
        for match in _MARKUP.finditer(data):
            self._text(match.start() - last)
            last = match.end()
            name = match.group(2)
            if name is None:
                if match.group(0) != b"<":
                    continue
                stop = match.start()
                if (
                    data.startswith(b"<!", stop)
                    and not data.startswith((b"<!--", b"<![CDATA["), stop)
                    and len(data) - stop >= 9
                ):
                    raise _damaged("a DOCTYPE in content.xml")
                return stop
            if not self.done:
                self._tag(match.group(1) == b"/", name, match.group(3))
        self._text(stop - last)
        return stop

    def _text(self, length: int) -> None:
        if self.cell is not None and length > 0:
            repeats, valued, before = self.cell
            self.cell = (repeats, valued, before + length)

    def _tag(self, closing: bool, name: bytes, attrs: bytes) -> None:
        empty = attrs.endswith(b"/")
        attrs = attrs.removesuffix(b"/")
        if name == b"table:table":
            self._end_table()
            if not closing:
                self.rows = 0
                name = _attr(attrs, b"table:name")
                self.sheet = _unescape(name.decode("utf-8", "replace")) if name else None
        elif name == b"table:table-row" and not closing:
            repeats = _ods_number(attrs, b"table:number-rows-repeated", 1)
            if repeats is None:
                self.done = True
                return
            self.row_repeats = min(repeats, self.MAX_ROWS - min(self.rows, self.MAX_ROWS))
            self.rows += self.row_repeats
            self.column = 0
        elif name in (b"table:table-cell", b"table:covered-table-cell") and not closing:
            repeats = _ods_number(attrs, b"table:number-columns-repeated", 1)
            if repeats is None:
                self.done = True
                return
            repeats = min(repeats, self.MAX_COLUMNS - min(self.column, self.MAX_COLUMNS))
            valued = not empty or bool(_keys(attrs) & {b"office:value-type", b"table:formula"})
            self.cell = (repeats, valued, 0)
            if empty:
                self._end_cell()
        elif name in (b"table:table-cell", b"table:covered-table-cell") and closing:
            self._end_cell()
        elif name == b"text:s" and not closing and self.cell is not None:
            self._text(_ods_number(attrs, b"text:c", 1) or 0)

    def _end_cell(self) -> None:
        if self.cell is None:
            return
        repeats, valued, length = self.cell
        self.cell = None
        self.column += repeats
        if not valued or not repeats or not self.row_repeats:
            if valued and repeats:  # a cell past calamine's row cap: kept, never shown
                self.extent.add(self.column, self.rows + 1)
            return
        self.extent.add(self.column, self.rows)
        copies = repeats * self.row_repeats
        self.cells += copies
        self.text += length * copies
        if self.cells > self.limits.max_cells or self.text > self.max_text:
            raise TooLarge(
                f"repeats its cells to more than {self.limits.max_cells:,} cells or "
                f"{self.max_text / 1048576:,.0f} MB of text; {self.limits.describe()}"
            )

    def _end_table(self) -> None:
        self.tables_cells += self.extent.columns * self.extent.rows
        self.extent = Extent(self.limits)
        if self.tables_cells > self.limits.max_cells:
            raise TooLarge(
                f"its sheets together use more than {self.limits.max_cells:,} cells; "
                f"{self.limits.describe()}"
            )


# --- Excel binary (.xlsb) -----------------------------------------------------------------------

# Records placing a value in the column their first four bytes give, on the last BrtRowHdr's row.
_XLSB_CELLS = frozenset(range(2, 12))


class _XlsbScan:
    """A sheet's .bin records as calamine's xlsb cell reader reads them (it stops at a row past
    1,048,576 or at BrtEndSheetData)."""

    def __init__(self, limits: Limits):
        self.extent = Extent(limits)
        self.buffer = b""
        self.skip = 0
        self.row = 0
        self.done = False

    def feed(self, chunk: bytes) -> None:
        if self.done:
            return
        if self.skip >= len(chunk):
            self.skip -= len(chunk)
            return
        data = self.buffer + chunk[self.skip :]
        self.skip = 0
        at, size = 0, len(data)
        while at < size and not self.done:
            header = _xlsb_header(data, at)
            if header is None:
                break
            kind, length, start = header
            if kind in _XLSB_CELLS or kind in (0x0000, 0x0092, 0x0094):
                need = {0x0092: 0, 0x0094: 16}.get(kind, 4)
                if start + min(length, need) > size:
                    break
                self._record(kind, data[start : start + min(length, need)])
            end = start + length
            if end > size:
                self.skip, at = end - size, size
                break
            at = end
        self.buffer = data[at:]
        if len(self.buffer) > 64:
            raise _damaged("an unfinished record")

    def finish(self) -> None:
        pass

    def _record(self, kind: int, data: bytes) -> None:
        if kind == 0x0000 and len(data) >= 4:  # BrtRowHdr
            self.row = int.from_bytes(data[:4], "little")
            if self.row > 0x100000:
                self.done = True
        elif kind == 0x0094 and len(data) >= 16:  # BrtWsDim: first, last row; first, last col
            last_row = int.from_bytes(data[4:8], "little")
            last_column = int.from_bytes(data[12:16], "little")
            self.extent.add(last_column + 1, last_row + 1)
        elif kind == 0x0092:
            self.done = True
        elif len(data) >= 4:
            self.extent.add(int.from_bytes(data[:4], "little") + 1, self.row + 1)


def _xlsb_header(data: bytes, at: int) -> tuple[int, int, int] | None:
    """(record type, length, where its data starts), None when data ends inside the header."""
    size = len(data)
    if at >= size:
        return None
    kind = data[at]
    at += 1
    if kind & 0x80:
        if at >= size:
            return None
        kind = (kind & 0x7F) + ((data[at] & 0x7F) << 7)
        at += 1
    length = 0
    for index in range(4):
        if at >= size:
            return None
        byte = data[at]
        at += 1
        length += (byte & 0x7F) << (7 * index)
        if not byte & 0x80:
            break
    return kind, length, at


def xlsb_sheets(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The worksheet parts an xlsb's relationships name (all of them: calamine reads those
    its workbook.bin lists, a subset)."""
    members = _Members(archive)
    rels = members.read_small("xl/_rels/workbook.bin.rels")
    found = []
    for attrs in _tags(rels or b"", b"Relationship"):
        kind = _attr(attrs, b"Type") or b""
        target = (_attr(attrs, b"Target") or b"").decode("utf-8", "replace")
        if kind.endswith(b"/worksheet") and target:
            found += members.find(target[1:] if target.startswith("/") else "xl/" + target)
    return found


# --- merged cells -------------------------------------------------------------------------------


def scan_merges(stream) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Every <mergeCell ref="A1:B2"/> in a stream of sheet XML."""
    found = []
    tail = b""
    while chunk := stream.read(_CHUNK):
        data = tail + chunk
        last_end = 0
        for match in _MERGE.finditer(data):
            found.append(_range(*match.groups()))
            last_end = match.end()
        # Keep the end of the chunk in case an element is split across the boundary.
        tail = data[max(last_end, len(data) - _OVERLAP) :]
    return found


def _range(col0: bytes, row0: bytes, col1: bytes | None, row1: bytes | None):
    start = (int(row0) - 1, _column(col0))
    end = (int(row1) - 1, _column(col1)) if col1 and row1 else start
    return start, end


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1
