"""Events: the list, and each event's report page."""

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from investpromo.events.selectors import get_event
from investpromo.followup.selectors import followthrough
from investpromo.projects.selectors import SORTS, LedgerRows, events_with_totals
from investpromo.reports import docx as bulletin_documents
from investpromo.reports.bulletin import bulletin
from investpromo.web.access import abilities, page, web_view
from investpromo.web.figures import export_url, figures
from investpromo.web.followthrough import event_snapshots, followthrough_figures
from investpromo.web.followup_forms import AsOfForm, SnapshotForm

PAGE_SIZE = 50
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
    paginator = Paginator(LedgerRows(projects.order_by(*SORTS["-value"])), PAGE_SIZE)
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
            "export_url": export_url(scope),
            "snapshots": event_snapshots(event),
            "snapshot_form": snapshot_form if is_administrator else None,
        },
    )
