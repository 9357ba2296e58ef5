"""A signing-list job's work: the importer run for the job's file, event and account."""

from investpromo.imports.importer import import_signing_list
from investpromo.jobs.selectors import job_file


def run_signing_import(job, progress) -> dict:
    """Check (dry run) or write the job's signing list; the report as the API shows it."""
    # A confirmed write runs as whoever confirmed it; the uploader is named in the audit and
    # bounds the rows to their regions too, as their check showed.
    uploader = job.preview.user if job.preview_id else None
    with job_file(job) as path:
        report = import_signing_list(
            actor=job.user,
            path=path,
            event=job.event,
            dry_run=job.dry_run,
            skip_invalid=job.skip_invalid,
            progress=progress,
            source_name=job.original_name,
            uploaded_by=uploader,
        )
    return report.to_dict()
