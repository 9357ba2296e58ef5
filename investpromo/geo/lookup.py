"""Finding regions as someone types: the pickers' suggestions, by code, name or chain of names."""

from django.db.models import Case, IntegerField, Q, Value, When

from investpromo.core.errors import UserError
from investpromo.geo.models import Region
from investpromo.geo.resolver import resolve_region

SUGGESTIONS = 15
# Longer than any region's name or chain of names: anything longer finds nothing.
_LONGEST_QUERY = 60


def suggest_regions(text: str, *, limit: int = SUGGESTIONS) -> list[Region]:
    """Regions matching what was typed: exact names first, then provinces before counties.

    Digits match the start of a code (2306 → 大庆 and its counties); letters or characters match
    anywhere in the full, short or English name. Whatever the resolver reads as exactly one
    region (黑龙江哈尔滨, a 12-digit code) comes first, so a chain of names also finds its place.
    """
    text = (text or "").strip()
    if not text or len(text) > _LONGEST_QUERY:
        return []
    regions = Region.objects.select_related("parent", "parent__parent")
    if text.isdigit():
        found = regions.filter(code__startswith=text[:6])
    else:
        found = regions.filter(
            Q(name__contains=text) | Q(short_name__contains=text) | Q(name_en__icontains=text)
        )
    exact = Q(name=text) | Q(short_name=text) | Q(code=text) | Q(name_en__iexact=text)
    found = list(
        found.annotate(
            exact=Case(When(exact, then=Value(0)), default=Value(1), output_field=IntegerField())
        ).order_by("exact", "level", "code")[:limit]
    )
    try:
        resolved = resolve_region(text)
    except UserError:
        return found
    # The place meant, then what else matched, then its own divisions (哈尔滨 → 道里区 …),
    # whose names need not contain the text typed.
    best = regions.get(code=resolved.code)  # the resolver's copy is shared: not handed out
    rest = [region for region in found if region.code != best.code]
    if len(rest) < limit - 1:
        seen = {best.code, *(region.code for region in rest)}
        rest += [
            r for r in regions.filter(parent=best).order_by("code")[:limit] if r.code not in seen
        ]
    return [best, *rest][:limit]
