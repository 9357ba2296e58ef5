"""The instance file is a contract: every mistake is refused as one line naming where it is."""

import copy
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from investpromo.scheduling.instance import InstanceError, parse_instance


def small() -> dict:
    return {
        "slots": [
            {"id": "s1", "start": "2024-08-31T09:00", "minutes": 25, "tables": 2},
            {"id": "s2", "start": "2024-08-31T09:30", "minutes": 25, "tables": 2},
        ],
        "participants": [
            {"id": "host", "name": "Host 1 (synthetic)", "available": ["s1", "s2"], "table": 1},
            {"id": "v1", "available": ["s1", "s2"], "max_meetings": 1},
            {"id": "v2", "available": ["s2"]},
        ],
        "meetings": [
            {"id": "m1", "a": "v1", "b": "host", "priority": "must"},
            {"id": "m2", "a": "v2", "b": "host", "priority": "normal"},
        ],
        "locked": [{"id": "m2", "slot": "s2", "table": 1}],
    }


def changed(change) -> dict:
    data = copy.deepcopy(small())
    change(data)
    return data


def test_a_valid_instance_reads_into_indices():
    instance = parse_instance(small())
    assert [s.id for s in instance.slots] == ["s1", "s2"]
    host = instance.participants[0]
    assert (host.available, host.table, host.max_meetings) == ((0, 1), 1, None)
    assert instance.participants[1].max_meetings == 1
    assert [(m.a, m.b, m.weight) for m in instance.meetings] == [(1, 0, 3), (2, 0, 1)]
    assert [(lock.meeting, lock.slot, lock.table) for lock in instance.locked] == [(1, 1, 1)]


MISTAKES = [
    ("missing_list", lambda d: d.pop("meetings"), "meetings must be a list"),
    ("not_entry", lambda d: d["slots"].append("s3"), "slots[2] must be an object"),
    ("missing_field", lambda d: d["slots"][0].pop("minutes"), "slots[0] (s1) has no minutes"),
    ("bad_field", lambda d: d["slots"][0].update(start="31/08/2024"), "slots[0] (s1): start"),
    ("bad_field", lambda d: d["slots"][1].update(tables=-1), "slots[1] (s2): tables"),
    ("bad_field", lambda d: d["slots"][1].update(minutes=True), "minutes"),
    ("bad_field", lambda d: d["participants"][1].update(max_meetings="8"), "max_meetings"),
    ("bad_field", lambda d: d["participants"][1].update(table=0), "table"),
    ("bad_field", lambda d: d["participants"][1].update(available="s1"), "available"),
    ("bad_field", lambda d: d["meetings"][0].update(priority="urgent"), "must, high or normal"),
    ("duplicate_id", lambda d: d["slots"][1].update(id="s1"), "the id 's1' is used twice"),
    (
        "duplicate_id",
        lambda d: d["participants"][2].update(id="v1"),
        "participants[2]: the id 'v1' is used twice in participants",
    ),
    ("duplicate_id", lambda d: d["meetings"][1].update(id="m1"), "used twice in meetings"),
    ("unknown_slot", lambda d: d["participants"][2]["available"].append("s9"), "no slot 's9'"),
    ("unknown_participant", lambda d: d["meetings"][0].update(b="nobody"), "'nobody'"),
    ("self_meeting", lambda d: d["meetings"][0].update(b="v1"), "'v1' cannot meet themselves"),
    ("unknown_meeting", lambda d: d["locked"][0].update(id="m7"), "no meeting 'm7'"),
    (
        "unknown_slot",
        lambda d: d["locked"][0].update(slot="s7"),
        "locked[0] (m2): there is no slot",
    ),
    ("locked_twice", lambda d: d["locked"].append(dict(d["locked"][0])), "locked twice"),
    ("locked_no_table", lambda d: d["locked"][0].update(table=3), "tables 1 to 2, not 3"),
    (
        "locked_unavailable",
        lambda d: d["locked"][0].update(slot="s1"),
        "'v2' is not available in slot 's1'",
    ),
    (
        "locked_double_booked",
        lambda d: d["locked"].append({"id": "m1", "slot": "s2", "table": 2}),
        "'host' already has locked meeting 'm2' in slot 's2'",
    ),
    (
        "locked_table_taken",
        lambda d: (
            d["participants"][0].pop("table"),
            d["participants"].append({"id": "v3", "available": ["s2"]}),
            d["participants"].append({"id": "v4", "available": ["s2"]}),
            d["meetings"].append({"id": "m3", "a": "v3", "b": "v4", "priority": "high"}),
            d["locked"].append({"id": "m3", "slot": "s2", "table": 1}),
        ),
        "table 1 of slot 's2' already holds locked meeting 'm2'",
    ),
    (
        "locked_over_maximum",
        lambda d: (
            d["participants"][1].update(max_meetings=0),
            d["locked"].append({"id": "m1", "slot": "s1", "table": 1}),
        ),
        "'v1' has more locked meetings than their maximum of 0",
    ),
    ("locked_not_fixed_table", lambda d: d["locked"][0].update(table=2), "always sits at table 1"),
]


@pytest.mark.parametrize(("code", "change", "words"), MISTAKES)
def test_each_mistake_is_refused_with_its_code_and_place(code, change, words):
    with pytest.raises(InstanceError) as error:
        parse_instance(changed(change), file="in.json")
    assert error.value.code == code
    message = str(error.value)
    assert message.startswith("in.json")
    assert "\n" not in message
    assert words in message


@pytest.mark.parametrize(
    ("content", "words"),
    [("{not json", "is not JSON"), (json.dumps([1, 2]), "must be a JSON object")],
)
def test_a_file_that_is_no_instance_is_one_line_exit_2(tmp_path, content, words):
    path = tmp_path / "in.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("schedule", "--instance", str(path), "--out", str(tmp_path / "out.json"))
    assert error.value.returncode == 2
    assert words in str(error.value) and "\n" not in str(error.value)
    assert not (tmp_path / "out.json").exists()


def test_a_missing_file_and_an_unwritable_folder_are_refused(tmp_path):
    path = tmp_path / "in.json"
    with pytest.raises(CommandError, match="cannot read") as error:
        call_command("schedule", "--instance", str(path), "--out", str(tmp_path / "o.json"))
    assert error.value.returncode == 2
    path.write_text(json.dumps(small()), encoding="utf-8")
    with pytest.raises(CommandError, match="does not exist") as error:
        call_command("schedule", "--instance", str(path), "--out", str(tmp_path / "no" / "o.json"))
    assert error.value.returncode == 2


def test_mistakes_are_told_in_the_readers_language():
    data = changed(lambda d: d["meetings"][0].update(b="v1"))
    with translation.override("zh-hans"), pytest.raises(InstanceError) as error:
        parse_instance(data, file="in.json")
    assert str(error.value) == "in.json：meetings[0] (m1)：'v1' 不能与自己会见"
