"""The work of import jobs: an importer run for the job's file, event and account."""

from investpromo.imports.importer import import_signing_list
from investpromo.imports.progress import import_progress
from investpromo.jobs.selectors import job_file

# Problems kept on a job (the counts are always complete): a file whose every row is wrong must
# not make a report of tens of megabytes that every poll of the job would read.
STORED_PROBLEMS = 5000


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
    # The web preview lists the first rows as read and resolved (not in the API's summary).
    return {**report.to_dict(max_problems=STORED_PROBLEMS), "preview_rows": report.preview}


def run_progress_import(job, progress) -> dict:
    """Check (dry run) or write the job's progress report; the report as the API shows it."""
    uploader = job.preview.user if job.preview_id else None
    with job_file(job) as path:
        report = import_progress(
            actor=job.user,
            path=path,
            dry_run=job.dry_run,
            event_slug=job.event.slug if job.event_id else None,
            source_name=job.original_name,
            uploaded_by=uploader,
            progress=progress,
        )
    data = report.to_dict()
    data["error_count"], data["warning_count"] = len(report.errors), len(report.warnings)
    data["errors"] = data["errors"][:STORED_PROBLEMS]
    data["warnings"] = data["warnings"][:STORED_PROBLEMS]
    return data
