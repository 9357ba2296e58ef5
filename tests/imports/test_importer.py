"""The importer's rules, over files the tests build."""

import datetime as dt
from decimal import Decimal

import pytest

from investpromo.core.audit import history_for, system_user
from investpromo.core.models import ChangeLog
from investpromo.orgs.models import Organisation
from investpromo.projects.models import Project
from investpromo.projects.rates import set_exchange_rate
from tests.factories import make_event
from tests.imports.files import HEADER, USCC_A, USCC_B, project_rows, run, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return make_event(start=dt.date(2024, 8, 31), end_date=dt.date(2024, 9, 1))


def projects(event):
    return {p.name: p for p in Project.objects.filter(event=event).select_related("investor")}


def test_title_rows_header_unit_and_row_numbers(tmp_path, event):
    path = xlsx(
        tmp_path / "list.xlsx",
        {
            "哈尔滨": [
                ["2024年签约项目汇总表"],
                ["填报单位：哈尔滨市商务局"],
                ["序号", "项目名称", "投资方", "落地地区", "签约金额（亿元）"],
                [1, "石墨烯项目", "深圳甲科技有限公司", "松北区", 12.5],
                [2, "机器人项目", "宁波乙装备有限公司", "道里区", "待定"],
            ]
        },
    )
    report = run(path, event, dry_run=True)
    sheet = report.sheets[0]
    assert (sheet.header_row, sheet.unit, sheet.rows_read) == (3, "亿元", 2)
    [error] = report.errors
    assert str(error).startswith("哈尔滨!5: 签约金额（亿元）: ")
    report = run(path, event, skip_invalid=True)
    project = projects(event)["石墨烯项目"]
    assert project.contract_value == Decimal("1250000000")
    assert project.value_text == "12.5亿元"  # the cell, with the unit its header gave it
    assert project.source_ref == "list.xlsx!哈尔滨!4"


def test_unit_from_a_title_row_when_the_header_has_none(tmp_path, event):
    path = xlsx(
        tmp_path / "t.xlsx",
        {
            "S": [
                ["签约项目表（单位：万元）"],
                [*HEADER[:4], "签约金额"],
                [1, "甲项目", "甲公司", "松北区", 300],
            ]
        },
    )
    report = run(path, event)
    assert report.sheets[0].unit == "万元"
    assert projects(event)["甲项目"].contract_value == Decimal("3000000")
    assert any("as the title rows say" in w.message for w in report.warnings)


def test_vertically_merged_destination_applies_to_every_row(tmp_path, event):
    rows = [HEADER, *project_rows(3, destination="")]
    rows[1][3] = "大庆市"
    path = xlsx(tmp_path / "m.xlsx", {"S": rows}, merges={"S": ["D2:D4"]})
    run(path, event)
    assert {p.destination_region_id for p in projects(event).values()} == {"230600"}


def test_blank_rows_are_skipped_and_counted(tmp_path, event):
    rows = [
        HEADER,
        *project_rows(1),
        [None] * 5,
        ["", " ", None, "", ""],
        *project_rows(1, start=2),
    ]
    report = run(xlsx(tmp_path / "b.xlsx", {"S": rows}), event)
    assert (report.created, report.sheets[0].blank_rows, report.errors) == (2, 2, [])


def test_summary_rows_are_skipped_and_checked(tmp_path, event):
    rows = [
        HEADER,
        *project_rows(2),
        ["小计", None, None, None, 200],  # agrees
        *project_rows(1, start=3),
        ["合计", "合计", None, None, 250],  # rows above add up to 300
    ]
    report = run(xlsx(tmp_path / "s.xlsx", {"S": rows}), event)
    assert report.created == 3 and report.summary_rows == 2
    [warning] = report.warnings
    assert str(warning).startswith("S!6: 签约金额（万元）: the 合计 row says 250万元")
    assert "300万元" in warning.message


def test_two_sheets_with_different_layouts_and_a_notes_sheet(tmp_path, event):
    path = xlsx(
        tmp_path / "two.xlsx",
        {
            "填表说明": [["请按模板填写"], ["金额单位：万元"]],
            "哈尔滨": [HEADER, *project_rows(2)],
            "English": [
                ["Investment (USD million)", "Investor", "Project", "Location", "Date"],
                [1.5, "Acme Ltd", "Cold-chain hub", "230103", "2024-09-01"],
            ],
        },
    )
    set_exchange_rate(
        actor=system_user(), currency="USD", cny_per_unit="7.1", date=dt.date(2024, 8, 1)
    )
    report = run(path, event)
    assert report.skipped_sheets == ["填表说明"]
    assert [(s.name, s.valid) for s in report.sheets if s.imported] == [
        ("哈尔滨", 2),
        ("English", 1),
    ]
    hub = projects(event)["Cold-chain hub"]
    assert (hub.contract_value, hub.currency, hub.value_cny) == (
        Decimal("1500000"),
        "USD",
        Decimal("10650000.00"),
    )


def test_units_and_currencies_written_in_cells_override_the_header(tmp_path, event):
    set_exchange_rate(
        actor=system_user(), currency="USD", cny_per_unit="7", date=dt.date(2024, 8, 30)
    )
    rows = [
        [*HEADER, "币种"],
        [1, "甲", "甲公司", "松北区", "1.2亿元", None],
        [2, "乙", "乙公司", "松北区", "3000万美元", None],
        [3, "丙", "丙公司", "松北区", 500, "美元"],
        [4, "丁", "丁公司", "松北区", "约８０００万", None],
    ]
    run(xlsx(tmp_path / "u.xlsx", {"S": rows}), event)
    found = {
        name: (p.contract_value, p.currency, p.value_approximate)
        for name, p in projects(event).items()
    }
    assert found == {
        "甲": (Decimal("120000000"), "CNY", False),
        "乙": (Decimal("30000000"), "USD", False),
        "丙": (Decimal("5000000"), "USD", False),
        "丁": (Decimal("80000000"), "CNY", True),
    }
    assert projects(event)["丙"].value_cny == Decimal("35000000.00")


def test_usd_rows_use_the_rate_on_or_before_the_signing_date_and_a_missing_rate_is_an_error(
    tmp_path, event
):
    set_exchange_rate(
        actor=system_user(), currency="USD", cny_per_unit="7.2", date=dt.date(2024, 8, 1)
    )
    set_exchange_rate(
        actor=system_user(), currency="USD", cny_per_unit="7.0", date=dt.date(2024, 9, 1)
    )
    rows = [
        [*HEADER, "签约日期"],
        [1, "八月", "甲公司", "松北区", "100万美元", "2024-08-31"],
        [2, "九月", "甲公司", "松北区", "100万美元", "2024年9月1日"],
        [3, "无日期", "甲公司", "松北区", "100万美元", None],  # the event's start dates it
        [4, "太早", "甲公司", "松北区", "100万美元", "2024/7/1"],
    ]
    report = run(xlsx(tmp_path / "usd.xlsx", {"S": rows}), event, skip_invalid=True)
    values = {name: p.value_cny for name, p in projects(event).items()}
    assert values == {
        "八月": Decimal("7200000.00"),
        "九月": Decimal("7000000.00"),
        "无日期": Decimal("7200000.00"),
    }
    [error] = report.errors
    assert error.row == 5 and "no USD exchange rate on or before 2024-07-01" in error.message


def test_unknown_columns_are_kept_as_extra_attributes(tmp_path, event):
    rows = [
        [*HEADER, "联系人", "联系电话"],
        [1, "甲", "甲公司", "松北区", 100, "张三", 13800000000],
    ]
    report = run(xlsx(tmp_path / "x.xlsx", {"S": rows}), event)
    assert report.unknown_columns == ["联系人", "联系电话"]
    assert projects(event)["甲"].extra == {"联系人": "张三", "联系电话": "13800000000"}


def test_all_or_nothing_lists_every_problem_and_writes_nothing(tmp_path, event):
    before = (Organisation.objects.count(), ChangeLog.objects.count())
    rows = [
        [*HEADER, "统一社会信用代码", "签约日期"],
        [1, "好项目", "甲公司", "松北区", 100, None, None],
        [2, "坏项目", "乙公司", "火星", "待定", "91440300MA5D11110Q", "2024-13-01"],
        [3, None, "丙公司", "松北区", 100, None, None],
        [4, "无投资方", None, "松北区", 100, None, None],
    ]
    report = run(xlsx(tmp_path / "bad.xlsx", {"S": rows}), event)
    assert report.failed and not report.written
    assert Project.objects.filter(event=event).count() == 0
    assert (Organisation.objects.count(), ChangeLog.objects.count()) == before
    texts = [str(e) for e in report.errors]
    for prefix in (
        "S!3: 落地地区: ",
        "S!3: 签约金额（万元）: ",
        "S!3: 统一社会信用代码: ",
        "S!3: 签约日期: ",
        "S!4: 项目名称: the project name is missing",
        "S!5: 投资方: the investor is missing",
    ):
        assert any(text.startswith(prefix) for text in texts), (prefix, texts)
    assert report.rejected == 3 and report.created == 1


def test_skip_invalid_writes_the_valid_rows_and_the_rejects_file(tmp_path, event):
    from openpyxl import load_workbook

    rows = [
        ["签约项目表"],
        [*HEADER, "备注"],
        *project_rows(2),
        [3, "坏", "乙公司", "火星", 100, "请核实"],
    ]
    rejects = tmp_path / "rejects.xlsx"
    report = run(
        xlsx(tmp_path / "in.xlsx", {"县区": rows}), event, skip_invalid=True, rejects_path=rejects
    )
    assert (report.created, report.rejected, report.written) == (2, 1, True)
    sheet = load_workbook(rejects).active
    assert sheet.title == "县区"
    header, row = list(sheet.values)
    assert header == (*HEADER, "备注", "导入错误")
    assert row[:6] == (3, "坏", "乙公司", "火星", 100, "请核实")
    assert row[6].startswith("县区!5: 落地地区: Unknown region")
    # Corrected, the rejects file imports (its reason column is ignored, not kept as extra).
    from openpyxl import Workbook

    fixed = Workbook()
    fixed.active.append(header)
    fixed.active.append([*row[:3], "松北区", *row[4:]])
    fixed.save(tmp_path / "fixed.xlsx")
    again = run(tmp_path / "fixed.xlsx", event)
    assert again.created == 1 and projects(event)["坏"].extra == {}


def test_rejects_as_csv(tmp_path, event):
    rows = [HEADER, [1, "坏", "乙公司", "松北区", "待定"]]
    rejects = tmp_path / "rejects.csv"
    run(xlsx(tmp_path / "in.xlsx", {"S": rows}), event, skip_invalid=True, rejects_path=rejects)
    import csv

    with open(rejects, encoding="utf-8-sig", newline="") as handle:
        header, row = list(csv.reader(handle))
    assert header == [*HEADER, "导入错误"]
    assert row[:5] == ["1", "坏", "乙公司", "松北区", "待定"]
    assert row[5].startswith("S!2: 签约金额（万元）: Cannot read")


def test_reimport_is_unchanged_and_a_changed_row_is_an_audited_update(tmp_path, event):
    rows = [
        [*HEADER, "统一社会信用代码"],
        [1, "甲", "甲公司", "松北区", 100, USCC_A],
        [2, "乙", "乙公司", "道里区", 200, None],
    ]
    path = xlsx(tmp_path / "a.xlsx", {"S": rows})
    assert run(path, event).created == 2
    logs = ChangeLog.objects.count()
    # Same rows from a renamed, reordered file, the investor written differently: unchanged.
    again = xlsx(
        tmp_path / "b.xlsx",
        {"S": [rows[0], rows[2], [1, "甲", "甲 公司（深圳）", "松北区", 100, USCC_A]]},
    )
    report = run(again, event)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert ChangeLog.objects.count() == logs
    changed = xlsx(
        tmp_path / "c.xlsx", {"S": [rows[0], [1, "甲", "甲公司", "松北区", 150, USCC_A]]}
    )
    report = run(changed, event)
    assert (report.updated, report.unchanged, report.created) == (1, 0, 0)
    assert report.updated_value_change_cny == Decimal("500000.00")
    project = projects(event)["甲"]
    assert project.contract_value == Decimal("1500000") and project.version == 2
    update = history_for(project).first()
    assert update.action == "update"
    assert (update.before["contract_value"], update.after["contract_value"]) == (
        "1000000.000000",
        "1500000.000000",
    )


def test_an_import_is_audited_by_one_row_that_its_records_point_to(tmp_path, event):
    path = xlsx(tmp_path / "a.xlsx", {"S": [HEADER, *project_rows(3)]})
    logs = ChangeLog.objects.count()
    report = run(path, event)
    assert report.created == 3 and report.organisations_created == 3
    [entry] = ChangeLog.objects.filter(action="import")
    assert ChangeLog.objects.count() == logs + 1
    assert (entry.object_id, entry.source, entry.actor_label) == (
        str(event.pk),
        "import a.xlsx",
        system_user().username,
    )
    import hashlib

    assert entry.after["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (entry.after["created"], entry.after["organisations_created"]) == (3, 3)
    assert entry.after["added_value_cny"] == str(report.added_value_cny)
    for project in Project.objects.filter(event=event).select_related("investor"):
        assert project.created_by_import_id == entry.pk
        assert project.investor.created_by_import_id == entry.pk
        assert list(history_for(project)) == [entry]


def test_duplicates_in_one_file_are_an_error_on_the_second(tmp_path, event):
    rows = [
        [*HEADER, "统一社会信用代码"],
        [1, "甲项目(一期)", "甲公司", "松北区", 100, None],
        [2, " 甲项目（一期） ", "甲公司", "松北区", 100, None],
        [3, "乙项目", "乙公司", "松北区", 100, USCC_B],
        [4, "乙项目", "乙公司（宁波）", "松北区", 100, USCC_B],
    ]
    report = run(xlsx(tmp_path / "d.xlsx", {"S": rows}), event, skip_invalid=True)
    assert (report.created, report.rejected) == (2, 2)
    assert [str(e) for e in report.errors] == [
        "S!3: 项目名称: duplicate of S!2 (same investor and project name): the project is imported once",
        "S!5: 项目名称: duplicate of S!4 (same investor and project name): the project is imported once",
    ]


def test_sei_given_derived_unknown_and_a_yes_no_column(tmp_path, event):
    rows = [
        [*HEADER, "是否战略性新兴产业", "行业代码"],
        [1, "一", "甲公司", "松北区", 100, 1, None],
        [2, "零", "甲公司", "松北区", 100, 0, "3491"],
        [3, "派生", "甲公司", "松北区", 100, None, "C3491"],
        [4, "未知", "甲公司", "松北区", 100, None, "7861"],
        [5, "名称", "甲公司", "松北区", 100, "3 新材料", None],
    ]
    report = run(xlsx(tmp_path / "sei.xlsx", {"S": rows}), event)
    found = {n: (p.sei_status, p.sei_industry_id) for n, p in projects(event).items()}
    assert found == {
        "一": ("sei_unspecified", None),
        "零": ("not_sei", None),
        "派生": ("sei", 2),
        "未知": ("not_sei", None),
        "名称": ("sei", 3),
    }
    assert (report.sei_derived, report.sei_unknown) == (1, 1)


def test_officer_may_only_import_rows_for_their_regions(tmp_path, event, django_user_model):
    from investpromo.accounts.models import Profile
    from investpromo.geo.models import Region

    officer = django_user_model.objects.create_user("officer", password="x")
    profile = Profile.objects.create(user=officer, role=Profile.Role.OFFICER)
    profile.regions.set([Region.objects.get(code="230109")])
    rows = [HEADER, [1, "本区", "甲公司", "松北区", 100], [2, "外区", "乙公司", "道里区", 100]]
    report = run(xlsx(tmp_path / "o.xlsx", {"S": rows}), event, actor=officer, skip_invalid=True)
    assert report.created == 1
    [error] = report.errors
    assert error.row == 3 and error.column == "落地地区"
    assert error.message.startswith("outside your regions")


def test_a_viewer_cannot_import(tmp_path, event, django_user_model):
    from investpromo.core.errors import PermissionDenied

    viewer = django_user_model.objects.create_user("viewer", password="x")
    with pytest.raises(PermissionDenied):
        run(xlsx(tmp_path / "v.xlsx", {"S": [HEADER, *project_rows(1)]}), event, actor=viewer)


def test_report_to_dict_is_json_ready_and_progress_is_reported(tmp_path, event):
    import json

    calls = []
    path = xlsx(tmp_path / "p.xlsx", {"S": [HEADER, *project_rows(1500)]})
    report = run(
        path, event, dry_run=True, progress=lambda done, total: calls.append((done, total))
    )
    data = json.loads(json.dumps(report.to_dict()))
    assert data["status"] == "dry_run" and data["created"] == 1500
    assert data["added"] == {"projects": 1500, "value_cny": "1500000000.00"}
    assert calls[0] == (1000, 1501) and calls[-1] == (1501, 1501)
    assert Project.objects.filter(event=event).count() == 0


def test_sheets_without_a_header_say_which_column_is_missing(tmp_path, event):
    from investpromo.imports.readers import UnreadableFile

    path = xlsx(
        tmp_path / "nohead.xlsx",
        {
            "说明": [["填表说明"]],
            "S": [["标题"], ["序号", "项目名称", "投资方", "签约金额"], [1, "甲", "乙", 5]],
        },
    )
    with pytest.raises(UnreadableFile) as caught:
        run(path, event)
    assert str(caught.value) == (
        "nohead.xlsx: no sheet has a header row naming the project, investor, destination and "
        "value columns within its first 20 rows (说明: no header row; S: row 2 looks like the "
        "header but has no 落地地区 column)"
    )
    assert not Project.objects.exists()


def test_columns_absent_from_a_reimport_keep_the_stored_values(tmp_path, event):
    full = [
        [*HEADER, "投资方所在地", "备注", "联系人"],
        [1, "甲", "甲公司", "松北区", 100, "深圳", "重点", "张三"],
    ]
    run(xlsx(tmp_path / "full.xlsx", {"S": full}), event)
    # A shorter list of the same project: no origin or notes column, contact left blank.
    short = [[*HEADER, "联系人", "电话"], [1, "甲", "甲公司", "松北区", 100, None, "123"]]
    report = run(xlsx(tmp_path / "short.xlsx", {"S": short}), event)
    assert report.updated == 1
    project = projects(event)["甲"]
    assert (project.origin_region_id, project.notes) == ("440300", "重点")
    assert project.extra == {"电话": "123"}


def test_a_uscc_of_another_company_records_the_project_under_that_company(tmp_path, event):
    from tests.factories import make_org

    owner = make_org("甲实业有限公司", uscc=USCC_A)
    rows = [[*HEADER, "统一社会信用代码"], [1, "项目", "乙公司", "松北区", 100, USCC_A]]
    report = run(xlsx(tmp_path / "u.xlsx", {"S": rows}), event)
    assert projects(event)["项目"].investor == owner and report.organisations_created == 0
    [warning] = report.warnings
    assert str(warning) == (
        f"S!2: 投资方: USCC {USCC_A} belongs to 甲实业有限公司, not 乙公司: "
        "the project is recorded under 甲实业有限公司"
    )


def test_an_industry_code_excel_turned_into_a_number_keeps_its_leading_zero(tmp_path, event):
    rows = [[*HEADER, "行业代码"], [1, "秸秆", "甲公司", "松北区", 100, 519]]
    run(xlsx(tmp_path / "i.xlsx", {"S": rows}), event)
    assert projects(event)["秸秆"].industry_class_id == "0519"


def test_a_concurrent_write_is_one_clear_error_and_nothing_is_written(tmp_path, event, monkeypatch):
    from django.db import IntegrityError

    from investpromo.core import bulk
    from investpromo.core.errors import UserError

    def clash(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: orgs_organisation.uscc")

    monkeypatch.setattr(bulk, "insert", clash)
    with pytest.raises(UserError, match="the ledger changed while importing"):
        run(xlsx(tmp_path / "c.xlsx", {"S": [HEADER, *project_rows(2)]}), event)
    assert not Project.objects.filter(event=event).exists()


@pytest.mark.parametrize("all_at_once", [True, False], ids=["loaded-at-once", "per-batch"])
def test_investors_are_found_the_same_whether_loaded_at_once_or_per_batch(
    tmp_path, event, monkeypatch, all_at_once
):
    from investpromo.orgs.services import InvestorBook
    from tests.factories import make_org

    if not all_at_once:  # as with a ledger of many more organisations than the file has rows
        monkeypatch.setattr(InvestorBook, "_load_all", lambda self: False)
    by_uscc = make_org("甲实业有限公司", uscc=USCC_A)
    oldest = make_org("乙公司")
    Organisation.objects.create(name="乙公司", normalized_name=oldest.normalized_name)
    rows = [
        [*HEADER, "统一社会信用代码"],
        [1, "甲项目", "甲实业", "松北区", 100, USCC_A],
        [2, "乙项目", "乙公司", "松北区", 100, ""],
        [3, "丙项目一", "丙公司", "松北区", 100, ""],
        [4, "丙项目二", "丙公司", "道里区", 100, ""],
        [5, "丁项目", "丁公司", "道里区", 100, USCC_B],
    ]
    report = run(xlsx(tmp_path / "o.xlsx", {"S": rows}), event)
    found = projects(event)
    assert found["甲项目"].investor == by_uscc and found["乙项目"].investor == oldest
    assert found["丙项目一"].investor == found["丙项目二"].investor
    assert found["丙项目一"].investor.created_by_import_id is not None
    assert found["丁项目"].investor.uscc == USCC_B
    assert report.organisations_created == 2
    assert Organisation.objects.count() == 5


def test_rejected_rows_leave_no_new_organisation(tmp_path, event):
    rows = [HEADER, [1, "好项目", "甲公司", "松北区", 100], [2, "坏项目", "乙公司", "松北区", -5]]
    report = run(xlsx(tmp_path / "r.xlsx", {"S": rows}), event, skip_invalid=True)
    assert report.created == 1 and report.rejected == 1
    assert report.organisations_created == 1
    assert list(Organisation.objects.values_list("name", flat=True)) == ["甲公司"]
