"""`investpromo import` and `investpromo export`: output and exit codes."""

import datetime as dt
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from investpromo.projects.models import Project
from tests.factories import make_event, make_project
from tests.imports.files import HEADER, csv_file, project_rows, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return make_event(slug="cmd-event", start=dt.date(2024, 8, 31))


def command(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_success_prints_the_summary(tmp_path, event):
    path = xlsx(tmp_path / "ok.xlsx", {"S": [HEADER, *project_rows(2)], "说明": [["注"]]})
    out, _ = command("import", str(path), "--event", "cmd-event")
    assert "ok.xlsx → event cmd-event: 2 rows read; written" in out
    assert "Projects: 2 created, 0 updated, 0 unchanged, 0 rejected" in out
    assert "说明: skipped" in out
    assert Project.objects.filter(event=event).count() == 2


def test_dry_run_writes_nothing(tmp_path, event):
    path = xlsx(tmp_path / "ok.xlsx", {"S": [HEADER, *project_rows(2)]})
    out, _ = command("import", str(path), "--event", "cmd-event", "--dry-run")
    assert "dry run: nothing written" in out and "2 would be created" in out
    assert not Project.objects.exists()


def test_invalid_rows_exit_1_listing_errors_and_writing_nothing(tmp_path, event):
    path = xlsx(
        tmp_path / "bad.xlsx", {"S": [HEADER, *project_rows(1), [2, "坏", "乙公司", "火星", 1]]}
    )
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import", str(path), "--event", "cmd-event", stdout=out)
    assert caught.value.returncode == 1
    assert "nothing was written" in str(caught.value)
    assert "S!3: 落地地区: Unknown region" in out.getvalue()
    assert not Project.objects.exists()


def test_skip_invalid_exits_0_and_writes_rejects(tmp_path, event):
    path = csv_file(
        tmp_path / "gb.csv",
        [HEADER, *project_rows(1), [2, "坏", "乙公司", "火星", 1]],
        encoding="gb18030",
    )
    rejects = tmp_path / "rejects.csv"
    out, _ = command(
        "import", str(path), "--event", "cmd-event", "--skip-invalid", "--rejects", str(rejects)
    )
    assert (
        "1 created" in out and "1 rejected" in out and f"Rejected rows written to {rejects}" in out
    )
    assert "gb!3: 落地地区" in rejects.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gone.xlsx", "--event", "cmd-event"], "gone.xlsx: no such file"),
        (["corrupt.xlsx", "--event", "cmd-event"], "corrupt.xlsx: the file is damaged"),
        (["ok.xlsx", "--event", "no-such-event"], "no event with slug 'no-such-event'"),
        (["ok.xlsx", "--event", "cmd-event", "--rejects", "r.txt"], "must end in .xlsx or .csv"),
    ],
)
def test_unusable_file_or_event_exits_2_with_one_line(tmp_path, monkeypatch, event, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corrupt.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    xlsx(tmp_path / "ok.xlsx", {"S": [HEADER, *project_rows(1)]})
    with pytest.raises(CommandError) as caught:
        call_command("import", *args)
    assert caught.value.returncode == 2
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert not Project.objects.exists()


def test_progress_is_printed_for_large_files(tmp_path, event, monkeypatch):
    monkeypatch.setattr("investpromo.imports.management.commands.import.PROGRESS_STEP", 100)
    monkeypatch.setattr("investpromo.imports.importer.PROGRESS_EVERY", 50)
    path = csv_file(tmp_path / "big.csv", [HEADER, *project_rows(250)])
    _, err = command("import", str(path), "--event", "cmd-event", "--dry-run")
    assert err.splitlines() == ["… 100 of 251 rows", "… 200 of 251 rows", "… 251 of 251 rows"]


def test_command_line_exit_code_and_single_line(tmp_path):
    # The real console entry point: a missing file is one line on stderr and status 2.
    result = subprocess.run(
        [sys.executable, "-m", "investpromo", "import", str(tmp_path / "x.xlsx"), "--event", "e"],
        capture_output=True,
        text=True,
        check=False,
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}", "PATH": ""},
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0


def test_export_command(tmp_path, event):
    xlsx_path = xlsx(tmp_path / "in.xlsx", {"S": [HEADER, *project_rows(3)]})
    command("import", str(xlsx_path), "--event", "cmd-event")
    out, _ = command("export", "--event", "cmd-event", str(tmp_path / "out.csv"))
    assert out.strip() == f"Wrote 3 projects of cmd-event to {tmp_path / 'out.csv'}"
    with pytest.raises(CommandError) as caught:
        call_command("export", "--event", "cmd-event", str(tmp_path / "out.ods"))
    assert caught.value.returncode == 2
    command("export", "--event", "cmd-event", str(tmp_path / "out.xlsx"), "--lang", "en")
    info = load_workbook(tmp_path / "out.xlsx")["Export information"]
    labels = {row[0].strip(): row[1] for row in info.iter_rows(values_only=True) if row[0]}
    assert labels["Projects"] == 3 and labels["Event"] == "测试推介会 (cmd-event)"


def test_output_files_in_missing_folders_are_refused_before_any_work(tmp_path, event):
    make_project(event=event)  # something to export
    with pytest.raises(CommandError) as error:
        call_command("export", "--event", "cmd-event", str(tmp_path / "no" / "x.xlsx"))
    assert error.value.returncode == 2 and "does not exist" in str(error.value)
