"""The scheduler: an instance in, a schedule with its bound and gap out (issue 15's contract).

Time is shared out of the limit: up to 40 % for the integer b-matching (bound.py: its dual
bound is the proven bound, its matching tells the heuristic which requests to place first),
the heuristic (heuristic.py) until its repairs stop paying or 80 % of the limit, then, while
the value is below the bound on instances small enough, CP-SAT (exact.py) with the schedule
as its hint, fewer idle gaps, and the tables last.
"""

import json
import random
import time
from dataclasses import dataclass, field

from investpromo.scheduling import heuristic
from investpromo.scheduling.bound import b_matching
from investpromo.scheduling.exact import MAX_VARIABLES, solve_exact, variable_count
from investpromo.scheduling.instance import Instance
from investpromo.scheduling.state import Problem, State, build_problem
from investpromo.scheduling.tables import assign_tables

DEFAULT_TIME_LIMIT = 30.0
# Why a request stayed unplaced, checked in this order.
REASONS = (
    "no_common_slot",  # the two sides attend no slot in common
    "no_table",  # the host's own table number is higher than the tables of every common slot
    "max_meetings_reached",  # one side already has as many meetings as they may
    "tables_full",  # where both sides are free, every table is taken
    "slots_taken",  # every common slot already holds a meeting of one side
)


@dataclass
class Schedule:
    """Each placed meeting's (instance slot index, table); unplaced ones with their reason."""

    placements: dict[int, tuple[int, int]]
    unplaced: list[tuple[int, str]]
    summary: dict = field(default_factory=dict)


def solve(
    instance: Instance,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    seed: int = 0,
    exact: bool = True,
) -> Schedule:
    """The best schedule found within `time_limit` seconds, with a proven bound on its weight."""
    started = time.monotonic()
    deadline = started + time_limit
    rng = random.Random(seed)
    problem = build_problem(instance)
    matching = b_matching(problem, time_limit=0.4 * time_limit, integral=True)
    bound = matching.bound
    if bound is None:
        bound = b_matching(problem, time_limit=0.2 * time_limit, integral=False).bound
    state = State(problem)
    heuristic.construct(state, rng, matching.chosen)
    heuristic.improve(state, started + 0.8 * time_limit, rng)
    remaining = deadline - time.monotonic()
    if (
        exact
        and (bound is None or state.value < bound)
        and remaining > 0.5
        and variable_count(problem) <= MAX_VARIABLES
    ):
        result = solve_exact(
            problem, time_limit=0.8 * remaining, hint=state, least_met=state.covered
        )
        if result.value is not None and result.value > state.value:
            state = _state_from(problem, result.slot_of)
        if result.bound is not None:
            bound = result.bound if bound is None else min(bound, result.bound)
    heuristic.close_gaps(state, deadline)
    return _schedule_of(problem, state, bound, time.monotonic() - started)


def _state_from(problem: Problem, slot_of: list[int]) -> State:
    state = State(problem)
    for meeting, slot in enumerate(slot_of):
        if slot >= 0 and meeting not in problem.locked:
            state.place(meeting, slot)
    state.commit()
    return state


def _schedule_of(problem: Problem, state: State, bound: int | None, seconds: float) -> Schedule:
    tables = assign_tables(problem, state.slot_of)
    placements = {
        meeting: (problem.order[slot], tables[meeting])
        for meeting, slot in enumerate(state.slot_of)
        if slot >= 0
    }
    unplaced = [
        (meeting, unplaced_reason(problem, state, meeting))
        for meeting, slot in enumerate(state.slot_of)
        if slot < 0
    ]
    # As the issue counts them: those with a request whose two sides share a slot.
    hoping = {
        p for a, b in problem.ends if problem.available[a] & problem.available[b] for p in (a, b)
    }
    if bound is None:
        bound = sum(problem.weight[m] for m in range(len(problem.ends)) if problem.placeable(m))
    bound = max(bound, state.value)
    summary = {
        "placed": len(placements),
        "requested": len(problem.ends),
        "weighted_value": state.value,
        "upper_bound": bound,
        "gap": round(1 - state.value / bound, 6) if bound else 0.0,
        "participants_without_meeting": sum(1 for p in hoping if state.count[p] == 0),
        "seconds": round(seconds, 3),
    }
    return Schedule(placements, unplaced, summary)


def unplaced_reason(problem: Problem, state: State, meeting: int) -> str:
    a, b = problem.ends[meeting]
    if not problem.available[a] & problem.available[b]:
        people = problem.instance.participants
        if set(people[a].available) & set(people[b].available):
            return "tables_full"  # the slots they share have no tables at all
        return "no_common_slot"
    if not problem.allowed[meeting]:
        return "no_table"
    people = problem.instance.participants
    for person in (a, b):
        limit = people[person].max_meetings
        if limit is not None and state.count[person] >= limit:
            return "max_meetings_reached"
    if problem.allowed[meeting] & ~(state.busy[a] | state.busy[b]):
        return "tables_full"
    return "slots_taken"


def schedule_document(instance: Instance, schedule: Schedule) -> dict:
    """The schedule file's content, as the contract has it."""
    slots, meetings = instance.slots, instance.meetings
    return {
        "meetings": [
            {"id": meetings[m].id, "slot": slots[slot].id, "table": table}
            for m, (slot, table) in sorted(schedule.placements.items())
        ],
        "unplaced": [{"id": meetings[m].id, "reason": reason} for m, reason in schedule.unplaced],
        "summary": schedule.summary,
    }


def write_schedule(path, instance: Instance, schedule: Schedule) -> None:
    """The schedule file: JSON with one meeting per line, so that a diff reads meeting by meeting."""
    document = schedule_document(instance, schedule)
    lines = ["{"]
    for key in ("meetings", "unplaced"):
        entries = document[key]
        lines.append(f' "{key}": [')
        lines.extend(
            "  " + json.dumps(entry, ensure_ascii=False) + ("," if i < len(entries) - 1 else "")
            for i, entry in enumerate(entries)
        )
        lines.append(" ],")
    lines.append(' "summary": ' + json.dumps(document["summary"]))
    lines.append("}")
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
