"""Blank signing lists and progress reports to fill in: the accepted headers, drop-down lists
for the columns that take one of a few words, and a sheet of instructions.

Every header and every drop-down word is one the importer reads (imports.headers,
imports.values, imports.progress), so a template filled in by hand imports as it is. The data
sheets keep their Chinese headers in both languages (they are the file format); the
instructions are in the language asked for.
"""

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from investpromo.imports.progress_export import APPROVAL_WORDS, STAGE_WORDS
from investpromo.sectors.models import SEIIndustry

SIGNING_TEMPLATE = "signing-list"
PROGRESS_TEMPLATE = "progress-report"
KINDS = (SIGNING_TEMPLATE, PROGRESS_TEMPLATE)
DATA_SHEETS = {SIGNING_TEMPLATE: "签约项目", PROGRESS_TEMPLATE: "项目进展"}
LISTS_SHEET = "下拉选项"
# Rows the drop-downs and number formats cover (a list longer than this still imports).
FILLED_ROWS = 2000
_BOLD = Font(bold=True)
_REQUIRED = Font(bold=True, color="C00000")
_AGREEMENT_TYPES = ("意向", "框架协议", "合同")


# (header, width, drop-down list name or None, required)
def _signing_columns() -> list[tuple[str, int, str | None, bool]]:
    return [
        ("序号", 8, None, False),
        ("项目名称", 30, None, True),
        ("投资方", 30, None, True),
        ("统一社会信用代码", 22, None, False),
        ("投资方所在地", 20, None, False),
        ("落地地区", 20, None, True),
        ("签约金额（万元）", 16, None, True),
        ("签约日期", 12, None, False),
        ("签约类型", 12, "签约类型选项", False),
        ("战略性新兴产业", 24, "战新产业选项", False),
        ("行业代码", 10, None, False),
        ("所属行业", 20, None, False),
        ("备注", 30, None, False),
    ]


def _progress_columns() -> list[tuple[str, int, str | None, bool]]:
    return [
        ("项目名称", 30, None, False),
        ("投资方", 30, None, False),
        ("进展阶段", 12, "进展阶段选项", True),
        ("日期", 12, None, True),
        ("到位资金（万元）", 16, None, False),
        ("审批事项", 16, "审批事项选项", False),
        ("备注", 40, None, False),
    ]


def _lists() -> dict[str, list[str]]:
    """The words of each drop-down, each one the importer reads, under a header naming none
    of the importers' columns (so this sheet is skipped on import)."""
    sei = [
        f"{industry.code} {industry.name_zh}" for industry in SEIIndustry.objects.order_by("code")
    ]
    return {
        "签约类型选项": list(_AGREEMENT_TYPES),
        "战新产业选项": [*sei, "是", "否"],
        "进展阶段选项": list(STAGE_WORDS.values()),
        "审批事项选项": list(APPROVAL_WORDS.values()),
    }


def _instructions(kind: str) -> list[str]:
    common = [
        _(
            "Fill in one row per project on the first sheet, below the header row; do not change "
            "the headers (headers in red are required)."
        ),
        _("Cells with a drop-down take one of its words; pick from the list."),
        _(
            "Dates as YYYY-MM-DD (or a date cell). Amounts as numbers in 万元 (ten thousand yuan) "
            "as the header says; an amount with its own unit, such as 3.5亿元, is read as "
            "written. An amount in another currency names it: 500万美元 (USD), 2000万港元 (HKD)."
        ),
        _("A row 合计 (totals) is skipped; blank rows are ignored."),
    ]
    if kind == SIGNING_TEMPLATE:
        return [
            *common,
            _(
                "落地地区 (destination) is a region name or code within the event's province, "
                "such as 松北区 or 230109; 投资方所在地 (origin) may be anywhere."
            ),
            _(
                "战略性新兴产业 (strategic emerging industry) is a category, 是 (yes, category "
                "unknown) or 否 (no); left empty it is derived from 行业代码 (industry code) where "
                "it can be."
            ),
            _(
                "Import it on the Import page or with: investpromo import FILE --event SLUG "
                "--dry-run (check first), then without --dry-run."
            ),
        ]
    return [
        *common,
        _(
            "Name each project by 项目名称 and 投资方 (project and investor) exactly as in the "
            "ledger; each row is one dated step of its project."
        ),
        _(
            "到位资金 (funds in place) is the total in place so far, not the amount of this step. "
            "A step from 开工 (construction started) on needs evidence or a reason in 备注 "
            "(notes); a 终止 (terminated) step takes its reason from 备注."
        ),
        _(
            "Import it on the progress import page or with: investpromo import-progress FILE "
            "--event SLUG --dry-run (check first), then without --dry-run."
        ),
    ]


def template_workbook(kind: str, *, lang: str = "zh") -> bytes:
    """The blank template of KIND (signing-list or progress-report) as xlsx bytes."""
    if kind not in KINDS:
        raise ValueError(f"unknown template {kind!r}")
    columns = _signing_columns() if kind == SIGNING_TEMPLATE else _progress_columns()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEETS[kind]
    lists = _lists()
    lists_sheet = workbook.create_sheet(LISTS_SHEET)
    ranges = {}
    for index, (name, words) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        lists_sheet.cell(row=1, column=index, value=name).font = _BOLD
        for row, word in enumerate(words, start=2):
            lists_sheet.cell(row=row, column=index, value=word)
        ranges[name] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(words) + 1}"
    for index, (header, width, list_name, required) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = _REQUIRED if required else _BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[letter].width = width
        cells = f"{letter}2:{letter}{FILLED_ROWS + 1}"
        if list_name is not None:
            validation = DataValidation(
                type="list", formula1=f"={ranges[list_name]}", allow_blank=True
            )
            validation.error = _("Pick a value from the list.")
            validation.errorTitle = header
            sheet.add_data_validation(validation)
            validation.add(cells)
        if header.startswith(("签约金额", "到位资金")):
            for row in range(2, FILLED_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "#,##0.00####"
        elif header in ("签约日期", "日期"):
            for row in range(2, FILLED_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    with translation.override(lang):
        notes = workbook.create_sheet(_("Instructions"))
        notes.column_dimensions["A"].width = 110
        title = _("Signing list") if kind == SIGNING_TEMPLATE else _("Progress report")
        notes.append([f"InvestPromo · {title}"])
        notes["A1"].font = _BOLD
        for number, line in enumerate(_instructions(kind), start=1):
            notes.append([f"{number}. {line}"])
            notes.cell(row=notes.max_row, column=1).alignment = Alignment(wrap_text=True)
        notes.append(
            [
                _("The sheet %(sheet)s holds the words of the drop-down lists.")
                % {"sheet": LISTS_SHEET}
            ]
        )
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def template_filename(kind: str, *, lang: str = "zh") -> str:
    names = {
        SIGNING_TEMPLATE: {"zh": "签约项目导入模板.xlsx", "en": "signing-list-template.xlsx"},
        PROGRESS_TEMPLATE: {"zh": "项目进展导入模板.xlsx", "en": "progress-report-template.xlsx"},
    }
    return names[kind]["en" if lang.startswith("en") else "zh"]
