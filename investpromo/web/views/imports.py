"""Uploading a signing list or a progress report: a dry-run preview, then a confirm that writes.

The same views serve both kinds of upload; the URL names the kind (see UPLOADS).
"""

import csv
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from investpromo.core.errors import UserError
from investpromo.core.spreadsheets import csv_row
from investpromo.imports.blank_templates import (
    PROGRESS_TEMPLATE,
    SIGNING_TEMPLATE,
    template_filename,
    template_workbook,
)
from investpromo.imports.messages import localized_problems
from investpromo.jobs.models import Job
from investpromo.jobs.selectors import (
    as_it_stands,
    current_run,
    jobs_visible_to,
    same_file_written_elsewhere,
)
from investpromo.jobs.services import confirm_job, submit_job
from investpromo.web.access import abilities, forbidden, page, web_view
from investpromo.web.followup_forms import ProgressUploadForm
from investpromo.web.forms import ConfirmForm, UploadForm

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
    Job.Kind.SIGNING_IMPORT: Uploads(
        kind=Job.Kind.SIGNING_IMPORT,
        form=UploadForm,
        url_prefix="import",
        report_template="web/imports/_report.html",
        refusal=gettext_lazy("Your account is read-only: you cannot import signing lists."),
        can_skip_invalid=True,
    ),
    Job.Kind.PROGRESS_IMPORT: Uploads(
        kind=Job.Kind.PROGRESS_IMPORT,
        form=ProgressUploadForm,
        url_prefix="progress_import",
        report_template="web/imports/_progress_report.html",
        refusal=gettext_lazy("Your account is read-only: you cannot import progress reports."),
        can_skip_invalid=False,
    ),
}


def _refuse(request, uploads: Uploads):
    return forbidden(request, str(uploads.refusal))


def _upload_for(request, pk, uploads: Uploads) -> Job:
    """The upload (its check) with this id, if this user may see it; 404 otherwise."""
    visible = jobs_visible_to(request.user).filter(kind=uploads.kind, dry_run=True)
    return get_object_or_404(visible, pk=pk)


@web_view
def import_index(request, kind=Job.Kind.SIGNING_IMPORT):
    """The upload form and the user's recent uploads."""
    uploads = UPLOADS[kind]
    if not abilities(request).can_import:
        return _refuse(request, uploads)
    # ?event=SLUG (an empty event's invitation to import): that event is chosen already.
    form = uploads.form(
        request.POST or None, request.FILES or None, initial={"event": request.GET.get("event")}
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = submit_job(
            actor=request.user,
            kind=uploads.kind,
            file=upload,
            original_name=upload.name,
            event=form.cleaned_data["event"],
            dry_run=True,
        )
        return redirect(uploads.url_name("detail"), pk=job.pk)
    recent = (
        Job.objects.select_related("event", "write")
        .filter(user=request.user, kind=kind, dry_run=True)
        .order_by("-created_at", "-id")[:RECENT]
    )
    return page(
        request,
        "web/imports/index.html",
        {
            "form": form,
            "recent": [(upload, current_run(upload)) for upload in recent],
            "kind": kind,
            "urls": uploads.urls(),
        },
    )


def _rows_read(report: dict | None) -> int:
    rows = (report or {}).get("rows_read", 0)
    # A progress report counts rows per sheet.
    return sum(rows.values()) if isinstance(rows, dict) else rows


@web_view
def import_template(request, kind=Job.Kind.SIGNING_IMPORT):
    """A blank xlsx to fill in: the accepted headers, drop-downs and instructions."""
    template = PROGRESS_TEMPLATE if kind == Job.Kind.PROGRESS_IMPORT else SIGNING_TEMPLATE
    language = get_language()
    response = HttpResponse(
        template_workbook(template, lang=language),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = template_filename(template, lang=language)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@web_view
def import_detail(request, pk, kind=Job.Kind.SIGNING_IMPORT):
    """Progress while the importer runs; then the preview, or the result once written."""
    uploads = UPLOADS[kind]
    if not abilities(request).can_import:
        return _refuse(request, uploads)
    upload = _upload_for(request, pk, uploads)
    job = current_run(upload)
    report = job.summary
    errors = (report or {}).get("errors", [])
    warnings = (report or {}).get("warnings", [])
    return page(
        request,
        "web/imports/detail.html",
        {
            "upload": upload,
            "job": job,
            "report": report,
            "errors": localized_problems(errors[:PROBLEMS_SHOWN]),
            "warnings": localized_problems(warnings[: max(0, PROBLEMS_SHOWN - len(errors))]),
            "problems_cut": len(errors) + len(warnings) > PROBLEMS_SHOWN,
            "problems_shown": PROBLEMS_SHOWN,
            "report_has_errors": bool(errors),
            "error_count": (report or {}).get("error_count", len(errors)),
            "warning_count": (report or {}).get("warning_count", len(warnings)),
            "confirm_form": ConfirmForm(initial={"skip_invalid": upload.skip_invalid}),
            "kind": kind,
            "urls": uploads.urls(),
            "report_template": uploads.report_template,
            "can_skip_invalid": uploads.can_skip_invalid,
            # All-or-nothing without a skip option: a report with errors cannot be confirmed.
            "show_confirm": _can_confirm(upload, job) and (uploads.can_skip_invalid or not errors),
            "rows_read": _rows_read(report),
            "preview_page": _preview_page(request, report),
            "same_file_elsewhere": (
                same_file_written_elsewhere(upload) if kind == Job.Kind.SIGNING_IMPORT else []
            ),
        },
    )


PREVIEW_PAGE_SIZE = 50


def _preview_page(request, report):
    """The page of the preview's rows asked for (?rows=N), or None without rows."""
    rows = (report or {}).get("preview_rows") or []
    if not rows:
        return None
    return Paginator(rows, PREVIEW_PAGE_SIZE).get_page(request.GET.get("rows"))


def _can_confirm(upload: Job, job: Job) -> bool:
    """Checked, and not written yet."""
    return job.pk == upload.pk and job.state == Job.State.DONE and bool(job.summary)


@web_view
def import_problems(request, pk, kind=Job.Kind.SIGNING_IMPORT):
    """Every error and warning of an upload's report as CSV (for fixing the file)."""
    uploads = UPLOADS[kind]
    if not abilities(request).can_import:
        return _refuse(request, uploads)
    report = current_run(_upload_for(request, pk, uploads)).summary or {}
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="problems-{pk}.csv"'
    # A byte-order mark, so that Excel opens the Chinese text as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["kind", "sheet", "row", "column", "message"])
    for kind in ("errors", "warnings"):
        for problem in report.get(kind, []):
            # Sheet names, columns and messages quote the upload: written so they never run.
            writer.writerow(
                csv_row(
                    [
                        kind[:-1],
                        problem["sheet"],
                        problem["row"],
                        problem["column"],
                        problem["message"],
                    ]
                )
            )
    return response


@web_view
def import_progress(request, pk, kind=Job.Kind.SIGNING_IMPORT):
    """The running job's progress as JSON, for the page's small poller."""
    uploads = UPLOADS[kind]
    if not abilities(request).can_import:
        return _refuse(request, uploads)
    job = current_run(_upload_for(request, pk, uploads))
    return JsonResponse(
        {
            "state": job.state,
            "stage": "preview" if job.dry_run else "write",
            "done": job.rows_done,
            "total": job.rows_total,
            "busy": job.is_busy,
        }
    )


@web_view
@require_POST
def import_confirm(request, pk, kind=Job.Kind.SIGNING_IMPORT):
    """Write the previewed file: the only step of an upload that changes the ledger."""
    uploads = UPLOADS[kind]
    if not abilities(request).can_import:
        return _refuse(request, uploads)
    upload = as_it_stands(_upload_for(request, pk, uploads))
    form = ConfirmForm(request.POST)
    skip_invalid = (
        uploads.can_skip_invalid and form.is_valid() and form.cleaned_data["skip_invalid"]
    )
    preview = upload.summary or {}
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
        return redirect(uploads.url_name("detail"), pk=upload.pk)
    try:
        # The write runs as, and its audit names, whoever confirms it; once per check.
        confirm_job(actor=request.user, preview=upload, skip_invalid=skip_invalid)
    except UserError:
        messages.error(request, _("This upload cannot be confirmed (again)."))
    return redirect(uploads.url_name("detail"), pk=upload.pk)
