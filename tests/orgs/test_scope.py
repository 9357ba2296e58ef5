"""Who may change an organisation: officers only where every project using it is theirs."""

import pytest
from django.utils import translation

from investpromo.accounts.models import Profile
from investpromo.core.audit import system_user
from investpromo.core.errors import PermissionDenied
from investpromo.events.models import Participant
from investpromo.orgs.models import Organisation
from investpromo.orgs.services import (
    create_organisation,
    delete_organisation,
    update_organisation,
)
from tests.api.conftest import make_user
from tests.factories import make_event, make_org, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def daqing_officer():
    return make_user("daqing", role=Profile.Role.OFFICER, regions=["230600"])


def refusal(actor, organisation, **changes) -> str | None:
    """The code of the service's refusal to rename the organisation, or None if it did."""
    try:
        update_organisation(actor=actor, organisation=organisation, **changes)
    except PermissionDenied as error:
        return error.code
    return None


def test_officers_change_any_organisation_no_more(daqing_officer):
    # Issue #12.4, in the service itself: what the command line, admin and API all go through.
    event = make_event()
    harbin = make_org("哈尔滨专用投资方")
    make_project(event=event, name="哈尔滨项目", investor=harbin, dest="230103")
    shared = make_org("两地投资方")
    make_project(event=event, name="大庆项目", investor=shared, dest="230602")
    co_invested = make_project(event=event, name="合投项目", dest="230103")
    co_invested.co_investors.add(shared)  # a 哈尔滨 project names it too
    daqing = make_org("大庆投资方")
    make_project(event=event, name="大庆二期", investor=daqing, dest="230602")

    assert refusal(daqing_officer, harbin, name="改名") == "organisation_out_of_scope"
    assert refusal(daqing_officer, shared, name="改名") == "organisation_out_of_scope"
    assert refusal(daqing_officer, daqing, kind="investor") is None
    for organisation in (harbin, shared, daqing):
        with pytest.raises(PermissionDenied) as refused:
            delete_organisation(actor=daqing_officer, organisation=organisation)
        assert refused.value.code == "organisation_delete_admin"
    assert Organisation.objects.filter(name="哈尔滨专用投资方").exists()
    with translation.override("zh-hans"), pytest.raises(PermissionDenied) as refused:
        update_organisation(actor=daqing_officer, organisation=harbin, name="改名")
    assert refused.value.message == (
        "只有使用哈尔滨专用投资方的所有项目都在您所辖地区时，您才能修改它；"
        "哈尔滨项目位于黑龙江省哈尔滨市南岗区。"
    )
    assert refusal(system_user(), harbin, name="管理员改名") is None


def test_an_officer_changes_an_unused_organisation_only_if_they_created_it(daqing_officer):
    mine = create_organisation(actor=daqing_officer, name="我建的公司")
    assert refusal(daqing_officer, mine, name="我建的公司二") is None
    theirs = make_org("别人建的公司")
    assert refusal(daqing_officer, theirs, name="改名") == "organisation_not_yours"
    # Used by something no region covers (an event's participant list): not the officer's alone.
    Participant.objects.create(event=make_event(), organisation=mine)
    assert refusal(daqing_officer, mine, name="再改名") == "organisation_not_yours"
    mine.refresh_from_db()
    assert mine.name == "我建的公司二"
