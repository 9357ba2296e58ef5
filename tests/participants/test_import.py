"""Importing a participant list: a messy real-looking workbook, its problems, and re-import."""

import datetime as dt

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from investpromo.core.audit import system_user
from investpromo.core.models import ChangeLog
from investpromo.participants.importing import import_participant_list, read_size_range
from investpromo.participants.models import ContactPerson, Participant

pytestmark = pytest.mark.django_db

HEADER = [
    "序号",
    "单位名称",
    "参会\n身份",
    "类型",
    "联系人",
    "手机",
    "E-mail",
    "提供",
    "需求",
    "战略性新兴产业",
    "行业代码",
    "所在地区",
    "意向地区",
    "投资规模（万元）",
    "参会日期",
    "备注",
]
GOOD_ROWS = [
    [
        1,
        "深圳烯材科技有限公司（示例）",
        "来宾",
        "投资方",
        "李明",
        13800000001.0,
        "li@example.com",
        "石墨烯导热膜量产技术",
        "石墨烯导热膜中试基地、工业用地",
        "3 新材料",
        3985.0,
        "深圳市",
        "大庆市、哈尔滨市",
        "5000-20000",
        "6月18日上午、6月19日",
        "",
    ],
    [
        2,
        "大庆高新区管委会（示例）",
        "主办方",
        "园区",
        "王芳",
        "13900000002",
        "",
        "石墨资源与标准厂房",
        "新材料企业",
        "新材料",
        "",
        "大庆市",
        "",
        "",
        "全程",
        "园区",
    ],
    [
        3,
        "宁波数据交易所（示例）",
        "guest",
        "data exchange",
        "Anna Chen",
        "",
        "anna@example.org",
        "data products",
        "industrial data partners",
        "",
        "",
        "宁波市",
        "哈尔滨市/大庆市",
        "1-2亿",
        "第2天 下午",
        "",
    ],
]


def _workbook(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "参会名单"
    sheet.append(["2026年黑龙江省产业对接会参会单位名单（示例数据）"])
    sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    sheet.append([None, "注：联系方式仅供会务使用"])
    notes = book.create_sheet("填表说明")
    notes.append(["请按模板填写"])
    book.save(path)
    return path


def test_a_good_list_registers_everyone_with_their_profiles(tmp_path, event, organiser):
    path = _workbook(tmp_path / "名单.xlsx", GOOD_ROWS)
    report = import_participant_list(actor=organiser, path=path, event=event)
    assert not report.errors, report.format_text()
    assert (report.created, report.written, report.organisations_created) == (3, True, 3)
    seeker = Participant.objects.get(name="深圳烯材科技有限公司(示例)")
    assert seeker.side == "visitor" and seeker.kind == "investor"
    assert (seeker.investment_min, seeker.investment_max) == (50_000_000, 200_000_000)
    assert seeker.investment_text == "5000-20000"
    assert seeker.attendance == {"2026-06-18": ["am"], "2026-06-19": []}
    assert list(seeker.industry_classes.values_list("code", flat=True)) == ["3985"]
    assert list(seeker.sei_industries.values_list("code", flat=True)) == [3]
    assert sorted(seeker.regions_of_interest.values_list("code", flat=True)) == [
        "230100",
        "230600",
    ]
    assert seeker.contacts.get().phone == "13800000001"
    exchange = Participant.objects.get(name="宁波数据交易所(示例)")
    assert exchange.kind == "data_exchange" and exchange.profile_language == "en"
    assert exchange.attendance == {"2026-06-19": ["pm"]}
    assert (exchange.investment_min, exchange.investment_max) == (100_000_000, 200_000_000)
    assert exchange.contacts.get().email == "anna@example.org"
    park = Participant.objects.get(name="大庆高新区管委会(示例)")
    assert park.side == "host" and park.attendance == {}
    assert park.source_ref == "名单.xlsx!参会名单!5"
    assert report.sheet("填表说明").skip_reason


def test_reimport_updates_by_identity_and_leaves_the_rest(tmp_path, event, organiser):
    import_participant_list(
        actor=organiser, path=_workbook(tmp_path / "a.xlsx", GOOD_ROWS), event=event
    )
    changed = [list(row) for row in GOOD_ROWS]
    changed[0][8] = "工业用地"  # seeks
    changed[0][5] = "13800000009"  # the same person's new phone
    changed[2][4] = "Li Wei"  # a second person
    report = import_participant_list(
        actor=organiser, path=_workbook(tmp_path / "b.xlsx", changed), event=event
    )
    assert (report.created, report.updated, report.unchanged) == (0, 2, 1), report.format_text()
    assert report.contacts_added == 1
    seeker = Participant.objects.get(name="深圳烯材科技有限公司(示例)")
    assert seeker.seeks == "工业用地" and seeker.version == 2
    assert seeker.contacts.get().phone == "13800000009"
    assert Participant.objects.count() == 3
    assert ContactPerson.objects.filter(participant__name="宁波数据交易所(示例)").count() == 2


def test_a_list_with_errors_names_each_and_writes_nothing(tmp_path, event, organiser):
    bad = [list(row) for row in GOOD_ROWS] + [
        [
            4,
            "哈尔滨某科技公司（示例）",
            "参展商",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            5,
            "某咨询公司（示例）",
            "来宾",
            "中介",
            "赵强",
            "",
            "zhao@",
            "",
            "",
            "",
            "C39",
            "火星市",
            "大庆市；月球",
            "面议",
            "6月25日",
            "",
        ],
        [
            6,
            "深圳烯材科技有限公司（示例）",
            "来宾",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [7, "", "来宾", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ]
    rows_before = ChangeLog.objects.count()
    report = import_participant_list(
        actor=organiser, path=_workbook(tmp_path / "错误.xlsx", bad), event=event
    )
    assert report.failed and not report.written
    problems = {(p.sheet, p.row, p.column) for p in report.errors}
    assert ("参会名单", 7, "参会 身份") in problems  # 参展商 is no side
    assert {("参会名单", 8, column) for column in ("行业代码", "所在地区", "意向地区")} <= problems
    assert {("参会名单", 8, "投资规模（万元）"), ("参会名单", 8, "参会日期")} <= problems
    assert ("参会名单", 9, "单位名称") in problems  # the same organisation as row 4
    assert ("参会名单", 10, "单位名称") in problems  # no name
    text = report.format_text()
    assert "参会名单!9: 单位名称: the same organisation as row 参会名单!4" in text
    assert "nothing was written" in text
    assert not Participant.objects.exists()
    assert ChangeLog.objects.count() == rows_before


def test_a_problem_only_the_service_sees_rolls_everything_back(tmp_path, event, organiser):
    rows = [list(row) for row in GOOD_ROWS]
    rows[2][6] = "anna@@example"  # an email only the contact service refuses
    report = import_participant_list(
        actor=organiser, path=_workbook(tmp_path / "x.xlsx", rows), event=event
    )
    assert [(p.row, p.column) for p in report.errors] == [(6, "E-mail")]
    assert not Participant.objects.exists()


def test_dry_run_counts_and_writes_nothing_and_the_command_exits_one_on_errors(
    tmp_path, event, organiser, capsys
):
    path = _workbook(tmp_path / "名单.xlsx", GOOD_ROWS)
    report = import_participant_list(actor=organiser, path=path, event=event, dry_run=True)
    assert report.created == 3 and not report.written and not Participant.objects.exists()
    bad = _workbook(tmp_path / "bad.xlsx", [*GOOD_ROWS, [4, "某公司", "x"]])
    with pytest.raises(CommandError) as failed:
        call_command("participants", "import", str(bad), "--event", event.slug)
    assert failed.value.returncode == 1
    call_command("participants", "import", str(path), "--event", event.slug, "--dry-run")
    assert "3 new" in capsys.readouterr().out and not Participant.objects.exists()


def test_only_organisers_import(tmp_path, event, daqing_officer):
    from investpromo.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_participant_list(
            actor=daqing_officer, path=_workbook(tmp_path / "a.xlsx", GOOD_ROWS), event=event
        )


@pytest.mark.parametrize(
    ("cell", "unit", "expected"),
    [
        ("1-5亿", None, (100_000_000, 500_000_000)),
        ("5000～20000", "万元", (50_000_000, 200_000_000)),
        ("1亿以上", None, (100_000_000, None)),
        ("不超过5000万", None, (None, 50_000_000)),
        (3000.0, "万元", (30_000_000, 30_000_000)),
    ],
)
def test_investment_sizes_as_written(cell, unit, expected):
    low, high, currency = read_size_range(cell, unit=unit)
    assert (low, high, currency) == (*expected, "CNY")


def test_system_user_may_import_as_administrator(tmp_path, event):
    report = import_participant_list(
        actor=system_user(), path=_workbook(tmp_path / "a.xlsx", GOOD_ROWS[:1]), event=event
    )
    assert report.created == 1
    assert Participant.objects.get().created_by == system_user()
    assert dt.date(2026, 6, 18) == event.start_date
