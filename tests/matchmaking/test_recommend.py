"""Recommendations from an event's stored participants: selector, run (job), command, rules."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation

from investpromo.accounts.models import Profile as AccountProfile
from investpromo.core.audit import system_user
from investpromo.core.errors import PermissionDenied, UserError
from investpromo.core.models import ChangeLog
from investpromo.matchmaking.models import MatchWeights, Recommendation, RecommendationRun
from investpromo.matchmaking.selectors import (
    event_profiles,
    find_participant,
    participant_recommendations,
)
from investpromo.matchmaking.services import set_match_weights, start_recommendation_run
from investpromo.participants.models import EventOrganiser, MeetingRequest, Participant

pytestmark = pytest.mark.django_db


def _recommend(*args):
    out = StringIO()
    call_command("recommend", *args, stdout=out)
    return out.getvalue()


def test_profiles_are_read_in_a_fixed_number_of_queries(event, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        profiles = event_profiles(event)
    by_id = {profile.id: profile for profile in profiles}
    assert event.pending.pk not in by_id  # only approved registrations take part
    park = by_id[event.park.pk]
    assert park.host and park.region_path == ("230109", "230100", "230000")
    assert park.industry_classes == {"3089"} and park.sei == {3}
    assert by_id[event.seeker.pk].regions_of_interest == {"230100"}
    assert by_id[event.seeker.pk].size_min == 10000.0
    assert by_id[event.seeker.pk].cooperation_modes == {"sole", "joint_venture"}


def test_the_graphene_seeker_and_the_park_rank_each_other_first_with_the_reason(event):
    with translation.override("zh-hans"):
        for_seeker = participant_recommendations(event.seeker)
        for_park = participant_recommendations(event.park)
    assert for_seeker[0].participant == event.park.pk
    assert for_park[0].participant == event.seeker.pk
    texts = [reason["text"] for reason in for_seeker[0].reasons]
    assert "提供您所寻求的：石墨烯" in texts
    assert "位于您的意向地区哈尔滨市（松北区）" in texts


def test_the_command_prints_the_documented_json(event):
    output = _recommend(
        "--event", "harbin-2026", "--participant", "深圳示例导热材料有限公司", "--format", "json"
    )
    data = json.loads(output)
    assert data[0]["participant"] == event.park.pk
    assert data[0]["name"] == "哈尔滨示例新材料产业园"
    assert isinstance(data[0]["score"], float)
    assert set(data[0]) == {"participant", "name", "score", "reasons"}
    assert {"code": "counterpart_offers_what_you_seek", "text": "提供您所寻求的：石墨烯"} in data[
        0
    ]["reasons"]
    # By id, in English, limited.
    english = json.loads(
        _recommend(
            "--event",
            "harbin-2026",
            "--participant",
            str(event.seeker.pk),
            "--limit",
            "1",
            "--format",
            "json",
            "--lang",
            "en",
        )
    )
    assert len(english) == 1
    assert {"code": "counterpart_offers_what_you_seek", "text": "Offers what you seek: 石墨烯"} in (
        english[0]["reasons"]
    )


def test_the_text_format_shows_reasons_and_the_parts_of_the_score(event):
    output = _recommend(
        "--event", "harbin-2026", "--participant", str(event.park.pk), "--lang", "en"
    )
    lines = output.splitlines()
    assert lines[0] == f"哈尔滨示例新材料产业园 (#{event.park.pk})"
    assert lines[1].startswith(f"  1. 深圳示例导热材料有限公司 (#{event.seeker.pk})")
    assert "       - Seeks what you offer: 石墨烯" in lines
    assert any(
        line.startswith("       = ") and "host meets visitor +1.00" in line for line in lines
    )


def test_an_unknown_or_ambiguous_participant_is_a_user_error(event):
    with pytest.raises(UserError, match="no participant"):
        find_participant(event, "没有这个单位")
    with pytest.raises(UserError, match="no participant"):
        find_participant(event, "999999")


@pytest.mark.parametrize("state", ["declined", "held"])
def test_pairs_that_declined_or_met_are_not_recommended(event, state):
    MeetingRequest.objects.create(
        event=event,
        requester=event.park,
        recipient=event.seeker,
        state=state,
        decline_reason="not_relevant" if state == "declined" else "",
    )
    seeker_sees = [item.participant for item in participant_recommendations(event.seeker)]
    park_sees = [item.participant for item in participant_recommendations(event.park)]
    assert event.park.pk not in seeker_sees and event.seeker.pk not in park_sees
    assert seeker_sees  # the others still are


def test_a_run_stores_every_participants_recommendations_and_the_command_reads_them(event):
    run = start_recommendation_run(actor=system_user(), event=event, limit=3)
    run.refresh_from_db()
    assert run.state == RecommendationRun.State.DONE, run.error_params
    assert run.participants_total == 5 and run.recommendations == Recommendation.objects.count()
    first = Recommendation.objects.get(run=run, participant=event.seeker, rank=1)
    assert first.counterpart_id == event.park.pk
    assert first.parts["seeks_offers"] > 0 and first.score == pytest.approx(
        sum(first.parts.values()), abs=1e-3
    )
    assert {
        "code": "counterpart_offers_what_you_seek",
        "params": {"phrase": "石墨烯"},
    } in first.reasons
    assert ChangeLog.objects.filter(object_id=str(run.pk), action="update").exists()

    # The stored results are what is shown, until a new run replaces them ...
    Participant.objects.filter(pk=event.park.pk).update(offers="冰雪旅游")
    stored = participant_recommendations(event.seeker)[0]
    assert (stored.participant, stored.score) == (event.park.pk, first.score)
    assert participant_recommendations(event.seeker, fresh=True)[0].score < first.score
    # ... but a pair declined since the run is left out at once.
    MeetingRequest.objects.create(
        event=event,
        requester=event.seeker,
        recipient=event.park,
        state="declined",
        decline_reason="no_time",
    )
    assert event.park.pk not in [i.participant for i in participant_recommendations(event.seeker)]
    second = start_recommendation_run(actor=system_user(), event=event, limit=3)
    assert Recommendation.objects.filter(run=run).count() == 0  # older results go
    assert Recommendation.objects.filter(run=second).exists()


def test_weights_set_per_event_change_the_ranking(event):
    before = [item.participant for item in participant_recommendations(event.battery, fresh=True)]
    assert before[0] == event.seeker.pk  # same class 3985, both SEI 3
    set_match_weights(
        actor=system_user(),
        event=event,
        same_class=0.0,
        same_group=0.0,
        same_division=0.0,
        shared_sei=0.0,
        text=8.0,
    )
    after = [item.participant for item in participant_recommendations(event.battery, fresh=True)]
    assert after[0] == event.park.pk  # it offers 用地 and graphene-related land
    weights = MatchWeights.objects.get(event=event)
    assert weights.text == 8.0
    assert ChangeLog.objects.filter(object_id=str(weights.pk), action="create").exists()
    with pytest.raises(UserError):
        set_match_weights(actor=system_user(), event=event, text=-1)
    with pytest.raises(UserError):
        set_match_weights(actor=system_user(), event=event, bogus=1.0)


def test_only_administrators_and_the_events_organisers_run_recommendations(event):
    user = get_user_model().objects.create_user("organiser-1", password="x")
    AccountProfile.objects.update_or_create(user=user, defaults={"role": "officer"})
    with pytest.raises(PermissionDenied):
        start_recommendation_run(actor=user, event=event)
    EventOrganiser.objects.create(event=event, user=user)
    run = start_recommendation_run(actor=user, event=event)
    assert run.user == user


def test_a_run_whose_worker_stopped_is_shown_failed_and_does_not_block_the_next(event):
    import datetime as dt

    from django.utils import timezone

    from investpromo.matchmaking.selectors import latest_run_any_state

    stuck = RecommendationRun.objects.create(
        event=event, user=system_user(), state=RecommendationRun.State.RUNNING
    )
    with pytest.raises(UserError) as busy:
        start_recommendation_run(actor=system_user(), event=event)
    assert busy.value.code == "run_busy"
    RecommendationRun.objects.filter(pk=stuck.pk).update(
        updated_at=timezone.now() - dt.timedelta(hours=1)
    )
    shown = latest_run_any_state(event)
    assert (shown.pk, shown.state, shown.error_code) == (stuck.pk, "failed", "interrupted")
    assert start_recommendation_run(actor=system_user(), event=event).state == "done"
    stuck.refresh_from_db()
    assert (stuck.state, stuck.error_code) == ("failed", "interrupted")


def test_weights_are_shown_and_changed_from_the_command_line(event):
    out = StringIO()
    call_command("match-weights", "--event", "harbin-2026", "text=6", "host_pairs=true", stdout=out)
    lines = out.getvalue().splitlines()
    assert "text                   6.0" in lines and "host_pairs             True" in lines
    assert MatchWeights.objects.get(event=event).text == 6.0
    with pytest.raises(CommandError):
        call_command("match-weights", "--event", "harbin-2026", "speed=1")


def test_stored_recommendations_are_shown_in_a_fixed_number_of_queries(
    event, django_assert_max_num_queries
):
    start_recommendation_run(actor=system_user(), event=event)
    # The latest run, the stored rows, the pairs excluded since, the counterparts' names, and
    # the names behind the reasons' codes (industries, regions: one query each).
    with django_assert_max_num_queries(6):
        shown = participant_recommendations(event.seeker)
    assert shown[0].participant == event.park.pk


def test_ranges_in_another_currency_count_in_cny_at_the_events_rate(event):
    from investpromo.projects.rates import set_exchange_rate

    set_exchange_rate(
        actor=system_user(), currency="USD", cny_per_unit="7.1", date=event.start_date
    )
    Participant.objects.filter(pk=event.battery.pk).update(
        investment_min=Decimal("1000"), investment_max=Decimal("2000"), investment_currency="USD"
    )
    Participant.objects.filter(pk=event.exchange.pk).update(
        investment_min=Decimal("5"), investment_currency="EUR"
    )
    by_id = {profile.id: profile for profile in event_profiles(event)}
    assert (by_id[event.battery.pk].size_min, by_id[event.battery.pk].size_max) == (7100.0, 14200.0)
    # No euro rate on that day: the range says nothing comparable.
    assert by_id[event.exchange.pk].size_min is None


def test_a_participant_approved_after_the_run_gets_recommendations_computed_now(event):
    start_recommendation_run(actor=system_user(), event=event)
    Participant.objects.filter(pk=event.pending.pk).update(status=Participant.Status.APPROVED)
    shown = participant_recommendations(event.pending)
    assert shown and shown[0].participant == event.park.pk  # it seeks 石墨烯产业园用地
