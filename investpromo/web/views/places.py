"""Organisation and region pages: their projects with totals."""

from django.core.paginator import Paginator

from investpromo.projects.selectors import (
    SORTS,
    LedgerRows,
    child_regions,
    get_organisation,
    get_region,
    includes_demo,
    projects_in_region,
    projects_of_organisation,
    totals,
)
from investpromo.web.access import page, web_view
from investpromo.web.figures import ledger_url

PAGE_SIZE = 50


def _paged(request, projects, count):
    paginator = Paginator(LedgerRows(projects.order_by(*SORTS["-date"])), PAGE_SIZE)
    paginator.count = count
    return paginator.get_page(request.GET.get("page"))


@web_view
def organisation_detail(request, pk):
    """An organisation and the projects it invests in (lead or co-investor)."""
    organisation = get_organisation(pk)
    projects = projects_of_organisation(organisation)
    figures = totals(projects)
    return page(
        request,
        "web/places/organisation.html",
        {
            "organisation": organisation,
            "totals": figures,
            "page_obj": _paged(request, projects, figures["projects"]),
            "is_demo": organisation.is_demo or includes_demo(projects),
            "ledger_url": ledger_url({"q": organisation.name}),
        },
    )


@web_view
def region_detail(request, code):
    """A region: projects coming to it and projects from it, with totals."""
    region = get_region(code)
    incoming = projects_in_region(region)
    outgoing = projects_in_region(region, as_origin=True)
    incoming_totals = totals(incoming)
    return page(
        request,
        "web/places/region.html",
        {
            "region": region,
            "children": child_regions(region),
            "incoming": incoming_totals,
            "outgoing": totals(outgoing),
            "incoming_url": ledger_url({"destination": region.code}),
            "outgoing_url": ledger_url({"origin": region.code}),
            "page_obj": _paged(request, incoming, incoming_totals["projects"]),
            "is_demo": includes_demo(incoming),
        },
    )
