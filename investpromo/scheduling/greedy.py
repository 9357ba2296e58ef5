"""The baseline the platforms use: priority passes, each request at the earliest free slot."""

from investpromo.scheduling.state import Problem, State

PASSES = ("must", "high", "normal")


def greedy_schedule(problem: Problem) -> State:
    """Must requests first, then high, then normal, each in file order at its earliest slot."""
    state = State(problem)
    meetings = problem.instance.meetings
    for priority in PASSES:
        for index, meeting in enumerate(meetings):
            if meeting.priority != priority or state.slot_of[index] >= 0:
                continue
            mask = state.free_slots(index)
            if mask:
                state.place(index, (mask & -mask).bit_length() - 1)
    state.commit()
    return state
