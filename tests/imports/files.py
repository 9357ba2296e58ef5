"""Building signing-list files for tests: xlsx through openpyxl, csv in any encoding."""

import csv
import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from investpromo.core.audit import system_user
from investpromo.imports.importer import import_signing_list

USCC_A = "91440300MA5D11110P"
USCC_B = "91330200MA2C22227X"
HEADER = ["序号", "项目名称", "投资方", "落地地区", "签约金额（万元）"]


def xlsx(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None):
    """An xlsx with these sheets (rows as lists) and merged ranges such as "D3:D5"."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell_range in (merges or {}).get(name, []):
            sheet.merge_cells(cell_range)
    workbook.save(path)
    return path


def csv_file(path: Path, rows: list[list], *, encoding="utf-8", delimiter=","):
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def project_rows(
    count: int, *, start: int = 1, destination: str = "松北区", investor: str = "测试投资"
) -> list[list]:
    """`count` valid rows under HEADER: distinct projects of seven investors, 100万元 each."""
    return [
        [n, f"测试项目{n}", f"{investor}{n % 7}有限公司", destination, 100]
        for n in range(start, start + count)
    ]


def run(path, event, **options):
    """Import as the system account (an administrator)."""
    options.setdefault("actor", system_user())
    return import_signing_list(path=path, event=event, **options)


DATE = dt.date(2024, 8, 31)
