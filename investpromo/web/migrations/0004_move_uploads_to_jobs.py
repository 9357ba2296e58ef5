"""Uploads move to the jobs app: each upload's check (and its write, once confirmed) becomes a job."""

import hashlib

from django.db import migrations

_STATE = {"queued": "queued", "running": "running", "finished": "done", "failed": "failed"}
_KIND = {"signing": "signing_import", "progress": "progress_import"}


def _store(apps, upload):
    """The upload's file into the database (empty if it is gone from the disk)."""
    StoredFile = apps.get_model("jobs", "StoredFile")
    StoredFileChunk = apps.get_model("jobs", "StoredFileChunk")
    stored = StoredFile.objects.create(name=upload.original_name[:255], size=0, sha256="")
    digest, size = hashlib.sha256(), 0
    try:
        with upload.file.open("rb") as handle:
            for seq, data in enumerate(iter(lambda: handle.read(1 << 20), b"")):
                StoredFileChunk.objects.create(file=stored, seq=seq, data=data)
                digest.update(data)
                size += len(data)
    except (OSError, ValueError):
        pass
    stored.size, stored.sha256 = size, digest.hexdigest()
    stored.save()
    return stored


def copy_uploads(apps, schema_editor):
    ImportJob = apps.get_model("web", "ImportJob")
    Job = apps.get_model("jobs", "Job")
    for upload in ImportJob.objects.order_by("id").iterator():
        wrote = upload.stage == "write"
        # An unfinished upload from the old thread runner will never finish now.
        state = _STATE.get(upload.status, "failed")
        if state in ("queued", "running"):
            state = "failed"
        common = {
            "kind": _KIND.get(upload.kind, "signing_import"),
            "event_id": upload.event_id,
            "file": _store(apps, upload),
            "original_name": upload.original_name,
        }
        check = Job.objects.create(
            **common,
            user_id=upload.user_id,
            dry_run=True,
            state="done" if wrote or (state == "done" and upload.preview) else state,
            summary=upload.preview,
            error_code="" if wrote or state == "done" else "refused",
            error_params={} if wrote or state == "done" else {"detail": upload.error},
        )
        Job.objects.filter(pk=check.pk).update(created_at=upload.created_at)
        if wrote:
            write = Job.objects.create(
                **common,
                user_id=upload.confirmed_by_id or upload.user_id,
                dry_run=False,
                skip_invalid=upload.skip_invalid,
                preview=check,
                state=state,
                summary=upload.result,
                error_code="" if state == "done" else "refused",
                error_params={} if state == "done" else {"detail": upload.error},
            )
            Job.objects.filter(pk=write.pk).update(created_at=upload.updated_at)


class Migration(migrations.Migration):
    dependencies = [("web", "0003_importjob_confirmed_by_runner"), ("jobs", "0001_initial")]

    operations = [
        migrations.RunPython(copy_uploads, migrations.RunPython.noop),
        migrations.DeleteModel(name="ImportJob"),
    ]
