"""The scheduler on instances whose best schedule is known, and on random ones (rules checked)."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from investpromo.scheduling.greedy import greedy_schedule
from investpromo.scheduling.instance import WEIGHTS, parse_instance
from investpromo.scheduling.solve import schedule_document, solve
from investpromo.scheduling.state import build_problem
from tests.scheduling.checker import broken_rules

QUICK = 2.0  # seconds: every instance here is solved long before


def event(slots: int, tables: int, people: dict, meetings: list, locked=()) -> dict:
    """An instance: slots s1… 30 minutes apart; people {id: available slot numbers or a dict}."""
    participants = []
    for person_id, spec in people.items():
        spec = spec if isinstance(spec, dict) else {"available": spec}
        entry = {"id": person_id, "available": [f"s{n}" for n in spec["available"]]}
        entry.update({k: v for k, v in spec.items() if k != "available"})
        participants.append(entry)
    return {
        "slots": [
            {
                "id": f"s{n}",
                "start": f"2024-08-31T{9 + (n - 1) // 2:02d}:{30 * ((n - 1) % 2):02d}",
                "minutes": 25,
                "tables": tables,
            }
            for n in range(1, slots + 1)
        ],
        "participants": participants,
        "meetings": [
            {"id": f"m{i + 1}", "a": a, "b": b, "priority": priority}
            for i, (a, b, priority) in enumerate(meetings)
        ],
        "locked": list(locked),
    }


def run(data: dict, **options) -> dict:
    instance = parse_instance(data)
    result = schedule_document(instance, solve(instance, time_limit=QUICK, **options))
    assert broken_rules(data, result) == []
    return result


def greedy_value(data: dict) -> int:
    return greedy_schedule(build_problem(parse_instance(data))).value


def placed(result: dict) -> dict:
    return {m["id"]: (m["slot"], m["table"]) for m in result["meetings"]}


def test_greedy_blocks_a_participant_who_attends_one_slot_and_we_do_not():
    # b-c is first in the file and takes s1, the only slot a attends.
    data = event(
        2, 5, {"a": [1], "b": [1, 2], "c": [1, 2]}, [("b", "c", "normal"), ("a", "b", "normal")]
    )
    assert greedy_value(data) == 1
    result = run(data)
    assert placed(result).keys() == {"m1", "m2"}
    assert placed(result)["m2"][0] == "s1"
    assert result["summary"]["weighted_value"] == result["summary"]["upper_bound"] == 2
    assert result["summary"]["gap"] == 0.0


def test_everyone_gets_a_meeting_before_the_weight_counts():
    # The host attends s1 only: giving it to the must request would leave v2 with none.
    people = {"host": [1], "v1": [1, 2], "v2": [1], "x": [2]}
    meetings = [("v1", "host", "must"), ("v2", "host", "normal"), ("v1", "x", "normal")]
    data = event(2, 5, people, meetings)
    result = run(data)
    assert placed(result).keys() == {"m2", "m3"}
    assert result["summary"]["participants_without_meeting"] == 0
    assert result["unplaced"] == [{"id": "m1", "reason": "slots_taken"}]


def test_when_tables_bind_the_heavier_meetings_get_them():
    people = {p: [1] for p in "abcdef"}
    meetings = [("a", "b", "normal"), ("c", "d", "high"), ("e", "f", "must")]
    result = run(event(1, 1, people, meetings))
    assert placed(result) == {"m3": ("s1", 1)}
    assert {u["reason"] for u in result["unplaced"]} == {"tables_full"}
    # Everyone has a placeable request, and one table can meet only two of them.
    assert result["summary"]["participants_without_meeting"] == 4


def test_the_maximum_number_of_meetings_is_kept_and_named():
    people = {
        "host": {"available": [1, 2, 3], "max_meetings": 2},
        "a": [1, 2, 3],
        "b": [1, 2, 3],
        "c": [1, 2, 3],
    }
    meetings = [("a", "host", "must"), ("b", "host", "normal"), ("c", "host", "high")]
    result = run(event(3, 5, people, meetings))
    assert placed(result).keys() == {"m1", "m3"}
    assert result["unplaced"] == [{"id": "m2", "reason": "max_meetings_reached"}]


def test_requests_without_a_common_slot_or_table_are_named():
    people = {"a": [1], "b": [2], "host": {"available": [1, 2], "table": 9}, "c": [1, 2]}
    meetings = [("a", "b", "must"), ("c", "host", "normal")]
    result = run(event(2, 5, people, meetings))
    assert result["unplaced"] == [
        {"id": "m1", "reason": "no_common_slot"},
        {"id": "m2", "reason": "no_table"},
    ]
    assert result["summary"]["upper_bound"] == 0
    assert result["summary"]["participants_without_meeting"] == 2  # c and host share slots


def test_a_slot_without_tables_holds_no_meeting():
    data = event(2, 0, {"a": [1, 2], "b": [1, 2]}, [("a", "b", "must")])
    result = run(data)
    assert result["unplaced"] == [{"id": "m1", "reason": "tables_full"}]
    assert result["summary"]["upper_bound"] == 0


def test_hosts_sit_at_their_own_table_and_visitors_keep_theirs_between_meetings():
    people = {"host": {"available": [1, 2], "table": 3}, "v": [1, 2], "w": [1, 2], "x": [1, 2]}
    meetings = [
        ("v", "host", "must"),
        ("w", "host", "must"),
        ("v", "x", "normal"),
        ("w", "x", "normal"),
    ]
    result = run(event(2, 3, people, meetings))
    spots = placed(result)
    assert len(spots) == 4
    assert spots["m1"][1] == spots["m2"][1] == 3
    # x meets v and w in consecutive slots without changing tables.
    assert spots["m3"][1] == spots["m4"][1]


def test_locked_meetings_stay_where_they_are():
    people = {"a": [1, 2], "b": [1, 2], "c": [1, 2]}
    meetings = [("a", "b", "normal"), ("a", "c", "must"), ("b", "c", "must")]
    locked = [{"id": "m1", "slot": "s2", "table": 2}]
    result = run(event(2, 2, people, meetings, locked))
    assert placed(result)["m1"] == ("s2", 2)
    # A triangle in two slots holds two meetings; the lock costs the must meeting a-c or b-c.
    assert result["summary"]["placed"] == 2
    assert result["summary"]["weighted_value"] == 4


def test_a_full_schedule_of_a_round_robin_is_found():
    # Six people, everyone meets everyone: 15 meetings fit exactly in 5 slots (a 1-factorisation),
    # which a first-fit greedy misses.
    people = {p: [1, 2, 3, 4, 5] for p in "abcdef"}
    meetings = [(x, y, "normal") for x, y in itertools.combinations("abcdef", 2)]
    data = event(5, 3, people, meetings)
    assert greedy_value(data) < 15
    result = run(data)
    assert result["summary"]["placed"] == 15
    assert result["summary"]["upper_bound"] == 15


# -- random instances: the checker on every schedule, and the brute-force optimum on tiny ones


@st.composite
def instances(draw, max_people=7, max_meetings=9, max_slots=4):
    slots = draw(st.integers(1, max_slots))
    tables = draw(st.integers(0, 3))
    count = draw(st.integers(2, max_people))
    people = {}
    for n in range(count):
        spec = {"available": draw(st.lists(st.integers(1, slots), unique=True))}
        if draw(st.booleans()):
            spec["max_meetings"] = draw(st.integers(0, 3))
        if draw(st.integers(0, 5)) == 0:
            spec["table"] = draw(st.integers(1, 3))
        people[f"p{n}"] = spec
    pairs = list(itertools.combinations(people, 2))
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=max_meetings))
    meetings = [(a, b, draw(st.sampled_from(list(WEIGHTS)))) for a, b in chosen]
    return event(slots, tables, people, meetings)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_people=12, max_meetings=30, max_slots=6))
def test_every_schedule_of_a_random_instance_keeps_every_rule(data):
    run(data)


def best_by_brute_force(data: dict) -> tuple[int, int]:
    """(participants met, weight) of the best schedule, trying every slot for every meeting."""
    instance = parse_instance(data)
    people = instance.participants
    options = [
        [None]
        + [
            s
            for s in range(len(instance.slots))
            if s in people[m.a].available and s in people[m.b].available
        ]
        for m in instance.meetings
    ]
    best = (0, 0)
    for choice in itertools.product(*options):
        busy, load, count, tables = set(), {}, {}, set()
        ok = True
        for meeting, slot in zip(instance.meetings, choice, strict=True):
            if slot is None:
                continue
            load[slot] = load.get(slot, 0) + 1
            fixed = people[meeting.a].table or people[meeting.b].table
            if fixed and (fixed > instance.slots[slot].tables or (slot, fixed) in tables):
                ok = False
            tables.add((slot, fixed or None) if fixed else (slot, object()))
            for side in (meeting.a, meeting.b):
                count[side] = count.get(side, 0) + 1
                limit = people[side].max_meetings
                if (side, slot) in busy or (limit is not None and count[side] > limit):
                    ok = False
                busy.add((side, slot))
        if ok and all(load[s] <= instance.slots[s].tables for s in load):
            value = sum(
                m.weight for m, s in zip(instance.meetings, choice, strict=True) if s is not None
            )
            best = max(best, (len(count), value))
    return best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_tiny_instances_reach_the_brute_force_optimum(data):
    result = run(data)
    met = {side for m in data["meetings"] if m["id"] in placed(result) for side in (m["a"], m["b"])}
    assert (len(met), result["summary"]["weighted_value"]) == best_by_brute_force(data)
