"""The fast scheduler: a constructive pass, then moves that each make the schedule better.

1. Everyone first: participants with the fewest placeable requests pick a meeting first.
2. The rest by weight (must, high, normal), scarcest first, each at a free slot next to the
   two sides' other meetings.
3. Repair until nothing improves or time is up, for each unplaced request, heaviest first:
   - force it into a slot, moving the meetings in its way to another slot of theirs, or
     dropping them when they weigh less and nobody loses their only meeting;
   - a Kempe chain: swap two slots along the path of meetings alternating between them, which
     frees one side without touching the other.
4. Fewer idle gaps: move single meetings to a free slot that closes a gap of either side.
Every move is kept only if (participants met, total weight) does not get worse.
"""

import itertools
import random
import time

from investpromo.scheduling.state import Problem, State, bits, idle_gaps

KEMPE_PATH_LIMIT = 40


def construct(state: State, rng: random.Random, chosen: set[int] | None = None) -> None:
    """A complete first schedule: everyone one meeting where possible, then the rest by weight.

    `chosen` (the best b-matching, see bound.py) goes first: which requests a full host should
    take is a matching question the greedy order gets wrong by about one percent.
    """
    chosen = chosen or set()
    problem = state.problem
    placeable = [problem.placeable(m) for m in range(len(problem.ends))]
    options = [sum(placeable[m] for m in meetings) for meetings in problem.meetings_of]
    people = [p for p, n in enumerate(options) if n]
    rng.shuffle(people)
    people.sort(key=lambda p: options[p])
    for person in people:
        if state.count[person]:
            continue
        candidates = []
        for meeting in problem.meetings_of[person]:
            if state.slot_of[meeting] >= 0 or not placeable[meeting]:
                continue
            mask = state.free_slots(meeting)
            if mask:
                a, b = problem.ends[meeting]
                other = b if a == person else a
                key = (
                    state.count[other] > 0,
                    meeting not in chosen,
                    -problem.weight[meeting],
                    options[other],
                )
                candidates.append((key, meeting, mask))
        if candidates:
            _, meeting, mask = min(candidates)
            state.place(meeting, state.best_slot(meeting, mask))
    rest = [m for m in range(len(problem.ends)) if placeable[m]]
    first = by_priority(problem, [m for m in rest if m in chosen], rng)
    for meeting in first + by_priority(problem, [m for m in rest if m not in chosen], rng):
        if state.slot_of[meeting] < 0:
            mask = state.free_slots(meeting)
            if mask:
                state.place(meeting, state.best_slot(meeting, mask))
    state.commit()


def by_priority(problem: Problem, meetings: list[int], rng: random.Random) -> list[int]:
    """Heaviest first; among equals, fewest common slots, then the busiest sides first."""
    demand = [len(m) / max(1, problem.cap[p]) for p, m in enumerate(problem.meetings_of)]
    keyed = []
    for meeting in meetings:
        a, b = problem.ends[meeting]
        keyed.append(
            (
                -problem.weight[meeting],
                problem.allowed[meeting].bit_count(),
                -max(demand[a], demand[b]),
                rng.random(),
                meeting,
            )
        )
    keyed.sort()
    return [k[-1] for k in keyed]


def improve(state: State, deadline: float, rng: random.Random) -> None:
    """Repair passes until one changes nothing or the deadline passes."""
    problem = state.problem
    while time.monotonic() < deadline:
        before = state.score()
        _cover_everyone(state, deadline)
        unplaced = [
            m for m in range(len(problem.ends)) if state.slot_of[m] < 0 and problem.placeable(m)
        ]
        for meeting in by_priority(problem, unplaced, rng):
            if time.monotonic() >= deadline:
                break
            if state.slot_of[meeting] < 0 and could_gain(state, meeting):
                insert(state, meeting) or kempe(state, meeting, rng)
        if state.score() <= before:
            break


def could_gain(state: State, meeting: int) -> bool:
    """False when placing the meeting must drop one at least as heavy and meets nobody new."""
    problem = state.problem
    a, b = problem.ends[meeting]
    if not state.count[a] or not state.count[b]:
        return True
    weight = problem.weight[meeting]
    for person in (a, b):
        if state.count[person] >= problem.cap[person] and all(
            problem.weight[other] >= weight for other in state.occupant[person].values()
        ):
            return False
    # When every table of every slot is taken, a normal request could only replace a meeting
    # that is lighter still, and there is none.
    return weight > 1 or bool(state.open_slots)


def _cover_everyone(state: State, deadline: float) -> None:
    """Give a meeting to everyone without one who has a placeable request, if any move can."""
    problem = state.problem
    for person, meetings in enumerate(problem.meetings_of):
        if state.count[person] or time.monotonic() >= deadline:
            continue
        for meeting in sorted(meetings, key=lambda m: -problem.weight[m]):
            if state.slot_of[meeting] < 0 and problem.placeable(meeting) and insert(state, meeting):
                break


def insert(state: State, meeting: int) -> bool:
    """Place the meeting, moving or dropping what is in its way, if that improves the score."""
    problem = state.problem
    mask = state.free_slots(meeting)
    if mask:
        state.place(meeting, state.best_slot(meeting, mask))
        state.commit()
        return True
    table = problem.fixed_table[meeting]
    slots = problem.allowed[meeting]
    if table:
        # A table held by a locked meeting stays held; one held by a movable meeting is freed.
        slots &= ~_locked_table_slots(state, table)
    before = state.score()
    for slot in bits(slots):
        mark = state.mark()
        blockers = _clear_slot(state, meeting, slot)
        if blockers is not None and _fits(state, meeting, slot):
            state.place(meeting, slot)
            for blocker in blockers:
                mask = state.free_slots(blocker)
                if mask:
                    state.place(blocker, state.best_slot(blocker, mask))
            if state.score() > before:
                state.commit()
                return True
        state.undo(mark)
    return False


def _locked_table_slots(state: State, table: int) -> int:
    problem = state.problem
    mask = 0
    for slot, locked_table in problem.locked.values():
        if locked_table == table:
            mask |= 1 << slot
    return mask


def _fits(state: State, meeting: int, slot: int) -> bool:
    return bool(state.free_slots(meeting) >> slot & 1)


def _clear_slot(state: State, meeting: int, slot: int):
    """Remove the meetings in the way of `meeting` at `slot`; None if one may not move."""
    problem = state.problem
    blockers = []
    for person in problem.ends[meeting]:
        other = state.occupant[person].get(slot)
        if other is not None and other not in blockers:
            blockers.append(other)
    table = problem.fixed_table[meeting]
    if table and state.table_busy.get(table, 0) >> slot & 1:
        holder = state.table_holder[table, slot]
        if holder not in blockers:
            blockers.append(holder)
    for person in problem.ends[meeting]:
        if state.count[person] >= problem.cap[person] and not any(
            person in problem.ends[b] for b in blockers
        ):
            lightest = _lightest_of(state, person, exclude=slot)
            if lightest is None:
                return None
            blockers.append(lightest)
    if any(blocker in problem.locked for blocker in blockers):
        return None
    for blocker in blockers:
        state.remove(blocker)
    if state.load[slot] >= problem.tables[slot] and not _free_a_table(state, slot):
        victim = _lightest_in_slot(state, slot)
        if victim is None:
            return None
        state.remove(victim)
        blockers.append(victim)
    return blockers


def _lightest_of(state: State, person: int, exclude: int):
    problem = state.problem
    best = None
    for slot, other in state.occupant[person].items():
        if slot == exclude or other in problem.locked:
            continue
        x, y = problem.ends[other]
        partner = y if x == person else x
        if state.count[partner] <= 1:
            continue
        if best is None or problem.weight[other] < problem.weight[best]:
            best = other
    return best


def _free_a_table(state: State, slot: int, tries: int = 8) -> bool:
    """Move one meeting out of the full `slot` to another slot with a free table."""
    problem = state.problem
    for other in itertools.islice(state.in_slot[slot], tries):
        if other in problem.locked:
            continue
        state.remove(other)
        mask = state.free_slots(other) & ~(1 << slot)
        if mask:
            state.place(other, state.best_slot(other, mask))
            return True
        state.place(other, slot)
    return False


def _lightest_in_slot(state: State, slot: int):
    problem = state.problem
    best = None
    for other in state.in_slot[slot]:
        if other in problem.locked:
            continue
        x, y = problem.ends[other]
        if state.count[x] <= 1 or state.count[y] <= 1:
            continue
        if best is None or problem.weight[other] < problem.weight[best]:
            best = other
            if problem.weight[best] == 1:
                break
    return best


def kempe(state: State, meeting: int, rng: random.Random) -> bool:
    """Free a slot for the meeting by swapping two slots along an alternating path."""
    problem = state.problem
    if not state.room(meeting):
        return False
    a, b = problem.ends[meeting]
    pairs = []
    for first, second in ((a, b), (b, a)):
        # first is free at slot one and second is not: swap one <-> two along second's path.
        for one in bits(problem.allowed[meeting] & ~state.busy[first] & state.busy[second]):
            for two in bits(problem.available[second] & ~state.busy[second]):
                pairs.append((first, second, one, two))
    rng.shuffle(pairs)
    before = state.score()
    for first, second, one, two in pairs[:60]:
        path = _alternating_path(state, second, one, two, avoid=first)
        if path is None:
            continue
        mark = state.mark()
        for other in path:
            state.remove(other)
        moved = True
        for other in path:
            target = two if state_slot_was(state, other, mark) == one else one
            if not _fits(state, other, target):
                moved = False
                break
            state.place(other, target)
        if moved and _fits(state, meeting, one):
            state.place(meeting, one)
            if state.score() > before:
                state.commit()
                return True
        state.undo(mark)
    return False


def state_slot_was(state: State, meeting: int, mark: int) -> int:
    """The slot the meeting had before the changes since `mark` (found in the journal)."""
    for added, other, slot in state.journal[mark:]:
        if other == meeting and not added:
            return slot
    return state.slot_of[meeting]


def _alternating_path(state: State, start: int, one: int, two: int, avoid: int):
    """Meetings from `start` alternating between slots one and two; None if it reaches avoid."""
    path = []
    person, slot = start, one
    while True:
        other = state.occupant[person].get(slot)
        if other is None:
            return path
        if other in state.problem.locked or len(path) >= KEMPE_PATH_LIMIT:
            return None
        path.append(other)
        x, y = state.problem.ends[other]
        person = y if x == person else x
        if person == avoid:
            return None
        slot = two if slot == one else one


def close_gaps(state: State, deadline: float) -> None:
    """Move single meetings to free slots where both sides end up with fewer idle gaps."""
    problem = state.problem
    for meeting in range(len(problem.ends)):
        if time.monotonic() >= deadline:
            return
        slot = state.slot_of[meeting]
        if slot < 0 or meeting in problem.locked:
            continue
        a, b = problem.ends[meeting]
        before = idle_gaps(problem, state.busy[a]) + idle_gaps(problem, state.busy[b])
        if not before:
            continue
        state.remove(meeting)
        best, best_gaps = slot, before
        for target in bits(state.free_slots(meeting)):
            bit = 1 << target
            gaps = idle_gaps(problem, state.busy[a] | bit) + idle_gaps(problem, state.busy[b] | bit)
            if gaps < best_gaps:
                best, best_gaps = target, gaps
        state.place(meeting, best)
    state.commit()
