"""A proven upper bound on the total weight any schedule can reach: the weighted b-matching.

Forget which slot each meeting is in and keep only what every schedule must respect: each
participant has at most as many meetings as their maximum and as their requests can be spread
over distinct slots (a matching of their requests to common slots), all meetings together fit
in the tables of all slots (a slot holds at most half of those who can meet in it), and a
meeting is placed at most once. The best weight under these rules
(solved by HiGHS) is at least the best weight of any schedule, so value / bound is a guarantee.
The LP relaxation takes a second for tens of thousands of requests; the integer version is
tighter (odd cycles of visitor-visitor requests) and is given what is left of the time limit.
"""

import math
from dataclasses import dataclass

import highspy
import numpy as np

from investpromo.scheduling.state import Problem, bits

# HiGHS reports bounds as floats; weights are whole numbers, so the bound is rounded down
# after allowing for the solver's tolerance.
TOLERANCE = 1e-6


@dataclass
class Matching:
    """The bound (None if none was proven in time) and the meetings of the best b-matching."""

    bound: int | None
    chosen: set[int]


def b_matching(problem: Problem, *, time_limit: float, integral: bool) -> Matching:
    """Solve the weighted b-matching with HiGHS within `time_limit` seconds."""
    meetings = [m for m in range(len(problem.ends)) if problem.placeable(m)]
    if not meetings:
        return Matching(0, set())
    count = len(meetings)
    column = {meeting: j for j, meeting in enumerate(meetings)}
    # Rows: one per participant (their capacity), one for all tables, and one per participant
    # and set of slots that more of their requests are confined to than it has slots.
    row_columns: list[list[int]] = [[] for _ in problem.cap]
    for j, meeting in enumerate(meetings):
        a, b = problem.ends[meeting]
        row_columns[a].append(j)
        row_columns[b].append(j)
    upper = [float(c) for c in meeting_capacity(problem)]
    row_columns.append(list(range(count)))
    upper.append(float(table_capacity(problem)))
    for person, meetings_of in enumerate(problem.meetings_of):
        for mask, confined in _crowded_slot_sets(problem, meetings_of):
            row_columns.append([column[m] for m in confined])
            upper.append(float(min(mask.bit_count(), upper[person])))
    indices = np.array([j for cols in row_columns for j in cols], dtype=np.int32)
    lp = highspy.HighsLp()
    lp.num_col_ = count
    lp.num_row_ = len(row_columns)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.array([problem.weight[m] for m in meetings], dtype=np.float64)
    lp.col_lower_ = np.array([1.0 if m in problem.locked else 0.0 for m in meetings])
    lp.col_upper_ = np.ones(count)
    lp.row_lower_ = np.full(len(row_columns), -highspy.kHighsInf)
    lp.row_upper_ = np.array(upper, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.concatenate(([0], np.cumsum([len(c) for c in row_columns]))).astype(
        np.int32
    )
    lp.a_matrix_.index_ = indices
    lp.a_matrix_.value_ = np.ones(len(indices))
    if integral:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * count
    highs = _quiet_highs()
    highs.setOptionValue("time_limit", max(0.1, float(time_limit)))
    highs.setOptionValue("threads", 1)
    highs.passModel(lp)
    highs.run()
    status = highs.getModelStatus()
    info = highs.getInfo()
    chosen: set[int] = set()
    solution = highs.getSolution()
    if solution.value_valid:
        chosen = {m for m, y in zip(meetings, solution.col_value, strict=True) if y > 0.5}
    if integral:
        bound = info.mip_dual_bound
        if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit):
            bound = None
    else:
        bound = info.objective_function_value
        if status != highspy.HighsModelStatus.kOptimal:
            bound = None
    if bound is None or not math.isfinite(bound):
        return Matching(None, chosen)
    return Matching(math.floor(bound + TOLERANCE), chosen)


def _crowded_slot_sets(problem: Problem, meetings: list[int]):
    """Slot sets (each some request's common slots) holding more requests than slots (Hall)."""
    by_mask: dict[int, list[int]] = {}
    for meeting in meetings:
        if problem.placeable(meeting):
            by_mask.setdefault(problem.allowed[meeting], []).append(meeting)
    if len(by_mask) == 1:
        return  # the participant's own capacity row says the same
    for mask in by_mask:
        inside = [m for other, group in by_mask.items() if other & ~mask == 0 for m in group]
        if len(inside) > mask.bit_count():
            yield mask, inside


def meeting_capacity(problem: Problem) -> list[int]:
    """Per participant, the most meetings any schedule can give them."""
    capacity = []
    for person, meetings in enumerate(problem.meetings_of):
        masks = [problem.allowed[m] for m in meetings if problem.placeable(m)]
        limit = min(problem.cap[person], len(masks))
        capacity.append(_spread(masks, limit))
    return capacity


def _spread(masks: list[int], limit: int) -> int:
    """How many of the requests (slot masks) can have a slot each, no slot twice (up to limit)."""
    union = 0
    for mask in masks:
        union |= mask
    limit = min(limit, union.bit_count())
    holder: dict[int, int] = {}  # slot -> request
    matched = 0
    for request in range(len(masks)):
        if matched >= limit:
            break
        if _augment(request, masks, holder, set()):
            matched += 1
    return matched


def _augment(request: int, masks: list[int], holder: dict[int, int], seen: set[int]) -> bool:
    for slot in bits(masks[request]):
        if slot in seen:
            continue
        seen.add(slot)
        if slot not in holder or _augment(holder[slot], masks, holder, seen):
            holder[slot] = request
            return True
    return False


def table_capacity(problem: Problem) -> int:
    """Meetings all slots can hold: tables, and half of those who could meet in the slot."""
    can_meet = [0] * problem.slot_count
    for person, meetings in enumerate(problem.meetings_of):
        union = 0
        for meeting in meetings:
            if problem.placeable(meeting):
                union |= problem.allowed[meeting]
        if problem.cap[person]:
            for slot in bits(union):
                can_meet[slot] += 1
    return sum(
        min(tables, people // 2) for tables, people in zip(problem.tables, can_meet, strict=True)
    )


def _quiet_highs():
    """A HiGHS instance that prints nothing.

    highspy's Python wrapper switches its callbacks on when made, which logs HiGHS's banner to
    standard output before any option can be set (ERGO-Code/HiGHS#2749); the core class it
    wraps does not, and has every method used here.
    """
    core = getattr(getattr(highspy, "_core", None), "_Highs", None)
    highs = core() if core is not None else highspy.Highs()
    highs.setOptionValue("output_flag", False)
    return highs
