"""Reading an event's participants into the engine, and recommendations out for CLI, web and API.

One function, `participant_recommendations`, serves the command, the API and the portal: the
results of the event's latest finished run when there is one (computed by the worker), else the
engine's answer for that one participant, computed now.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from investpromo.core.errors import NotFound, UserError
from investpromo.matchmaking.engine import Profile, Reason, Weights, recommend
from investpromo.matchmaking.models import MatchWeights, Recommendation, RecommendationRun
from investpromo.matchmaking.reasons import Names, reason_text

# Registrations the organiser approved take part; pending, rejected and merged ones do not.
RECOMMENDED_STATUSES = ("approved",)
# Pairs never recommended (either way): they met, will meet, are asked, or one declined.
EXCLUDING_STATES = ("requested", "accepted", "scheduled", "held", "declined")


def event_weights(event) -> Weights:
    """The event's weights, or the engine's defaults."""
    stored = MatchWeights.objects.filter(event=event).first()
    return stored.as_weights() if stored is not None else Weights()


def _region_parents() -> dict[str, str | None]:
    from investpromo.geo.models import Region

    return dict(Region.objects.values_list("code", "parent_id"))


def _path(code: str | None, parents: dict[str, str | None]) -> tuple[str, ...]:
    path = []
    while code:
        path.append(code)
        code = parents.get(code)
    return tuple(path)


def _pairs(field, participants) -> dict[int, set]:
    """participant id -> the ids a many-to-many field of Participant links it to."""
    through = field.remote_field.through
    own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
    linked: dict[int, set] = {}
    rows = through.objects.filter(**{f"{own}__in": participants}).values_list(
        f"{own}_id", f"{other}_id"
    )
    for participant_id, target in rows.iterator(chunk_size=5000):
        linked.setdefault(participant_id, set()).add(target)
    return linked


def _to_cny(amount: Decimal | None, currency: str, event, rates: dict) -> float | None:
    if amount is None:
        return None
    currency = (currency or "CNY").upper()
    if currency == "CNY":
        return float(amount)
    if currency not in rates:
        from investpromo.projects.rates import rate_on

        rate = rate_on(currency, event.start_date)
        rates[currency] = rate.cny_per_unit if rate is not None else None
    # Without a rate the range says nothing comparable: treated as not given.
    return float(amount * rates[currency]) if rates[currency] is not None else None


def event_profiles(event) -> list[Profile]:
    """The event's approved participants as the engine's profiles (a fixed number of queries)."""
    from investpromo.participants.models import Participant

    participants = Participant.objects.filter(event=event, status__in=RECOMMENDED_STATUSES)
    meta = Participant._meta
    sei = _pairs(meta.get_field("sei_industries"), participants)
    classes = _pairs(meta.get_field("industry_classes"), participants)
    interests = _pairs(meta.get_field("regions_of_interest"), participants)
    parents = _region_parents()
    rows = participants.order_by("id").values_list(
        "id",
        "name",
        "side",
        "offers",
        "seeks",
        "region_id",
        "investment_min",
        "investment_max",
        "investment_currency",
        "cooperation_modes",
    )
    profiles = []
    rates: dict = {}  # currency -> CNY per unit on the event's first day (one query each)
    for pid, name, side, offers, seeks, region, low, high, currency, modes in rows.iterator(
        chunk_size=2000
    ):
        profiles.append(
            Profile(
                id=pid,
                name=name,
                host=side == Participant.Side.HOST,
                offers=offers,
                seeks=seeks,
                sei=frozenset(sei.get(pid, ())),
                industry_classes=frozenset(classes.get(pid, ())),
                region_path=_path(region, parents),
                regions_of_interest=frozenset(interests.get(pid, ())),
                size_min=_to_cny(low, currency, event, rates),
                size_max=_to_cny(high, currency, event, rates),
                cooperation_modes=frozenset(modes or ()),
            )
        )
    return profiles


def event_exclusions(event) -> list[tuple[int, int]]:
    """Pairs of the event that met, will meet, were asked or declined (engine's `exclude`)."""
    from investpromo.participants.models import MeetingRequest

    return list(
        MeetingRequest.objects.filter(event=event, state__in=EXCLUDING_STATES).values_list(
            "requester_id", "recipient_id"
        )
    )


def _excluded_counterparts(participant) -> set[int]:
    from investpromo.participants.models import MeetingRequest

    pairs = MeetingRequest.objects.filter(
        Q(requester=participant) | Q(recipient=participant), state__in=EXCLUDING_STATES
    ).values_list("requester_id", "recipient_id")
    return {other for pair in pairs for other in pair} - {participant.pk}


def find_participant(event, text: str):
    """The participant named by its id or by its (registered or organisation's) name."""
    from investpromo.participants.models import Participant

    text = (text or "").strip()
    live = Participant.objects.filter(event=event).exclude(status__in=["rejected", "merged"])
    if text.isdigit():
        found = live.filter(pk=int(text)).first()
        if found is not None:
            return found
    matches = list(live.filter(Q(name=text) | Q(organisation__name=text))[:2])
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UserError(
            f"{len(matches)} participants of {event.slug} are named {text!r}: give the id",
            field="participant",
        )
    raise NotFound(f"no participant {text!r} at event {event.slug}", field="participant")


@dataclass
class Shown:
    """A recommendation ready to show: counterpart, score, parts and reasons in words."""

    participant: int
    name: str
    score: float
    parts: dict[str, float]
    reasons: list[dict]

    def as_json(self, *, parts: bool = False) -> dict:
        data = {
            "participant": self.participant,
            "name": self.name,
            "score": self.score,
            "reasons": self.reasons,
        }
        if parts:
            data["parts"] = self.parts
        return data


def latest_run(event) -> RecommendationRun | None:
    """The event's latest run that finished (its results are what everyone is shown)."""
    return (
        RecommendationRun.objects.filter(event=event, state=RecommendationRun.State.DONE)
        .order_by("-finished_at", "-id")
        .first()
    )


def latest_run_any_state(event) -> RecommendationRun | None:
    """The event's latest run, finished or not (its progress is what the organiser watches).

    A run whose worker stopped is shown as failed (interrupted) without writing: a read never
    changes anything; the next run's start records it.
    """
    from django.utils import timezone

    from investpromo.matchmaking.services import RUN_SILENCE

    run = RecommendationRun.objects.filter(event=event).order_by("-created_at", "-id").first()
    silent = run is not None and run.updated_at < timezone.now() - RUN_SILENCE
    if silent and run.state == RecommendationRun.State.RUNNING:
        run.state, run.error_code, run.error_params = (
            RecommendationRun.State.FAILED,
            "interrupted",
            {},
        )
    return run


def participant_recommendations(participant, *, limit: int = 10, fresh: bool = False):
    """The participant's recommended counterparts, best first, with reasons in words.

    From the event's latest finished run, unless `fresh`, there is none, or it holds nothing
    for this participant (approved since, or nothing fitted then): then computed now.
    """
    from investpromo.participants.models import Participant

    names = Names()
    run = None if fresh else latest_run(participant.event)
    stored = []
    if run is not None:
        stored = list(
            Recommendation.objects.filter(run=run, participant=participant)
            .order_by("rank")
            .values_list("counterpart_id", "counterpart__status", "score", "parts", "reasons")
        )
    if stored:
        # Since the run, a counterpart may have been rejected or merged, or a request made or
        # declined: such pairs are left out, as a new run would leave them out.
        excluded = _excluded_counterparts(participant)
        rows = [
            (counterpart, score, parts, [Reason(r["code"], r["params"]) for r in reasons])
            for counterpart, status, score, parts, reasons in stored
            if status in RECOMMENDED_STATUSES and counterpart not in excluded
        ][:limit]
    else:
        # No run yet, or none that knew this participant (approved since): computed now.
        profiles = event_profiles(participant.event)
        if participant.pk not in {profile.id for profile in profiles}:
            return []
        matches = recommend(
            profiles,
            weights=event_weights(participant.event),
            exclude=event_exclusions(participant.event),
            limit=limit,
            only=[participant.pk],
        )[participant.pk]
        rows = [(m.counterpart, m.score, m.parts, m.reasons) for m in matches]
    names.preload_regions(
        reason.params[key]
        for row in rows
        for reason in row[3]
        for key in ("region", "counterpart_region")
        if key in reason.params
    )
    counterpart_names = dict(
        Participant.objects.filter(pk__in=[row[0] for row in rows]).values_list("id", "name")
    )
    return [
        Shown(
            participant=counterpart,
            name=counterpart_names.get(counterpart, ""),
            score=score,
            parts=parts,
            reasons=[
                {"code": reason.code, "text": reason_text(reason.code, reason.params, names)}
                for reason in reasons
            ],
        )
        for counterpart, score, parts, reasons in rows
    ]
