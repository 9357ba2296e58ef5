"""Reading an event's scheduling data: its slots, and the instance file the scheduler takes."""

from django.utils import timezone

from investpromo.participants.access import ensure_can_manage_event
from investpromo.participants.selectors import accepted_requests_for_scheduling
from investpromo.scheduling.models import MeetingSlot, ScheduledMeeting

# Which part of the day a slot starting at this local hour belongs to (participants' Session).
AFTERNOON_FROM, EVENING_FROM = 12, 18


def event_slots(event) -> list[MeetingSlot]:
    return list(MeetingSlot.objects.filter(event=event).order_by("start", "id"))


def session_of(slot: MeetingSlot) -> tuple[str, str]:
    """(ISO day, session code) of the slot in the event's time zone."""
    local = timezone.localtime(slot.start)
    if local.hour < AFTERNOON_FROM:
        part = "am"
    elif local.hour < EVENING_FROM:
        part = "pm"
    else:
        part = "eve"
    return local.date().isoformat(), part


def attended_slots(attendance: dict, slots: list[MeetingSlot], sessions: dict) -> list[str]:
    """The slot ids of a participant's attendance ({day: [sessions]}; [] the whole day; {} all)."""
    if not attendance:
        return [slot_id(slot) for slot in slots]
    chosen = []
    for slot in slots:
        day, part = sessions[slot.pk]
        if day in attendance and (not attendance[day] or part in attendance[day]):
            chosen.append(slot_id(slot))
    return chosen


def slot_id(slot: MeetingSlot) -> str:
    return f"s{slot.pk}"


def person_id(participant_id: int) -> str:
    return f"p{participant_id}"


def event_instance(event) -> dict:
    """The event's instance file: its slots, accepted requests and locked meetings."""
    slots = event_slots(event)
    sessions = {slot.pk: session_of(slot) for slot in slots}
    requests = accepted_requests_for_scheduling(event)
    people = {}
    for request in requests:
        for side in (request.requester, request.recipient):
            if side.id not in people:
                people[side.id] = {
                    "id": person_id(side.id),
                    "name": side.name,
                    "available": attended_slots(side.attendance, slots, sessions),
                }
    request_ids = {request.id for request in requests}
    locked = [
        {"id": str(placed.request_id), "slot": f"s{placed.slot_id}", "table": placed.table}
        for placed in ScheduledMeeting.objects.filter(slot__event=event, locked=True).order_by("pk")
        if placed.request_id in request_ids
    ]
    return {
        "slots": [
            {
                "id": slot_id(slot),
                "start": timezone.localtime(slot.start)
                .replace(tzinfo=None)
                .isoformat(timespec="minutes"),
                "minutes": slot.minutes,
                "tables": slot.tables,
            }
            for slot in slots
        ],
        "participants": list(people.values()),
        "meetings": [
            {
                "id": str(request.id),
                "a": person_id(request.requester.id),
                "b": person_id(request.recipient.id),
                "priority": request.priority,
            }
            for request in requests
        ],
        "locked": locked,
    }


def instance_for(*, actor, event) -> dict:
    """The event's instance file, for those who manage the event."""
    ensure_can_manage_event(actor, event)
    return event_instance(event)
