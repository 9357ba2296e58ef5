import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from investpromo.core.audit import system_user
from investpromo.core.models import ChangeLog
from investpromo.followup.models import ProgressStep
from investpromo.followup.progress_import import import_progress
from tests.factories import make_event, make_org, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger():
    event = make_event(slug="hlj-2024", start=dt.date(2024, 8, 31))
    investor = make_org("宁波某新材料有限公司")
    one = make_project(event=event, name="石墨新材料项目", investor=investor, value="500000000")
    two = make_project(event=event, name="碳纤维项目", investor=investor, value="200000000")
    return event, one, two


def workbook(path, rows, *, title="2025年二季度项目进展情况表", header=None):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "进展"
    sheet.append([title])
    sheet.append(
        header
        or [
            "序号",
            "项目编号",
            "活动",
            "项目名称",
            "投资方",
            "进展阶段",
            "日期",
            "到位资金（万元）",
            "备注",
        ]
    )
    for row in rows:
        sheet.append(row)
    notes = book.create_sheet("填表说明")
    notes.append(["请按项目逐行填写"])
    book.save(path)
    return path


def test_valid_rows_by_id_and_by_names_write_steps_and_reimport_is_unchanged(ledger, tmp_path):
    _, one, two = ledger
    path = workbook(
        tmp_path / "p.xlsx",
        [
            [1, one.pk, None, None, None, "注册", "2024/10/8", None, None],
            [
                2,
                None,
                "hlj-2024",
                "碳纤维项目",
                "宁波某新材料有限公司",
                "开工",
                dt.datetime(2025, 3, 1),
                3000,
                "现场核查，照片见附件",
            ],
            [3, one.pk, None, None, None, "已开工", "2025年4月2日", "1.2亿元", "监理月报"],
        ],
    )
    report = import_progress(actor=system_user(), path=path)
    assert not report.errors and report.created == 3 and report.written
    assert report.skipped_sheets == ["填表说明"]
    step = ProgressStep.objects.get(project=two)
    assert step.stage == "started" and step.funds_in_place == Decimal("30000000")
    assert step.no_evidence_reason == "现场核查，照片见附件"
    assert ProgressStep.objects.get(project=one, stage="started").funds_cny == Decimal(
        "120000000.00"
    )

    again = import_progress(actor=system_user(), path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_changed_funds_update_the_step_with_an_audit_row(ledger, tmp_path):
    _, one, _ = ledger
    import_progress(
        actor=system_user(),
        path=workbook(
            tmp_path / "a.xlsx", [[1, one.pk, None, None, None, "开工", "2025-03-01", 1000, "照片"]]
        ),
    )
    report = import_progress(
        actor=system_user(),
        path=workbook(
            tmp_path / "b.xlsx", [[1, one.pk, None, None, None, "开工", "2025-03-01", 2500, "照片"]]
        ),
    )
    assert report.updated == 1
    step = ProgressStep.objects.get(project=one)
    assert step.funds_in_place == Decimal("25000000")
    log = ChangeLog.objects.filter(object_id=str(step.pk), action="update").get()
    assert log.before["funds_in_place"] == "10000000.000000"


def test_invalid_rows_are_all_listed_and_nothing_is_written(ledger, tmp_path, capsys):
    _, one, _ = ledger
    path = workbook(
        tmp_path / "bad.xlsx",
        [
            [1, one.pk, None, None, None, "注册", "2024-10-08", None, None],
            [2, one.pk, None, None, None, "开工", "2025-03-01", 100, None],
            [3, 999999, None, None, None, "注册", "2024-10-08", None, None],
            [4, one.pk, None, None, None, "动工了", "2024-10-08", None, None],
            [5, None, "hlj-2024", "不存在的项目", "某公司", "注册", "2024-10-08", None, None],
            [6, one.pk, None, None, None, "投产", "2025-13-01", None, "x"],
            [7, one.pk, None, None, None, "注册", "2024-10-08", None, None],
        ],
    )
    report = import_progress(actor=system_user(), path=path)
    assert [str(p).split(":")[0] for p in report.errors] == [
        "进展!4",
        "进展!5",
        "进展!6",
        "进展!7",
        "进展!8",
        "进展!9",
    ]
    text = "\n".join(str(p) for p in report.errors)
    assert "进展!4: note:" in text and "no project with ID 999999" in text
    assert "进展!6: stage: unknown stage '动工了'" in text
    assert "the same step as 进展!3" in text
    assert not ProgressStep.objects.exists()
    with pytest.raises(CommandError) as error:
        call_command("import-progress", str(path))
    assert error.value.returncode == 1
    assert "进展!5: ID: no project with ID 999999" in capsys.readouterr().out


def test_dry_run_writes_nothing_and_unreadable_file_exits_2(ledger, tmp_path):
    _, one, _ = ledger
    path = workbook(
        tmp_path / "p.xlsx", [[1, one.pk, None, None, None, "注册", "2024-10-08", None, None]]
    )
    report = import_progress(actor=system_user(), path=path, dry_run=True)
    assert report.created == 1 and not report.written
    assert not ProgressStep.objects.exists()
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CommandError) as error:
        call_command("import-progress", str(tmp_path / "broken.xlsx"))
    assert error.value.returncode == 2


def test_english_headers_and_csv(ledger, tmp_path):
    _, one, two = ledger
    path = tmp_path / "progress.csv"
    path.write_text(
        "ID,Stage,Date,Funds in place (USD),Note\n"
        f"{one.pk},in production,2025-06-01,1000000,inspection report\n"
        f"{two.pk},terminated,2025-02-01,,investor withdrew\n",
        encoding="utf-8",
    )
    from investpromo.projects.rates import set_exchange_rate

    set_exchange_rate(
        actor=system_user(), currency="USD", cny_per_unit="7.2", date=dt.date(2025, 1, 1)
    )
    report = import_progress(actor=system_user(), path=path)
    assert report.created == 2, report.format_text()
    step = ProgressStep.objects.get(project=one)
    assert step.funds_currency == "USD" and step.funds_cny == Decimal("7200000.00")
    assert ProgressStep.objects.get(project=two).termination_reason == "investor withdrew"


def test_officer_cannot_report_outside_their_regions(ledger, tmp_path, django_user_model):
    from investpromo.accounts.models import Profile
    from investpromo.geo.models import Region

    _, one, _ = ledger
    officer = django_user_model.objects.create_user("daqing", password="x")
    profile = Profile.objects.create(user=officer, role=Profile.Role.OFFICER)
    profile.regions.add(Region.objects.get(code="230600"))
    path = workbook(
        tmp_path / "p.xlsx", [[1, one.pk, None, None, None, "注册", "2024-10-08", None, None]]
    )
    report = import_progress(actor=officer, path=path)
    assert "not in your regions" in str(report.errors[0])
    assert not ProgressStep.objects.exists()


def test_missing_rate_for_foreign_funds_is_a_row_error(ledger, tmp_path):
    _, one, _ = ledger
    path = workbook(
        tmp_path / "p.xlsx",
        [[1, one.pk, None, None, None, "开工", "2025-03-01", "100万美元", "照片"]],
    )
    report = import_progress(actor=system_user(), path=path)
    assert "进展!3: funds in place: no USD exchange rate on or before 2025-03-01" in str(
        report.errors[0]
    )
    assert not ProgressStep.objects.exists()


def test_reimport_without_funds_keeps_the_recorded_funds(ledger, tmp_path):
    _, one, _ = ledger
    import_progress(
        actor=system_user(),
        path=workbook(
            tmp_path / "a.xlsx", [[1, one.pk, None, None, None, "开工", "2025-03-01", 1000, "照片"]]
        ),
    )
    path = tmp_path / "no-funds.csv"
    path.write_text(
        f"项目编号,进展阶段,日期,备注\n{one.pk},开工,2025-03-01,照片\n", encoding="utf-8"
    )
    report = import_progress(actor=system_user(), path=path)
    assert report.unchanged == 1 and report.updated == 0
    step = ProgressStep.objects.get(project=one)
    assert step.funds_in_place == Decimal("10000000") and step.note == "照片"


def test_queries_do_not_grow_with_the_rows(tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = make_event(slug="q", start=dt.date(2024, 8, 31))
    investor = make_org("查询测试有限公司")
    projects = [
        make_project(event=event, name=f"项目{n}", investor=investor, value="100000000")
        for n in range(44)
    ]
    counts = []
    for some in (projects[:4], projects[4:]):
        rows = [
            [n, p.pk, None, None, None, "注册", "2024-10-08", None, None]
            for n, p in enumerate(some)
        ]
        path = workbook(tmp_path / f"{len(some)}.xlsx", rows)
        with CaptureQueriesContext(connection) as queries:
            report = import_progress(actor=system_user(), path=path)
        assert report.created == len(some) and not report.errors, report.format_text()
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_going_back_a_stage_is_marked_and_the_state_follows(ledger, tmp_path):
    from investpromo.followup.models import ProjectState

    _, one, two = ledger
    path = workbook(
        tmp_path / "p.xlsx",
        [
            [1, one.pk, None, None, None, "注册", "2024-10-08", None, None],
            [2, one.pk, None, None, None, "开工", "2025-03-01", 1000, "照片"],
            [3, one.pk, None, None, None, "审批", "2025-04-01", None, None],  # back from 开工
            [4, two.pk, None, None, None, "终止", "2025-02-01", None, "投资方撤回"],
        ],
    )
    report = import_progress(actor=system_user(), path=path)
    assert report.created == 4 and not report.errors
    steps = {s.stage: s for s in ProgressStep.objects.filter(project=one)}
    assert [steps[s].is_regression for s in ("registered", "started", "approved")] == [
        False,
        False,
        True,
    ]
    state = ProjectState.objects.get(project=one)
    assert (state.stage, state.funds_cny) == ("approved", Decimal("10000000.00"))
    assert ProjectState.objects.get(project=two).stage == "terminated"
    # A step dated before the others, imported later, marks the ones after it again.
    earlier = workbook(
        tmp_path / "q.xlsx", [[1, one.pk, None, None, None, "竣工", "2024-12-01", None, "验收"]]
    )
    import_progress(actor=system_user(), path=earlier)
    steps = {s.stage: s for s in ProgressStep.objects.filter(project=one)}
    assert steps["started"].is_regression and not steps["completed"].is_regression
    logs = ChangeLog.objects.filter(
        content_type__model="progressstep", object_id__in=[str(s.pk) for s in steps.values()]
    )
    assert logs.filter(action="create").count() == 4


def test_progress_is_reported_as_rows_are_read(ledger, tmp_path):
    _, one, _ = ledger
    path = workbook(
        tmp_path / "p.xlsx", [[1, one.pk, None, None, None, "注册", "2024-10-08", None, None]]
    )
    calls = []
    import_progress(actor=system_user(), path=path, progress=lambda *a: calls.append(a))
    assert calls[-1][0] == calls[-1][1] >= 3
