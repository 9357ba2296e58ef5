"""What an officer may type into a project: a bounded `extra`, never the display fields."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from investpromo.core.audit import system_user
from investpromo.core.errors import UserError
from investpromo.projects.models import Project
from investpromo.projects.services import update_project
from tests.api.conftest import db_state

pytestmark = pytest.mark.django_db


def _patch(api, project, body, **headers):
    return api.patch(
        f"/api/projects/{project.pk}/",
        body,
        format="json",
        HTTP_IF_MATCH=f'"{project.version}"',
        **headers,
    )


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"k2": {"nested": "x"}}, "extra_bad_value"),
        ({"k": ["a", "b"]}, "extra_bad_value"),
        ({"k": None}, "extra_bad_value"),
        ({"k": True}, "extra_bad_value"),
        ({f"列{n}": "x" for n in range(51)}, "extra_too_many"),
        ({"名" * 101: "x"}, "extra_bad_name"),
        ({" ": "x"}, "extra_bad_name"),
        ({"备注二": "字" * 1001}, "extra_value_too_long"),
    ],
)
def test_extra_must_be_flat_map_of_short_strings(officer_api, ledger, extra, code):
    project = ledger["daqing"]
    before = db_state()
    response = _patch(officer_api, project, {"extra": extra}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["extra"]
    assert response.data["extra"][0].code == code
    created = officer_api.post(
        "/api/projects/",
        {
            "name": "新项目",
            "investor": ledger["other"].pk,
            "destination_region": "230602",
            "contract_value": "1000000",
            "extra": extra,
        },
        format="json",
    )
    assert created.status_code == 400 and list(created.json()) == ["extra"]
    assert db_state() == before
    with pytest.raises(UserError) as refused:
        update_project(actor=system_user(), project=project, extra=extra)
    assert refused.value.code == code and refused.value.field == "extra"


def test_extra_limits_are_told_in_the_callers_language(officer_api, ledger):
    too_many = {"extra": {f"列{n}": "x" for n in range(51)}}
    english = _patch(officer_api, ledger["daqing"], too_many, HTTP_ACCEPT_LANGUAGE="en")
    chinese = _patch(officer_api, ledger["daqing"], too_many, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert english.json()["extra"] == ["At most 50 extra attributes, not 51."]
    assert chinese.json()["extra"] == ["附加属性最多 50 项，而不是 51 项。"]
    # A flat map of short texts and numbers is what extra is for.
    ok = _patch(officer_api, ledger["daqing"], {"extra": {"联系人": "张三", "面积（亩）": 120.5}})
    assert ok.status_code == 200, ok.content
    assert Project.objects.get(pk=ledger["daqing"].pk).extra == {
        "联系人": "张三",
        "面积（亩）": 120.5,
    }


def test_officer_cannot_set_display_fields(officer_api, officer, ledger):
    forged = {"is_demo": True, "source_ref": "县区汇总.xlsx!Sheet1!3", "value_text": "100亿元"}
    created = officer_api.post(
        "/api/projects/",
        {
            "name": "伪造项目",
            "investor": ledger["other"].pk,
            "destination_region": "230602",
            "contract_value": "4900000000",
            **forged,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    project = Project.objects.get(pk=created.json()["id"])
    # The value as written is the value: what the importer would have read for it.
    assert (project.is_demo, project.source_ref, project.value_text) == (False, "", "4900000000元")
    assert {key: created.json()[key] for key in forged} == {
        "is_demo": False,
        "source_ref": "",
        "value_text": "4900000000元",
    }

    # #99's edit: the forged text is ignored; a typed value writes its own text.
    daqing = ledger["daqing"]
    assert _patch(officer_api, daqing, forged).status_code == 200
    daqing.refresh_from_db()
    assert (daqing.is_demo, daqing.source_ref, daqing.value_text) == (False, "", "2000000美元")
    changed = _patch(officer_api, daqing, {**forged, "contract_value": "3500000.50"})
    assert changed.status_code == 200
    assert changed.json()["value_text"] == "3500000.5美元"

    # The web form has no such fields, and what is posted for them is not taken.
    client = Client()
    client.force_login(officer)
    form = client.get(reverse("web:project_edit", args=[daqing.pk])).content.decode()
    assert 'name="value_text"' not in form
    daqing.refresh_from_db()
    posted = {
        "name": daqing.name,
        "investor_name": daqing.investor.name,
        "investor_uscc": "",
        "destination": "230602",
        "origin": "",
        "signing_date": "2024-09-01",
        "agreement_type": "unspecified",
        "contract_value": "4900000000",
        "currency": "CNY",
        "sei_status": "not_sei",
        "industry_class": "",
        "industry_text": "",
        "notes": "",
        "version": daqing.version,
        **forged,
    }
    response = client.post(reverse("web:project_edit", args=[daqing.pk]), posted)
    assert response.status_code == 302
    daqing.refresh_from_db()
    assert (daqing.is_demo, daqing.source_ref, daqing.value_text) == (False, "", "4900000000元")
    assert daqing.contract_value == Decimal("4900000000")
    # Nor does the service take them from any caller but the importer and the demo loader.
    with pytest.raises(UserError, match="value_text"):
        update_project(actor=system_user(), project=daqing, value_text="100亿元")
