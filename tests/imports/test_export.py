"""Export → import reproduces the ledger; the import's query count does not grow with rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from investpromo.core.audit import system_user
from investpromo.followup.models import ProgressStep
from investpromo.followup.services import record_progress
from investpromo.imports.export import export_event, value_cell
from investpromo.imports.progress import import_progress
from investpromo.projects.models import Project
from investpromo.reports.selectors import event_summary
from tests.factories import make_event, make_org, make_project
from tests.imports.files import HEADER, project_rows, run, xlsx

# The demo is in the database for every test here, loaded once for the run (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_database")]

# The figures issue 3 asks the round trip to keep: everything but the event's own details.
FIGURES = (
    "projects",
    "total_value_cny",
    "total_value_usd",
    "usd_rate",
    "usd_rate_date",
    "sei",
    "by_sei_industry",
    "by_destination",
    "by_origin_province",
)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_into_an_empty_event_gives_the_same_report(tmp_path, suffix, demo_event):
    demo = demo_event
    path = tmp_path / f"demo{suffix}"
    assert export_event(demo, path) == 172
    copy = make_event(
        slug="demo-copy", start=demo.start_date, end_date=demo.end_date, host=demo.host_region_id
    )
    report = run(path, copy)
    assert (report.created, report.rejected, report.errors) == (172, 0, [])
    assert report.organisations_created == 0  # the investors are found by name
    original, imported = event_summary(demo), event_summary(copy)
    assert {key: imported[key] for key in FIGURES} == {key: original[key] for key in FIGURES}

    # Every stored column survives, except what identifies the row itself.
    def rows(event):
        return sorted(
            Project.objects.filter(event=event).values_list(
                "name", "investor_id", "origin_region_id", "destination_region_id", "signing_date",
                "agreement_type", "contract_value", "currency", "value_text", "value_approximate",
                "value_cny", "rate_date", "sei_status", "sei_industry_id", "industry_class_id",
                "industry_text", "notes", "extra",
            )
        )  # fmt: skip

    assert rows(copy) == rows(demo)
    again = run(path, copy)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 172)


def test_export_round_trip_carries_follow_through(tmp_path, demo_event):
    demo = demo_event
    path = tmp_path / "demo.xlsx"
    export_event(demo, path)
    assert load_workbook(path, read_only=True).sheetnames == ["签约项目", "项目进展", "导出说明"]
    copy = make_event(
        slug="demo-copy", start=demo.start_date, end_date=demo.end_date, host=demo.host_region_id
    )
    assert run(path, copy).created == 172
    # The same file: import-progress takes its progress sheet and skips the signing list.
    progress = import_progress(actor=system_user(), path=path, event_slug=copy.slug)
    assert (progress.rejected, progress.errors, progress.written) == (0, [], True)
    steps = ProgressStep.objects.filter(project__event=demo).count()
    assert progress.created == steps > 0

    original, imported = event_summary(demo), event_summary(copy)
    assert original["followthrough"]["stages"]["started"] > 0
    assert imported["followthrough"] == original["followthrough"]
    assert {key: imported[key] for key in FIGURES} == {key: original[key] for key in FIGURES}

    def steps_of(event):
        return sorted(
            ProgressStep.objects.filter(project__event=event).values_list(
                "project__name", "project__investor_id", "stage", "date", "approvals",
                "funds_in_place", "funds_currency", "funds_cny", "is_regression",
            )
        )  # fmt: skip

    assert steps_of(copy) == steps_of(demo)
    again = import_progress(actor=system_user(), path=path, event_slug=copy.slug)
    assert (again.created, again.updated, again.unchanged) == (0, 0, steps)


def test_export_columns_extras_and_values_that_do_not_read_back(tmp_path):
    event = make_event(slug="ex")
    investor = make_org("出口测试有限公司", uscc="91440300MA5D11110P")
    make_project(
        event=event,
        name="文本不符",
        investor=investor,
        value="123456789",
        value_text="一亿多",  # a note, not the value: the cell gets a formatted amount
        value_approximate=True,
        extra={"联系人": "张三"},
        dest="230109",
        origin="440300",
        signing_date=dt.date(2024, 8, 31),
        industry_class=None,
    )
    path = tmp_path / "ex.xlsx"
    export_event(event, path)
    header, row, totals = list(load_workbook(path).active.values)
    record = dict(zip(header, row, strict=True))
    assert header[:14] == (
        "序号", "项目名称", "投资方", "统一社会信用代码", "投资方所在地", "落地地区", "签约金额（万）",
        "币种", "签约日期", "签约类型", "战略性新兴产业", "行业代码", "所属行业", "备注",
    )  # fmt: skip
    assert record["签约金额（万）"] == 12345.6789 and record["币种"] == "CNY"
    assert record["金额原文"] == "约123456789元"
    assert totals[:2] == ("合计", "1个项目")
    assert record["落地地区"] == "黑龙江省哈尔滨市松北区"
    assert record["统一社会信用代码"] == "91440300MA5D11110P"
    assert record["联系人"] == "张三" and record["战略性新兴产业"] == "否"
    assert Decimal(str(record["折合人民币（万元）"])) == Decimal("12345.6789")
    copy = make_event(slug="ex-copy")
    report = run(path, copy)
    assert report.unknown_columns == ["联系人"]
    project = Project.objects.get(event=copy)
    assert (project.contract_value, project.value_approximate, project.extra) == (
        Decimal("123456789"),
        True,
        {"联系人": "张三"},
    )


def test_value_cell_keeps_text_that_reads_back():
    project = Project(contract_value=Decimal("30000000"), currency="USD", value_text="3000万美元")
    assert value_cell(project) == "3000万美元"
    project.currency = "CNY"
    assert value_cell(project) == "30000000元"


def test_import_queries_do_not_grow_with_the_rows(tmp_path, django_assert_max_num_queries):
    run(xlsx(tmp_path / "warm.xlsx", {"S": [HEADER, *project_rows(1)]}), make_event(slug="warm"))
    counts = []
    for size in (50, 500):
        event = make_event(slug=f"q-{size}")
        rows = project_rows(size, investor=f"投资方{size}号")
        path = xlsx(tmp_path / f"{size}.xlsx", {"S": [HEADER, *rows]})
        with django_assert_max_num_queries(25), CaptureQueriesContext(connection) as queries:
            report = run(path, event)
        assert report.created == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_export_types_progress_columns_totals_and_values_too_long_for_a_number(tmp_path):
    event = make_event(slug="typed")
    investor = make_org("类型测试有限公司")
    started = make_project(
        event=event, name="已开工项目", investor=investor, value="250000000", value_text="2.5亿元"
    )
    record_progress(
        actor=system_user(), project=started, stage="registered", date=dt.date(2024, 9, 10)
    )
    record_progress(
        actor=system_user(), project=started, stage="approved", date=dt.date(2024, 10, 8),
        approvals=["project"], funds_in_place=Decimal("30000000"),
    )  # fmt: skip
    # 15 significant digits, the most a value may have: a spreadsheet number still holds it.
    precise = make_project(
        event=event, name="精确金额项目", investor=investor, value="1234567890123.45"
    )
    path = tmp_path / "typed.xlsx"
    assert export_event(event, path) == 2
    sheet = load_workbook(path)["签约项目"]
    header, *rows, totals = list(sheet.values)
    records = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    first, second = records["已开工项目"], records["精确金额项目"]
    assert first["签约金额（万）"] == 25000 and isinstance(first["签约金额（万）"], int | float)
    assert first["金额原文"] == "2.5亿元"
    assert (first["最新进展阶段"], first["最新进展日期"].date()) == ("审批", dt.date(2024, 10, 8))
    assert first["到位资金（万元）"] == 3000
    assert second["签约金额（万）"] == 123456789.012345
    assert second["最新进展阶段"] is None and second["到位资金（万元）"] is None
    assert totals[:2] == ("合计", "2个项目")
    total_wan = Decimal(str(totals[header.index("折合人民币（万元）")]))
    assert total_wan == (started.value_cny + precise.value_cny) / 10000
    assert totals[header.index("到位资金（万元）")] == 3000
    assert sheet.cell(row=2, column=header.index("签约金额（万）") + 1).number_format == (
        "#,##0.00####"
    )
    copy = make_event(slug="typed-copy")
    report = run(path, copy)
    assert (report.created, report.errors, report.summary_rows) == (2, [], 1)
    assert sorted(
        Project.objects.filter(event=copy).values_list("contract_value", "value_text")
    ) == [
        (Decimal("250000000"), "2.5亿元"),
        (Decimal("1234567890123.45"), "1234567890123.45元"),
    ]


def test_an_amount_as_written_that_disagrees_with_the_number_is_not_kept(tmp_path):
    rows = [
        ["项目名称", "投资方", "落地地区", "签约金额（万）", "币种", "金额原文"],
        ["改过的项目", "改动测试有限公司", "松北区", 3000, "CNY", "约2000万元"],
        ["约数项目", "改动测试有限公司", "松北区", 2000, "CNY", "约2000万元"],
    ]
    path = xlsx(tmp_path / "edited.xlsx", {"签约项目": rows})
    report = run(path, make_event(slug="edited"))
    assert (report.created, report.errors) == (2, [])
    assert [str(warning) for warning in report.warnings] == [
        '签约项目!2: 签约金额（万）: the amount as written ("约2000万元") is not the amount in '
        "签约金额（万）: the amount is kept, the text is not"
    ]
    stored = dict(
        Project.objects.filter(event__slug="edited").values_list("name", "value_approximate")
    )
    assert stored == {"改过的项目": False, "约数项目": True}
