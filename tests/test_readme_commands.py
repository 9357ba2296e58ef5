"""Issue #18: every `investpromo` command in README.md runs as written, so the README cannot drift.

The commands of the README's sh/bash/console blocks run in order against one scratch database
(SQLite in the SQLite pass, PostgreSQL in the PostgreSQL pass), from a folder holding the
samples as `examples/`. They run in one process through the console script's own `main(argv)`,
one Django start instead of one per command.
"""

import json
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.imports.scratch_db import ScratchDatabase, suite_kind

REPO = Path(__file__).resolve().parents[1]
SHELL_BLOCKS = {"sh", "bash", "shell", "console"}
EXECUTABLES = {"investpromo", ".venv/bin/investpromo"}
# Commands that serve until they are stopped; tests/jobs and tests/web start them for real.
NOT_RUN = {
    "runserver": "serves until stopped",
    "worker": "takes jobs until stopped",
}

RUN_EACH = """
import contextlib, io, json, sys, traceback
from investpromo.cli import main

results = []
for argv in json.loads(sys.argv[1]):
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        try:
            main(argv)
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
        except Exception:
            traceback.print_exc()
            code = "traceback"
    results.append({"code": code, "output": output.getvalue()})
print(json.dumps(results))
"""


@dataclass
class ReadmeCommand:
    """One command line of the README, what it should exit with and the output it shows."""

    line: int
    text: str
    argv: list[str]
    exit_code: int = 0
    output: list[str] = field(default_factory=list)


def readme_commands(readme: str) -> list[ReadmeCommand]:
    """The `investpromo` commands of the README's shell blocks, in order."""
    commands: list[ReadmeCommand] = []
    block = None
    shown_by = None  # the console command whose output lines follow
    lines = iter(enumerate(readme.splitlines(), start=1))
    for number, raw in lines:
        text = raw.strip()
        if text.startswith("```"):
            block = text[3:].strip() if block is None else None
            shown_by = None
            continue
        if block not in SHELL_BLOCKS:
            continue
        if block == "console":
            if not text.startswith("$ "):
                if shown_by is not None and text:
                    shown_by.output.append(text)
                continue
            text = text[2:]
        while text.endswith("\\"):
            text = text[:-1] + next(lines)[1].strip()
        words = shlex.split(text, comments=True)
        shown_by = None
        if not words or words[0] not in EXECUTABLES:
            continue
        expected = re.search(r"\s#.*\bexit (\d+)\b", text)
        command = ReadmeCommand(number, text, words[1:], int(expected[1]) if expected else 0)
        if words[1] not in NOT_RUN:
            commands.append(command)
            shown_by = command
    return commands


def shows(expected: list[str], output: str) -> bool:
    """True when the output holds the expected lines in order (others may come between)."""
    remaining = iter(line.strip() for line in output.splitlines())
    return all(any(line == wanted for line in remaining) for wanted in expected)


def test_readme_commands_are_found():
    commands = readme_commands((REPO / "README.md").read_text())
    names = [command.argv[0] for command in commands]
    assert {"setup", "demo", "event", "import", "import-progress", "export", "report"} <= set(names)
    assert not set(names) & set(NOT_RUN)
    assert any(command.exit_code == 2 and command.output for command in commands)


def test_readme_commands_run_as_written(tmp_path):
    commands = readme_commands((REPO / "README.md").read_text())
    database = ScratchDatabase(suite_kind(), tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    (work / "examples").symlink_to(REPO / "examples")
    env = {
        **database.env,
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "PYTHONPATH": str(REPO),
    }
    try:
        finished = subprocess.run(
            [sys.executable, "-c", RUN_EACH, json.dumps([c.argv for c in commands])],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        database.drop()
    assert finished.returncode == 0, finished.stderr
    failures = []
    for command, result in zip(commands, json.loads(finished.stdout), strict=True):
        if result["code"] != command.exit_code or not shows(command.output, result["output"]):
            failures.append(
                f"README.md:{command.line}: {command.text}\n"
                f"  exit {result['code']} (README: {command.exit_code})"
                + "".join(f"\n  | {line}" for line in result["output"].splitlines()[-15:])
            )
    assert not failures, "\n".join(failures)
