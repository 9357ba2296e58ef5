"""The solver's working form of an instance and a schedule being built, with undo.

Slots are renumbered in time order so that a participant's slots are the bits of one integer:
"free in both", "next to a meeting" and "idle gaps in a session" become a few bit operations,
which is what makes thousands of participants fast enough in Python.
"""

from dataclasses import dataclass, field

from investpromo.scheduling.instance import Instance

# A pause longer than this between two slots starts a new session (lunch, the next day).
SESSION_BREAK_MINUTES = 30


def bits(mask: int):
    """The slot numbers whose bits are set in `mask`, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


@dataclass
class Problem:
    """The instance in the solver's terms (slots in time order, masks, caps, weights)."""

    instance: Instance
    order: list[int]  # solver slot -> instance slot
    rank: list[int]  # instance slot -> solver slot
    tables: list[int]  # per solver slot
    session_masks: list[int]
    neighbours: list[int]  # per solver slot: the slots just before and after it in its session
    previous: list[int]  # per solver slot: the slot just before it in its session, or -1
    available: list[int]  # per participant
    cap: list[int]  # per participant: min(maximum, available slots)
    ends: list[tuple[int, int]]  # per meeting
    weight: list[int]
    fixed_table: list[int]  # per meeting: the table it must use (0: any)
    allowed: list[int]  # per meeting: slots both attend and that have its fixed table
    meetings_of: list[list[int]]
    locked: dict[int, tuple[int, int]]  # meeting -> (solver slot, table)

    @property
    def slot_count(self) -> int:
        return len(self.order)

    can_place: list[bool] = field(default_factory=list)  # per meeting, in an empty schedule

    def __post_init__(self):
        self.can_place = [
            bool(mask) and self.cap[a] > 0 and self.cap[b] > 0
            for mask, (a, b) in zip(self.allowed, self.ends, strict=True)
        ]

    def placeable(self, meeting: int) -> bool:
        """Whether the meeting could be placed in an otherwise empty schedule."""
        return self.can_place[meeting]


def build_problem(instance: Instance) -> Problem:
    order = sorted(range(len(instance.slots)), key=lambda s: (instance.slots[s].start, s))
    rank = [0] * len(order)
    for solver_slot, slot in enumerate(order):
        rank[slot] = solver_slot
    slots = [instance.slots[s] for s in order]
    tables = [slot.tables for slot in slots]
    session_masks, neighbours, previous = [], [0] * len(slots), [-1] * len(slots)
    current = 0
    for t, slot in enumerate(slots):
        if t and _same_session(slots[t - 1], slot):
            neighbours[t] |= 1 << (t - 1)
            neighbours[t - 1] |= 1 << t
            previous[t] = t - 1
            current |= 1 << t
        else:
            if current:
                session_masks.append(current)
            current = 1 << t
    if current:
        session_masks.append(current)
    available = []
    cap = []
    for person in instance.participants:
        mask = 0
        for slot in person.available:
            if tables[rank[slot]] > 0:
                mask |= 1 << rank[slot]
        available.append(mask)
        limit = mask.bit_count()
        cap.append(limit if person.max_meetings is None else min(limit, person.max_meetings))
    table_fits = {}
    ends, weight, fixed_table, allowed = [], [], [], []
    meetings_of: list[list[int]] = [[] for _ in instance.participants]
    for index, meeting in enumerate(instance.meetings):
        ends.append((meeting.a, meeting.b))
        weight.append(meeting.weight)
        meetings_of[meeting.a].append(index)
        meetings_of[meeting.b].append(index)
        # A meeting with a host who has a table of their own is held there (the first side's if
        # both have one).
        table = (
            instance.participants[meeting.a].table or instance.participants[meeting.b].table or 0
        )
        fixed_table.append(table)
        mask = available[meeting.a] & available[meeting.b]
        if table:
            if table not in table_fits:
                table_fits[table] = sum(1 << t for t, n in enumerate(tables) if n >= table)
            mask &= table_fits[table]
        allowed.append(mask)
    locked = {lock.meeting: (rank[lock.slot], lock.table) for lock in instance.locked}
    for meeting, (slot, table) in locked.items():
        # A locked meeting stays where it is, whatever its sides' tables say.
        allowed[meeting] |= 1 << slot
        fixed_table[meeting] = table
    return Problem(
        instance=instance,
        order=order,
        rank=rank,
        tables=tables,
        session_masks=session_masks,
        neighbours=neighbours,
        previous=previous,
        available=available,
        cap=cap,
        ends=ends,
        weight=weight,
        fixed_table=fixed_table,
        allowed=allowed,
        meetings_of=meetings_of,
        locked=locked,
    )


def _same_session(before, after) -> bool:
    pause = (after.start - before.end).total_seconds() / 60
    return before.start.date() == after.start.date() and 0 <= pause <= SESSION_BREAK_MINUTES


def idle_gaps(problem: Problem, busy: int) -> int:
    """Idle slots between a participant's first and last meeting of each session."""
    gaps = 0
    for session in problem.session_masks:
        inside = busy & session
        if inside:
            span = inside.bit_length() - (inside & -inside).bit_length() + 1
            gaps += span - inside.bit_count()
    return gaps


class State:
    """A schedule being built: who is busy when, table use, value; every change can be undone."""

    def __init__(self, problem: Problem):
        self.problem = problem
        slot_count = problem.slot_count
        self.slot_of = [-1] * len(problem.ends)
        self.busy = [0] * len(problem.available)
        self.count = [0] * len(problem.available)
        self.occupant = [dict() for _ in problem.available]  # participant -> {slot: meeting}
        self.load = [0] * slot_count
        self.open_slots = sum(1 << t for t in range(slot_count) if problem.tables[t] > 0)
        self.table_busy: dict[int, int] = {}  # fixed or locked table -> slots it is used in
        self.table_holder: dict[tuple[int, int], int] = {}  # (table, slot) -> meeting
        self.in_slot = [set() for _ in range(slot_count)]
        self.value = 0
        self.covered = 0
        self.journal: list[tuple[bool, int, int]] = []
        for meeting, (slot, _table) in problem.locked.items():
            self.place(meeting, slot)
        self.journal.clear()

    # -- reading ------------------------------------------------------------------------------
    def score(self) -> tuple[int, int]:
        """What the solver maximises, in order: participants met, then total weight."""
        return (self.covered, self.value)

    def room(self, meeting: int) -> bool:
        a, b = self.problem.ends[meeting]
        return self.count[a] < self.problem.cap[a] and self.count[b] < self.problem.cap[b]

    def free_slots(self, meeting: int) -> int:
        """Slots the unplaced meeting could go to now without moving anything."""
        problem = self.problem
        a, b = problem.ends[meeting]
        if self.count[a] >= problem.cap[a] or self.count[b] >= problem.cap[b]:
            return 0
        mask = problem.allowed[meeting] & ~(self.busy[a] | self.busy[b]) & self.open_slots
        table = problem.fixed_table[meeting]
        if table:
            mask &= ~self.table_busy.get(table, 0)
        return mask

    def best_slot(self, meeting: int, mask: int) -> int:
        """Among `mask`, a slot next to the two sides' meetings, else the emptiest one."""
        problem = self.problem
        a, b = problem.ends[meeting]
        near = self.busy[a] | self.busy[b]
        best, best_key = -1, None
        for t in bits(mask):
            adjacent = problem.neighbours[t]
            key = (
                bool(adjacent & self.busy[a]) + bool(adjacent & self.busy[b]),
                bool(adjacent & ~near & problem.available[a] & problem.available[b]),
                -self.load[t] / problem.tables[t],
            )
            if best_key is None or key > best_key:
                best, best_key = t, key
        return best

    # -- changing -----------------------------------------------------------------------------
    def place(self, meeting: int, slot: int) -> None:
        self._add(meeting, slot)
        self.journal.append((True, meeting, slot))

    def remove(self, meeting: int) -> None:
        slot = self.slot_of[meeting]
        self._drop(meeting, slot)
        self.journal.append((False, meeting, slot))

    def mark(self) -> int:
        return len(self.journal)

    def undo(self, mark: int) -> None:
        """Take back every change made since `mark`."""
        while len(self.journal) > mark:
            added, meeting, slot = self.journal.pop()
            if added:
                self._drop(meeting, slot)
            else:
                self._add(meeting, slot)

    def commit(self) -> None:
        self.journal.clear()

    def _add(self, meeting: int, slot: int) -> None:
        problem = self.problem
        bit = 1 << slot
        self.slot_of[meeting] = slot
        for person in problem.ends[meeting]:
            self.busy[person] |= bit
            self.occupant[person][slot] = meeting
            self.count[person] += 1
            if self.count[person] == 1:
                self.covered += 1
        self.load[slot] += 1
        if self.load[slot] >= problem.tables[slot]:
            self.open_slots &= ~bit
        self.in_slot[slot].add(meeting)
        self.value += problem.weight[meeting]
        table = problem.fixed_table[meeting]
        if table:
            self.table_busy[table] = self.table_busy.get(table, 0) | bit
            self.table_holder[table, slot] = meeting

    def _drop(self, meeting: int, slot: int) -> None:
        problem = self.problem
        bit = 1 << slot
        self.slot_of[meeting] = -1
        for person in problem.ends[meeting]:
            self.busy[person] &= ~bit
            del self.occupant[person][slot]
            self.count[person] -= 1
            if self.count[person] == 0:
                self.covered -= 1
        self.load[slot] -= 1
        self.open_slots |= bit
        self.in_slot[slot].discard(meeting)
        self.value -= problem.weight[meeting]
        table = problem.fixed_table[meeting]
        if table:
            self.table_busy[table] &= ~bit
            del self.table_holder[table, slot]
