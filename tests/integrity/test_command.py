"""`investpromo integrity scan`: the JSON shape of the issue, --apply, the text form."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from investpromo.core.models import ChangeLog
from investpromo.integrity.models import ProjectLink


def _scan(*args, err=None) -> str:
    out = StringIO()
    call_command("integrity", "scan", *args, stdout=out, stderr=err or StringIO())
    return out.getvalue()


def _apply() -> tuple[dict, str]:
    err = StringIO()
    data = json.loads(_scan("--apply", "--format", "json", err=err))
    return data, err.getvalue().strip()


def test_json_has_exactly_the_shape_of_the_issue(ledger):
    data = json.loads(_scan("--format", "json"))
    assert list(data) == ["pairs"]
    pair = next(p for p in data["pairs"] if p["later"]["id"] == ledger["p2"].pk)
    assert list(pair) == ["earlier", "later", "kind", "score", "decision", "evidence"]
    assert pair["earlier"] == {
        "id": ledger["p1"].pk,
        "event": "fair-2023",
        "name": "年产10万吨石墨负极材料项目",
        "investor": "深圳市澜拓新材料科技有限公司",
        "value_cny": "500000000.00",
    }
    assert pair["later"]["investor"] == "澜拓新材料科技(深圳)有限公司"
    assert (pair["kind"], pair["decision"]) == ("re_signing", "same")
    assert isinstance(pair["score"], float) and 0 < pair["score"] <= 1
    assert pair["evidence"][0] == "投资方：名称规范化后一致（澜拓新材料科技）"
    english = json.loads(_scan("--format", "json", "--lang", "en"))["pairs"]
    assert [p["evidence"][0] for p in english if p["later"]["id"] == ledger["p2"].pk] == [
        "investor: names agree after normalisation (澜拓新材料科技)"
    ]
    kinds = {p["kind"] for p in data["pairs"]}
    assert kinds == {"re_signing", "upgrade", "capital_increase", "double_report", "later_phase"}
    assert {p["decision"] for p in data["pairs"]} <= {"same", "review", "different"}


def test_apply_links_same_pairs_queues_reviews_and_is_idempotent(ledger):
    from tests.factories import make_org, make_project

    from .conftest import USCC_OTHER_LANTUO

    _, e2 = ledger["events"]
    # Another enterprise of the same core name: the name-only investor's pairs need a person.
    namesake = make_org("澜拓新材料科技（宁波）有限公司", home="330200", uscc=USCC_OTHER_LANTUO)
    make_project(event=e2, investor=namesake, name="石墨负极材料项目", value="500000000")
    data, summary = _apply()
    assert list(data) == ["pairs"]
    # Linked: the upgrade, the capital increase and p4 as p1's later phase; queued: p1–p2,
    # p9–p10 and p2–namesake.
    assert summary == "linked 3, queued 3, already linked 0"
    statuses = dict(ProjectLink.objects.values_list("kind", "status").filter(later=ledger["p6"]))
    assert statuses == {"upgrade": "confirmed"}
    assert ProjectLink.objects.filter(status="pending").count() == 3
    later_phase = ProjectLink.objects.get(kind="later_phase")
    assert (later_phase.earlier_id, later_phase.later_id) == (ledger["p1"].pk, ledger["p4"].pk)
    confirmed = ProjectLink.objects.filter(status="confirmed").first()
    assert confirmed.decided_via == "scan" and confirmed.decided_by.username
    assert confirmed.evidence and confirmed.score is not None
    assert ChangeLog.objects.filter(content_type__model="projectlink").count() == 6
    assert _apply()[1] == "linked 0, queued 0, already linked 6"
    assert ProjectLink.objects.count() == 6


def test_text_lists_pairs_with_evidence_and_a_summary(ledger):
    text = _scan("--format", "text")
    first = text.splitlines()[0].split("\t")
    assert first[:2] == ["same", "double_report"]
    assert first[3].startswith(f"#{ledger['p9'].pk} fair-2023 工业机器人项目")
    # Worded in the active language (the suite's is Chinese).
    assert "\t投资方：名称规范化后一致（澜拓新材料科技）\n" in text
    assert text.rstrip().endswith("6 pairs: 4 same, 0 to review")


def test_a_mistyped_event_is_one_line(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no event 'nope'"):
        _scan("--event", "nope")


def test_suggest_merge_and_unmerge_from_the_command_line(ledger):
    from investpromo.projects.models import Project
    from tests.factories import make_org

    lantuo, written, _ = ledger["orgs"]
    make_org("澜拓新材")  # the short name, listed once (home: Shenzhen)
    make_org("澜拓新材料科技（宁波）有限公司", home="330200")  # same core, other province
    out = StringIO()
    call_command("integrity", "suggest", "--format", "json", stdout=out)
    found = {
        tuple(o["name"] for o in s["organisations"]): s["decision"]
        for s in json.loads(out.getvalue())["suggestions"]
    }
    assert found == {
        ("深圳市澜拓新材料科技有限公司", "澜拓新材料科技(深圳)有限公司"): "same",
        ("深圳市澜拓新材料科技有限公司", "澜拓新材"): "review",
        ("深圳市澜拓新材料科技有限公司", "澜拓新材料科技(宁波)有限公司"): "review",
        ("澜拓新材料科技(深圳)有限公司", "澜拓新材"): "review",
        ("澜拓新材料科技(深圳)有限公司", "澜拓新材料科技(宁波)有限公司"): "review",
        # 澜拓新材 is at home in Shenzhen (make_org's default): no abbreviation of a Ningbo firm.
    }
    out = StringIO()
    call_command("integrity", "merge", str(lantuo.pk), str(written.pk), stdout=out)
    assert out.getvalue().startswith("Merge ")
    assert Project.objects.get(pk=ledger["p2"].pk).investor_id == lantuo.pk
    merge_id = out.getvalue().split()[1].rstrip(":")
    call_command("integrity", "unmerge", merge_id, stdout=StringIO())
    assert Project.objects.get(pk=ledger["p2"].pk).investor_id == written.pk
