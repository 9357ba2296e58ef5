"""The instance file: slots, participants, accepted meeting requests and locked meetings.

The file is a contract other tools write (issue 15), so everything in it is checked before the
solver starts; the first mistake found is refused as one line naming where it is.
"""

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from investpromo.core.errors import UserError

WEIGHTS = {"must": 3, "high": 2, "normal": 1}

# Codes a caller may branch on; the text is made in the reader's language when raised.
MESSAGES = {
    "unreadable": _("cannot read %(file)s: %(detail)s"),
    "not_json": _("%(file)s is not JSON: %(detail)s"),
    "not_object": _(
        "%(file)s: the instance must be a JSON object with slots, participants and meetings"
    ),
    "missing_list": _("%(file)s: %(key)s must be a list"),
    "not_entry": _("%(file)s: %(where)s must be an object"),
    "missing_field": _("%(file)s: %(where)s has no %(field)s"),
    "bad_field": _("%(file)s: %(where)s: %(field)s %(reason)s"),
    "duplicate_id": _("%(file)s: %(where)s: the id %(id)s is used twice in %(key)s"),
    "unknown_slot": _("%(file)s: %(where)s: there is no slot %(id)s"),
    "unknown_participant": _("%(file)s: %(where)s: there is no participant %(id)s"),
    "unknown_meeting": _("%(file)s: %(where)s: there is no meeting %(id)s"),
    "self_meeting": _("%(file)s: %(where)s: %(id)s cannot meet themselves"),
    "locked_twice": _("%(file)s: %(where)s: meeting %(id)s is locked twice"),
    "locked_unavailable": _(
        "%(file)s: %(where)s: %(participant)s is not available in slot %(slot)s"
    ),
    "locked_double_booked": _(
        "%(file)s: %(where)s: %(participant)s already has locked meeting %(other)s in slot %(slot)s"
    ),
    "locked_table_taken": _(
        "%(file)s: %(where)s: table %(table)s of slot %(slot)s already holds locked meeting %(other)s"
    ),
    "locked_no_table": _(
        "%(file)s: %(where)s: slot %(slot)s has tables 1 to %(tables)s, not %(table)s"
    ),
    "locked_over_maximum": _(
        "%(file)s: %(where)s: %(participant)s has more locked meetings than their maximum of %(maximum)s"
    ),
    "locked_not_fixed_table": _(
        "%(file)s: %(where)s: %(participant)s always sits at table %(fixed)s, not %(table)s"
    ),
}


class InstanceError(UserError):
    """An instance file that breaks the contract; nothing is scheduled."""

    def __init__(self, code: str, **params):
        self.params = params
        super().__init__(str(MESSAGES[code]) % params, code=code)


@dataclass(frozen=True)
class Slot:
    """A time slot: its start, its length and the number of tables free in it."""

    id: str
    start: dt.datetime
    minutes: int
    tables: int

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Participant:
    """Someone to meet: the slots they attend (indices), an optional cap and fixed table."""

    id: str
    name: str
    available: tuple[int, ...]
    max_meetings: int | None = None
    table: int | None = None


@dataclass(frozen=True)
class Meeting:
    """An accepted request between participants a and b (indices) with its priority."""

    id: str
    a: int
    b: int
    priority: str

    @property
    def weight(self) -> int:
        return WEIGHTS[self.priority]


@dataclass(frozen=True)
class Lock:
    """A meeting (index) that keeps its slot (index) and table."""

    meeting: int
    slot: int
    table: int


@dataclass
class Instance:
    """A checked instance: every index points at an existing entry, locks keep every rule."""

    slots: list[Slot]
    participants: list[Participant]
    meetings: list[Meeting]
    locked: list[Lock] = field(default_factory=list)


def read_instance(path) -> Instance:
    """The instance in file `path`, checked; InstanceError names the first mistake."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InstanceError(
            "unreadable", file=name, detail=getattr(error, "strerror", None) or error
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InstanceError("not_json", file=name, detail=error) from None
    return parse_instance(data, file=name)


def parse_instance(data, *, file: str = "instance") -> Instance:
    """The instance in the decoded JSON `data`, checked."""
    if not isinstance(data, dict):
        raise InstanceError("not_object", file=file)
    reader = _Reader(file)
    slots = [reader.slot(i, entry) for i, entry in enumerate(reader.entries(data, "slots"))]
    slot_index = reader.index(slots, "slots")
    participants = [
        reader.participant(i, entry, slot_index)
        for i, entry in enumerate(reader.entries(data, "participants"))
    ]
    person_index = reader.index(participants, "participants")
    meetings = [
        reader.meeting(i, entry, person_index)
        for i, entry in enumerate(reader.entries(data, "meetings"))
    ]
    meeting_index = reader.index(meetings, "meetings")
    locks = []
    if data.get("locked") is not None:
        locks = [
            reader.lock(i, entry, meeting_index, slot_index)
            for i, entry in enumerate(reader.entries(data, "locked"))
        ]
    instance = Instance(slots, participants, meetings, locks)
    _check_locks(instance, file)
    return instance


class _Reader:
    """Reads entries one by one; `where` names each as it appears in the file."""

    def __init__(self, file: str):
        self.file = file

    def entries(self, data: dict, key: str) -> list:
        entries = data.get(key)
        if not isinstance(entries, list):
            raise InstanceError("missing_list", file=self.file, key=key)
        return entries

    def index(self, items, key: str) -> dict[str, int]:
        positions: dict[str, int] = {}
        for position, item in enumerate(items):
            if item.id in positions:
                where = f"{key}[{position}]"
                raise InstanceError(
                    "duplicate_id", file=self.file, where=where, id=repr(item.id), key=key
                )
            positions[item.id] = position
        return positions

    def _object(self, entry, where: str) -> dict:
        if not isinstance(entry, dict):
            raise InstanceError("not_entry", file=self.file, where=where)
        return entry

    def _text(self, entry: dict, where: str, name: str, *, required: bool = True) -> str:
        value = entry.get(name)
        if value is None:
            if required:
                raise InstanceError("missing_field", file=self.file, where=where, field=name)
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self._bad(where, name, _("must be a non-empty text"))
        return value

    def _whole(self, entry: dict, where: str, name: str, *, least: int, required: bool = True):
        value = entry.get(name)
        if value is None:
            if required:
                raise InstanceError("missing_field", file=self.file, where=where, field=name)
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise self._bad(
                where, name, _("must be a whole number from %(least)s") % {"least": least}
            )
        return value

    def _bad(self, where: str, name: str, reason) -> InstanceError:
        return InstanceError("bad_field", file=self.file, where=where, field=name, reason=reason)

    def slot(self, position: int, entry) -> Slot:
        where = f"slots[{position}]"
        entry = self._object(entry, where)
        slot_id = self._text(entry, where, "id")
        where = f"{where} ({slot_id})"
        start_text = self._text(entry, where, "start")
        try:
            start = dt.datetime.fromisoformat(start_text)
        except ValueError:
            raise self._bad(
                where, "start", _("must be a date and time like 2024-08-31T09:00")
            ) from None
        minutes = self._whole(entry, where, "minutes", least=1)
        tables = self._whole(entry, where, "tables", least=0)
        return Slot(slot_id, start, minutes, tables)

    def participant(self, position: int, entry, slot_index: dict[str, int]) -> Participant:
        where = f"participants[{position}]"
        entry = self._object(entry, where)
        person_id = self._text(entry, where, "id")
        where = f"{where} ({person_id})"
        available = entry.get("available")
        if not isinstance(available, list) or not all(isinstance(s, str) for s in available):
            raise self._bad(where, "available", _("must be a list of slot ids"))
        for slot_id in available:
            if slot_id not in slot_index:
                raise InstanceError("unknown_slot", file=self.file, where=where, id=repr(slot_id))
        return Participant(
            id=person_id,
            name=self._text(entry, where, "name", required=False),
            available=tuple(sorted({slot_index[s] for s in available})),
            max_meetings=self._whole(entry, where, "max_meetings", least=0, required=False),
            table=self._whole(entry, where, "table", least=1, required=False),
        )

    def meeting(self, position: int, entry, person_index: dict[str, int]) -> Meeting:
        where = f"meetings[{position}]"
        entry = self._object(entry, where)
        meeting_id = self._text(entry, where, "id")
        where = f"{where} ({meeting_id})"
        sides = []
        for side in ("a", "b"):
            person_id = self._text(entry, where, side)
            if person_id not in person_index:
                raise InstanceError(
                    "unknown_participant", file=self.file, where=where, id=repr(person_id)
                )
            sides.append(person_index[person_id])
        if sides[0] == sides[1]:
            raise InstanceError("self_meeting", file=self.file, where=where, id=repr(entry["a"]))
        priority = self._text(entry, where, "priority")
        if priority not in WEIGHTS:
            raise self._bad(where, "priority", _("must be must, high or normal"))
        return Meeting(meeting_id, sides[0], sides[1], priority)

    def lock(self, position: int, entry, meeting_index, slot_index) -> Lock:
        where = f"locked[{position}]"
        entry = self._object(entry, where)
        meeting_id = self._text(entry, where, "id")
        where = f"{where} ({meeting_id})"
        if meeting_id not in meeting_index:
            raise InstanceError("unknown_meeting", file=self.file, where=where, id=repr(meeting_id))
        slot_id = self._text(entry, where, "slot")
        if slot_id not in slot_index:
            raise InstanceError("unknown_slot", file=self.file, where=where, id=repr(slot_id))
        table = self._whole(entry, where, "table", least=1)
        return Lock(meeting_index[meeting_id], slot_index[slot_id], table)


def _check_locks(instance: Instance, file: str) -> None:
    """Locked meetings keep every rule the solver keeps, or the file is refused."""
    busy: dict[tuple[int, int], str] = {}  # (participant, slot) -> meeting id
    tables: dict[tuple[int, int], str] = {}  # (slot, table) -> meeting id
    locked_count: dict[int, int] = {}
    seen: set[int] = set()
    for position, lock in enumerate(instance.locked):
        meeting = instance.meetings[lock.meeting]
        slot = instance.slots[lock.slot]
        where = f"locked[{position}] ({meeting.id})"
        params = {"file": file, "where": where, "slot": repr(slot.id), "table": lock.table}
        if lock.meeting in seen:
            raise InstanceError("locked_twice", file=file, where=where, id=repr(meeting.id))
        seen.add(lock.meeting)
        sides = (instance.participants[meeting.a], instance.participants[meeting.b])
        for side, person in zip((meeting.a, meeting.b), sides, strict=True):
            if lock.slot not in person.available:
                raise InstanceError("locked_unavailable", participant=repr(person.id), **params)
            if (side, lock.slot) in busy:
                raise InstanceError(
                    "locked_double_booked",
                    participant=repr(person.id),
                    other=repr(busy[side, lock.slot]),
                    **params,
                )
            busy[side, lock.slot] = meeting.id
            locked_count[side] = locked_count.get(side, 0) + 1
            if person.max_meetings is not None and locked_count[side] > person.max_meetings:
                raise InstanceError(
                    "locked_over_maximum",
                    participant=repr(person.id),
                    maximum=person.max_meetings,
                    **params,
                )
        if lock.table > slot.tables:
            raise InstanceError("locked_no_table", tables=slot.tables, **params)
        if (lock.slot, lock.table) in tables:
            raise InstanceError(
                "locked_table_taken", other=repr(tables[lock.slot, lock.table]), **params
            )
        tables[lock.slot, lock.table] = meeting.id
        fixed = [p.table for p in sides if p.table is not None]
        if fixed and lock.table not in fixed:
            person = next(p for p in sides if p.table is not None)
            raise InstanceError(
                "locked_not_fixed_table", participant=repr(person.id), fixed=person.table, **params
            )
