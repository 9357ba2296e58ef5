import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from investpromo.core.audit import history_for, system_user
from investpromo.core.errors import PermissionDenied, UserError
from investpromo.followup.models import (
    Evidence,
    OverdueThresholds,
    ProgressStep,
    default_idle_months,
)
from investpromo.followup.selectors import followthrough, months_before, overdue_flags
from investpromo.followup.services import record_progress
from investpromo.projects.models import Project
from investpromo.projects.rates import set_exchange_rate
from tests.factories import make_event, make_org, make_project

pytestmark = pytest.mark.django_db
D = dt.date


def step(project, stage, date, **kwargs):
    if stage in ("started", "completed", "in_production", "full_capacity"):
        kwargs.setdefault("no_evidence_reason", "site visit, no photo")
    if stage == "approved":
        kwargs.setdefault("approvals", ["land"])
    return record_progress(actor=system_user(), project=project, stage=stage, date=date, **kwargs)


@pytest.fixture
def cohort():
    """Four projects of one event, 100 + 200 + 300 + 400 million yuan, progress by hand."""
    set_exchange_rate(actor=system_user(), currency="USD", cny_per_unit="7", date=D(2024, 1, 1))
    set_exchange_rate(actor=system_user(), currency="USD", cny_per_unit="8", date=D(2025, 1, 1))
    event = make_event(start=D(2024, 8, 31))
    investor = make_org()
    a, b, c, d = (
        make_project(event=event, name=name, investor=investor, value=value)
        for name, value in [
            ("甲", "100000000"),
            ("乙", "200000000"),
            ("丙", "300000000"),
            ("丁", "400000000"),
        ]
    )
    step(a, "registered", D(2024, 10, 1))
    step(a, "started", D(2024, 12, 1), funds_in_place=Decimal("10000000"))
    step(a, "in_production", D(2025, 6, 1), funds_in_place=Decimal("90000000"))
    step(b, "started", D(2025, 2, 1), funds_in_place=Decimal("5000000"), funds_currency="USD")
    step(c, "terminated", D(2025, 3, 1), termination_reason="investor withdrew")
    return event, (a, b, c, d)


def test_rates_as_of_a_date_count_only_steps_recorded_by_then(cohort):
    event, _ = cohort
    early = followthrough(event.projects.all(), D(2024, 12, 31))
    assert early["stages"]["started"] == 1 and early["stages"]["signed"] == 3
    assert early["start_rate"] == {"rate": 0.25, "numerator": 1, "denominator": 4}
    assert early["performance_rate"]["rate"] == 1.0
    assert early["funds_in_place_rate"] == {
        "rate": 0.01,
        "numerator": "10000000.00",
        "denominator": "1000000000.00",
    }

    late = followthrough(event.projects.all(), D(2025, 12, 31))
    assert late["stages"] == {
        "signed": 1,
        "registered": 0,
        "approved": 0,
        "started": 1,
        "completed": 0,
        "in_production": 1,
        "full_capacity": 0,
        "terminated": 1,
    }
    assert late["performance_rate"] == {"rate": 0.75, "numerator": 3, "denominator": 4}
    assert late["start_rate"] == {"rate": 0.5, "numerator": 2, "denominator": 4}
    assert late["production_rate"] == {"rate": 0.25, "numerator": 1, "denominator": 4}
    # 90,000,000 (a, latest) + 5,000,000 USD × 8 (rate on 2025-02-01) = 130,000,000
    assert late["funds_in_place_rate"]["numerator"] == "130000000.00"
    assert late["funds_in_place_rate"]["rate"] == 0.13


def test_started_needs_evidence_or_a_reason(cohort):
    _, (*_, d) = cohort
    with pytest.raises(UserError, match="evidence"):
        record_progress(actor=system_user(), project=d, stage="started", date=D(2025, 1, 5))
    photo = SimpleUploadedFile("site.jpg", b"\xff\xd8 fake jpeg", content_type="image/jpeg")
    stepped = record_progress(
        actor=system_user(), project=d, stage="started", date=D(2025, 1, 5), evidence_files=[photo]
    )
    evidence = Evidence.objects.get(step=stepped)
    assert evidence.original_name == "site.jpg" and len(evidence.sha256) == 64
    assert history_for(stepped).first().action == "create"


def test_going_back_is_allowed_and_marked(cohort):
    _, (a, *_rest) = cohort
    back = step(a, "registered", D(2025, 7, 1), note="permit withdrawn")
    assert back.is_regression
    assert not step(a, "started", D(2025, 8, 1)).is_regression


def test_terminated_needs_a_reason_and_approved_its_approvals(cohort):
    _, (_, _, _, d) = cohort
    with pytest.raises(UserError, match="reason"):
        record_progress(actor=system_user(), project=d, stage="terminated", date=D(2025, 1, 1))
    with pytest.raises(UserError, match="approvals"):
        record_progress(
            actor=system_user(), project=d, stage="approved", date=D(2025, 1, 1), approvals=["x"]
        )
    with pytest.raises(UserError, match="future"):
        step(d, "registered", D(2999, 1, 1))
    assert not ProgressStep.objects.filter(project=d).exists()


def test_officer_outside_region_cannot_record(cohort, django_user_model):
    from investpromo.accounts.models import Profile
    from investpromo.geo.models import Region

    officer = django_user_model.objects.create_user("daqing", password="x")
    profile = Profile.objects.create(user=officer, role=Profile.Role.OFFICER)
    profile.regions.add(Region.objects.get(code="230600"))
    _, (_, _, _, d) = cohort  # destination 230103 (Harbin)
    with pytest.raises(PermissionDenied):
        record_progress(actor=officer, project=d, stage="registered", date=D(2024, 9, 2))
    assert not ProgressStep.objects.filter(project=d).exists()


def test_months_before_clamps_to_month_end():
    assert months_before(D(2025, 5, 31), 3) == D(2025, 2, 28)
    assert months_before(D(2024, 5, 31), 3) == D(2024, 2, 29)
    assert months_before(D(2025, 1, 15), 2) == D(2024, 11, 15)


def _flags(event, today, thresholds=None):
    flags = overdue_flags(
        event.projects.all(), today=today, thresholds=thresholds or OverdueThresholds()
    )
    return {f.project_id: f for f in flags}


def test_overdue_thresholds_follow_each_stage_on_a_quarterly_cycle(cohort):
    event, (a, b, c, d) = cohort
    now = _flags(event, D(2025, 9, 15))
    # a: in production since 2025-06-01: ramping up to full capacity takes up to three quarters,
    # so 3.5 months without a step is no warning (a flat three months made it red).
    assert a.pk not in now
    # b: under construction since 2025-02-01 (7 months), 20 % of funds in place: building takes
    # about a year, so nothing yet.
    assert b.pk not in now
    # c: terminated → never flagged
    assert c.pk not in now and c.pk not in _flags(event, D(2027, 1, 1))
    # d: signed 2024-08-31 and never moved: red, idle for its stage and not started a year on.
    assert now[d.pk].level == "red"
    assert [r["code"] for r in now[d.pk].reasons] == ["idle", "not_started"]
    assert now[d.pk].reasons[0]["params"] == {"months": 9, "stage": "signed"}

    # One quarterly report late: yellow; two: red.
    yellow, red = _flags(event, D(2026, 6, 1))[a.pk], _flags(event, D(2026, 9, 1))[a.pk]
    assert (yellow.level, yellow.reasons) == (
        "yellow",
        [{"code": "idle", "params": {"months": 12, "stage": "in_production"}}],
    )
    assert (red.level, red.reasons[0]["params"]["months"]) == ("red", 15)
    assert red.since == D(2026, 6, 1)  # overdue since it turned yellow

    # A stage's months are the administrator's: construction allowed three months, then six.
    quick = default_idle_months() | {"started": {"yellow": 3, "red": 6}}
    flagged = _flags(event, D(2025, 9, 15), OverdueThresholds(idle_months=quick))[b.pk]
    assert flagged.reasons == [{"code": "idle", "params": {"months": 6, "stage": "started"}}]


def test_overdue_reasons_read_in_each_language(cohort):
    from django.utils import translation

    from investpromo.followup.reasons import reason_texts

    event, (_, _, _, d) = cohort
    reasons = _flags(event, D(2025, 9, 15))[d.pk].reasons
    with translation.override("en"):
        assert reason_texts(reasons) == [
            "no step for 9 months or more in stage signed",
            "signed over 12 months ago and construction not started",
        ]
    with translation.override("zh-hans"):
        assert reason_texts(reasons) == [
            "“签约”阶段已9个月以上无进展",
            "签约已超过12个月仍未开工",
        ]


def test_low_funds_flag(cohort):
    event, (_, b, _, _) = cohort
    thresholds = OverdueThresholds(red_low_funds_share=Decimal("0.25"))
    reasons = _flags(event, D(2025, 9, 15), thresholds)[b.pk].reasons
    assert reasons == [{"code": "low_funds", "params": {"months": 6, "percent": "25"}}]


def test_todays_figures_from_the_state_table_equal_a_walk_of_all_steps(cohort):
    """The services keep ProjectState; today's figures read it, past dates walk the steps."""
    from django.utils import timezone

    from investpromo.followup import selectors
    from investpromo.followup.models import ProjectState
    from investpromo.followup.services import delete_step, update_step

    event, (a, _b, _c, d) = cohort
    step(d, "registered", D(2025, 1, 10))
    moved = step(d, "started", D(2025, 2, 10), funds_in_place=Decimal("1000000"))
    update_step(actor=system_user(), step=moved, funds_in_place=Decimal("3000000"))
    delete_step(
        actor=system_user(), step=ProgressStep.objects.get(project=a, stage="in_production")
    )

    today = timezone.localdate()
    from_state = followthrough(event.projects.all(), today)
    walked = selectors.walk_steps(
        ProgressStep.objects.order_by("project_id", "date", "id").values_list(
            "project_id", "stage", "date", "funds_cny"
        )
    )
    assert (
        from_state["stages"]["started"]
        == sum(1 for p in walked.values() if p.stage == "started")
        == 3
    )
    assert Decimal(from_state["funds_in_place_rate"]["numerator"]) == sum(
        (p.funds_cny or 0) for p in walked.values()
    )
    for state in ProjectState.objects.all():
        expected = walked[state.project_id]
        assert (state.stage, state.last_move, state.started_on, state.funds_cny) == (
            expected.stage,
            expected.last_move,
            expected.started_on,
            expected.funds_cny,
        )
    # The day before today walks the steps and, with nothing recorded today, agrees.
    yesterday = followthrough(event.projects.all(), today - dt.timedelta(days=1))
    assert yesterday["stages"] == from_state["stages"]
    assert yesterday["funds_in_place_rate"] == from_state["funds_in_place_rate"]


def test_regression_marks_follow_back_dated_steps_and_deletions(cohort):
    from investpromo.followup.services import delete_step

    _, (_a, _b, _c, d) = cohort
    started = step(d, "started", D(2025, 3, 1))
    later = step(d, "registered", D(2025, 5, 1))
    assert later.is_regression
    delete_step(actor=system_user(), step=started)
    later.refresh_from_db()
    assert not later.is_regression  # signed → registered is forward now


def test_moving_an_event_is_refused_while_undated_foreign_values_hang_on_its_start(cohort):
    from investpromo.events.services import update_event

    set_exchange_rate(actor=system_user(), currency="EUR", cny_per_unit="7", date=D(2024, 1, 1))
    event = make_event(slug="eur-event", start=D(2024, 8, 31))
    make_project(event=event, name="欧元项目", value="100", currency="EUR")
    with pytest.raises(UserError, match="signing dates"):
        update_event(actor=system_user(), event=event, start_date=D(2024, 9, 30))


def test_past_figures_counted_in_the_database_equal_a_walk_of_the_steps(cohort):
    """Past dates are counted by SQL; a Python walk of the same steps must agree on every day."""
    from investpromo.followup import selectors

    event, (a, b, _c, d) = cohort
    # Two steps of d on one day: the later one recorded counts. Its funds came a step earlier.
    step(d, "registered", D(2025, 1, 10), funds_in_place=Decimal("2000000"))
    step(d, "approved", D(2025, 1, 10))
    step(b, "completed", D(2025, 4, 1))  # no funds: b keeps its USD figure
    subset = event.projects.exclude(pk=a.pk)
    # A join that repeats projects (one row per step), made distinct: each counts once.
    joined = event.projects.filter(progress_steps__date__isnull=False).distinct()
    repeated = event.projects.filter(progress_steps__date__isnull=False)  # not made distinct
    today = timezone.localdate()
    days = sorted(set(ProgressStep.objects.values_list("date", flat=True)))
    for day in [D(2024, 9, 30), *days, *(day - dt.timedelta(days=1) for day in days), today]:
        for projects in (event.projects.all(), subset, joined, repeated):
            ids = set(projects.values_list("id", flat=True))
            walked = selectors.walk_steps(
                ProgressStep.objects.filter(date__lte=day, project_id__in=ids)
                .order_by("project_id", "date", "id")
                .values_list("project_id", "stage", "date", "funds_cny")
            )
            expected = dict.fromkeys(selectors.Stage.values, 0)
            for pk in ids:
                expected[walked[pk].stage if pk in walked else "signed"] += 1
            funds = sum((p.funds_cny or 0) for p in walked.values())
            figures = followthrough(projects, day)
            assert figures["stages"] == expected, day
            value = sum(p.value_cny for p in Project.objects.filter(pk__in=ids))
            assert Decimal(figures["funds_in_place_rate"]["denominator"]) == value, day
            assert Decimal(figures["funds_in_place_rate"]["numerator"]) == funds, day
    on_the_day = followthrough(event.projects.all(), D(2025, 1, 10))
    # d: the later step of the day (approved), with the funds of the earlier one.
    assert (on_the_day["stages"]["approved"], on_the_day["stages"]["registered"]) == (1, 0)
    assert on_the_day["funds_in_place_rate"]["numerator"] == "12000000.00"
