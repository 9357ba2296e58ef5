"""The bulk find-or-create of investors follows find_or_create_investor's rule."""

import pytest

from investpromo.core.audit import record_change, system_user
from investpromo.core.errors import UserError
from investpromo.orgs.models import Organisation
from investpromo.orgs.services import InvestorBook, find_or_create_investor
from tests.factories import make_event, make_org
from tests.imports.files import USCC_A, USCC_B

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("all_at_once", [True, False], ids=["all-at-once", "by-batch"])
def test_found_as_find_or_create_investor_finds_them(monkeypatch, all_at_once):
    if not all_at_once:
        monkeypatch.setattr(InvestorBook, "_load_all", lambda self: False)
    by_uscc = make_org("甲实业有限公司", uscc=USCC_A)
    oldest = make_org("乙公司")
    Organisation.objects.create(name="乙公司", normalized_name=oldest.normalized_name)
    book = InvestorBook()
    wanted = [(USCC_A, "别的名字"), (None, "乙公司"), (None, "丙公司"), (USCC_B, "丁公司")]
    book.load(wanted)
    for uscc, key in wanted:
        found = book.find(uscc=uscc, key=key)
        expected, _ = find_or_create_investor(actor=system_user(), name=key, uscc=uscc)
        if found is None:  # find_or_create_investor has just created it
            assert expected.pk > oldest.pk
        else:
            assert found.pk == expected.pk
    assert book.find(uscc=USCC_A, key="x").pk == by_uscc.pk
    assert book.find(uscc=None, key="乙公司").pk == oldest.pk


def test_new_investors_are_held_until_created_with_the_imports_log():
    book = InvestorBook()
    book.load([(None, "新公司")])
    new = book.add(name=" 新公司 ", uscc=USCC_B, home_region_id="440300")
    assert new.pk is None and book.find(uscc=None, key="新公司") is new
    assert not Organisation.objects.filter(name="新公司").exists()
    with pytest.raises(UserError, match="an investor name may have at most 200 characters"):
        book.add(name="长" * 201, uscc=None, home_region_id=None)
    log = record_change(
        actor=system_user(), instance=make_event(), action="import", before=None, after={}
    )
    book.create_new(actor=system_user(), created_by_import=log)
    created = Organisation.objects.get(name="新公司")
    assert (new.pk, created.uscc, created.created_by_import_id) == (created.pk, USCC_B, log.pk)
    assert created.normalized_name == "新公司" and created.home_region_id == "440300"
