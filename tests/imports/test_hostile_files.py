"""Files built to exhaust memory are refused from what they declare, before calamine reads them.

python-calamine gives every cell of a sheet's used range 32 bytes, all at once: one cell at
XFD1048576 asks for 512 GB and aborts the process (signal 6, no exception to catch). These
files are written part by part with zipfile, as a hostile sender would, in the shape of a real
signing list (a header row, a data row) plus the cell or part that makes them dangerous.
"""

import datetime as dt
import resource
import struct
import subprocess
import sys
import time
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from investpromo.imports.readers import UnreadableFile, read_sheets
from tests.factories import make_event
from tests.imports.files import HEADER, csv_file, project_rows, xlsx

FIXTURES = Path(__file__).parent / "fixtures"
ROW = ["石墨深加工项目", "深圳市甲科技有限公司", "松北区", "12500"]
TITLES = ["项目名称", "投资方", "落地地区", "签约金额（万元）"]

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _row(number: int, values: list[str], refs: bool = True) -> str:
    cells = "".join(
        (f'<c r="{chr(65 + i)}{number}" t="inlineStr">' if refs else '<c t="inlineStr">')
        + f"<is><t>{value}</t></is></c>"
        for i, value in enumerate(values)
    )
    return (f'<row r="{number}">' if refs else "<row>") + cells + "</row>"


def signing_list_xlsx(
    path: Path, extra: str = "", *, dimension: str | None = None, body=None
) -> Path:
    """A one-sheet xlsx: header, one data row, then `extra` XML in sheetData (or body(write))."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=body is not None) as sheet:
            sheet.write(SHEET_START.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            sheet.write((_row(1, TITLES) + _row(2, ROW)).encode())
            if body is not None:
                body(sheet.write)
            sheet.write(extra.encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


def refusal(path: Path, **options) -> str:
    """The UnreadableFile message reading the file gives, within 10 seconds."""
    started = time.perf_counter()
    with pytest.raises(UnreadableFile) as caught:
        for sheet in read_sheets(path, **options):
            for _ in sheet.rows:
                pass
    assert time.perf_counter() - started < 10
    message = str(caught.value)
    assert "\n" not in message
    return message


FAR_CELL = "uses cells up to XFD1048576 (16,384 columns × 1,048,576 rows); a signing list "
LIMITS = "a signing list has at most 200 columns and 1,000,000 rows"


def test_a_far_cell_is_refused_before_calamine_allocates_it(tmp_path):
    path = signing_list_xlsx(
        tmp_path / "big.xlsx",
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
        dimension="A1:XFD1048576",
    )
    assert path.stat().st_size < 4096
    assert refusal(path) == (
        "big.xlsx: sheet 'Sheet1' uses cells up to XFD1048576 (16,384 columns × 1,048,576 "
        f"rows); {LIMITS}"
    )


@pytest.mark.parametrize(
    ("extra", "dimension", "reach"),
    [
        # the writer left <dimension> out, or it lies
        ('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', None, FAR_CELL),
        ('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "A1:D2", FAR_CELL),
        # the declared range alone
        ("", "A1:XFD1048576", FAR_CELL),
        # far down, far right
        ('<row r="1048576"><c r="A1048576"><v>1</v></c></row>', None, "rows up to 1,048,576"),
        ('<row r="3"><c r="HZ3"><v>1</v></c></row>', None, "HZ3 (234 columns × 3 rows)"),
        # a cell whose reference disagrees with its row, lower case, quoted with '
        ('<row r="3"><c r="A1048576"><v>1</v></c></row>', None, "rows up to 1,048,576"),
        ("<row r='3'><c t='n' r='xfd3'><v>1</v></c></row>", None, "XFD3 (16,384 columns"),
        # a row number Python's int() would refuse (more than 4,300 digits)
        (f'<row r="3"><c r="A{"9" * 5000}"><v>1</v></c></row>', None, "rows up to 1,000,000,000,0"),
        # a namespace prefix calamine ignores
        ('<x:row r="3"><x:c r="XFD3"><x:v>1</x:v></x:c></x:row>', None, "XFD3 (16,384"),
        # cells without r are placed after the cells and rows before them
        ("<row>" + "<c><v>1</v></c>" * 300 + "</row>", None, "GS3 (201 columns × 3 rows)"),
        (
            '<row r="1000000"></row><row></row><row><c><v>1</v></c></row>',
            None,
            "D1000002 (4 columns",
        ),
        # wide and deep, each within its own limit: more cells than a signing list has
        (
            '<row r="3"><c r="AN3"><v>1</v></c></row><row r="900000"><c r="A900000"><v>1</v>'
            "</c></row>",
            None,
            "AN900000 (40 columns × 900,000 rows = 36,000,000 cells); a signing list has at "
            "most 30,000,000 cells",
        ),
        ('<row r="999999"><c r="GR999999"><v>1</v></c></row>', None, "= 199,999,800 cells"),
    ],
)
def test_sheets_reaching_too_far_are_refused(tmp_path, extra, dimension, reach):
    path = signing_list_xlsx(tmp_path / "far.xlsx", extra, dimension=dimension)
    message = refusal(path)
    assert message.startswith("far.xlsx: sheet 'Sheet1' uses ")
    assert reach in message


@pytest.mark.parametrize(
    ("extra", "damage"),
    [
        # A row hidden in a cell value: calamine skips it, so counting it would misplace cells.
        ('<row r="3"><c><v>1</c></row><row r="1"><c></v></c></row>', "holds other cells"),
        ("<row><c><row></row></c></row>", "a row inside another row or cell"),
        ('<!DOCTYPE x [<!ENTITY e "1">]><row><c><v>1</v></c></row>', "DOCTYPE"),
    ],
)
def test_sheets_calamine_would_count_differently_are_refused(tmp_path, extra, damage):
    path = signing_list_xlsx(tmp_path / "odd.xlsx", extra)
    message = refusal(path)
    assert message.startswith("odd.xlsx: sheet 'Sheet1' cannot be read: the file is damaged")
    assert damage in message


def test_rows_past_the_row_limit_are_refused_from_the_sheet_xml(tmp_path):
    def rows(write):
        for number in range(3, 1003):
            write(_row(number, [f"项目{number}", "投资方", "松北区", "100"]).encode())

    path = signing_list_xlsx(tmp_path / "rows.xlsx", body=rows)
    assert "sheet 'Sheet1' uses rows up to 1,002; a signing list" in refusal(path, max_rows=1000)
    [sheet] = read_sheets(path, max_rows=1002)
    assert sum(1 for _ in sheet.rows) == 1002


def test_a_zip_bomb_is_refused_from_its_directory(tmp_path):
    # 60 MB of sheet XML that deflates to about 60 KB; the limit for 1,000 rows and a 1 MB
    # file is 1 MB + 1,000 × 2 KB. The full-size bomb (3.9 GB) is refused the same way.
    def padding(write):
        block = ('<row r="2"><c r="A2"><v>1</v></c></row>' * 1000).encode()
        for _ in range(1500):
            write(block)

    path = signing_list_xlsx(tmp_path / "bomb.xlsx", body=padding)
    assert path.stat().st_size < 1_000_000
    message = refusal(path, max_rows=1000, max_bytes=1_000_000)
    assert message.startswith("bomb.xlsx: the workbook unpacks to 56 MB, more than a signing list")


def test_a_part_inflating_past_its_declared_size_is_refused(tmp_path):
    # calamine's zip reader inflates until the data ends, whatever size the directory gives.
    path = signing_list_xlsx(tmp_path / "liar.xlsx")
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    entry = data.find(b"PK\x01\x02")
    while data[entry + 46 : entry + 46 + len(name)] != name:
        entry = data.find(b"PK\x01\x02", entry + 4)
    struct.pack_into("<I", data, entry + 24, 100)  # its uncompressed size in the directory
    path.write_bytes(bytes(data))
    assert refusal(path).startswith("liar.xlsx: the file is damaged")


def test_a_shared_strings_count_calamine_would_reserve_is_refused(tmp_path):
    path = signing_list_xlsx(tmp_path / "strings.xlsx")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'count="1" uniqueCount="100000000000"><si><t>a</t></si></sst>',
        )
    assert "shared strings hold more than 30,000,000 texts" in refusal(path)


def test_real_workbooks_still_read(tmp_path):
    # openpyxl writes <dimension>, merges and shared strings; the hand-built one has no
    # <dimension>; a 40-column sheet and one without r attributes take the exact pass.
    merged = xlsx(
        tmp_path / "merged.xlsx",
        {"S": [["签约项目表"], HEADER, *project_rows(20)], "说明": [["注"]]},
        merges={"S": ["A1:E1", "D3:D5"]},
    )
    with zipfile.ZipFile(merged) as archive:
        assert b'<dimension ref="A1:E22"' in archive.read("xl/worksheets/sheet1.xml")
    sheets = {sheet.name: dict(sheet.rows) for sheet in read_sheets(merged)}
    assert sheets["S"][1] == ["签约项目表"] * 5
    assert sheets["S"][4][3] == sheets["S"][5][3] == "松北区"
    plain = signing_list_xlsx(tmp_path / "plain.xlsx")
    assert [dict(s.rows) for s in read_sheets(plain)] == [{1: TITLES, 2: ROW}]
    wide = xlsx(tmp_path / "wide.xlsx", {"S": [[f"列{i}" for i in range(40)]] * 100})
    assert len(next(iter(read_sheets(wide))).rows.__next__()[1]) == 40
    no_refs = signing_list_xlsx(tmp_path / "norefs.xlsx", _row(3, ["a", "b", "c", "d"], refs=False))
    assert dict(next(iter(read_sheets(no_refs))).rows)[3] == ["a", "b", "c", "d"]


def test_xls_with_a_forged_dimension_or_far_cell_is_refused(tmp_path):
    # The xlwt fixture, one record patched: calamine reads every .xls sheet when it opens the
    # file and reserves DIMENSIONS' rows × columns cells, 11 PB here.
    original = (FIXTURES / "signing_list.xls").read_bytes()
    dimensions = original.find(b"\x00\x02\x0e\x00")
    forged = bytearray(original)
    struct.pack_into("<IIHH", forged, dimensions + 4, 0, 0xFFFFFFF0, 0, 0xFFFF)
    (tmp_path / "dim.xls").write_bytes(bytes(forged))
    assert "uses cells up to CRXO4294967280" in refusal(tmp_path / "dim.xls")
    far = bytearray(original)
    number = original.find(b"\x7e\x02\x0a\x00", 512)  # an RK cell: row, column
    struct.pack_into("<HH", far, number + 4, 0xFFFF, 0xFFFF)
    (tmp_path / "far.xls").write_bytes(bytes(far))
    message = refusal(tmp_path / "far.xls")
    assert message.startswith("far.xls: sheet '县区上报' uses cells up to CRXP65536")


def ods(path: Path, rows: str) -> Path:
    """An OpenDocument spreadsheet: a header row, then `rows` (table:table-row elements)."""
    header = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{title}</text:p></table:table-cell>'
        for title in TITLES
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
            'manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>',
        )
        archive.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            '<office:body><office:spreadsheet><table:table table:name="县区上报">'
            f"<table:table-row>{header}</table:table-row>{rows}"
            "</table:table></office:spreadsheet></office:body></office:document-content>",
        )
    return path


def test_ods_repeats_are_counted_as_calamine_copies_them(tmp_path):
    # calamine reads every .ods table when it opens the file and copies repeated cells and
    # rows: the first file took it 6 GB and a minute.
    value = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p>'
    repeated = (
        '<table:table-row table:number-rows-repeated="6000">'
        + value.replace(
            "<table:table-cell ", '<table:table-cell table:number-columns-repeated="16384" '
        )
        + "</table:table-cell></table:table-row>"
    )
    message = refusal(ods(tmp_path / "repeat.ods", repeated))
    assert message.startswith("repeat.ods: sheet '县区上报' uses cells up to XFD6001")
    spaces = (
        '<table:table-row table:number-rows-repeated="1000"><table:table-cell '
        'office:value-type="string" table:number-columns-repeated="30"><text:p>'
        '<text:s text:c="1000000"/></text:p></table:table-cell></table:table-row>'
    )
    assert "repeats its cells to more than" in refusal(ods(tmp_path / "spaces.ods", spaces))
    # LibreOffice ends every table with empty rows repeated to row 1,048,576: not counted.
    legit = (
        f"<table:table-row>{value}</table:table-cell></table:table-row>"
        '<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row>'
    )
    [sheet] = read_sheets(ods(tmp_path / "legit.ods", legit))
    assert [cells for _, cells in sheet.rows] == [TITLES, [1.0, "", "", ""]]


def _record(kind: int, data: bytes = b"") -> bytes:
    head = bytes([(kind & 0x7F) | 0x80, kind >> 7]) if kind >= 0x80 else bytes([kind])
    size, length = len(data), bytearray()
    while True:
        length.append((size & 0x7F) | (0x80 if size >> 7 else 0))
        size >>= 7
        if not size:
            return head + bytes(length) + data


def xlsb(path: Path, far_column: int | None = None) -> Path:
    """An Excel binary workbook: two numbers in A1:B1, and one more far to the right."""

    def wide(text: str) -> bytes:
        return struct.pack("<I", len(text)) + text.encode("utf-16-le")

    def number(column: int, value: float) -> bytes:
        return _record(0x05, struct.pack("<IId", column, 0, value))  # BrtCellReal

    book = (
        _record(0x83)
        + _record(0x8F)
        + _record(0x9C, struct.pack("<II", 0, 1) + wide("rId1") + wide("Sheet1"))
        + _record(0x90)
        + _record(0x84)
    )
    sheet = _record(0x81) + _record(0x94, struct.pack("<4I", 0, 1, 0, 1)) + _record(0x91)
    sheet += _record(0x00, bytes(12)) + number(0, 1.0) + number(1, 2.0)  # BrtRowHdr row 0
    if far_column is not None:
        sheet += _record(0x00, struct.pack("<I", 5) + bytes(8)) + number(far_column, 3.0)
    sheet += _record(0x92) + _record(0x82)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS.replace("workbook.xml", "workbook.bin"))
        archive.writestr(
            "xl/_rels/workbook.bin.rels", WORKBOOK_RELS.replace("sheet1.xml", "sheet1.bin")
        )
        archive.writestr("xl/workbook.bin", book)
        archive.writestr("xl/worksheets/sheet1.bin", sheet)
    return path


def test_xlsb_far_cells_are_refused(tmp_path):
    # One cell in column 16,777,216 took calamine 3 GB.
    [sheet] = read_sheets(xlsb(tmp_path / "ok.xlsb"))
    assert list(sheet.rows) == [(1, [1.0, 2.0])]
    message = refusal(xlsb(tmp_path / "far.xlsb", far_column=0xFFFFFF))
    assert message.startswith("far.xlsb: uses cells up to AJRNIN6 (16,777,216 columns × 6 rows)")


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def event(db):
    return make_event(slug="hostile", start=dt.date(2024, 8, 31))


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["far-cell", "far-down", "bomb", "csv-rows", "xlsx-rows"])
def test_import_command_refuses_with_one_line_and_exit_2(tmp_path, settings, event, kind):
    settings.INVESTPROMO_IMPORT_MAX_ROWS = 1000
    if kind == "far-cell":
        path = signing_list_xlsx(
            tmp_path / "big.xlsx", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        )
        expected = "big.xlsx: sheet 'Sheet1' uses cells up to XFD1048576"
    elif kind == "far-down":
        path = signing_list_xlsx(
            tmp_path / "down.xlsx", '<row r="1001"><c r="A1001"><v>1</v></c></row>'
        )
        expected = "down.xlsx: sheet 'Sheet1' uses rows up to 1,001; a signing list has at most"
    elif kind == "bomb":
        settings.INVESTPROMO_IMPORT_MAX_BYTES = 1_000_000
        block = ('<row r="2"><c r="A2"><v>1</v></c></row>' * 1000).encode()
        path = signing_list_xlsx(
            tmp_path / "bomb.xlsx", body=lambda write: [write(block) for _ in range(1500)]
        )
        expected = "bomb.xlsx: the workbook unpacks to 56 MB"
    elif kind == "csv-rows":
        path = csv_file(tmp_path / "rows.csv", [HEADER, *project_rows(1000)])
        expected = "rows.csv: the file is too large: more than 1,000 rows"
    else:
        path = xlsx(tmp_path / "rows.xlsx", {"S": [HEADER, *project_rows(1000)]})
        expected = "rows.xlsx: sheet 'S' uses cells up to E1001 (5 columns × 1,001 rows)"
    started = time.perf_counter()
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import", str(path), "--event", "hostile", "--dry-run", stdout=out)
    assert time.perf_counter() - started < 10
    assert caught.value.returncode == 2
    assert str(caught.value).startswith(expected) and "\n" not in str(caught.value)
    assert out.getvalue() == ""


def test_import_command_line_survives_the_far_cell_file(tmp_path):
    # The console entry point in its own process: before, calamine aborted it (signal 6).
    path = signing_list_xlsx(
        tmp_path / "big.xlsx",
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
        dimension="A1:XFD1048576",
    )
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PATH": "", "HOME": "/tmp"}
    command = [sys.executable, "-m", "investpromo"]
    subprocess.run([*command, "setup"], env=env, check=True, capture_output=True)
    subprocess.run(
        [*command, "event", "add", "hostile", "--name", "测试", "--region", "哈尔滨"]
        + [f"--{edge}={day}" for edge, day in (("start", "2024-08-31"), ("end", "2024-09-02"))],
        env=env,
        check=True,
        capture_output=True,
    )
    started = time.perf_counter()
    result = subprocess.run(
        [*command, "import", str(path), "--event", "hostile", "--dry-run"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # the largest child
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0
    assert "big.xlsx: sheet 'Sheet1' uses cells up to XFD1048576" in result.stderr
    assert seconds < 10
    assert peak < 1 << 30
