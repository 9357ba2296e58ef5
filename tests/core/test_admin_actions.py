"""#12.9: admin deletions go through the services, all or nothing, with one clear message."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from investpromo.core.audit import system_user
from investpromo.core.models import ChangeLog
from investpromo.followup.services import record_progress
from investpromo.projects.models import Project
from tests.factories import make_event, make_project
from tests.web.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, settings):
    client.force_login(make_user("admin", superuser=True))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def plain_and_followed():
    """Two projects; the second has follow-through, which its service refuses to delete."""
    event = make_event()
    plain = make_project(event=event, name="无进展项目")
    followed = make_project(event=event, name="有进展项目")
    record_progress(
        actor=system_user(),
        project=followed,
        stage="registered",
        date=dt.date(2024, 9, 10),
        no_evidence_reason="测试",
    )
    return plain, followed


def _delete_selected(client, *projects):
    return client.post(
        reverse("admin:projects_project_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [p.pk for p in projects],
            "post": "yes",
        },
        follow=True,
    )


def _deletions():
    return ChangeLog.objects.filter(action="delete").count()


def test_bulk_admin_delete_is_all_or_nothing(admin_client, plain_and_followed):
    plain, followed = plain_and_followed
    before = _deletions()

    response = _delete_selected(admin_client, plain, followed)

    assert response.status_code == 200
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(shown) == 1 and "nothing was deleted" in shown[0], shown
    assert str(followed.pk) in shown[0]
    # The first project, deletable on its own, is still there, and no deletion was logged.
    assert Project.objects.filter(pk__in=[plain.pk, followed.pk]).count() == 2
    assert _deletions() == before


def test_bulk_admin_delete_is_all_or_nothing_and_audited_when_it_goes(admin_client):
    event = make_event()
    first, second = make_project(event=event, name="甲"), make_project(event=event, name="乙")

    _delete_selected(admin_client, first, second)

    assert not Project.objects.filter(pk__in=[first.pk, second.pk]).exists()
    logged = ChangeLog.objects.filter(action="delete", source="admin")
    assert sorted(int(row.object_id) for row in logged) == sorted([first.pk, second.pk])


def test_bulk_admin_delete_is_all_or_nothing_for_one_record_too(admin_client, plain_and_followed):
    _, followed = plain_and_followed
    url = reverse("admin:projects_project_delete", args=[followed.pk])

    response = admin_client.post(url, {"post": "yes"}, follow=True)

    assert response.status_code == 200  # not a server error
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(shown) == 1 and "nothing was deleted" in shown[0]
    assert Project.objects.filter(pk=followed.pk).exists()


def test_a_refused_admin_save_reports_the_refusal_not_success(admin_client, monkeypatch):
    # Review of #12: the admin showed the service's refusal and also "added successfully" with
    # a link to …/None/change/, and logged an addition of nothing. Any refusal of the service
    # (here one it is made to give) must end the save with one message and nothing written.
    from django.contrib.admin.models import LogEntry

    from investpromo.core.errors import UserError
    from investpromo.orgs import services as org_services
    from investpromo.orgs.models import Organisation

    def refuse(**kwargs):
        raise UserError("the service says no")

    monkeypatch.setattr(org_services, "create_organisation", refuse)
    before = Organisation.objects.count(), LogEntry.objects.count(), ChangeLog.objects.count()
    url = reverse("admin:orgs_organisation_add")
    response = admin_client.post(
        url,
        {"name": "另一企业有限公司", "aliases": "[]", "uscc": "", "kind": "enterprise"},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == url
    # (UserError's text starts with a capital once shown.)
    assert "The service says no; nothing was saved." in html
    assert "/None/change/" not in html and "successfully" not in html
    after = Organisation.objects.count(), LogEntry.objects.count(), ChangeLog.objects.count()
    assert after == before
