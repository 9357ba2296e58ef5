"""A feasibility checker for schedule files, written apart from the solver (it imports none of it).

It reads the instance and the schedule as the JSON documents of the contract and returns the
broken rules as sentences; an empty list means the schedule keeps every rule.
"""

WEIGHTS = {"must": 3, "high": 2, "normal": 1}


def broken_rules(instance: dict, schedule: dict) -> list[str]:
    problems = []
    slots = {s["id"]: s for s in instance["slots"]}
    people = {p["id"]: p for p in instance["participants"]}
    meetings = {m["id"]: m for m in instance["meetings"]}
    locked = {entry["id"]: entry for entry in instance.get("locked") or []}
    placed_ids = [m["id"] for m in schedule["meetings"]]
    unplaced_ids = [m["id"] for m in schedule["unplaced"]]
    if sorted(placed_ids + unplaced_ids) != sorted(meetings):
        problems.append("placed and unplaced together are not every meeting exactly once")
    busy: dict[tuple[str, str], str] = {}
    table_use: dict[tuple[str, int], str] = {}
    count: dict[str, int] = {}
    for entry in schedule["meetings"]:
        meeting = meetings.get(entry["id"])
        slot = slots.get(entry["slot"])
        if meeting is None or slot is None:
            problems.append(f"{entry}: unknown meeting or slot")
            continue
        table = entry["table"]
        if not isinstance(table, int) or not 1 <= table <= slot["tables"]:
            problems.append(f"{entry['id']}: table {table} is not a table of {slot['id']}")
        if (slot["id"], table) in table_use:
            problems.append(f"{entry['id']}: table {table} of {slot['id']} is used twice")
        table_use[slot["id"], table] = entry["id"]
        fixed = [people[side].get("table") for side in (meeting["a"], meeting["b"])]
        fixed = [t for t in fixed if t is not None]
        if fixed and table not in fixed and entry["id"] not in locked:
            problems.append(f"{entry['id']}: held at {table}, not at a side's own table {fixed}")
        for side in (meeting["a"], meeting["b"]):
            if slot["id"] not in people[side]["available"]:
                problems.append(f"{entry['id']}: {side} is not available in {slot['id']}")
            if (side, slot["id"]) in busy:
                problems.append(f"{side} has two meetings in {slot['id']}")
            busy[side, slot["id"]] = entry["id"]
            count[side] = count.get(side, 0) + 1
        if entry["id"] in locked:
            lock = locked[entry["id"]]
            if (lock["slot"], lock["table"]) != (entry["slot"], table):
                problems.append(f"locked meeting {entry['id']} moved")
    for lock_id in locked:
        if lock_id not in placed_ids:
            problems.append(f"locked meeting {lock_id} is not placed")
    for person_id, person in people.items():
        limit = person.get("max_meetings")
        if limit is not None and count.get(person_id, 0) > limit:
            problems.append(f"{person_id} has {count[person_id]} meetings, more than {limit}")
    summary = schedule["summary"]
    value = sum(WEIGHTS[meetings[i]["priority"]] for i in placed_ids if i in meetings)
    expected = {"placed": len(placed_ids), "requested": len(meetings), "weighted_value": value}
    for key, figure in expected.items():
        if summary[key] != figure:
            problems.append(f"summary {key} is {summary[key]}, the schedule has {figure}")
    if summary["upper_bound"] < value:
        problems.append("the upper bound is below the value")
    if summary["upper_bound"] and abs(summary["gap"] - (1 - value / summary["upper_bound"])) > 1e-5:
        problems.append("gap is not 1 - value / bound")
    with_tables = {slot_id for slot_id, slot in slots.items() if slot["tables"] > 0}
    hoping = {
        side
        for m in meetings.values()
        if set(people[m["a"]]["available"]) & set(people[m["b"]]["available"]) & with_tables
        for side in (m["a"], m["b"])
    }
    without = sum(1 for p in hoping if not count.get(p))
    if summary["participants_without_meeting"] != without:
        problems.append(f"{without} participants with a common slot have no meeting")
    return problems
