"""Merging two organisations that are one enterprise, and undoing it, with the audit trail."""

import pytest

from investpromo.core.audit import history_for, system_user
from investpromo.core.errors import UserError
from investpromo.events.models import Participant
from investpromo.events.services import add_participant
from investpromo.integrity.models import OrganisationMerge
from investpromo.integrity.services import merge_organisations, unmerge_organisations
from investpromo.orgs.models import Organisation
from investpromo.projects.models import Project
from tests.factories import make_org, make_project

from .conftest import USCC_OTHER_LANTUO


def _investors(ledger, *names):
    return {name: Project.objects.get(pk=ledger[name].pk).investor_id for name in names}


def test_merge_moves_projects_participations_and_names(ledger):
    lantuo, written, _ = ledger["orgs"]
    e1, e2 = ledger["events"]
    add_participant(actor=system_user(), event=e1, organisation=written)
    add_participant(actor=system_user(), event=e1, organisation=lantuo)  # both there: stays
    add_participant(actor=system_user(), event=e2, organisation=written)
    co_invested = make_project(name="数据中心项目", value="1000000", co_investors=[written])
    versions = {p.pk: p.version for p in Project.objects.filter(investor=written)}

    merge = merge_organisations(actor=system_user(), survivor=lantuo, merged=written, via="test")

    assert _investors(ledger, "p2", "p10") == {"p2": lantuo.pk, "p10": lantuo.pk}
    moved = Project.objects.filter(pk__in=versions)
    assert {p.investor_key for p in moved} == {lantuo.normalized_name}
    assert all(p.version == versions[p.pk] + 1 for p in moved)
    assert list(co_invested.co_investors.all()) == [lantuo]
    assert set(Participant.objects.filter(organisation=lantuo).values_list("event", flat=True)) == {
        e1.pk,
        e2.pk,
    }
    lantuo.refresh_from_db()
    written.refresh_from_db()
    assert lantuo.aliases == ["澜拓新材料科技(深圳)有限公司"]
    assert written.merged_into == lantuo
    assert merge.projects == sorted(versions)
    # Every change has its row: both organisations, each project moved, the merge.
    assert history_for(lantuo).filter(action="update").count() == 1
    assert history_for(written).filter(action="update").count() == 1
    assert all(history_for(p).filter(action="update", source="test").exists() for p in moved)
    assert history_for(merge).filter(action="create").exists()


def test_unmerge_restores_what_moved(ledger):
    lantuo, written, _ = ledger["orgs"]
    e1, _ = ledger["events"]
    add_participant(actor=system_user(), event=e1, organisation=written)
    co_invested = make_project(name="数据中心项目", value="1000000", co_investors=[written, lantuo])
    merge = merge_organisations(actor=system_user(), survivor=lantuo, merged=written)

    unmerge_organisations(actor=system_user(), merge=merge)

    assert _investors(ledger, "p2", "p10", "p1") == {
        "p2": written.pk,
        "p10": written.pk,
        "p1": lantuo.pk,
    }
    assert {p.investor_key for p in Project.objects.filter(investor=written)} == {
        written.normalized_name
    }
    assert set(co_invested.co_investors.all()) == {written, lantuo}  # lantuo was there before
    assert Participant.objects.get(event=e1, organisation=written)
    lantuo.refresh_from_db()
    written.refresh_from_db()
    assert lantuo.aliases == []
    assert written.merged_into is None
    merge.refresh_from_db()
    assert merge.undone_at is not None
    with pytest.raises(UserError) as undone_twice:
        unmerge_organisations(actor=system_user(), merge=merge)
    assert undone_twice.value.code == "unmerge_twice"


def test_a_usccs_moves_to_a_survivor_without_one_and_back(ledger):
    lantuo, written, _ = ledger["orgs"]
    code = lantuo.uscc
    merge = merge_organisations(actor=system_user(), survivor=written, merged=lantuo)
    written.refresh_from_db()
    assert written.uscc == code
    assert Organisation.objects.get(pk=lantuo.pk).uscc is None
    unmerge_organisations(actor=system_user(), merge=merge)
    assert Organisation.objects.get(pk=lantuo.pk).uscc == code
    assert Organisation.objects.get(pk=written.pk).uscc is None


def test_two_usccs_are_never_merged(ledger):
    lantuo, _, _ = ledger["orgs"]
    namesake = make_org("澜拓新材料科技（宁波）有限公司", home="330200", uscc=USCC_OTHER_LANTUO)
    with pytest.raises(UserError) as refused:
        merge_organisations(actor=system_user(), survivor=lantuo, merged=namesake)
    assert refused.value.code == "merge_two_usccs"
    assert not OrganisationMerge.objects.exists()


def test_a_merge_that_would_make_two_projects_one_changes_nothing(ledger):
    lantuo, written, _ = ledger["orgs"]
    e1, _ = ledger["events"]
    # Both names listed the same project in one event: after a merge they would collide.
    make_project(event=e1, investor=written, name="碳纤维复合材料项目", value="500000000")
    with pytest.raises(UserError) as refused:
        merge_organisations(actor=system_user(), survivor=lantuo, merged=written)
    assert refused.value.code == "merge_project_clash"
    assert _investors(ledger, "p2") == {"p2": written.pk}
    assert Organisation.objects.get(pk=written.pk).merged_into is None


def test_a_viewer_cannot_merge(ledger, django_user_model):
    from investpromo.core.errors import PermissionDenied

    lantuo, written, _ = ledger["orgs"]
    viewer = django_user_model.objects.create_user("viewer", password="x")
    with pytest.raises(PermissionDenied):
        merge_organisations(actor=viewer, survivor=lantuo, merged=written)


@pytest.mark.parametrize("preload", [True, False])
def test_after_a_merge_imports_find_the_survivor(ledger, preload, settings, monkeypatch):
    from investpromo.core.text import normalize_key
    from investpromo.orgs import services as org_services
    from investpromo.orgs.services import InvestorBook, find_or_create_investor

    lantuo, written, _ = ledger["orgs"]
    merge_organisations(actor=system_user(), survivor=lantuo, merged=written)
    found, created = find_or_create_investor(actor=system_user(), name=written.name)
    assert (found, created) == (lantuo, False)
    monkeypatch.setattr(org_services, "PRELOAD_ORGANISATIONS", 100 if preload else 0)
    book = InvestorBook(expected_rows=0)
    key = normalize_key(written.name)
    book.load([(None, key)])
    investor = book.find(uscc=None, key=key)
    assert (investor.pk, investor.normalized_name) == (lantuo.pk, lantuo.normalized_name)
