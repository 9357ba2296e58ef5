"""The scan on a constructed ledger: what it pairs, how, and what it must leave alone."""

import pytest
from django.utils import translation

from investpromo.integrity.evidence import evidence_text
from investpromo.integrity.selectors import scan_ledger


def _found(pairs, ledger):
    names = {project.pk: name for name, project in ledger.items() if name.startswith("p")}
    return {(names[p.earlier.id], names[p.later.id]): (p.kind, p.decision) for p in pairs}


def test_the_scan_finds_each_kind_and_nothing_else(ledger):
    found = _found(scan_ledger(), ledger)
    assert found == {
        ("p1", "p2"): ("re_signing", "same"),
        ("p1", "p4"): ("later_phase", "different"),
        ("p2", "p4"): ("later_phase", "different"),
        ("p5", "p6"): ("upgrade", "same"),
        ("p9", "p10"): ("double_report", "same"),
        ("p12", "p11"): ("capital_increase", "same"),
    }


def test_evidence_says_why(ledger):
    pair = next(p for p in scan_ledger() if p.later.id == ledger["p2"].pk)
    assert pair.evidence[0] == {"code": "same_name", "core": "澜拓新材料科技"}
    assert pair.evidence[1] == {
        "code": "name",
        "similarity": 1.0,
        "earlier": "年产10万吨石墨负极材料",
        "later": "年产10万吨石墨负极材料",
    }
    assert pair.evidence[2] == {"code": "nested_region"}
    assert pair.evidence[3] == {
        "code": "amount_equal",
        "earlier": "500000000.00",
        "later": "500000000.00",
    }
    with translation.override("en"):
        words = [evidence_text(item) for item in pair.evidence]
    assert words[0] == "investor: names agree after normalisation (澜拓新材料科技)"
    assert words[1] == "name: 1.00 (年产10万吨石墨负极材料 / 年产10万吨石墨负极材料)"
    assert words[3] == "amount: equal (500000000.00 → 500000000.00 CNY)"
    with translation.override("zh-hans"):
        assert evidence_text(pair.evidence[2]) == "落地地：一地在另一地之内"
    assert 0.9 <= pair.score <= 1


def test_two_usccs_are_never_one_enterprise_and_a_shared_name_is_for_review(ledger):
    from tests.factories import make_org, make_project

    from .conftest import USCC_OTHER_LANTUO

    _, e2 = ledger["events"]
    # Another enterprise (its own USCC) whose name reduces to the same core as p1's investor.
    namesake = make_org("澜拓新材料科技（宁波）有限公司", home="330200", uscc=USCC_OTHER_LANTUO)
    ledger["p8"] = make_project(
        event=e2, investor=namesake, name="石墨负极材料项目", value="500000000", dest="230100",
        signing_date=e2.start_date, agreement_type="contract",
    )  # fmt: skip
    found = _found(scan_ledger(), ledger)
    assert ("p1", "p8") not in found
    # p2's investor has no USCC and its name fits both enterprises: only a person can say.
    assert found[("p1", "p2")] == ("re_signing", "review")
    assert found[("p2", "p8")] == ("double_report", "review")


def test_an_event_scan_keeps_pairs_whose_later_record_is_there(ledger):
    first, second = ledger["events"]
    assert {(p.earlier.id, p.later.id) for p in scan_ledger(event_slug=first.slug)} == {
        (ledger["p9"].pk, ledger["p10"].pk)
    }
    assert all(p.later.event_slug == second.slug for p in scan_ledger(event_slug=second.slug))


def test_an_unknown_event_is_a_user_error(db):
    from investpromo.core.errors import NotFound

    with pytest.raises(NotFound):
        scan_ledger(event_slug="no-such-fair")
