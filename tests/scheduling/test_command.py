"""`investpromo schedule` end to end: files in and out, as other tools will call it."""

import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bench.meeting_instances import generate
from tests.scheduling.checker import broken_rules
from tests.scheduling.test_instance import small


def test_schedule_writes_the_contract_file(tmp_path, capsys):
    instance = tmp_path / "in.json"
    out = tmp_path / "out.json"
    instance.write_text(json.dumps(small()), encoding="utf-8")
    call_command("schedule", "--instance", str(instance), "--out", str(out), "--time-limit", "2")
    schedule = json.loads(out.read_text(encoding="utf-8"))
    assert set(schedule) == {"meetings", "unplaced", "summary"}
    assert set(schedule["summary"]) == {
        "placed",
        "requested",
        "weighted_value",
        "upper_bound",
        "gap",
        "participants_without_meeting",
        "seconds",
    }
    assert broken_rules(small(), schedule) == []
    # m2 is locked in s2 at the host's table; m1 (v1 and the host) can only go to s1.
    assert schedule["meetings"] == [
        {"id": "m1", "slot": "s1", "table": 1},
        {"id": "m2", "slot": "s2", "table": 1},
    ]
    printed = capsys.readouterr().out
    assert "Placed 2 of 2 meetings, weighted value 4 of at most 4 (gap 0.00%)" in printed


def test_the_console_command_schedules_a_generated_event(tmp_path):
    data = generate(120, seed=3, tables_bind=True)
    instance = tmp_path / "event.json"
    out = tmp_path / "schedule.json"
    instance.write_text(json.dumps(data), encoding="utf-8")
    script = "from investpromo.cli import main; main()"
    argv = ["schedule", "--instance", str(instance), "--out", str(out), "--time-limit", "3"]
    done = subprocess.run(
        [sys.executable, "-c", script, *argv], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    schedule = json.loads(out.read_text(encoding="utf-8"))
    assert broken_rules(data, schedule) == []
    summary = schedule["summary"]
    assert summary["participants_without_meeting"] == 0
    assert summary["placed"] > 0 and summary["upper_bound"] >= summary["weighted_value"]
    assert done.stdout.count("\n") == 1


def test_a_mistake_in_the_file_is_one_line_and_exit_2(tmp_path):
    data = small()
    data["meetings"][0]["b"] = "v1"
    instance = tmp_path / "in.json"
    instance.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("schedule", "--instance", str(instance), "--out", str(tmp_path / "out.json"))
    assert error.value.returncode == 2
    assert str(error.value) == f"{instance}: meetings[0] (m1): 'v1' cannot meet themselves"
    assert not (tmp_path / "out.json").exists()
