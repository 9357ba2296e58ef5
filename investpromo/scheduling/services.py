"""Writing scheduling data: an event's slots, runs of the scheduler, and the meetings placed."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from investpromo.core.audit import (
    record_change,
    record_creations,
    record_deletion,
    record_updates,
    snapshot,
)
from investpromo.core.bulk import chunks, in_chunk_size
from investpromo.core.errors import UserError
from investpromo.participants.access import ensure_can_manage_event
from investpromo.participants.models import MeetingRequest, MeetingState
from investpromo.participants.services.meetings import record_meeting_outcome
from investpromo.scheduling.models import MeetingSlot, ScheduledMeeting, ScheduleRun

MAX_TIME_LIMIT = 600.0
# A running run that has not been heard of for this long lost its worker.
RUN_SILENCE = dt.timedelta(minutes=15)


@transaction.atomic
def add_slots(
    *,
    actor,
    event,
    start: dt.datetime,
    count: int,
    minutes: int,
    pause: int = 0,
    tables: int,
    via: str = "",
) -> list[MeetingSlot]:
    """A session of `count` slots of `minutes` from `start`, `pause` minutes apart, each with `tables`."""
    ensure_can_manage_event(actor, event)
    if count < 1 or minutes < 1 or pause < 0 or tables < 0:
        raise UserError(
            _(
                "A session needs at least one slot of at least one minute, and no negative pause or tables."
            ),
            code="slots_invalid",
        )
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    slots = []
    for n in range(count):
        begins = start + dt.timedelta(minutes=n * (minutes + pause))
        slots.append(MeetingSlot(event=event, start=begins, minutes=minutes, tables=tables))
    ends = slots[-1].start + dt.timedelta(minutes=minutes)
    for existing in MeetingSlot.objects.filter(event=event, start__lt=ends):
        if existing.start + dt.timedelta(minutes=existing.minutes) > start:
            raise UserError(
                _("The new slots overlap the slot at %(start)s.")
                % {"start": timezone.localtime(existing.start).strftime("%Y-%m-%d %H:%M")},
                code="slots_overlap",
            )
    for slot in slots:
        slot.save(force_insert=True)
    record_creations(actor=actor, instances=slots, source=via)
    return slots


def start_schedule_run(*, actor, event, time_limit: float = 30.0, via: str = "") -> ScheduleRun:
    """Queue a run of the scheduler over the event's slots and accepted requests."""
    from investpromo.scheduling.tasks import schedule_event

    ensure_can_manage_event(actor, event)
    if not 0 < time_limit <= MAX_TIME_LIMIT:
        raise UserError(
            _("The time limit is between 0 and %(most)s seconds.") % {"most": int(MAX_TIME_LIMIT)},
            code="time_limit_invalid",
        )
    with transaction.atomic():
        fail_silent_runs(event=event)
        busy = ScheduleRun.objects.select_for_update().filter(
            event=event, state__in=[ScheduleRun.State.QUEUED, ScheduleRun.State.RUNNING]
        )
        if busy.exists():
            raise UserError(
                _("The schedule of %(event)s is being made already.") % {"event": event.slug},
                code="run_busy",
            )
        if not MeetingSlot.objects.filter(event=event).exists():
            raise UserError(
                _("%(event)s has no meeting slots yet: add them first.") % {"event": event.slug},
                code="no_slots",
            )
        run = ScheduleRun(event=event, user=actor, time_limit=time_limit)
        run.save(force_insert=True)
        record_change(
            actor=actor, instance=run, action="create", before=None, after=snapshot(run), source=via
        )
        # In the same transaction: the task exists exactly when the run does.
        schedule_event.enqueue(run.pk)
    run.refresh_from_db()
    return run


def fail_silent_runs(*, event) -> int:
    """Mark the event's runs whose worker stopped as failed (interrupted); how many."""
    now = timezone.now()
    return ScheduleRun.objects.filter(
        event=event, state=ScheduleRun.State.RUNNING, updated_at__lt=now - RUN_SILENCE
    ).update(
        state=ScheduleRun.State.FAILED, error_code="interrupted", finished_at=now, updated_at=now
    )


def claim_run(*, run_id: int) -> ScheduleRun | None:
    """Mark a queued run running; None if another worker took it or it is gone."""
    now = timezone.now()
    claimed = ScheduleRun.objects.filter(pk=run_id, state=ScheduleRun.State.QUEUED).update(
        state=ScheduleRun.State.RUNNING, started_at=now, updated_at=now
    )
    if not claimed:
        return None
    return ScheduleRun.objects.select_related("event", "user").get(pk=run_id)


def fail_run(*, run_id: int, code: str, params: dict | None = None) -> None:
    now = timezone.now()
    ScheduleRun.objects.filter(pk=run_id).update(
        state=ScheduleRun.State.FAILED,
        error_code=code,
        error_params=params or {},
        finished_at=now,
        updated_at=now,
    )


@transaction.atomic
def store_schedule(*, run: ScheduleRun, document: dict) -> ScheduleRun:
    """Keep a finished run's schedule (the schedule file's content) as the event's agenda.

    Placements that did not move stay as they are; moved ones are updated, new ones created,
    dropped ones deleted, each logged; their requests become scheduled, or accepted again.
    """
    actor, event = run.user, run.event
    ensure_can_manage_event(actor, event)
    slots = {f"s{slot.pk}": slot for slot in MeetingSlot.objects.filter(event=event)}
    wanted = {int(m["id"]): (slots[m["slot"]], m["table"]) for m in document["meetings"]}
    current = {
        placed.request_id: placed
        for placed in ScheduledMeeting.objects.select_for_update().filter(slot__event=event)
    }
    # Deleted and moved first, so that a table freed in this run can be taken in it.
    dropped = [placed for request_id, placed in current.items() if request_id not in wanted]
    moved = []
    for request_id, (slot, table) in wanted.items():
        placed = current.get(request_id)
        if placed is not None and (placed.slot_id, placed.table) != (slot.pk, table):
            moved.append((placed, snapshot(placed), slot, table))
    for placed in dropped:
        record_deletion(actor=actor, instance=placed, via="scheduler")
    for chunk in chunks([p.pk for p in dropped] + [move[0].pk for move in moved], in_chunk_size()):
        ScheduledMeeting.objects.filter(pk__in=chunk).delete()
    changes = []
    for placed, before, slot, table in moved:
        placed.slot, placed.table, placed.run = slot, table, run
        placed.save(force_insert=True)
        changes.append((placed, before, snapshot(placed)))
    record_updates(actor=actor, changes=changes, source="scheduler")
    created = [
        ScheduledMeeting(request_id=request_id, slot=slot, table=table, run=run)
        for request_id, (slot, table) in wanted.items()
        if request_id not in current
    ]
    ScheduledMeeting.objects.bulk_create(created)
    record_creations(actor=actor, instances=created, source="scheduler")
    _set_request_states(actor, event, placed=set(wanted), dropped={p.request_id for p in dropped})
    before = snapshot(run)
    run.state = ScheduleRun.State.DONE
    run.summary = document["summary"]
    run.finished_at = timezone.now()
    run.save()
    record_change(
        actor=actor,
        instance=run,
        action="update",
        before=before,
        after=snapshot(run),
        source="scheduler",
    )
    return run


def _set_request_states(actor, event, *, placed: set[int], dropped: set[int]) -> None:
    """Requests now on the agenda become scheduled; those taken off it accepted again."""
    # One request at a time through the participants' service, which checks each transition.
    for ids, was, becomes in (
        (placed, MeetingState.ACCEPTED, MeetingState.SCHEDULED),
        (dropped, MeetingState.SCHEDULED, MeetingState.ACCEPTED),
    ):
        for chunk in chunks(sorted(ids), in_chunk_size()):
            for meeting in MeetingRequest.objects.filter(event=event, pk__in=chunk, state=was):
                record_meeting_outcome(actor=actor, meeting=meeting, state=becomes, via="scheduler")


@transaction.atomic
def lock_meeting(
    *, actor, placement: ScheduledMeeting, locked: bool = True, via: str = ""
) -> ScheduledMeeting:
    """Lock a placed meeting in its slot and at its table (or let the next run move it)."""
    placement = (
        ScheduledMeeting.objects.select_for_update()
        .select_related("slot__event")
        .get(pk=placement.pk)
    )
    ensure_can_manage_event(actor, placement.slot.event)
    before = snapshot(placement)
    placement.locked = locked
    placement.save(update_fields=["locked"])
    record_change(
        actor=actor,
        instance=placement,
        action="update",
        before=before,
        after=snapshot(placement),
        source=via,
    )
    return placement
