"""Blank templates: accepted headers, drop-downs of words the importer reads, instructions; a
template filled in by hand (openpyxl, as a person's spreadsheet program would) imports cleanly."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from investpromo.core.audit import system_user
from investpromo.core.text import normalize_key
from investpromo.followup.models import ProgressStep, Stage
from investpromo.imports.blank_templates import (
    LISTS_SHEET,
    PROGRESS_TEMPLATE,
    SIGNING_TEMPLATE,
    template_workbook,
)
from investpromo.imports.headers import SIGNING_LIST, match_header
from investpromo.imports.progress import PROGRESS_REPORT, STAGES, import_progress
from investpromo.imports.values import parse_agreement_type, parse_sei
from investpromo.projects.models import Project
from investpromo.projects.rates import set_exchange_rate
from tests.factories import make_event
from tests.imports.files import run

pytestmark = pytest.mark.django_db


def _workbook(kind: str, lang: str = "zh"):
    return load_workbook(io.BytesIO(template_workbook(kind, lang=lang)))


def _validations(sheet) -> dict[str, list[str]]:
    """Each validated column's header and the words of its drop-down list."""
    lists = sheet.parent[LISTS_SHEET]
    found = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list"
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        reference = validation.formula1.split("!")[1].replace("$", "")
        start, end = reference.split(":")
        words = [row[0].value for row in lists[start:end]]
        found[sheet[f"{column}1"].value] = words
    return found


def test_the_signing_template_has_the_importers_headers_and_drop_downs():
    workbook = _workbook(SIGNING_TEMPLATE)
    assert workbook.sheetnames == ["签约项目", LISTS_SHEET, "填写说明"]
    sheet = workbook["签约项目"]
    headers = [cell.value for cell in sheet[1]]
    keys = [match_header(header).key for header in headers]
    assert set(SIGNING_LIST.required) <= set(keys)
    assert len(keys) == len(set(keys)) == len(headers)
    assert sheet.freeze_panes == "A2"
    drop_downs = _validations(sheet)
    assert set(drop_downs) == {"签约类型", "战略性新兴产业"}
    assert [parse_agreement_type(word) for word in drop_downs["签约类型"]] == [
        "intent",
        "framework",
        "contract",
    ]
    sei = [parse_sei(word) for word in drop_downs["战略性新兴产业"]]
    assert [choice.industry_code for choice in sei[:9]] == list(range(1, 10))
    assert [choice.status for choice in sei[9:]] == ["sei_unspecified", "not_sei"]
    instructions = " ".join(row[0].value for row in workbook["填写说明"].iter_rows())
    assert "红色表头为必填项" in instructions and "investpromo import" in instructions


def test_the_progress_template_offers_every_stage_and_speaks_english_when_asked():
    workbook = _workbook(PROGRESS_TEMPLATE, lang="en")
    assert workbook.sheetnames == ["项目进展", LISTS_SHEET, "Instructions"]
    sheet = workbook["项目进展"]
    keys = {match_header(cell.value, PROGRESS_REPORT).key for cell in sheet[1]}
    assert set(PROGRESS_REPORT.required) <= keys
    stages = _validations(sheet)["进展阶段"]
    assert {STAGES[normalize_key(word)] for word in stages} == set(Stage)
    instructions = " ".join(row[0].value for row in workbook["Instructions"].iter_rows())
    assert "funds in place" in instructions and "import-progress" in instructions


def _fill(sheet, rows: list[list]) -> None:
    """Type rows in under the header, as a person does (the template's formatted cells are
    there already, so openpyxl's append would write below them)."""
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=number, column=column, value=value)


def test_templates_filled_in_by_hand_import_cleanly(tmp_path):
    event = make_event(slug="template-event", start=dt.date(2025, 5, 17))
    set_exchange_rate(
        actor=system_user(), currency="USD", cny_per_unit="7.2", date=dt.date(2025, 5, 1)
    )
    workbook = _workbook(SIGNING_TEMPLATE)
    _fill(
        workbook["签约项目"],
        [
            [1, "模板项目甲", "模板测试甲有限公司", None, "广东省深圳市", "松北区", 5000,
             dt.date(2025, 5, 17), "合同", "3 新材料", None, None, "示例数据"],
            [2, "模板项目乙", "模板测试乙有限公司", None, None, "230109", "3.5亿元",
             "2025-05-18", "意向", "否"],
            [3, "模板项目丙", "模板测试丙有限公司", None, "香港", "道里区", "500万美元",
             None, "框架协议", "是"],
            ["合计"],
        ],
    )  # fmt: skip
    signing = tmp_path / "filled.xlsx"
    workbook.save(signing)

    report = run(signing, event)
    assert (report.created, report.rejected, report.errors) == (3, 0, [])
    projects = {p.name: p for p in Project.objects.filter(event=event)}
    first, second, third = projects["模板项目甲"], projects["模板项目乙"], projects["模板项目丙"]
    assert (first.contract_value, first.agreement_type, first.sei_industry_id) == (
        Decimal("50000000"),
        "contract",
        3,
    )
    assert (second.contract_value, second.sei_status, second.destination_region_id) == (
        Decimal("350000000"),
        "not_sei",
        "230109",
    )
    assert (third.currency, third.contract_value, third.sei_status) == (
        "USD",
        Decimal("5000000"),
        "sei_unspecified",
    )

    progress_book = _workbook(PROGRESS_TEMPLATE)
    _fill(
        progress_book["项目进展"],
        [
            ["模板项目甲", "模板测试甲有限公司", "注册", dt.date(2025, 6, 1)],
            ["模板项目甲", "模板测试甲有限公司", "审批", dt.date(2025, 6, 20), None, "立项"],
            ["模板项目乙", "模板测试乙有限公司", "开工", "2025-06-25", 1200, None,
             "现场照片见区商务局6月报"],
        ],
    )  # fmt: skip
    progress = tmp_path / "progress.xlsx"
    progress_book.save(progress)  # fmt: skip
    recorded = import_progress(actor=system_user(), path=progress, event_slug=event.slug)
    assert (recorded.rejected, recorded.errors, recorded.created) == (0, [], 3)
    started = ProgressStep.objects.get(project=second)
    assert (started.stage, started.funds_in_place) == (Stage.STARTED, Decimal("12000000"))


def test_the_import_pages_link_their_templates_and_the_command_writes_them(admin_client, tmp_path):
    for index_name, template_name, sheet in (
        ("web:import_index", "web:import_template", "签约项目"),
        ("web:progress_import_index", "web:progress_import_template", "项目进展"),
    ):
        url = reverse(template_name)
        assert f'href="{url}"' in admin_client.get(reverse(index_name)).content.decode()
        response = admin_client.get(url)
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        assert load_workbook(io.BytesIO(response.content)).sheetnames[0] == sheet
    path = tmp_path / "blank.xlsx"
    call_command("template", "progress-report", "--out", str(path), stdout=io.StringIO())
    assert load_workbook(path).sheetnames == ["项目进展", LISTS_SHEET, "填写说明"]
    with pytest.raises(CommandError, match=r"\.xlsx"):
        call_command("template", "signing-list", "--out", str(tmp_path / "blank.csv"))
