"""The identity migration refuses to run over duplicate projects, listing them; it deletes none."""

from tests.imports.scratch_db import scratch_db  # noqa: F401 (a fixture)

ROWS = "项目名称,投资方,落地地区,签约金额（万元）\n石墨项目,甲公司,松北区,100\n碳纤维项目,甲公司,松北区,200\n"


def test_duplicates_stop_the_migration_until_resolved(scratch_db, tmp_path):  # noqa: F811
    db = scratch_db
    assert db.run("setup").returncode == 0
    made = db.run(
        "event", "add", "e1", "--name", "推介会", "--start", "2024-08-31", "--region", "哈尔滨市"
    )
    assert made.returncode == 0, made.stderr
    (tmp_path / "list.csv").write_text(ROWS, encoding="utf-8")
    assert db.run("import", str(tmp_path / "list.csv"), "--event", "e1").returncode == 0
    back = db.run("migrate", "projects", "0003")
    assert back.returncode == 0, back.stderr
    # As an older version could leave it: the second project now repeats the first.
    first, second = [pk for (pk,) in db.query("SELECT id FROM projects_project ORDER BY id")]
    db.query(
        "UPDATE projects_project SET name = %s, normalized_name = %s WHERE id = %s",
        ("石墨项目", "石墨项目", second),
    )

    refused = db.run("migrate")
    assert refused.returncode == 1
    assert (
        f"event e1: project '石墨项目': #{first} of 甲公司, #{second} of 甲公司" in refused.stderr
    )
    assert "Nothing was changed" in refused.stderr and "Traceback" not in refused.stderr
    assert db.query("SELECT COUNT(*) FROM projects_project") == [(2,)]
    applied = "SELECT COUNT(*) FROM django_migrations WHERE app = 'projects' AND name LIKE '0004%%'"
    assert db.query(applied) == [(0,)]

    db.query(
        "UPDATE projects_project SET name = %s, normalized_name = %s WHERE id = %s",
        ("石墨二期", "石墨二期", second),
    )
    done = db.run("migrate")
    assert done.returncode == 0, done.stderr
    keys = db.query("SELECT DISTINCT investor_key FROM projects_project")
    assert keys == [("甲公司",)]
