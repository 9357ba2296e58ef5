"""Creating, editing and deleting projects through the web forms (services do the writing)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from investpromo.core.audit import history_for
from investpromo.core.models import ChangeLog
from investpromo.orgs.models import Organisation
from investpromo.projects.models import Project
from tests.factories import make_event, make_project
from tests.web.test_access import edit_data

pytestmark = pytest.mark.django_db


def new_project_data(**overrides):
    data = {
        "event": "test-event",
        "name": "石墨烯导热膜项目",
        "investor_name": "宁波新投资有限公司",
        "investor_uscc": "",
        "destination": "哈尔滨市松北区",
        "origin": "宁波",
        "signing_date": "2024-08-31",
        "agreement_type": "contract",
        "contract_value": "12000000",
        "currency": "USD",
        "value_text": "1200万美元",
        "sei_status": "sei",
        "sei_industry": "3",
        "industry_class": "3985",
        "industry_text": "",
        "notes": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def usd_rate():
    import datetime as dt

    from investpromo.core.audit import system_user
    from investpromo.projects.rates import set_exchange_rate

    set_exchange_rate(
        actor=system_user(), currency="USD", cny_per_unit="7.1", date=dt.date(2024, 8, 1)
    )


def test_admin_creates_a_project_with_a_new_investor(admin_client, admin_user, usd_rate):
    make_event()
    response = admin_client.post(reverse("web:project_create"), new_project_data())
    project = Project.objects.get(name="石墨烯导热膜项目")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:project_detail", args=[project.pk])
    assert project.destination_region_id == "230109"
    assert project.origin_region_id == "330200"
    assert project.value_cny == Decimal("85200000.00")
    assert project.investor.name == "宁波新投资有限公司"
    created = history_for(project).get(action="create")
    assert created.user == admin_user and created.source == "web"


def test_service_errors_appear_at_their_field(admin_client):
    make_event()
    count = Organisation.objects.count()
    response = admin_client.post(
        reverse("web:project_create"),
        new_project_data(destination="黑龙江省", currency="CNY", value_text=""),
    )
    assert response.status_code == 200
    assert "province" in " ".join(response.context["form"].errors["destination"])
    unknown = admin_client.post(reverse("web:project_create"), new_project_data(destination="火星"))
    assert unknown.context["form"].errors["destination"]
    assert not Project.objects.exists()
    # The investor created before the refusal is rolled back with it.
    assert Organisation.objects.count() == count


def test_a_stale_version_is_refused_with_a_visible_message(admin_client):
    project = make_project(event=make_event(), name="并发项目")
    stale = edit_data(project, name="我改的名字")
    fresh = edit_data(project, name="别人先改的名字")
    assert (
        admin_client.post(reverse("web:project_edit", args=[project.pk]), fresh).status_code == 302
    )
    response = admin_client.post(reverse("web:project_edit", args=[project.pk]), stale)
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    project.refresh_from_db()
    assert project.name == "别人先改的名字" and project.version == 2


def test_delete_needs_the_current_version_and_is_audited(admin_client, admin_user):
    project = make_project(event=make_event(), name="待删除项目")
    url = reverse("web:project_delete", args=[project.pk])
    assert "待删除项目" in admin_client.get(url).content.decode()
    refused = admin_client.post(url, {"version": project.version + 1}, follow=True)
    assert Project.objects.filter(pk=project.pk).exists()
    assert "changed by someone else" in refused.content.decode()
    response = admin_client.post(url, {"version": project.version})
    assert response.status_code == 302 and response["Location"] == reverse("web:project_list")
    assert not Project.objects.filter(pk=project.pk).exists()
    deleted = ChangeLog.objects.get(
        content_type__model="project", object_id=str(project.pk), action="delete"
    )
    assert deleted.user == admin_user and deleted.before["name"] == "待删除项目"


def test_the_edit_form_shows_plain_numbers(admin_client):
    project = make_project(event=make_event(), value="3290000000")
    html = admin_client.get(reverse("web:project_edit", args=[project.pk])).content.decode()
    assert 'value="3290000000"' in html


def test_an_imported_project_shows_the_import_that_created_it(admin_client, tmp_path):
    import datetime as dt

    from tests.imports.files import HEADER, project_rows, run, xlsx

    event = make_event(start=dt.date(2024, 8, 31))
    path = xlsx(tmp_path / "县区签约表.xlsx", {"S": [HEADER, *project_rows(2)]})
    run(path, event)
    project = Project.objects.get(name="测试项目1")
    entry = ChangeLog.objects.get(action="import")
    page = admin_client.get(
        reverse("web:project_detail", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    history = page[page.index('id="history"') :]
    assert "created by import" in history and "import 县区签约表.xlsx" in history
    assert entry.after["sha256"][:12] in history
    chinese = admin_client.get(
        reverse("web:project_detail", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="zh-CN"
    ).content.decode()
    assert "由导入创建" in chinese


@pytest.mark.parametrize("version", [None, "", "abc"], ids=["left out", "empty", "garbled"])
def test_stale_web_edits_without_the_version_are_refused(admin_client, version):
    # Issue #12.7: a form without the version it was made from once overwrote a newer change.
    project = make_project(event=make_event(), name="并发项目")
    stale = edit_data(project, name="我的旧页面")
    if version is None:
        del stale["version"]
    else:
        stale["version"] = version
    admin_client.post(reverse("web:project_edit", args=[project.pk]), edit_data(project, name="新"))
    changes = ChangeLog.objects.count()
    response = admin_client.post(
        reverse("web:project_edit", args=[project.pk]), stale, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "reload the page and try again" in response.content.decode()
    assert [error.code for error in response.context["form"].non_field_errors().as_data()] == [
        "version_missing"
    ]
    project.refresh_from_db()
    assert (project.name, project.version) == ("新", 2)
    assert ChangeLog.objects.count() == changes
    zh = admin_client.post(
        reverse("web:project_edit", args=[project.pk]), stale, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "请重新加载页面" in zh.content.decode()


def test_stale_web_edits_a_delete_without_the_version_is_refused(admin_client):
    project = make_project(event=make_event(), name="留下的项目")
    response = admin_client.post(
        reverse("web:project_delete", args=[project.pk]), {}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "reload the page and try again" in response.content.decode()
    assert Project.objects.filter(pk=project.pk).exists()


def test_amounts_are_typed_in_a_unit_and_shown_readably(admin_client, usd_rate):
    make_event()
    data = new_project_data(contract_value="1200", contract_value_unit="10000")
    assert admin_client.post(reverse("web:project_create"), data).status_code == 302
    project = Project.objects.get(name="石墨烯导热膜项目")
    # 1,200 万 dollars is twelve million.
    assert project.contract_value == Decimal("12000000") and project.value_cny == Decimal(
        "85200000"
    )
    html = admin_client.get(reverse("web:project_detail", args=[project.pk])).content.decode()
    assert "12,000,000 USD" in html and "8520万元" in html and "85,200,000" in html
    # A project without other spreadsheet columns shows no empty panel for them.
    assert "data-extra" not in html
