"""A progress-report job's work: the progress importer run for the job's file."""

from investpromo.followup.progress_import import import_progress
from investpromo.jobs.selectors import job_file


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
        )
    data = report.to_dict()
    data["error_count"], data["warning_count"] = len(report.errors), len(report.warnings)
    return data
