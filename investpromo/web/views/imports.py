"""Uploading a signing list: preview (dry run) first, then a separate confirm that writes."""

import csv

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from investpromo.web import jobs
from investpromo.web.access import abilities, forbidden, page, web_view
from investpromo.web.forms import ConfirmForm, UploadForm
from investpromo.web.models import ImportJob

RECENT = 20
# Problems listed on the page; all of them are in the CSV download.
PROBLEMS_SHOWN = 1000


def _refuse(request):
    return forbidden(request, _("Your account is read-only: you cannot import signing lists."))


def _job_for(request, pk) -> ImportJob:
    # Officers see their own uploads; administrators everyone's.
    jobs_visible = ImportJob.objects.select_related("event", "user")
    if not abilities(request).is_administrator:
        jobs_visible = jobs_visible.filter(user=request.user)
    return get_object_or_404(jobs_visible, pk=pk)


@web_view
def import_index(request):
    """The upload form and the user's recent uploads."""
    if not abilities(request).can_import:
        return _refuse(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            user=request.user,
            event=form.cleaned_data["event"],
            file=upload,
            original_name=upload.name[:255],
        )
        jobs.start(job)
        return redirect("web:import_detail", pk=job.pk)
    recent = ImportJob.objects.select_related("event").filter(user=request.user)[:RECENT]
    return page(request, "web/imports/index.html", {"form": form, "recent": recent})


def _report(job: ImportJob) -> dict | None:
    return job.result if job.stage == ImportJob.Stage.WRITE else job.preview


@web_view
def import_detail(request, pk):
    """Progress while the importer runs; then the preview, or the result once written."""
    if not abilities(request).can_import:
        return _refuse(request)
    job = _job_for(request, pk)
    report = _report(job)
    errors = (report or {}).get("errors", [])
    warnings = (report or {}).get("warnings", [])
    return page(
        request,
        "web/imports/detail.html",
        {
            "job": job,
            "report": report,
            "errors": errors[:PROBLEMS_SHOWN],
            "warnings": warnings[: max(0, PROBLEMS_SHOWN - len(errors))],
            "problems_cut": len(errors) + len(warnings) > PROBLEMS_SHOWN,
            "problems_shown": PROBLEMS_SHOWN,
            "report_has_errors": bool(errors),
            "progress": jobs.read_progress(job.pk),
            "confirm_form": ConfirmForm(initial={"skip_invalid": job.skip_invalid}),
        },
    )


@web_view
def import_problems(request, pk):
    """Every error and warning of an upload's report as CSV (for fixing the file)."""
    if not abilities(request).can_import:
        return _refuse(request)
    job = _job_for(request, pk)
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
def import_progress(request, pk):
    """The running import's progress as JSON, for the page's small poller."""
    if not abilities(request).can_import:
        return _refuse(request)
    job = _job_for(request, pk)
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
def import_confirm(request, pk):
    """Write the previewed file: the only step of an upload that changes the ledger."""
    if not abilities(request).can_import:
        return _refuse(request)
    job = _job_for(request, pk)
    form = ConfirmForm(request.POST)
    skip_invalid = form.is_valid() and form.cleaned_data["skip_invalid"]
    if (job.preview or {}).get("error_count") and not skip_invalid:
        # All-or-nothing would write nothing: say so now rather than after a long run.
        messages.error(
            request,
            _(
                "Some rows have errors: fix the file and upload it again, or choose to skip "
                "the rows with errors."
            ),
        )
        return redirect("web:import_detail", pk=job.pk)
    # One conditional UPDATE: a double click or a second tab cannot start the write twice.
    claimed = ImportJob.objects.filter(
        pk=job.pk,
        stage=ImportJob.Stage.PREVIEW,
        status=ImportJob.Status.FINISHED,
        preview__isnull=False,
    ).update(stage=ImportJob.Stage.WRITE, status=ImportJob.Status.QUEUED, skip_invalid=skip_invalid)
    if not claimed:
        messages.error(request, _("This upload cannot be confirmed (again)."))
        return redirect("web:import_detail", pk=job.pk)
    job.refresh_from_db()
    jobs.start(job)
    return redirect("web:import_detail", pk=job.pk)
