"""Events: the list, and each event's report page."""

from django.core.paginator import Paginator
from django.utils.translation import get_language

from investpromo.events.selectors import get_event
from investpromo.projects.selectors import SORTS, LedgerRows, events_with_totals
from investpromo.reports.bulletin import bulletin
from investpromo.web.access import page, web_view
from investpromo.web.figures import export_url, figures

PAGE_SIZE = 50


@web_view
def event_list(request):
    """Every event with its number of projects and total value."""
    return page(request, "web/events/list.html", {"events": events_with_totals()})


@web_view
def event_detail(request, slug):
    """An event's figures, bulletin in both languages, breakdowns and projects."""
    event = get_event(slug)
    scope = {"event": event.slug}
    projects = event.projects.all()
    data = figures(projects, scope=scope, usd_on=event.start_date)
    summary = {**data["summary"], "event": {"is_example_data": event.is_demo}}
    bulletins = {"zh": bulletin(summary, lang="zh"), "en": bulletin(summary, lang="en")}
    paginator = Paginator(LedgerRows(projects.order_by(*SORTS["-value"])), PAGE_SIZE)
    # The summary already counted the projects: spare the paginator its COUNT query.
    paginator.count = data["summary"]["projects"]
    return page(
        request,
        "web/events/detail.html",
        {
            "event": event,
            **data,
            "bulletins": bulletins,
            "bulletin_first": "en" if get_language() == "en" else "zh",
            "page_obj": paginator.get_page(request.GET.get("page")),
            "export_url": export_url(scope),
        },
    )
