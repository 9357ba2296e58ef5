"""Meeting scheduler quality and speed (issue 15): ours against a plain greedy and CP-SAT.

For each generated event (bench/meeting_instances.py: P participants, about 7.2 × P accepted
requests, 20 slots, tables binding or not) and seed, three schedulers run in the same run,
each in its own process so that its peak memory is its own:
- ours: `investpromo.scheduling.solve` with the time limit;
- greedy: the platforms' way, priority passes placing each request at its earliest slot;
- CP-SAT: OR-Tools on the time-indexed model alone (no hint, no heuristic), same time limit.
Each line gives placed meetings, weighted value, our proven bound (the same for all three),
gap = 1 − value / bound, participants with a request that fits who got no meeting, seconds,
peak memory, idle slots inside participants' sessions and table moves (consecutive meetings of
one participant at two tables; the greedy and CP-SAT schedules get tables the way ours do);
then ours against greedy as a ratio.

Environment: BENCH_SCHEDULE_SIZES (default 200,1000,5000), BENCH_SCHEDULE_SEEDS (default 1),
BENCH_SCHEDULE_TIME (seconds, default 30), BENCH_SCHEDULE_CPSAT_UP_TO (largest P given to
CP-SAT, default 1000: at 5,000 it needs gigabytes).
"""

import json
import os
import resource
import subprocess
import sys
import time

_CHILD = "BENCH_SCHEDULE_CHILD"


def _settings(name: str, default: str) -> list[int]:
    return [int(x) for x in os.environ.get(name, default).split(",") if x.strip()]


def _child(spec: dict) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "investpromo.settings")
    import django

    django.setup()
    from bench.meeting_instances import generate
    from investpromo.scheduling.exact import solve_exact
    from investpromo.scheduling.greedy import greedy_schedule
    from investpromo.scheduling.instance import parse_instance
    from investpromo.scheduling.solve import solve
    from investpromo.scheduling.state import build_problem
    from investpromo.scheduling.tables import assign_tables

    data = generate(spec["participants"], seed=spec["seed"], tables_bind=spec["bind"])
    instance = parse_instance(data)
    base_rss = _peak_mb()
    started = time.perf_counter()
    bound = None
    if spec["method"] == "ours":
        schedule = solve(instance, time_limit=spec["time"], seed=spec["seed"])
        summary = schedule.summary
        placed_slots = {m: slot for m, (slot, _table) in schedule.placements.items()}
        tables = {m: table for m, (_slot, table) in schedule.placements.items()}
        value, bound = summary["weighted_value"], summary["upper_bound"]
    else:
        problem = build_problem(instance)
        if spec["method"] == "greedy":
            slot_of = greedy_schedule(problem).slot_of
        else:
            result = solve_exact(problem, time_limit=spec["time"])
            slot_of = result.slot_of or [-1] * len(problem.ends)
            bound = result.bound
        table_of = assign_tables(problem, slot_of)
        placed_slots = {m: problem.order[s] for m, s in enumerate(slot_of) if s >= 0}
        tables = {m: table_of[m] for m in placed_slots}
        value = sum(problem.weight[m] for m in placed_slots)
    seconds = time.perf_counter() - started
    gaps, changes = _idle_gaps_and_table_changes(build_problem(instance), placed_slots, tables)
    met = {p for m in placed_slots for p in (instance.meetings[m].a, instance.meetings[m].b)}
    people = instance.participants
    hoping = {
        p
        for m in instance.meetings
        if set(people[m.a].available) & set(people[m.b].available)
        for p in (m.a, m.b)
    }
    return {
        "placed": len(placed_slots),
        "requested": len(instance.meetings),
        "value": value,
        "own_bound": bound,
        "without": len(hoping - met),
        "gaps": gaps,
        "table_changes": changes,
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "base_mb": base_rss,
    }


def _idle_gaps_and_table_changes(problem, placed_slots: dict, tables: dict) -> tuple[int, int]:
    """Idle slots inside sessions, and consecutive meetings of one person at two tables."""
    from investpromo.scheduling.state import idle_gaps

    busy = [0] * len(problem.cap)
    table_at: dict[tuple[int, int], int] = {}
    for meeting, slot in placed_slots.items():
        solver_slot = problem.rank[slot]
        for person in problem.ends[meeting]:
            busy[person] |= 1 << solver_slot
            table_at[person, solver_slot] = tables[meeting]
    changes = sum(
        1
        for (person, slot), table in table_at.items()
        if problem.previous[slot] >= 0
        and table_at.get((person, problem.previous[slot]), table) != table
    )
    return sum(idle_gaps(problem, mask) for mask in busy), changes


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(spec: dict) -> dict | None:
    code = "import bench.scheduler as b; raise SystemExit(b.main())"
    env = {**os.environ, _CHILD: json.dumps(spec)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        print(f"    {spec['method']} failed: {done.stderr.strip().splitlines()[-1:]}")
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)  # each line as it is measured, also into a file
    if os.environ.get(_CHILD):
        print(json.dumps(_child(json.loads(os.environ[_CHILD]))))
        return 0
    sizes = _settings("BENCH_SCHEDULE_SIZES", "200,1000,5000")
    seeds = _settings("BENCH_SCHEDULE_SEEDS", "1")
    limit = float(os.environ.get("BENCH_SCHEDULE_TIME", "30"))
    cpsat_up_to = int(os.environ.get("BENCH_SCHEDULE_CPSAT_UP_TO", "1000"))
    print(f"Meeting scheduler, time limit {limit:g} s; gap against our proven bound")
    header = (
        f"  {'P':>5} {'tables':8} {'seed':>4} {'method':7} {'placed':>13} {'value':>7} "
        f"{'bound':>7} {'gap':>7} {'no mtg':>6} {'seconds':>8} {'peak MB':>8} {'idle':>6} {'moves':>6}"
    )
    print(header)
    failed = False
    for participants in sizes:
        for bind in (False, True):
            for seed in seeds:
                spec = {"participants": participants, "seed": seed, "bind": bind, "time": limit}
                ours = _run({**spec, "method": "ours"})
                if ours is None:
                    failed = True
                    continue
                bound = ours["own_bound"]
                methods = [("ours", ours), ("greedy", _run({**spec, "method": "greedy"}))]
                if participants <= cpsat_up_to:
                    methods.append(("cp-sat", _run({**spec, "method": "cp-sat"})))
                for name, row in methods:
                    if row is None:
                        failed = True
                        continue
                    gap = 1 - row["value"] / bound if bound else 0.0
                    extra = ""
                    if name == "cp-sat" and row["own_bound"] is not None:
                        extra = f"  (its own bound {row['own_bound']})"
                    print(
                        f"  {participants:>5} {'bind' if bind else 'free':8} {seed:>4} {name:7} "
                        f"{row['placed']:>6}/{row['requested']:<6} {row['value']:>7} {bound:>7} "
                        f"{gap:>7.2%} {row['without']:>6} {row['seconds']:>8.1f} "
                        f"{row['peak_mb']:>8.0f} {row['gaps']:>6} {row['table_changes']:>6}{extra}"
                    )
                greedy = methods[1][1]
                if greedy:
                    print(
                        f"  {'':>5} ours / greedy: value ×{ours['value'] / greedy['value']:.3f}, "
                        f"{ours['value'] - greedy['value']:+d} weighted, "
                        f"{ours['placed'] - greedy['placed']:+d} meetings"
                    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
