"""Suggestions for the pickers, as JSON: what the person typing may mean."""

from django.http import JsonResponse

from investpromo.geo.lookup import suggest_regions
from investpromo.web.access import web_view


@web_view
def region_lookup(request):
    """Regions matching ?q= (code prefix, name, chain of names), with their full names."""
    regions = suggest_regions(request.GET.get("q", ""))
    results = [
        {"code": r.code, "name": r.name, "full_name": r.full_name, "level": r.level}
        for r in regions
    ]
    return JsonResponse({"results": results})
