"""Reading files: formats, encodings, merges, and every way a file can be unreadable."""

import csv
import datetime as dt
import io
import string
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from investpromo.imports import readers, xlsxparts
from investpromo.imports.readers import UnreadableFile, read_sheets, sniff_delimiter
from tests.imports.files import HEADER, csv_file, project_rows, xlsx

FIXTURES = Path(__file__).parent / "fixtures"


def rows_of(path, **options) -> dict[str, list]:
    return {sheet.name: list(sheet.rows) for sheet in read_sheets(path, **options)}


def test_xlsx_rows_are_numbered_as_the_spreadsheet_numbers_them_with_merges_filled(tmp_path):
    path = tmp_path / "m.xlsx"
    xlsx(
        path,
        {
            "S": [
                [],
                [],
                [None, "标题"],
                [],
                [None, "a", 12.5, dt.date(2024, 9, 1), "x"],
                [None, None, 3],
            ]
        },
        merges={"S": ["E5:E6", "B3:D3"]},
    )
    [(_name, rows)] = rows_of(path).items()
    numbered = {number: cells for number, cells in rows}
    assert numbered[3] == ["标题", "标题", "标题", ""]  # across (columns start at B)
    assert numbered[5] == ["a", 12.5, dt.date(2024, 9, 1), "x"]
    assert numbered[6] == ["", 3.0, "", "x"]  # down


def test_merges_read_from_the_xml_when_calamine_does_not_give_them(tmp_path):
    path = xlsx(
        tmp_path / "m.xlsx",
        {"第一": [["a"], ["b"]], "第二": [["x", None], [None, None]]},
        merges={"第二": ["A1:B2"]},
    )
    with zipfile.ZipFile(path) as archive:
        parts = xlsxparts.read_parts(archive)
    assert parts.merged_ranges("第一") == []
    assert parts.merged_ranges("第二") == [((0, 0), (1, 1))]
    assert parts.merged_ranges("missing") == []
    chunked = io.BytesIO(
        b"<x>" + b" " * 1_048_570 + b'<mergeCell ref="C3:D10"/><mergeCell ref="AA1"/>'
    )
    assert xlsxparts.scan_merges(chunked) == [((2, 2), (9, 3)), ((0, 26), (0, 26))]


def test_xls_read_with_calamine():
    # Made with xlwt (see fixtures/make_fixtures.py): BIFF8, a merged title and destination.
    sheets = rows_of(FIXTURES / "signing_list.xls")
    assert list(sheets) == ["县区上报", "填表说明"]
    rows = dict(sheets["县区上报"])
    assert rows[2][:5] == ["序号", "项目名称", "投资方", "落地地区", "签约金额（万元）"]
    assert rows[3][3] == rows[4][3] == "松北区"
    assert rows[4][4:] == ["3,000", dt.date(2024, 9, 1)]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [
        ("utf-8", ","),
        ("utf-8-sig", ","),
        ("gb18030", ","),
        ("gbk", ";"),
        ("utf-8", "\t"),
        ("utf-16", "\t"),
    ],
)
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    rows = [["签约项目表"], HEADER, [1, "石墨烯项目", "深圳甲科技有限公司", "松北区", "3,500"]]
    path = csv_file(tmp_path / "县区.csv", rows, encoding=encoding, delimiter=delimiter)
    [(name, read)] = rows_of(path).items()
    assert name == "县区"
    assert [cells for _, cells in read][1:] == [
        HEADER,
        ["1", "石墨烯项目", "深圳甲科技有限公司", "松北区", "3,500"],
    ]
    assert [number for number, _ in read] == [1, 2, 3]


@settings(max_examples=40, deadline=None)
@given(
    cells=st.lists(
        st.lists(
            st.text(alphabet=string.ascii_letters + "合计万元 ,;\t\"'\n", max_size=8),
            min_size=3,
            max_size=3,
        ),
        min_size=2,
        max_size=6,
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_any_csv_reads_back_as_written(tmp_path_factory, cells, delimiter, encoding):
    # Every row has a field the delimiter would split, so sniffing has something to go on.
    rows = [["a", "b", "c"], *cells]
    path = tmp_path_factory.mktemp("csv") / "f.csv"
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter, quoting=csv.QUOTE_ALL).writerows(rows)
    [(_, read)] = rows_of(path).items()
    assert [row for _, row in read] == rows


def test_sniff_prefers_the_delimiter_that_splits_consistently():
    assert sniff_delimiter("a;b;c\n1,5;2;3\n4;5,5;6\n") == ";"
    assert sniff_delimiter("a,b,c\n1,2,3\n") == ","
    assert sniff_delimiter("just one column\nno delimiters\n") == ","


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.xlsx", b"PK\x03\x04 this is not really a zip", "damaged"),
        ("list.xlsx", b"", "empty"),
        (
            "list.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "damaged or not an Excel",
        ),
        ("list.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "web page"),
        ("list.xlsx", b"plain text, but called xlsx", "not a valid .xlsx"),
        ("list.pdf", b"%PDF-1.4", "not a spreadsheet"),
        ("list.csv", b"\xff\xfe\x00\xd8 broken \x00\x00", "cannot be decoded"),
        ("list.csv", "名称,金额\n".encode() + b"\x81\x30", "cannot be decoded"),
    ],
)
def test_unreadable_files_are_one_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=message) as caught:
        rows_of(path)
    assert str(caught.value).startswith(f"{name}: ")
    assert "\n" not in str(caught.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(UnreadableFile, match="no such file"):
        read_sheets(tmp_path / "gone.xlsx")
    with pytest.raises(UnreadableFile, match="folder"):
        read_sheets(tmp_path)


def test_password_protected_workbook():
    # Made with msoffcrypto-tool (see fixtures/make_fixtures.py): an OLE2 EncryptedPackage.
    with pytest.raises(UnreadableFile, match="password-protected"):
        read_sheets(FIXTURES / "encrypted.xlsx")


def test_size_and_row_limits(tmp_path, settings):
    path = xlsx(tmp_path / "big.xlsx", {"S": [HEADER, *project_rows(30)]})
    with pytest.raises(UnreadableFile, match="too large"):
        read_sheets(path, max_bytes=100)
    # An xlsx is refused from its sheet's extent (<dimension ref="A1:E31"/>) before reading.
    with pytest.raises(UnreadableFile, match=r"E31 .* at most 200 columns and 10 rows"):
        rows_of(path, max_rows=10)
    settings.INVESTPROMO_IMPORT_MAX_ROWS = 20
    with pytest.raises(UnreadableFile, match="more than 20 rows"):
        rows_of(csv_file(tmp_path / "big.csv", [HEADER, *project_rows(30)]))
    assert readers.limits()[1] == 20


def test_display_name_is_used_in_messages_and_for_the_format(tmp_path):
    upload = tmp_path / "upload-7f3a"  # a stored upload has no extension of its own
    csv_file(upload, [HEADER])
    [sheet] = list(read_sheets(upload, display_name="县区名单.csv"))
    assert sheet.name == "县区名单"
    upload.write_bytes(b"")
    with pytest.raises(UnreadableFile, match=r"^县区名单\.csv: "):
        read_sheets(upload, display_name="县区名单.csv")


def test_gbk_text_that_is_also_valid_utf8_is_read_as_gbk(tmp_path):
    path = tmp_path / "short.csv"
    path.write_bytes("元,亿元\n".encode("gb18030"))  # D4 AA ... also valid UTF-8 (Ԫ…)
    [(_, rows)] = rows_of(path).items()
    assert rows == [(1, ["元", "亿元"])]
