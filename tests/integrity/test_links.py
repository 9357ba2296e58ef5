"""Links decided by people, and the count-once figures the confirmed links give."""

from decimal import Decimal

import pytest

from investpromo.core.audit import history_for, system_user
from investpromo.core.errors import PermissionDenied, UserError
from investpromo.integrity.models import ProjectLink
from investpromo.integrity.selectors import count_once, review_queue
from investpromo.integrity.services import create_link, decide_link


def _link(ledger, earlier, later, kind, status="confirmed"):
    return create_link(
        actor=system_user(), earlier=ledger[earlier], later=ledger[later], kind=kind, status=status
    )


def test_review_confirms_rejects_or_changes_the_kind(ledger):
    link = _link(ledger, "p1", "p2", "re_signing", status="pending")
    assert list(review_queue()) == [link]
    decided = decide_link(actor=system_user(), link=link, status="confirmed", kind="upgrade")
    assert (decided.status, decided.kind, decided.decided_via) == ("confirmed", "upgrade", "review")
    assert decided.decided_by == system_user()
    assert list(review_queue()) == []
    update = history_for(link).get(action="update")
    assert (update.before["status"], update.after["status"]) == ("pending", "confirmed")
    with pytest.raises(UserError):
        decide_link(actor=system_user(), link=link, status="pending")
    with pytest.raises(UserError):
        decide_link(actor=system_user(), link=link, status="rejected", kind="merger")


def test_a_record_is_linked_once_and_never_to_itself(ledger):
    _link(ledger, "p1", "p2", "re_signing")
    with pytest.raises(UserError) as twice:
        _link(ledger, "p1", "p2", "re_signing")
    assert twice.value.code == "link_exists"
    with pytest.raises(UserError) as itself:
        _link(ledger, "p1", "p1", "re_signing")
    assert itself.value.code == "link_self"


def test_only_officers_of_both_regions_decide(ledger, django_user_model):
    link = _link(ledger, "p1", "p2", "re_signing", status="pending")
    viewer = django_user_model.objects.create_user("viewer", password="x")
    with pytest.raises(PermissionDenied):
        decide_link(actor=viewer, link=link, status="confirmed")
    assert ProjectLink.objects.get(pk=link.pk).status == "pending"


def test_count_once_counts_a_project_at_its_first_record_and_only_what_a_later_one_adds(ledger):
    e1, e2 = ledger["events"]
    _link(ledger, "p1", "p2", "re_signing")  # 5亿 again: adds nothing
    _link(ledger, "p5", "p6", "upgrade")  # 3亿 intent → 4亿 contract: adds 1亿
    _link(ledger, "p12", "p11", "capital_increase")  # 1亿 → 2.5亿: adds 1.5亿
    _link(ledger, "p9", "p10", "double_report")  # one signing listed twice in 2023
    _link(ledger, "p1", "p4", "later_phase")  # another project: counts in full
    _link(ledger, "p3", "p7", "re_signing", status="rejected")  # a person said no
    _link(ledger, "p3", "p6", "re_signing", status="pending")  # not decided: not applied

    first = count_once(event=e1)
    # 2023: p1, p3, p5, p9, p12 count; p10 repeats p9.
    assert first["projects"] == 5
    assert first["value_cny"] == Decimal("1600000000")  # 5 + 5 + 3 + 2 + 1 亿
    assert first["excluded"] == [
        {
            "project": ledger["p10"].pk,
            "link": "double_report",
            "earlier": ledger["p9"].pk,
            "value_not_counted_cny": Decimal("200000000"),
        }
    ]
    second = count_once(event=e2)
    # 2024: p4 (later phase) and p7 count as new; p2, p6, p11 are earlier projects again.
    assert second["projects"] == 2
    assert second["value_cny"] == Decimal("500000000") * 2 + Decimal("100000000") + Decimal(
        "150000000"
    )
    assert {row["project"]: row["value_not_counted_cny"] for row in second["excluded"]} == {
        ledger["p2"].pk: Decimal("500000000"),
        ledger["p6"].pk: Decimal("300000000"),
        ledger["p11"].pk: Decimal("100000000"),
    }
    assert {row["link"] for row in second["excluded"]} == {
        "re_signing",
        "upgrade",
        "capital_increase",
    }


def test_count_once_without_links_is_the_gross_figure(ledger):
    _, e2 = ledger["events"]
    figures = count_once(event=e2)
    assert figures["projects"] == 5
    assert figures["value_cny"] == Decimal("2150000000")
    assert figures["excluded"] == []
