"""Issue #18.1: Python 3.11, 3.12 and 3.13 are supported, and the Makefile picks and keeps one.

The Makefile runs against stand-in interpreters (shell scripts that report a version and
"make a venv" of themselves), so these tests need no other Python and install nothing.
"""

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")

STAND_IN = """#!/bin/sh
# python{version} as the Makefile uses it: the version, `-m venv DIR`, and a pip that does nothing.
case "$1" in
  -c) echo {version} ;;
  -m) [ "$2" = venv ] && mkdir -p "$3/bin" && cp "$0" "$3/bin/python" ;;
esac
exit 0
"""


def stand_in(path: Path, version: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STAND_IN.format(version=version))
    path.chmod(0o755)
    return path


def make(*args: str, path: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHON", "MAKEFLAGS", "VENV"}}
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        ["make", "--no-print-directory", "-s", "-C", str(REPO), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_python_3_11_to_3_13_are_supported():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    allowed = SpecifierSet(project["requires-python"])
    assert [v for v in ("3.10", "3.11", "3.12", "3.13", "3.14") if f"{v}.0" in allowed] == [
        "3.11",
        "3.12",
        "3.13",
    ]


def test_python_the_newest_supported_python_on_path_is_chosen(tmp_path):
    bin_dir = tmp_path / "bin"
    for version in ("3.11", "3.12"):
        stand_in(bin_dir / f"python{version}", version)
    path = f"{bin_dir}:/usr/bin:/bin"
    assert make("python-version", path=path).stdout.strip() == "3.12"
    stand_in(bin_dir / "python3.13", "3.13")
    assert make("python-version", path=path).stdout.strip() == "3.13"
    assert make("python-version", f"PYTHON={bin_dir / 'python3.11'}").stdout.strip() == "3.11"


def test_python_a_venv_made_by_another_python_is_made_anew_in_one_line(tmp_path):
    venv = tmp_path / "venv"
    stand_in(venv / "bin" / "python", "3.11")
    python = stand_in(tmp_path / "bin" / "python3.12", "3.12")
    made = make(f"{venv}/.made-by-python3.12", f"PYTHON={python}", f"VENV={venv}")
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines() == [
        f"{venv} was made by Python 3.11: making it anew with {python} (Python 3.12)"
    ]
    assert "echo 3.12" in (venv / "bin" / "python").read_text()


def test_python_a_venv_made_by_the_chosen_python_is_kept(tmp_path):
    venv = tmp_path / "venv"
    stand_in(venv / "bin" / "python", "3.12")
    (venv / "installed-packages").touch()
    python = stand_in(tmp_path / "bin" / "python3.12", "3.12")
    made = make(f"{venv}/.made-by-python3.12", f"PYTHON={python}", f"VENV={venv}")
    assert made.returncode == 0, made.stderr
    assert made.stdout == ""
    assert (venv / "installed-packages").exists()


def test_python_an_unsupported_python_is_refused_in_one_line(tmp_path):
    python = stand_in(tmp_path / "bin" / "python3.10", "3.10")
    made = make(f"{tmp_path}/venv/.made-by-python3.10", f"PYTHON={python}", f"VENV={tmp_path}/venv")
    assert made.returncode != 0
    assert made.stdout.splitlines() == [
        f"PYTHON={python} is not a Python 3.11, 3.12 or 3.13 that runs here (it is 3.10)"
    ]
    assert not (tmp_path / "venv").exists()
