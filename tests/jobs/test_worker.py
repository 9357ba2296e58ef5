"""The worker as it runs in production: real processes, a real database, child-process limits."""

import subprocess
import sys
import time
import zipfile

import pytest

from tests.scratch import Scratch, prepare_code, state_code

pytestmark = pytest.mark.django_db  # the scratch database's settings come from the suite's

HEADER = "项目名称,投资方,项目落地地,签约金额（万元）"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock():
        database = Scratch(tmp_path_factory.mktemp("worker"))
    yield database
    database.close()


def _csv(folder, name: str, rows: int):
    path = folder / name
    lines = [HEADER] + [
        f"项目{i},示例投资{i}有限公司,哈尔滨市南岗区,{1000 + i}" for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _far_cell_xlsx(path):
    """1.7 KB: a header, one row and one cell at XFD1048576 (a reader would allocate 512 GB)."""

    def cell(ref, text):
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    header = "".join(
        cell(f"{column}1", text) for column, text in zip("ABCD", HEADER.split(","), strict=True)
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{rel}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="Sheet1" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{rel}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><sheetData><row r="1">{header}</row><row r="2">'
            + cell("A2", "新材料项目")
            + cell("B2", "示例新材料有限公司")
            + cell("C2", "哈尔滨市南岗区")
            + '<c r="D2"><v>5000</v></c></row><row r="1048576">'
            + cell("XFD1048576", "x")
            + "</row></sheetData></worksheet>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def _prepare(scratch, event, *files) -> list[str]:
    """Create the event and submit each (path, dry_run) as a job; their ids."""
    return scratch.python(prepare_code(event=event, files=list(files)))


def _state(scratch, event) -> tuple[dict, int]:
    """Every job by id, and how many projects the event has."""
    state = scratch.python(state_code(event))
    return state["jobs"], state["projects"]


def test_a_worker_checks_and_writes_and_a_hostile_file_fails_alone(scratch, tmp_path):
    ok = _csv(tmp_path, "ok.csv", 3)
    far = _far_cell_xlsx(tmp_path / "far.xlsx")
    check, hostile, write = _prepare(scratch, "worker-ok", (ok, True), (far, True), (ok, False))
    started = time.monotonic()
    done = scratch.command("worker", "--batch", "--worker-id", "test-ok")
    assert time.monotonic() - started < 60
    jobs, projects = _state(scratch, "worker-ok")
    assert (jobs[check]["state"], jobs[check]["worker"]) == ("done", "test-ok")
    assert jobs[check]["summary"]["created"] == 3 and jobs[check]["summary"]["written"] is False
    # Refused from its declared size, or stopped by the child's memory limit: either way one
    # clear line, and the worker goes on to the next job.
    assert jobs[hostile]["state"] == "failed", done.stderr[-2000:]
    assert jobs[hostile]["code"] in {"refused", "memory"}, jobs[hostile]
    assert "\n" not in jobs[hostile]["text"]
    assert jobs[write]["summary"]["written"] is True and projects == 3
    # The same summary the command line prints for the file.
    cli = scratch.command("import", str(ok), "--event", "worker-ok", "--dry-run")
    assert "3 unchanged" in cli.stdout or "unchanged: 3" in cli.stdout, cli.stdout


def test_the_memory_limit_stops_a_job_with_one_line(scratch, tmp_path):
    # Room for the child's start-up (Django, numpy through openpyxl, the PostgreSQL driver),
    # not for 60,000 rows.
    (job,) = _prepare(scratch, "worker-memory", (_csv(tmp_path, "big.csv", 60_000), True))
    scratch.command("worker", "--batch", env={"INVESTPROMO_JOB_MAX_MEMORY": str(220 << 20)})
    failed = _state(scratch, "worker-memory")[0][job]
    assert (failed["state"], failed["code"]) == ("failed", "memory"), failed["text"]
    assert "220 MiB" in failed["text"] and "\n" not in failed["text"]


def test_the_time_limit_stops_a_job_and_nothing_is_written(scratch, tmp_path):
    (job,) = _prepare(scratch, "worker-time", (_csv(tmp_path, "big.csv", 20_000), False))
    scratch.command("worker", "--batch", env={"INVESTPROMO_JOB_MAX_SECONDS": "1"})
    jobs, projects = _state(scratch, "worker-time")
    assert (jobs[job]["state"], jobs[job]["code"]) == ("failed", "time")
    assert "1 秒" in jobs[job]["text"] and projects == 0


def test_a_worker_killed_mid_job_leaves_nothing_and_its_restart_fails_the_job(scratch, tmp_path):
    (job,) = _prepare(scratch, "worker-killed", (_csv(tmp_path, "big.csv", 20_000), False))
    worker = scratch.start("worker", "--worker-id", "killed-1", "--interval", "0.1")
    try:
        deadline = time.monotonic() + 60
        while _state(scratch, "-")[0][job]["state"] == "queued" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _state(scratch, "-")[0][job]["state"] == "running"
    finally:
        worker.kill()  # SIGKILL: no chance to record anything; its child dies with it
        worker.wait()
    # Time passes with no sign of life from the job (its worker is gone); a restarted worker
    # with the same id then finds it.
    scratch.python(
        "import datetime as dt\n"
        "from django.utils import timezone\n"
        "from investpromo.jobs.models import Job\n"
        f"Job.objects.filter(pk={job}).update(updated_at=timezone.now() - dt.timedelta(minutes=5))\n"
        "print(json.dumps(True))\n"
    )
    restarted = scratch.command("worker", "--batch", "--worker-id", "killed-1")
    jobs, projects = _state(scratch, "worker-killed")
    assert (jobs[job]["state"], jobs[job]["code"]) == ("failed", "interrupted"), restarted.stderr
    assert "重新上传" in jobs[job]["text"] and projects == 0


def _zip_bomb(path, sheet_bytes: int):
    """An xlsx whose one sheet inflates to `sheet_bytes` of rows (a few KB packed per MB)."""
    _far_cell_xlsx(path)  # the workbook parts; the sheet is replaced below
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            if not name.endswith("sheet1.xml"):
                archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
            sheet.write(b'<worksheet xmlns="' + main + b'"><sheetData>')
            block = row * 20_000
            for _ in range(sheet_bytes // len(block)):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return path


def test_a_zip_bomb_and_a_file_over_the_row_limit_fail_their_jobs_quickly(scratch, tmp_path):
    # Limits lowered so that small files stand for the 3.9 GB bomb and the 1,000,001-row list.
    limits = {"INVESTPROMO_IMPORT_MAX_ROWS": "1000", "INVESTPROMO_IMPORT_MAX_BYTES": "1048576"}
    bomb = _zip_bomb(tmp_path / "bomb.xlsx", 40 << 20)
    assert bomb.stat().st_size < 1 << 20
    rows = _csv(tmp_path, "rows.csv", 1001)
    jobs = _prepare(scratch, "worker-limits", (bomb, True), (rows, True))
    started = time.monotonic()
    scratch.command("worker", "--batch", env=limits)
    assert time.monotonic() - started < 60
    state, projects = _state(scratch, "worker-limits")
    for job, words in zip(jobs, ("unpacks to", "1,000 rows"), strict=True):
        assert (state[job]["state"], state[job]["code"]) == ("failed", "refused"), state[job]
        assert words in state[job]["text"] and "\n" not in state[job]["text"]
    assert projects == 0


def test_a_failure_near_the_memory_limit_counts_as_out_of_memory():
    # A C extension that fails an allocation may raise anything (CI saw a SystemError): the
    # process's peak address space against its limit decides, not the exception's type.
    probe = (
        "import resource\n"
        "from investpromo.jobs.child import address_space_nearly_exhausted as near\n"
        "before = near()\n"
        "size = int(open('/proc/self/status').read().split('VmSize:')[1].split()[0]) * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS, (size + (40 << 20),) * 2)\n"
        "blocks = []\n"
        "try:\n"
        "    while True: blocks.append(bytearray(4 << 20))\n"
        "except MemoryError:\n"
        "    blocks.clear()\n"
        "print(before, near())\n"
    )
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert ran.stdout.split() == ["False", "True"], ran.stderr
