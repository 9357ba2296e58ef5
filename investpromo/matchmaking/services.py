"""The only writers of matchmaking: an event's weights, its runs and their stored results."""

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from investpromo.core import bulk
from investpromo.core.audit import record_change, snapshot
from investpromo.core.errors import UserError
from investpromo.core.models import ChangeLog
from investpromo.matchmaking.engine import Match
from investpromo.matchmaking.models import (
    WEIGHT_FIELDS,
    MatchWeights,
    Recommendation,
    RecommendationRun,
)
from investpromo.participants.access import ensure_can_manage_event

logger = logging.getLogger(__name__)

# Per participant, at most this many counterparts are kept by a run.
MAX_LIMIT = 100
# A running run reports progress after every block of participants (seconds apart); one silent
# this long lost its worker (a crash, a reboot) and will never finish.
RUN_SILENCE = dt.timedelta(minutes=15)


def ensure_can_manage_matchmaking(actor, event) -> None:
    """Administrators and the event's organisers set weights and run recommendations."""
    # The participants app's one rule for managing an event (portal links are refused).
    ensure_can_manage_event(actor, event)


def _check_weights(values: dict) -> None:
    for name, value in values.items():
        if name == "host_pairs":
            if not isinstance(value, bool):
                raise UserError(_("%(name)s must be true or false.") % {"name": name}, field=name)
            continue
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise UserError(
                _("%(name)s must be a number of 0 or more.") % {"name": name}, field=name
            )
    similarity = values.get("min_text_similarity")
    if similarity is not None and similarity > 1:
        raise UserError(
            _("min_text_similarity must be between 0 and 1."), field="min_text_similarity"
        )


@transaction.atomic
def set_match_weights(*, actor, event, via: str = "", **values) -> MatchWeights:
    """Change some of an event's matchmaking weights (the others keep their values)."""
    ensure_can_manage_matchmaking(actor, event)
    unknown = set(values) - set(WEIGHT_FIELDS)
    if unknown:
        raise UserError(
            _("Unknown weight(s): %(names)s") % {"names": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    _check_weights(values)
    weights = MatchWeights.objects.select_for_update().filter(event=event).first()
    if weights is None:
        weights = MatchWeights(event=event, **values)
        weights.save(force_insert=True)
        record_change(
            actor=actor,
            instance=weights,
            action="create",
            before=None,
            after=snapshot(weights),
            source=via,
        )
        return weights
    before = snapshot(weights)
    for name, value in values.items():
        setattr(weights, name, value)
    weights.save()
    record_change(
        actor=actor,
        instance=weights,
        action="update",
        before=before,
        after=snapshot(weights),
        source=via,
    )
    return weights


def start_recommendation_run(*, actor, event, limit: int = 10, via: str = "") -> RecommendationRun:
    """Queue the computation of all of an event's recommendations for the worker."""
    from investpromo.matchmaking.selectors import event_weights
    from investpromo.matchmaking.tasks import compute_recommendations

    ensure_can_manage_matchmaking(actor, event)
    if not 1 <= limit <= MAX_LIMIT:
        raise UserError(
            _("Keep between 1 and %(most)s counterparts per participant.") % {"most": MAX_LIMIT},
            field="limit",
        )
    with transaction.atomic():
        fail_silent_runs(event=event)
        busy = RecommendationRun.objects.select_for_update().filter(
            event=event, state__in=[RecommendationRun.State.QUEUED, RecommendationRun.State.RUNNING]
        )
        if busy.exists():
            raise UserError(
                _("Recommendations for %(event)s are being computed already.")
                % {"event": event.slug},
                code="run_busy",
            )
        weights = event_weights(event)
        run = RecommendationRun(
            event=event,
            user=actor,
            limit=limit,
            weights={name: getattr(weights, name) for name in WEIGHT_FIELDS},
        )
        run.save(force_insert=True)
        record_change(
            actor=actor,
            instance=run,
            action="create",
            before=None,
            after=snapshot(run),
            source=via,
        )
        # In the same transaction: the task exists exactly when the run does.
        compute_recommendations.enqueue(run.pk)
    run.refresh_from_db()
    return run


def fail_silent_runs(*, event) -> int:
    """Mark the event's runs whose worker stopped as failed (interrupted); how many."""
    silent = RecommendationRun.objects.filter(
        event=event,
        state=RecommendationRun.State.RUNNING,
        updated_at__lt=timezone.now() - RUN_SILENCE,
    )
    return silent.update(
        state=RecommendationRun.State.FAILED,
        error_code="interrupted",
        error_params={},
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def claim_run(*, run_id: int) -> RecommendationRun | None:
    """Mark a queued run running; None if another worker took it or it is gone."""
    now = timezone.now()
    claimed = RecommendationRun.objects.filter(
        pk=run_id, state=RecommendationRun.State.QUEUED
    ).update(state=RecommendationRun.State.RUNNING, started_at=now, updated_at=now)
    if not claimed:
        return None
    return RecommendationRun.objects.select_related("event", "user").get(pk=run_id)


def record_run_progress(*, run_id: int, done: int, total: int) -> None:
    """Participants done out of all (the run's sign of life)."""
    RecommendationRun.objects.filter(pk=run_id, state=RecommendationRun.State.RUNNING).update(
        participants_done=done, participants_total=total, updated_at=timezone.now()
    )


@transaction.atomic
def store_run_results(
    *, run: RecommendationRun, results: dict[int, list[Match]], seconds: float
) -> int:
    """Keep a finished run's recommendations; earlier runs' results of the event go."""
    rows = [
        # bulk.build: a run stores up to 100 rows per participant; Model() costs 25 µs each.
        bulk.build(
            Recommendation,
            {
                "run_id": run.pk,
                "participant_id": participant,
                "counterpart_id": match.counterpart,
                "rank": rank,
                "score": match.score,
                "parts": match.parts,
                "reasons": [{"code": r.code, "params": r.params} for r in match.reasons],
            },
        )
        for participant, matches in results.items()
        for rank, match in enumerate(matches, start=1)
    ]
    # Only the latest results are shown; older ones would only fill the database.
    Recommendation.objects.filter(run__event=run.event).exclude(run=run).delete()
    bulk.insert(Recommendation, rows, with_ids=False)
    before = snapshot(run)
    RecommendationRun.objects.filter(pk=run.pk).update(
        state=RecommendationRun.State.DONE,
        participants_done=len(results),
        participants_total=len(results),
        recommendations=len(rows),
        seconds=round(seconds, 3),
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    run.refresh_from_db()
    record_change(
        actor=run.user,
        instance=run,
        action=ChangeLog.Action.UPDATE,
        before=before,
        after=snapshot(run),
        source="worker",
    )
    return len(rows)


def fail_run(*, run_id: int, code: str, params: dict | None = None) -> None:
    """Record why a run failed; the event's earlier results stay shown."""
    RecommendationRun.objects.filter(
        pk=run_id, state__in=[RecommendationRun.State.QUEUED, RecommendationRun.State.RUNNING]
    ).update(
        state=RecommendationRun.State.FAILED,
        error_code=code,
        error_params=params or {},
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
