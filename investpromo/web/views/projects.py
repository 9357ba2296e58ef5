"""The ledger: list, export, a project's page, and creating, editing and deleting projects."""

import tempfile

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from investpromo.accounts.permissions import ensure_can_write_projects_in
from investpromo.core.errors import Conflict, PermissionDenied, UserError
from investpromo.imports.export import write_projects_xlsx
from investpromo.imports.export_sheets import filters_used
from investpromo.projects.selectors import (
    LedgerRows,
    get_project,
    includes_demo,
    project_ledger,
    totals,
)
from investpromo.projects.services import delete_project
from investpromo.web.access import abilities, forbidden, page, web_view
from investpromo.web.editing import create_from_form, update_from_form
from investpromo.web.followthrough import next_stage, project_history, project_steps
from investpromo.web.followup_forms import ProgressStepForm
from investpromo.web.forms import DeleteForm, ProjectEditForm, ProjectForm
from investpromo.web.templatetags.investpromo_web import localized_name

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
# Bookkeeping fields that change with others; showing them would only repeat the change.
HIDDEN_HISTORY_FIELDS = {"version", "normalized_name", "investor_key"}


def _page_size(request) -> int:
    try:
        size = int(request.GET.get("size", DEFAULT_PAGE_SIZE))
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


@web_view
def project_list(request):
    """The ledger, filtered, searched, sorted and paginated, with the totals of the filter."""
    project_filter, projects = project_ledger(request.GET)
    figures = totals(projects)
    paginator = Paginator(LedgerRows(projects), _page_size(request))
    # The totals already counted the rows: spare the paginator a second COUNT query.
    paginator.count = figures["projects"]
    page_obj = paginator.get_page(request.GET.get("page"))
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return page(
        request,
        "web/projects/list.html",
        {
            "filter": project_filter,
            "form": project_filter.form,
            "totals": figures,
            "page_obj": page_obj,
            "page_sizes": PAGE_SIZES,
            "is_demo": includes_demo(projects),
            "export_query": export_query.urlencode(),
            "unit": project_filter.unit_key,
            "unit_chosen": project_filter.unit_chosen,
            "sort_columns": ledger_sort_columns(request.GET, project_filter.sort_key),
            "active_filters": active_filters(project_filter),
        },
    )


# Columns the ledger sorts by, and which way a first click sorts (largest and newest first).
SORTABLE = {"name": "name", "investor": "investor", "destination": "destination"}
SORTABLE_DESCENDING_FIRST = {"date": "-date", "value": "-value"}


def ledger_sort_columns(params, current: str) -> dict:
    """Per column: the URL that sorts by it (again: the other way) and its aria-sort state."""
    query = params.copy()
    query.pop("page", None)
    columns = {}
    for column, first in {**SORTABLE, **SORTABLE_DESCENDING_FIRST}.items():
        if current == column:
            target, state = f"-{column}", "ascending"
        elif current == f"-{column}":
            target, state = column, "descending"
        else:
            target, state = first, "none"
        query["sort"] = target
        columns[column] = {"url": "?" + query.urlencode(), "aria": state}
    return columns


def active_filters(project_filter) -> list[tuple[str, str]]:
    """(label, value) of each filter in use, for the folded filters' one-line summary."""
    form = project_filter.form
    if not project_filter.is_bound or not form.is_valid():
        return []
    shown = []
    for name, value in form.cleaned_data.items():
        if name in ("sort", "unit") or value in (None, "", []):
            continue
        field = form.fields[name]
        if hasattr(value, "pk"):  # an event or a region
            value = localized_name(value)
        elif hasattr(field, "choices"):
            value = dict(list(field.choices)).get(str(value), value)
        shown.append((str(field.label), str(value)))
    return shown


@web_view
def project_export(request):
    """The filtered ledger as an xlsx signing list that the importer reads back unchanged."""
    project_filter, projects = project_ledger(request.GET)
    # Spooled: small exports stay in memory, large ones go to a temporary file.
    # FileResponse closes it once sent.
    stream = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115
    # The importer's own writer (rows in id order), so an export can be edited and re-imported.
    write_projects_xlsx(projects, stream, filters=filters_used(project_filter), lang=get_language())
    stream.seek(0)
    name = f"investpromo-projects-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(stream, as_attachment=True, filename=name)


def _history(project, steps) -> list[dict]:
    entries = []
    for entry, kind in project_history(project, steps):
        before, after = entry.before or {}, entry.after or {}
        changes = [
            {"field": field, "before": before.get(field), "after": after.get(field)}
            for field in entry.changed_fields
            if field not in HIDDEN_HISTORY_FIELDS
        ]
        # A step is named by its stage and date (as recorded, or as it was when deleted).
        step = after or before
        entries.append(
            {
                "entry": entry,
                "kind": kind,
                "changes": changes,
                "step_stage": step.get("stage"),
                "step_date": step.get("date"),
            }
        )
    return entries


def render_project(request, project, *, step_form=None, status=200):
    """A project's page; `step_form` is the progress form being corrected, if any."""
    steps = project_steps(project)
    can_edit = abilities(request).can_edit(project)
    if can_edit and step_form is None:
        step_form = ProgressStepForm(initial={"stage": next_stage(steps)})
    return page(
        request,
        "web/projects/detail.html",
        {
            "project": project,
            "co_investors": list(project.co_investors.all()),
            "extra": sorted((project.extra or {}).items()),
            "steps": steps,
            "current_step": steps[-1] if steps else None,
            "history": _history(project, steps),
            "can_edit": can_edit,
            "step_form": step_form if can_edit else None,
        },
        status=status,
    )


@web_view
def project_detail(request, pk):
    """Every stored field of a project, its progress, extra attributes and change history."""
    return render_project(request, get_project(pk))


def _form_page(request, form, *, project=None, status=200):
    return page(
        request, "web/projects/form.html", {"form": form, "project": project}, status=status
    )


@web_view
@require_http_methods(["GET", "POST"])
def project_create(request):
    """A new project, written through the projects service."""
    if not abilities(request).can_write_projects:
        return forbidden(request, _("Your account is read-only: you cannot add projects."))
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = create_from_form(request.user, form.cleaned_data)
        except PermissionDenied as error:
            form.add_error(None, error.message)
            return _form_page(request, form, status=403)
        except UserError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Project “%(name)s” was added.") % {"name": project.name})
            return redirect("web:project_detail", pk=project.pk)
    return _form_page(request, form)


@web_view
@require_http_methods(["GET", "POST"])
def project_edit(request, pk):
    """Edit a project; a stale version (someone else saved first) is refused with a message."""
    project = get_project(pk)
    # Refuse before showing the form: the rule is the server's, not the button's.
    ensure_can_write_projects_in(request.user, project.destination_region)
    if request.method != "POST":
        form = ProjectEditForm(initial=ProjectForm.initial_for(project))
        return _form_page(request, form, project=project)
    form = ProjectEditForm(request.POST)
    if form.is_valid():
        try:
            update_from_form(request.user, project, form.cleaned_data)
        except PermissionDenied as error:
            form.add_error(None, error.message)
            return _form_page(request, form, project=project, status=403)
        except Conflict as error:
            messages.error(request, error.message)
            return _form_page(request, form, project=project, status=409)
        except UserError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("web:project_detail", pk=project.pk)
    return _form_page(request, form, project=project)


@web_view
@require_http_methods(["GET", "POST"])
def project_delete(request, pk):
    """Confirm, then delete a project (its change history keeps what it was)."""
    project = get_project(pk)
    ensure_can_write_projects_in(request.user, project.destination_region)
    # Bound on every POST, even an empty one: a POST without the version must be refused.
    form = DeleteForm(
        request.POST if request.method == "POST" else None, initial={"version": project.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            delete_project(
                actor=request.user,
                project=project,
                expected_version=form.cleaned_data["version"],
                via="web",
            )
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("web:project_detail", pk=project.pk)
        messages.success(request, _("Project “%(name)s” was deleted.") % {"name": project.name})
        return redirect("web:project_list")
    return page(request, "web/projects/delete.html", {"project": project, "form": form})
