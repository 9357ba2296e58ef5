"""The time-indexed model in OR-Tools CP-SAT: exact on small events, a polish on middle ones.

One yes/no variable per meeting and common slot. At least as many participants as the
heuristic met must be met (the first objective; the heuristic meets everyone a schedule can
meet on every instance we generate). CP-SAT then maximises the weight from the heuristic's
schedule as a hint, and its bound is a bound on the weight of any schedule that meets as many
participants, which is what the lexicographic objective asks for.
"""

from dataclasses import dataclass

from ortools.sat.python import cp_model

from investpromo.scheduling.state import Problem, State, bits

# Above this many variables CP-SAT rarely improves on the heuristic within seconds and its
# memory grows by gigabytes (research notes: 3.8 GB for 5,000 participants).
MAX_VARIABLES = 60_000


@dataclass
class ExactResult:
    """CP-SAT's best schedule (solver slot per meeting), its weight, bound and proof."""

    slot_of: list[int] | None
    value: int | None
    bound: int | None
    optimal: bool


def variable_count(problem: Problem) -> int:
    return sum(
        problem.allowed[m].bit_count()
        for m in range(len(problem.ends))
        if m not in problem.locked and problem.placeable(m)
    )


def solve_exact(
    problem: Problem,
    *,
    time_limit: float,
    hint: State | None = None,
    least_met: int = 0,
    workers: int = 2,
) -> ExactResult:
    """Maximise the weight on the time-indexed model within `time_limit` seconds."""
    model = cp_model.CpModel()
    locked_busy: dict[int, int] = {}
    locked_count: dict[int, int] = {}
    locked_load = [0] * problem.slot_count
    locked_tables: dict[int, int] = {}
    for meeting, (slot, table) in problem.locked.items():
        for person in problem.ends[meeting]:
            locked_busy[person] = locked_busy.get(person, 0) | 1 << slot
            locked_count[person] = locked_count.get(person, 0) + 1
        locked_load[slot] += 1
        locked_tables[table] = locked_tables.get(table, 0) | 1 << slot
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    person_slot: dict[tuple[int, int], list] = {}
    per_person: dict[int, list] = {}
    per_slot: list[list] = [[] for _ in range(problem.slot_count)]
    per_table_slot: dict[tuple[int, int], list] = {}
    terms = []
    for meeting in range(len(problem.ends)):
        if meeting in problem.locked or not problem.placeable(meeting):
            continue
        a, b = problem.ends[meeting]
        table = problem.fixed_table[meeting]
        mask = problem.allowed[meeting] & ~locked_busy.get(a, 0) & ~locked_busy.get(b, 0)
        if table:
            mask &= ~locked_tables.get(table, 0)
        chosen = []
        for slot in bits(mask):
            var = model.new_bool_var(f"x{meeting}_{slot}")
            x[meeting, slot] = var
            chosen.append(var)
            person_slot.setdefault((a, slot), []).append(var)
            person_slot.setdefault((b, slot), []).append(var)
            per_slot[slot].append(var)
            if table:
                per_table_slot.setdefault((table, slot), []).append(var)
            terms.append(problem.weight[meeting] * var)
        if chosen:
            model.add_at_most_one(chosen)
            per_person.setdefault(a, []).extend(chosen)
            per_person.setdefault(b, []).extend(chosen)
    for group in person_slot.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    for group in per_table_slot.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    for slot, group in enumerate(per_slot):
        free = problem.tables[slot] - locked_load[slot]
        if len(group) > free:
            model.add(sum(group) <= free)
    for person, group in per_person.items():
        room = problem.cap[person] - locked_count.get(person, 0)
        if len(group) > room:
            model.add(sum(group) <= room)
    if least_met:
        # As many participants met as the heuristic met, but not necessarily the same ones.
        met = []
        for person, group in per_person.items():
            if not locked_count.get(person):
                flag = model.new_bool_var(f"met{person}")
                model.add(sum(group) >= flag)
                met.append(flag)
        model.add(sum(met) + len(locked_count) >= least_met)
    model.maximize(sum(terms))
    if hint is not None:
        for (meeting, slot), var in x.items():
            model.add_hint(var, hint.slot_of[meeting] == slot)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ExactResult(None, None, None, False)
    locked_value = sum(problem.weight[m] for m in problem.locked)
    slot_of = [-1] * len(problem.ends)
    for meeting, (slot, _table) in problem.locked.items():
        slot_of[meeting] = slot
    for (meeting, slot), var in x.items():
        if solver.value(var):
            slot_of[meeting] = slot
    return ExactResult(
        slot_of=slot_of,
        value=round(solver.objective_value) + locked_value,
        bound=int(solver.best_objective_bound + 1e-6) + locked_value,
        optimal=status == cp_model.OPTIMAL,
    )
