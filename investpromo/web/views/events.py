"""Events: the list, and each event's report page."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from investpromo.events.selectors import get_event
from investpromo.followup.selectors import followthrough
from investpromo.projects.selectors import (
    SORTS,
    LedgerRows,
    events_with_totals,
    with_list_related,
)
from investpromo.reports import docx as bulletin_documents
from investpromo.reports.bulletin import bulletin
from investpromo.web.access import abilities, page, web_view
from investpromo.web.figures import export_url, figures
from investpromo.web.followthrough import event_snapshots, followthrough_figures
from investpromo.web.followup_forms import AsOfForm, SnapshotForm

PAGE_SIZE = 50
# Projects the print version of an event page (?print=1) lists; beyond this the print says how
# many are left out and where to get them (the export), rather than printing a book. The
# screen version prints its own page of the list with a note: rendering every project on
# each view would cost about half a millisecond per project.
PRINT_LIMIT = 2000
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@web_view
def event_list(request):
    """Every event with its number of projects and total value."""
    return page(request, "web/events/list.html", {"events": events_with_totals()})


@web_view
def event_detail(request, slug):
    """An event's figures, follow-through, bulletin in both languages, breakdowns and projects."""
    return render_event(request, get_event(slug))


@web_view
def event_bulletin_docx(request, slug):
    """The event's bulletin as a Word document (?lang=zh|en, ?as_of=YYYY-MM-DD)."""
    event = get_event(slug)
    lang = request.GET.get("lang") or ("en" if get_language() == "en" else "zh")
    if lang not in ("zh", "en"):
        return HttpResponseBadRequest(_("lang must be zh or en"))
    as_of = AsOfForm(request.GET or None).as_of_date()
    content = bulletin_documents.event_bulletin_docx(event, as_of=as_of, lang=lang)
    response = HttpResponse(content, content_type=DOCX_TYPE)
    name = f"{event.slug}-bulletin-{lang}-{as_of:%Y%m%d}.docx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _print_url(request) -> str:
    """This page's print version (every project listed), with the page's as-of date."""
    query = request.GET.copy()
    query.pop("page", None)
    query["print"] = "1"
    return f"{request.path}?{query.urlencode()}"


def _bulletin_url(event, as_of) -> str:
    """The Word bulletin in the page's language, with the page's as-of date."""
    lang = "en" if get_language() == "en" else "zh"
    url = reverse("web:event_bulletin", args=[event.slug])
    return f"{url}?{urlencode({'lang': lang, 'as_of': as_of.isoformat()})}"


def render_event(request, event, *, snapshot_form=None):
    """The event's page; `snapshot_form` is the snapshot form being corrected, if any."""
    as_of_form = AsOfForm(request.GET or None)
    as_of = as_of_form.as_of_date()
    scope = {"event": event.slug}
    projects = event.projects.all()
    data = figures(projects, scope=scope, usd_on=event.start_date)
    ft = followthrough(projects, as_of)
    ft_figures = followthrough_figures(ft, scope=scope, as_of=as_of)
    data["charts"]["funnel"] = ft_figures["chart"]
    # The same text as `investpromo report --event SLUG --as-of DATE --format text`.
    summary = {**data["summary"], "event": {"is_example_data": event.is_demo}, "followthrough": ft}
    bulletins = {"zh": bulletin(summary, lang="zh"), "en": bulletin(summary, lang="en")}
    printing = request.GET.get("print") == "1"
    ranked = projects.order_by(*SORTS["-value"])
    paginator = Paginator(LedgerRows(ranked), PAGE_SIZE)
    # The summary already counted the projects: spare the paginator its COUNT query.
    paginator.count = data["summary"]["projects"]
    is_administrator = abilities(request).is_administrator
    if is_administrator and snapshot_form is None:
        snapshot_form = SnapshotForm(initial={"as_of": as_of})
    return page(
        request,
        "web/events/detail.html",
        {
            "event": event,
            **data,
            "followthrough": ft_figures,
            "as_of_form": as_of_form,
            "bulletins": bulletins,
            "bulletin_first": "en" if get_language() == "en" else "zh",
            "page_obj": paginator.get_page(request.GET.get("page")),
            # The print version lists every project (up to PRINT_LIMIT), not the screen's page;
            # one query with its joins (LedgerRows' id-first paging pays off only deep down).
            "print_projects": with_list_related(ranked)[:PRINT_LIMIT] if printing else None,
            "print_left_out": max(data["summary"]["projects"] - PRINT_LIMIT, 0),
            "print_url": _print_url(request),
            "print_absolute_url": request.build_absolute_uri(_print_url(request)),
            "printed_at": timezone.localtime(),
            "export_absolute_url": request.build_absolute_uri(export_url(scope)),
            "bulletin_url": _bulletin_url(event, as_of),
            "export_url": export_url(scope),
            "snapshots": event_snapshots(event),
            "snapshot_form": snapshot_form if is_administrator else None,
        },
    )
