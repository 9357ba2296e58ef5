"""Synthetic hosted-buyer events for the scheduler, in the instance file's form (issue 15).

The shape of the events the research notes describe: a third of participants are hosts
(exhibitors) whose popularity follows a Zipf law, visitors send most requests, some
visitor↔visitor and host→visitor requests (so the graph is not bipartite), partial attendance
(one day, or slots blocked), some caps and hosts with tables of their own, a priority mix,
about 7 accepted requests per participant, and tables per slot that bind or do not.
All names are invented (`Visitor 17`, `Host 3`).

`python -m bench meeting_instances` writes a 1,000-participant sample and prints its path.
"""

import datetime as dt
import itertools
import json
import random
import sys
import tempfile
from pathlib import Path

DAYS = 2
SESSIONS = (("09:00", 5), ("14:00", 5))  # start, slots of 25 minutes plus a 5-minute change
PRIORITIES = (("must", 0.15), ("high", 0.30), ("normal", 0.55))


def event_slots(tables: int) -> list[dict]:
    slots = []
    first_day = dt.date(2024, 8, 31)
    for day in range(DAYS):
        date = first_day + dt.timedelta(days=day)
        for start, count in SESSIONS:
            moment = dt.datetime.combine(date, dt.time.fromisoformat(start))
            for _ in range(count):
                slots.append(
                    {
                        "id": f"s{len(slots) + 1:02d}",
                        "start": moment.isoformat(timespec="minutes"),
                        "minutes": 25,
                        "tables": tables,
                    }
                )
                moment += dt.timedelta(minutes=30)
    return slots


def generate(participants: int, *, seed: int, tables_bind: bool, per_person: float = 7.2) -> dict:
    """An instance with about per_person × participants accepted requests."""
    rng = random.Random(seed)
    hosts = participants // 3
    # Binding: tables for about three quarters of the meetings a slot would hold without a
    # limit (a slot holds about 0.23 × participants then); not binding: as many tables as
    # there can be meetings.
    tables = int(participants * 0.18) if tables_bind else participants // 2
    slots = event_slots(tables)
    slot_ids = [s["id"] for s in slots]
    day_of = [i // (len(slots) // DAYS) for i in range(len(slots))]
    people = []
    own_tables = iter(range(1, tables + 1))
    for index in range(participants):
        is_host = index < hosts
        person = {
            "id": f"p{index + 1}",
            "name": f"{'Host' if is_host else 'Visitor'} {index + 1} (synthetic)",
            "available": _attendance(rng, slot_ids, day_of),
        }
        if is_host and rng.random() < 0.2:
            person["table"] = next(own_tables)
        if not is_host and rng.random() < 0.3:
            person["max_meetings"] = rng.randint(6, 12)
        people.append(person)
    host_popularity = list(itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(hosts)))
    wanted = int(per_person * participants)
    seen: set[tuple[int, int]] = set()
    meetings = []
    while len(meetings) < wanted:
        kind = rng.random()
        if kind < 0.78:  # a visitor asks a host
            a = rng.randrange(hosts, participants)
            b = rng.choices(range(hosts), cum_weights=host_popularity)[0]
        elif kind < 0.90:  # a host asks a visitor
            a = rng.randrange(hosts)
            b = rng.randrange(hosts, participants)
        else:  # visitor to visitor
            a, b = rng.sample(range(hosts, participants), 2)
        pair = (min(a, b), max(a, b))
        if pair in seen:
            continue
        seen.add(pair)
        priority = rng.choices([p for p, _ in PRIORITIES], weights=[w for _, w in PRIORITIES])[0]
        meetings.append(
            {
                "id": f"m{len(meetings) + 1}",
                "a": f"p{a + 1}",
                "b": f"p{b + 1}",
                "priority": priority,
            }
        )
    return {"slots": slots, "participants": people, "meetings": meetings}


def _attendance(rng: random.Random, slot_ids: list[str], day_of: list[int]) -> list[str]:
    roll = rng.random()
    if roll < 0.6:
        return list(slot_ids)
    if roll < 0.85:  # one day only
        day = rng.randrange(DAYS)
        return [s for s, d in zip(slot_ids, day_of, strict=True) if d == day]
    return [s for s in slot_ids if rng.random() < 0.7]  # some slots blocked


def main() -> int:
    instance = generate(1000, seed=1, tables_bind=False)
    path = Path(tempfile.gettempdir()) / "investpromo-meetings-1000.json"
    path.write_text(json.dumps(instance), encoding="utf-8")
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
