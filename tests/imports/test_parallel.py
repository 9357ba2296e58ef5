"""Imports running at the same time, as real processes on one database: each project once."""

import csv

from tests.imports.scratch_db import scratch_db  # noqa: F401 (a fixture)

ROWS = 3000
PROCESSES = 3
DESTINATIONS = ["松北区", "道里区", "南岗区", "大庆市", "齐齐哈尔市"]
USCCS = ["91440300MA5D11110P", "91330200MA2C22227X", "91230100MA7E333306"]


def signing_list(path):
    """ROWS projects of a few hundred investors, some of them with a USCC."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["序号", "项目名称", "投资方", "统一社会信用代码", "落地地区", "签约金额（万元）"]
        )
        for n in range(1, ROWS + 1):
            investor = n % 400
            uscc = USCCS[investor] if investor < len(USCCS) else ""
            writer.writerow(
                [
                    n,
                    f"并发项目{n}",
                    f"并发投资{investor}有限公司",
                    uscc,
                    DESTINATIONS[n % 5],
                    100 + n,
                ]
            )
    return path


def test_parallel_imports_of_one_file_write_each_project_once(scratch_db, tmp_path):  # noqa: F811
    db = scratch_db
    done = db.run("setup")
    assert done.returncode == 0, done.stderr
    made = db.run(
        "event", "add", "e1", "--name", "并发测试", "--start", "2024-08-31", "--region", "哈尔滨市"
    )
    assert made.returncode == 0, made.stderr
    path = str(signing_list(tmp_path / "list.csv"))

    started = [db.start("import", path, "--event", "e1") for _ in range(PROCESSES)]
    results = []
    for process in started:
        out, err = process.communicate(timeout=600)
        results.append((process.returncode, out, err))

    for code, _, err in results:
        # Written, or found unchanged after waiting; at worst refused cleanly, nothing written.
        assert code in (0, 1), err
        assert "Traceback" not in err, err
        if code == 1:
            assert "nothing was written: import the file again" in err, err
    written = [out for code, out, _ in results if code == 0]
    assert sum(f"Projects: {ROWS} created" in out for out in written) == 1, written
    assert all(f"{ROWS} unchanged" in out for out in written if f"{ROWS} created" not in out)

    assert db.query("SELECT COUNT(*) FROM projects_project") == [(ROWS,)]
    repeated = db.query(
        "SELECT event_id, normalized_name, investor_key FROM projects_project "
        "GROUP BY event_id, normalized_name, investor_key HAVING COUNT(*) > 1"
    )
    assert repeated == []
    assert db.query("SELECT COUNT(*) FROM orgs_organisation") == [(400,)]
    assert db.query("SELECT COUNT(*) FROM core_changelog WHERE action = 'import'") == [(1,)]

    again = db.run("import", path, "--event", "e1")
    assert again.returncode == 0, again.stderr
    assert f"Projects: 0 created, 0 updated, {ROWS} unchanged, 0 rejected" in again.stdout
