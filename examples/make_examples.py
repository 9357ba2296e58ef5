"""Writes the sample spreadsheets in this folder (synthetic data; see README.md here).

    .venv/bin/python examples/make_examples.py

The files are committed; rerun this after changing it and commit both. Every company and
project name is invented and carries 示例 ("example"); no row describes a real signing.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
EVENT = "harbin-2025"
SIGNED_ON = dt.date(2025, 5, 18)
FILE_DATE = (2025, 5, 1, 0, 0, 0)

# (project, investor, destination, value in 万元, industry, SEI). No credit codes: a made-up
# code that passes its check characters could be a real company's.
SIGNED = [
    (
        "示例石墨烯导热膜项目",
        "示例深圳碳材科技有限公司",
        "松北区",
        52000,
        "石墨及碳素制品制造",
        "是",
    ),
    ("示例冰雪装备产业园项目", "示例宁波雪具制造有限公司", "松北区", 38000, "体育用品制造", "否"),
    ("示例寒地试车场项目", "示例上海汽车检测有限公司", "松北区", 15000, "检验检测服务", "否"),
    (
        "示例生物疫苗中试基地项目",
        "示例苏州生物医药有限公司",
        "平房区",
        80000,
        "生物药品制品制造",
        "是",
    ),
    (
        "示例航空零部件精密加工项目",
        "示例西安航空部件有限公司",
        "平房区",
        26500,
        "航空航天器制造",
        "是",
    ),
    ("示例大豆精深加工项目", "示例北京粮油食品有限公司", "呼兰区", 18000, "食用植物油加工", "否"),
]


def save(book: Workbook, path: Path) -> None:
    """Save with fixed timestamps, so that rerunning this script changes no byte."""
    written = io.BytesIO()
    book.save(written)
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(path, "w") as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2025-05-01T00:00:00Z", data)
            fixed = zipfile.ZipInfo(entry.filename, date_time=FILE_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, data)


def signing_list() -> Path:
    """A county's signing list as they come: title rows, a merged destination, a totals row."""
    book = Workbook()
    sheet = book.active
    sheet.title = "签约项目"
    sheet.append(["2025哈洽会签约项目汇总表（synthetic sample 示例数据，虚构企业）"])
    sheet.append(["填报单位：示例市商务局", None, None, None, "单位：万元"])
    sheet.append(
        [
            "序号",
            "项目名称",
            "投资方",
            "落地地区",
            "签约金额（万元）",
            "所属行业",
            "战略性新兴产业",
            "签约日期",
        ]
    )
    first = sheet.max_row + 1
    previous_destination = None
    for serial, (name, investor, destination, value, industry, sei) in enumerate(SIGNED, start=1):
        # Counties merge a destination over its projects: only the first cell holds it.
        shown = destination if destination != previous_destination else None
        sheet.append([serial, name, investor, shown, value, industry, sei, SIGNED_ON])
        previous_destination = destination
    last = sheet.max_row
    for destination in dict.fromkeys(row[2] for row in SIGNED):
        rows = [first + i for i, row in enumerate(SIGNED) if row[2] == destination]
        if len(rows) > 1:
            sheet.merge_cells(f"D{rows[0]}:D{rows[-1]}")
    sheet.append(["合计", None, None, None, sum(row[3] for row in SIGNED)])
    sheet.merge_cells("A1:H1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    for cell in sheet[first - 1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=first, max_row=last, min_col=8, max_col=8):
        row[0].number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEFGH", (6, 30, 28, 10, 16, 22, 14, 12), strict=True):
        sheet.column_dimensions[column].width = width
    notes = book.create_sheet("填表说明")
    notes.append(["金额单位：万元；同一地区的项目可合并单元格填写。"])
    path = HERE / "signing-list.xlsx"
    save(book, path)
    return path


def county_summary() -> Path:
    """A county's CSV (UTF-8 with BOM, as Excel saves it) with one row that cannot be used."""
    rows = [
        ["序号", "项目名称", "投资方", "落地地区", "签约金额（万元）", "签约日期"],
        [
            1,
            "示例寒地新能源电池测试项目",
            "示例天津电池检测有限公司",
            "道里区",
            12000,
            "2025-05-19",
        ],
        [2, "示例中俄跨境冷链物流项目", "示例大连冷链物流有限公司", "道外区", 9500, "2025-05-19"],
        # No investor: rejected by --skip-invalid, written to the rejects file.
        [3, "示例智慧农机服务平台项目", "", "双城区", 3000, "2025-05-20"],
    ]
    path = HERE / "county-summary.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def progress_report() -> Path:
    """A quarter's progress report naming projects by event, project name and investor."""
    book = Workbook()
    sheet = book.active
    sheet.title = "进展"
    sheet.append(["2025年二季度项目进展情况表（synthetic sample 示例数据，虚构企业）"])
    sheet.merge_cells("A1:H1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        ["序号", "活动", "项目名称", "投资方", "进展阶段", "日期", "到位资金（万元）", "备注"]
    )
    steps = [
        (SIGNED[0], "注册", dt.date(2025, 5, 30), None, "营业执照（示例）"),
        (SIGNED[0], "开工", dt.date(2025, 6, 20), 8000, "现场照片（示例）"),
        (SIGNED[3], "注册", dt.date(2025, 6, 5), None, "营业执照（示例）"),
        (SIGNED[4], "审批", dt.date(2025, 6, 25), None, "立项批复（示例）"),
    ]
    for serial, (project, stage, date, funds, note) in enumerate(steps, start=1):
        sheet.append([serial, EVENT, project[0], project[1], stage, date, funds, note])
        sheet.cell(row=sheet.max_row, column=6).number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEFGH", (6, 14, 30, 28, 10, 12, 16, 18), strict=True):
        sheet.column_dimensions[column].width = width
    path = HERE / "progress-q2.xlsx"
    save(book, path)
    return path


if __name__ == "__main__":
    for made in (signing_list(), county_summary(), progress_report()):
        print(made.relative_to(HERE.parent))
