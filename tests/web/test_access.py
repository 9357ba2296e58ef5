"""Login is required everywhere but the login page; roles are enforced by the server."""

from decimal import Decimal

import pytest
from django.urls import reverse

from investpromo.core.models import ChangeLog
from investpromo.jobs.models import Job
from investpromo.orgs.models import Organisation
from investpromo.projects.models import Project
from tests.factories import make_event, make_org, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def harbin_project():
    return make_project(event=make_event(), name="哈尔滨项目", dest="230103", value="200000000")


@pytest.fixture
def daqing_project():
    return make_project(
        event=make_event(slug="daqing-event"),
        name="大庆项目",
        dest="230602",
        investor=make_org("大庆投资方有限公司"),
        value="300000000",
    )


def edit_data(project, **overrides):
    data = {
        "event": project.event.slug if project.event_id else "",
        "name": project.name,
        "investor_name": project.investor.name,
        "investor_uscc": "",
        "destination": project.destination_region_id,
        "origin": project.origin_region_id or "",
        "signing_date": "",
        "agreement_type": project.agreement_type,
        "contract_value": str(project.contract_value),
        "currency": project.currency,
        "value_text": project.value_text,
        "sei_status": project.sei_status,
        "sei_industry": "",
        "industry_class": "",
        "industry_text": "",
        "notes": "",
        "version": project.version,
    }
    data.update(overrides)
    return data


def state(project):
    """What must not change when an action is refused."""
    project.refresh_from_db()
    return (project.name, project.contract_value, project.version, project.destination_region_id)


def test_every_page_but_login_requires_signing_in(client, harbin_project):
    pages = [
        reverse("web:dashboard"),
        reverse("web:event_list"),
        reverse("web:event_detail", args=[harbin_project.event.slug]),
        reverse("web:project_list"),
        reverse("web:project_export"),
        reverse("web:project_create"),
        reverse("web:project_detail", args=[harbin_project.pk]),
        reverse("web:project_edit", args=[harbin_project.pk]),
        reverse("web:project_delete", args=[harbin_project.pk]),
        reverse("web:organisation_detail", args=[harbin_project.investor_id]),
        reverse("web:region_detail", args=["230100"]),
        reverse("web:import_index"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    assert client.get(reverse("web:login")).status_code == 200


def test_anonymous_post_changes_nothing(client, harbin_project):
    before = state(harbin_project)
    response = client.post(
        reverse("web:project_edit", args=[harbin_project.pk]), edit_data(harbin_project, name="改")
    )
    assert response.status_code == 302
    assert state(harbin_project) == before


def test_officer_of_daqing_cannot_edit_a_harbin_project_by_url(officer_client, harbin_project):
    before = state(harbin_project)
    logged = ChangeLog.objects.count()
    url = reverse("web:project_edit", args=[harbin_project.pk])
    assert officer_client.get(url).status_code == 403
    response = officer_client.post(url, edit_data(harbin_project, name="改名", contract_value="1"))
    assert response.status_code == 403
    assert "哈尔滨" in response.content.decode()
    assert state(harbin_project) == before
    assert ChangeLog.objects.count() == logged


def test_officer_of_daqing_cannot_delete_a_harbin_project(officer_client, harbin_project):
    url = reverse("web:project_delete", args=[harbin_project.pk])
    assert officer_client.get(url).status_code == 403
    response = officer_client.post(url, {"version": harbin_project.version})
    assert response.status_code == 403
    assert Project.objects.filter(pk=harbin_project.pk).exists()


def test_officer_cannot_move_own_project_out_of_scope(officer_client, daqing_project):
    before = state(daqing_project)
    response = officer_client.post(
        reverse("web:project_edit", args=[daqing_project.pk]),
        edit_data(daqing_project, destination="230103"),
    )
    assert response.status_code == 403
    assert state(daqing_project) == before


def test_officer_cannot_create_outside_scope_and_leaves_no_investor(officer_client):
    count, orgs = Project.objects.count(), Organisation.objects.count()
    response = officer_client.post(
        reverse("web:project_create"),
        {
            "name": "越权项目",
            "investor_name": "全新投资有限公司",
            "destination": "230103",
            "agreement_type": "contract",
            "contract_value": "1000000",
            "currency": "CNY",
            "sei_status": "not_sei",
        },
    )
    assert response.status_code == 403
    assert Project.objects.count() == count
    assert Organisation.objects.count() == orgs


def test_officer_edits_own_region_and_history_names_them(officer_client, officer, daqing_project):
    url = reverse("web:project_edit", args=[daqing_project.pk])
    response = officer_client.post(
        url, edit_data(daqing_project, name="大庆项目二期", contract_value="350000000")
    )
    assert response.status_code == 302
    daqing_project.refresh_from_db()
    assert daqing_project.name == "大庆项目二期"
    assert daqing_project.value_cny == Decimal("350000000.00")
    assert daqing_project.version == 2
    entry = ChangeLog.objects.filter(
        content_type__model="project", object_id=str(daqing_project.pk), action="update"
    ).get()
    assert entry.user == officer and entry.source == "web"
    page = officer_client.get(reverse("web:project_detail", args=[daqing_project.pk]))
    assert "daqing-officer" in page.content.decode()


def test_viewer_cannot_write_anything(viewer_client, harbin_project, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    before = state(harbin_project)
    assert viewer_client.get(reverse("web:project_create")).status_code == 403
    assert viewer_client.post(reverse("web:project_create"), {"name": "x"}).status_code == 403
    edit = reverse("web:project_edit", args=[harbin_project.pk])
    assert viewer_client.post(edit, edit_data(harbin_project, name="改")).status_code == 403
    delete = reverse("web:project_delete", args=[harbin_project.pk])
    assert viewer_client.post(delete, {"version": 1}).status_code == 403
    assert state(harbin_project) == before
    with (tmp_path / "list.csv").open("wb+") as upload:
        upload.write("项目名称,投资方\n".encode())
        upload.seek(0)
        response = viewer_client.post(
            reverse("web:import_index"), {"event": harbin_project.event.slug, "file": upload}
        )
    assert response.status_code == 403
    assert not Job.objects.exists()
    assert viewer_client.get(reverse("web:import_index")).status_code == 403


def test_viewer_sees_the_pages_without_write_buttons(viewer_client, harbin_project):
    page = viewer_client.get(reverse("web:project_detail", args=[harbin_project.pk]))
    assert page.status_code == 200
    assert reverse("web:project_edit", args=[harbin_project.pk]) not in page.content.decode()
    ledger = viewer_client.get(reverse("web:project_list")).content.decode()
    assert reverse("web:project_create") not in ledger
    assert reverse("web:import_index") not in ledger


def test_officer_sees_edit_button_only_in_scope(officer_client, harbin_project, daqing_project):
    harbin = officer_client.get(reverse("web:project_detail", args=[harbin_project.pk]))
    assert reverse("web:project_edit", args=[harbin_project.pk]) not in harbin.content.decode()
    daqing = officer_client.get(reverse("web:project_detail", args=[daqing_project.pk]))
    assert reverse("web:project_edit", args=[daqing_project.pk]) in daqing.content.decode()
