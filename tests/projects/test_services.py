import datetime as dt
from decimal import Decimal

import pytest

from investpromo.core.audit import history_for, system_user
from investpromo.core.errors import Conflict, UserError
from investpromo.projects.models import Project
from investpromo.projects.rates import set_exchange_rate
from investpromo.projects.services import delete_project, update_project
from investpromo.sectors.models import SEIIndustry
from tests.factories import make_event, make_project, region

pytestmark = pytest.mark.django_db


def test_create_converts_foreign_value_at_signing_date_rate_and_audits():
    set_exchange_rate(
        actor=system_user(), currency="USD", cny_per_unit="7.1234", date=dt.date(2024, 8, 30)
    )
    project = make_project(
        value="10000000", currency="USD", value_text="1000万美元", signing_date=dt.date(2024, 8, 31)
    )
    assert project.value_cny == Decimal("71234000.00")
    assert project.rate_date == dt.date(2024, 8, 30)
    assert project.value_text == "1000万美元"
    [log] = history_for(project)
    assert log.action == "create" and log.after["value_cny"] == "71234000.00"
    assert log.actor_label == "investpromo-system"


def test_without_signing_date_the_event_start_dates_the_conversion():
    set_exchange_rate(
        actor=system_user(), currency="HKD", cny_per_unit="0.91", date=dt.date(2024, 8, 1)
    )
    event = make_event(start=dt.date(2024, 8, 31))
    project = make_project(event=event, value="100", currency="HKD")
    assert project.value_cny == Decimal("91.00")
    assert project.rate_date == dt.date(2024, 8, 1)


def test_foreign_value_without_any_date_is_an_error():
    with pytest.raises(UserError, match="signing date"):
        make_project(value="100", currency="USD")
    assert not Project.objects.exists()


@pytest.mark.parametrize("value", ["0", "-5"])
def test_value_must_be_positive(value):
    with pytest.raises(UserError, match="positive"):
        make_project(value=value)


def test_destination_may_not_be_a_plain_province_but_may_be_a_municipality():
    with pytest.raises(UserError, match="province"):
        make_project(dest="230000")
    assert make_project(dest="110000").destination_region.name == "北京市"


def test_sei_industry_implies_sei_status():
    project = make_project(sei_industry=SEIIndustry.objects.get(code=3))
    assert project.sei_status == "sei"
    with pytest.raises(UserError, match="industry"):
        make_project(name="另一个", sei_status="sei")


def test_update_recomputes_value_bumps_version_and_records_before_after():
    project = make_project(value="100000000")
    update_project(
        actor=system_user(),
        project=project,
        contract_value=Decimal("250000000.5"),
        expected_version=1,
    )
    project.refresh_from_db()
    assert project.version == 2
    assert project.value_cny == Decimal("250000000.50")
    update = history_for(project).first()
    assert update.action == "update"
    assert update.before["contract_value"] == "100000000.000000"
    assert update.after["contract_value"] == "250000000.500000"
    assert "value_cny" in update.changed_fields


def test_stale_update_is_refused_and_changes_nothing():
    project = make_project()
    update_project(actor=system_user(), project=project, name="新名称")
    with pytest.raises(Conflict):
        update_project(
            actor=system_user(), project=project, name="旧视图的修改", expected_version=1
        )
    project.refresh_from_db()
    assert project.name == "新名称" and project.version == 2


def test_update_without_real_change_writes_no_audit_row():
    project = make_project()
    update_project(actor=system_user(), project=project, name=project.name)
    assert history_for(project).count() == 1


def test_delete_keeps_history():
    project = make_project()
    pk = project.pk
    delete_project(actor=system_user(), project=project)
    assert not Project.objects.filter(pk=pk).exists()
    from investpromo.core.models import ChangeLog

    assert ChangeLog.objects.filter(object_id=str(pk), action="delete").exists()


def test_names_are_normalised_for_identity():
    project = make_project(name="  哈尔滨（松北）　智能  算力中心 ")
    assert project.name == "哈尔滨(松北) 智能 算力中心"
    assert project.normalized_name == "哈尔滨(松北) 智能 算力中心"
    assert region("230103").name == "南岗区"
