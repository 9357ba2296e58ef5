import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from investpromo.events.models import Event

pytestmark = pytest.mark.django_db


def test_event_add_resolves_the_region_by_name(capsys):
    call_command(
        "event",
        "add",
        "harbin-2025",
        "--name",
        "哈洽会",
        "--start",
        "2025-05-17",
        "--end",
        "2025-05-21",
        "--region",
        "哈尔滨",
    )
    event = Event.objects.get(slug="harbin-2025")
    assert event.host_region.code == "230100"
    assert "230100" in capsys.readouterr().out


def test_user_errors_exit_2_with_one_line():
    with pytest.raises(CommandError) as error:
        call_command(
            "event",
            "add",
            "x-1",
            "--name",
            "n",
            "--start",
            "2025-01-01",
            "--region",
            "不存在的地方",
        )
    assert error.value.returncode == 2
    with pytest.raises(CommandError) as error:
        call_command("report", "--event", "no-such-event")
    assert error.value.returncode == 2 and "no-such-event" in str(error.value)


def test_end_before_start_is_refused():
    with pytest.raises(CommandError, match="before it starts"):
        call_command(
            "event",
            "add",
            "x-2",
            "--name",
            "n",
            "--start",
            "2025-01-02",
            "--end",
            "2025-01-01",
            "--region",
            "230100",
        )
    assert not Event.objects.exists()


def test_console_command_prints_error_without_traceback(tmp_path):
    """The installed `investpromo` entry point, as a user runs it, on a scratch database."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "investpromo", "rate", "set", "USD", "7.1", "--date", "2024-13-01"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "2024-13-01" in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "investpromo", "report", "--event", "nope"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "investpromo setup" in result.stderr
