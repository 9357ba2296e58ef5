"""Merged-cell ranges straight from an xlsx's XML, for python-calamine versions without them.

Only the small workbook parts are parsed; a sheet's XML is scanned in chunks for <mergeCell>
elements (they follow the cell data), so a large sheet is never loaded whole.
"""

import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')
_CHUNK = 1 << 20
_OVERLAP = 200


@dataclass
class Parts:
    """Where each sheet's XML lives inside the archive."""

    path: str
    sheets: dict[str, str]

    def merged_ranges(self, name: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """The sheet's merged ranges as ((row0, col0), (row1, col1)), 0-based and inclusive."""
        part = self.sheets.get(name)
        if part is None:
            return []
        with zipfile.ZipFile(self.path) as archive, archive.open(part) as stream:
            return scan_merges(stream)


def read_parts(archive: zipfile.ZipFile) -> Parts | None:
    """The sheet-name → XML-part map of an xlsx, or None when the zip is not one."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL}Relationship")}
    sheets = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        if target:
            part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            sheets[sheet.get("name", "")] = posixpath.normpath(part)
    return Parts(archive.filename or "", sheets)


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
