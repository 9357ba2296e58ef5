"""Uploads made before the task queue (web.ImportJob) become jobs, their files kept."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.web.conftest import fresh_reference_data, restore_reference_data  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_reference_data"),
]
BEFORE = [("web", "0003_importjob_confirmed_by_runner"), ("jobs", "0001_initial")]
AFTER = [("web", "0004_move_uploads_to_jobs")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_each_upload_becomes_a_check_and_a_confirmed_one_a_write_too(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "a.csv").write_bytes("项目名称\n".encode())
    old = _migrate(BEFORE)
    User = old.get_model("auth", "User")
    officer = User.objects.create(username="officer-m")
    admin = User.objects.create(username="admin-m")
    ImportJob = old.get_model("web", "ImportJob")
    common = {"user": officer, "kind": "signing", "original_name": "签约.csv"}
    written = ImportJob.objects.create(
        **common,
        file="uploads/a.csv",
        stage="write",
        status="finished",
        confirmed_by=admin,
        preview={"created": 1},
        result={"written": True},
    )
    ImportJob.objects.create(
        **common, file="uploads/gone.csv", status="failed", error="broken.xlsx: damaged"
    )
    ImportJob.objects.create(**common, file="uploads/a.csv", status="running", runner="x")
    new = _migrate(AFTER)
    Job = new.get_model("jobs", "Job")
    checks = list(Job.objects.filter(dry_run=True).order_by("id"))
    assert [job.state for job in checks] == ["done", "failed", "failed"]
    assert checks[1].error_params == {"detail": "broken.xlsx: damaged"}
    write = Job.objects.get(dry_run=False)
    assert (write.preview_id, write.user_id, write.summary) == (
        checks[0].pk,
        admin.pk,
        {"written": True},
    )
    assert checks[0].summary == {"created": 1} and checks[0].user_id == officer.pk
    # The file itself is now in the database; a missing one is kept as an empty record.
    chunks = new.get_model("jobs", "StoredFileChunk").objects.filter(file=checks[0].file_id)
    assert b"".join(bytes(chunk.data) for chunk in chunks) == "项目名称\n".encode()
    assert checks[1].file.size == 0 and written.original_name == checks[0].original_name
