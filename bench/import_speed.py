"""Import speed: a generated 100,000-row signing list validated (dry run) and committed into a
scratch SQLite database, against the same file's raw cell-read time with python-calamine
measured in the same run (the ratio is what counts; machines differ). Target: the commit
within 3× the raw read + write floor (below), and memory that does not grow with the file
beyond the rows held.

The write floor is what the database alone costs for the same rows: the projects and
organisations the import wrote, copied as plain tuples into an empty database with the same
schema and inserted, indexed and committed the fastest way SQLite allows. Read time plus write
floor is the least any import of this file can take in one process, with no checks at all.

Memory is measured in child processes importing files of two sizes: the peak resident set of
each says whether it grows with the file. Set BENCH_IMPORT_ROWS for another size.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
TARGET = 3.0
_CHILD = "BENCH_IMPORT_CHILD"


def _setup_django(workdir: Path):
    """A fresh scratch database with reference data, a USD rate and an event."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "investpromo.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["INVESTPROMO_DATA_DIR"] = str(workdir)
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command

    from investpromo.core.audit import system_user
    from investpromo.core.reference import load_reference_data
    from investpromo.events.services import create_event
    from investpromo.geo.resolver import resolve_region
    from investpromo.projects.rates import set_exchange_rate

    call_command("migrate", verbosity=0, interactive=False)
    load_reference_data()
    actor = system_user()
    set_exchange_rate(actor=actor, currency="USD", cny_per_unit="7.1", date=dt.date(2024, 8, 1))

    def event(slug):
        return create_event(
            actor=actor,
            slug=slug,
            name="基准测试推介会",
            start_date=dt.date(2024, 8, 31),
            end_date=dt.date(2024, 9, 1),
            host_region=resolve_region("哈尔滨市"),
        )

    return actor, event


def _signing_list(rows: int) -> Path:
    from bench.signing_lists import cached

    started = time.perf_counter()
    path = cached(rows)
    spent = time.perf_counter() - started
    if spent > 1:
        print(f"  (generated {path.name} in {spent:.1f} s; cached for later runs)")
    return path


def _raw_read(path: Path) -> float:
    """Seconds to read every cell of every sheet with calamine: the floor for any import."""
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    workbook = CalamineWorkbook.from_path(str(path))
    for index, _ in enumerate(workbook.sheet_names):
        for _row in workbook.get_sheet_by_index(index).iter_rows():
            pass
    return time.perf_counter() - started


def _write_floor(database: Path) -> float:
    """Seconds for SQLite alone to store the rows the import stored: inserts, indexes, commit."""
    import sqlite3

    tables = ("orgs_organisation", "projects_project")
    source = sqlite3.connect(database)
    rows = {table: source.execute(f"SELECT * FROM {table}").fetchall() for table in tables}
    schema = source.execute(
        "SELECT type, tbl_name, sql FROM sqlite_master WHERE tbl_name IN (?, ?) "
        "AND sql IS NOT NULL",
        tables,
    ).fetchall()
    source.close()
    target_path = database.with_name("write-floor.sqlite3")
    target_path.unlink(missing_ok=True)
    target = sqlite3.connect(target_path, isolation_level=None)
    target.execute("PRAGMA journal_mode=WAL")
    target.execute("PRAGMA synchronous=NORMAL")
    target.execute("PRAGMA foreign_keys=OFF")  # the referenced tables are not copied
    for kind, _, sql in schema:
        if kind == "table":
            target.execute(sql)
    # Organisations keep their indexes while loading (the import needs them); the projects'
    # non-unique indexes are built after the load, as the import does for a large file.
    deferred = []
    for kind, table, sql in schema:
        if kind == "index":
            late = table == "projects_project" and not sql.startswith("CREATE UNIQUE")
            (deferred.append(sql) if late else target.execute(sql))
    started = time.perf_counter()
    target.execute("BEGIN IMMEDIATE")
    for table in tables:
        if rows[table]:
            marks = ", ".join("?" * len(rows[table][0]))
            target.executemany(f"INSERT INTO {table} VALUES ({marks})", rows[table])
    for sql in deferred:
        target.execute(sql)
    target.execute("COMMIT")
    spent = time.perf_counter() - started
    target.close()
    target_path.unlink(missing_ok=True)
    return spent


def _peak_mb() -> float:
    """Peak resident memory of this process in MB."""
    # VmHWM where /proc has it: ru_maxrss survives fork and exec on Linux, so a child would
    # report its parent's peak.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _child(rows: int) -> int:
    """Commit one import of `rows` rows and print the process's peak memory as JSON."""
    workdir = Path(tempfile.mkdtemp(prefix="investpromo-bench-mem-"))
    actor, event = _setup_django(workdir)
    from investpromo.imports.importer import import_signing_list

    path = _signing_list(rows)
    before = _peak_mb()
    report = import_signing_list(actor=actor, path=path, event=event("mem"))
    print(json.dumps({"rows": report.created, "before_mb": before, "peak_mb": _peak_mb()}))
    return 0


def _memory(rows: int) -> dict:
    env = {**os.environ, _CHILD: str(rows)}
    code = "import bench.import_speed as b; raise SystemExit(b.main())"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    if os.environ.get(_CHILD):
        return _child(int(os.environ[_CHILD]))
    workdir = Path(tempfile.mkdtemp(prefix="investpromo-bench-import-"))
    actor, event = _setup_django(workdir)
    from investpromo.imports.importer import import_signing_list

    path = _signing_list(ROWS)
    size_mb = path.stat().st_size / 1048576
    print(f"Import of a {ROWS:,}-row signing list ({size_mb:.1f} MB xlsx), scratch SQLite")
    raw = min(_raw_read(path) for _ in range(2))
    target = event("bench")

    def timed(**options):
        started = time.perf_counter()
        report = import_signing_list(actor=actor, path=path, event=target, **options)
        return time.perf_counter() - started, report

    dry, dry_report = timed(dry_run=True)
    commit, report = timed()
    again, again_report = timed()
    assert not report.errors, report.errors[:5]
    assert dry_report.created == report.created == ROWS and again_report.unchanged == ROWS

    def line(label, seconds):
        rate = ROWS / seconds
        print(f"  {label:32s} {seconds:7.2f} s {rate:10,.0f} rows/s {seconds / raw:6.1f}× raw")

    line("raw cell read (python-calamine)", raw)
    line("validate (dry run)", dry)
    line("commit (all rows new)", commit)
    line("re-import (all rows unchanged)", again)
    floor = min(_write_floor(workdir / "bench.sqlite3") for _ in range(2))
    line("write floor (SQLite alone)", floor)
    line("raw read + write floor", raw + floor)
    ratio = commit / (raw + floor)
    verdict = "met" if ratio <= TARGET else "not met"
    print(
        f"  the commit takes {ratio:.1f}× the raw read + write floor, the least an import can "
        f"take in one process (target: within {TARGET:.0f}×: {verdict}); {commit / raw:.1f}× "
        "the raw read alone"
    )
    print(f"  peak RSS of this process (all of the above): {_peak_mb():.0f} MB")
    small = max(ROWS // 5, 1000)
    sizes = [_memory(small), _memory(ROWS)]
    grows = ", ".join(
        f"{m['rows']:,} rows {m['peak_mb']:.0f} MB (before the import {m['before_mb']:.0f} MB)"
        for m in sizes
    )
    print(f"  peak RSS of a commit alone: {grows}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
