"""Uploading a signing list or a progress report: a dry-run preview, then a confirm that writes.

The same views serve both kinds of upload; the URL names the kind (see UPLOADS).
"""

import csv
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from investpromo.web import jobs, runners
from investpromo.web.access import abilities, forbidden, page, web_view
from investpromo.web.followup_forms import ProgressUploadForm
from investpromo.web.forms import ConfirmForm, UploadForm
from investpromo.web.models import ImportJob

RECENT = 20
# Problems listed on the page; all of them are in the CSV download.
PROBLEMS_SHOWN = 1000


@dataclass(frozen=True)
class Uploads:
    """What differs between the two kinds of upload."""

    kind: str
    form: type
    url_prefix: str
    report_template: str
    refusal: str
    # All-or-nothing only: a progress report has no "skip the rows with errors".
    can_skip_invalid: bool

    def url_name(self, name: str) -> str:
        return f"web:{self.url_prefix}_{name}"

    def urls(self) -> dict:
        return {
            name: self.url_name(name)
            for name in ("index", "detail", "progress", "confirm", "problems")
        }


UPLOADS = {
    ImportJob.Kind.SIGNING: Uploads(
        kind=ImportJob.Kind.SIGNING,
        form=UploadForm,
        url_prefix="import",
        report_template="web/imports/_report.html",
        refusal=gettext_lazy("Your account is read-only: you cannot import signing lists."),
        can_skip_invalid=True,
    ),
    ImportJob.Kind.PROGRESS: Uploads(
        kind=ImportJob.Kind.PROGRESS,
        form=ProgressUploadForm,
        url_prefix="progress_import",
        report_template="web/imports/_progress_report.html",
        refusal=gettext_lazy("Your account is read-only: you cannot import progress reports."),
        can_skip_invalid=False,
    ),
}


def _refuse(request, uploads: Uploads):
    return forbidden(request, str(uploads.refusal))


def _job_for(request, pk, uploads: Uploads) -> ImportJob:
    # Officers see their own uploads; administrators everyone's.
    jobs_visible = ImportJob.objects.select_related("event", "user", "confirmed_by").filter(
        kind=uploads.kind
    )
    if not abilities(request).is_administrator:
        jobs_visible = jobs_visible.filter(user=request.user)
    # A job whose server stopped would otherwise show "running" for ever.
    return jobs.fail_if_interrupted(get_object_or_404(jobs_visible, pk=pk))


@web_view
def import_index(request, kind=ImportJob.Kind.SIGNING):
    """The upload form and the user's recent uploads."""
    uploads = UPLOADS[kind]
    if not abilities(request).can_import:
        return _refuse(request, uploads)
    form = uploads.form(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            user=request.user,
            kind=uploads.kind,
            event=form.cleaned_data["event"],
            file=upload,
            original_name=upload.name[:255],
        )
        jobs.start(job)
        return redirect(uploads.url_name("detail"), pk=job.pk)
    recent = ImportJob.objects.select_related("event").filter(user=request.user, kind=kind)
    return page(
        request,
        "web/imports/index.html",
        {
            "form": form,
            "recent": [jobs.fail_if_interrupted(job) for job in recent[:RECENT]],
            "kind": kind,
            "urls": uploads.urls(),
        },
    )


def _report(job: ImportJob) -> dict | None:
    return job.result if job.stage == ImportJob.Stage.WRITE else job.preview


def _rows_read(report: dict | None) -> int:
    rows = (report or {}).get("rows_read", 0)
    # A progress report counts rows per sheet.
    return sum(rows.values()) if isinstance(rows, dict) else rows


@web_view
def import_detail(request, pk, kind=ImportJob.Kind.SIGNING):
    """Progress while the importer runs; then the preview, or the result once written."""
    uploads = UPLOADS[kind]
    if not abilities(request).can_import:
        return _refuse(request, uploads)
    job = _job_for(request, pk, uploads)
    report = _report(job)
    errors = (report or {}).get("errors", [])
    warnings = (report or {}).get("warnings", [])
    return page(
        request,
        "web/imports/detail.html",
        {
            "job": job,
            "interrupted": job.error == jobs.INTERRUPTED,
            "report": report,
            "errors": errors[:PROBLEMS_SHOWN],
            "warnings": warnings[: max(0, PROBLEMS_SHOWN - len(errors))],
            "problems_cut": len(errors) + len(warnings) > PROBLEMS_SHOWN,
            "problems_shown": PROBLEMS_SHOWN,
            "report_has_errors": bool(errors),
            "error_count": (report or {}).get("error_count", len(errors)),
            "warning_count": (report or {}).get("warning_count", len(warnings)),
            "progress": jobs.read_progress(job.pk),
            "confirm_form": ConfirmForm(initial={"skip_invalid": job.skip_invalid}),
            "kind": kind,
            "urls": uploads.urls(),
            "report_template": uploads.report_template,
            "can_skip_invalid": uploads.can_skip_invalid,
            # All-or-nothing without a skip option: a report with errors cannot be confirmed.
            "show_confirm": job.can_confirm and (uploads.can_skip_invalid or not errors),
            "rows_read": _rows_read(report),
        },
    )


@web_view
def import_problems(request, pk, kind=ImportJob.Kind.SIGNING):
    """Every error and warning of an upload's report as CSV (for fixing the file)."""
    uploads = UPLOADS[kind]
    if not abilities(request).can_import:
        return _refuse(request, uploads)
    job = _job_for(request, pk, uploads)
    report = _report(job) or {}
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="problems-{job.pk}.csv"'
    # A byte-order mark, so that Excel opens the Chinese text as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["kind", "sheet", "row", "column", "message"])
    for kind in ("errors", "warnings"):
        for problem in report.get(kind, []):
            writer.writerow(
                [kind[:-1], problem["sheet"], problem["row"], problem["column"], problem["message"]]
            )
    return response


@web_view
def import_progress(request, pk, kind=ImportJob.Kind.SIGNING):
    """The running import's progress as JSON, for the page's small poller."""
    uploads = UPLOADS[kind]
    if not abilities(request).can_import:
        return _refuse(request, uploads)
    job = _job_for(request, pk, uploads)
    progress = jobs.read_progress(job.pk)
    return JsonResponse(
        {
            "status": job.status,
            "stage": job.stage,
            "done": progress.get("done"),
            "total": progress.get("total"),
            "busy": job.is_busy,
        }
    )


@web_view
@require_POST
def import_confirm(request, pk, kind=ImportJob.Kind.SIGNING):
    """Write the previewed file: the only step of an upload that changes the ledger."""
    uploads = UPLOADS[kind]
    if not abilities(request).can_import:
        return _refuse(request, uploads)
    job = _job_for(request, pk, uploads)
    form = ConfirmForm(request.POST)
    skip_invalid = (
        uploads.can_skip_invalid and form.is_valid() and form.cleaned_data["skip_invalid"]
    )
    preview = job.preview or {}
    if (preview.get("error_count") or preview.get("errors")) and not skip_invalid:
        # All-or-nothing would write nothing: say so now rather than after a long run.
        if uploads.can_skip_invalid:
            message = _(
                "Some rows have errors: fix the file and upload it again, or choose to skip "
                "the rows with errors."
            )
        else:
            message = _("Some rows have errors: fix the file and upload it again.")
        messages.error(request, message)
        return redirect(uploads.url_name("detail"), pk=job.pk)
    # One conditional UPDATE: a double click or a second tab cannot start the write twice. The
    # job is this process's from the claim on, so no page shows it interrupted meanwhile.
    runner = runners.started(job.pk)
    claimed = ImportJob.objects.filter(
        pk=job.pk,
        stage=ImportJob.Stage.PREVIEW,
        status=ImportJob.Status.FINISHED,
        preview__isnull=False,
    ).update(
        stage=ImportJob.Stage.WRITE,
        status=ImportJob.Status.QUEUED,
        skip_invalid=skip_invalid,
        # The write runs as, and its audit names, whoever confirms it.
        confirmed_by=request.user,
        runner=runner,
    )
    if not claimed:
        runners.finished(job.pk)  # this request's hold only: a write under way keeps its own
        messages.error(request, _("This upload cannot be confirmed (again)."))
        return redirect(uploads.url_name("detail"), pk=job.pk)
    job.refresh_from_db()
    jobs.start(job, runner=runner)
    return redirect(uploads.url_name("detail"), pk=job.pk)
