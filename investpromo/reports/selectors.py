"""The published figures: totals, SEI shares and breakdowns, computed in the database."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.utils import timezone

from investpromo.events.models import Event
from investpromo.followup.selectors import followthrough
from investpromo.geo.models import Region
from investpromo.projects.models import ExchangeRate, Project
from investpromo.projects.money import SumCNY, yuan_from_fen
from investpromo.projects.rates import to_fen
from investpromo.sectors.models import SEIIndustry

ZERO = Decimal("0")
SHARE_PLACES = 6


def _money(value: Decimal | None) -> str:
    return str(to_fen(value or ZERO))


def _share(part, whole) -> float:
    if not whole:
        return 0.0
    return float(round(Decimal(part) / Decimal(whole), SHARE_PLACES))


def usd_rate_on(on: dt.date) -> ExchangeRate | None:
    """The USD rate that figures for a date are shown at (latest on or before it)."""
    return ExchangeRate.objects.filter(currency="USD", date__lte=on).order_by("-date").first()


def _breakdown(projects: QuerySet, field: str, group_field: str) -> list[dict]:
    """Projects and value per group region (a region's `group_field`, else the region itself).

    Grouped by the project's own region column and mapped to the group in Python: SQLite then
    reads one covering index instead of joining every project to its region and sorting.
    """
    rows = list(
        projects.values(field).annotate(projects=Count("id"), value_cny=SumCNY()).order_by()
    )
    for row in rows:
        row["value_cny"] = yuan_from_fen(row["value_cny"])
    regions = {
        code: (group or code, group_name or name)
        for code, group, group_name, name in Region.objects.filter(
            code__in=[row[field] for row in rows if row[field]]
        ).values_list("code", f"{group_field}_id", f"{group_field}__name", "name")
    }
    groups: dict = {}
    for row in rows:
        code, name = regions.get(row[field], (row[field], "")) if row[field] else (None, "")
        group = groups.setdefault(code, {"code": code, "name": name, "projects": 0, "value": ZERO})
        group["projects"] += row["projects"]
        group["value"] += row["value_cny"] or ZERO
    result = [
        {
            "code": group["code"],
            "name": group["name"],
            "projects": group["projects"],
            "value_cny": _money(group["value"]),
        }
        for group in groups.values()
    ]
    result.sort(key=lambda r: (-Decimal(r["value_cny"]), r["code"] or "~"))
    return result


def summarise_projects(projects: QuerySet, *, usd_on: dt.date | None) -> dict:
    """Headline figures and breakdowns of a set of projects, each counted once."""
    # One grouped pass gives the totals and the SEI breakdown (a covering index serves it).
    by_status = list(
        projects.values("sei_status", "sei_industry")
        .annotate(projects=Count("id"), value_cny=SumCNY())
        .order_by()
    )
    for row in by_status:
        row["value_cny"] = yuan_from_fen(row["value_cny"])
    not_sei = Project.SEIStatus.NOT_SEI
    totals = {
        "projects": sum(row["projects"] for row in by_status),
        "total_value": sum((row["value_cny"] or ZERO for row in by_status), ZERO),
        "sei_projects": sum(row["projects"] for row in by_status if row["sei_status"] != not_sei),
        "sei_value": sum(
            (row["value_cny"] or ZERO for row in by_status if row["sei_status"] != not_sei), ZERO
        ),
    }
    total_value = totals["total_value"]
    usd_rate = usd_rate_on(usd_on) if usd_on else None
    by_sei: dict = {}
    for row in by_status:
        if row["sei_status"] == not_sei:
            continue
        merged = by_sei.setdefault(row["sei_industry"], {"projects": 0, "value_cny": ZERO})
        merged["projects"] += row["projects"]
        merged["value_cny"] += row["value_cny"] or ZERO
    sei_rows = []
    for industry in SEIIndustry.objects.order_by("code"):
        row = by_sei.get(industry.code, {})
        sei_rows.append(
            {
                "code": industry.code,
                "name_zh": industry.name_zh,
                "name_en": industry.name_en,
                "projects": row.get("projects", 0),
                "value_cny": _money(row.get("value_cny")),
            }
        )
    if None in by_sei:
        sei_rows.append(
            {
                "code": None,
                "name_zh": "战略性新兴产业（未分类）",
                "name_en": "SEI, category unspecified",
                "projects": by_sei[None]["projects"],
                "value_cny": _money(by_sei[None]["value_cny"]),
            }
        )
    return {
        "projects": totals["projects"],
        "total_value_cny": _money(total_value),
        "total_value_usd": _money(total_value / usd_rate.cny_per_unit) if usd_rate else None,
        "usd_rate": str(usd_rate.cny_per_unit) if usd_rate else None,
        "usd_rate_date": usd_rate.date.isoformat() if usd_rate else None,
        "usd_rate_source": usd_rate.source if usd_rate else None,
        "sei": {
            "projects": totals["sei_projects"],
            "value_cny": _money(totals["sei_value"]),
            "share_by_value": _share(totals["sei_value"] or ZERO, total_value),
            "share_by_count": _share(totals["sei_projects"], totals["projects"]),
        },
        "by_sei_industry": sei_rows,
        "by_destination": _breakdown(projects, "destination_region", "stat_prefecture"),
        "by_origin_province": _breakdown(projects, "origin_region", "province"),
    }


def event_summary(event: Event, *, as_of: dt.date | None = None) -> dict:
    """The report of one event, as `investpromo report --format json` and the API print it.

    `followthrough` describes the projects' progress as of `as_of` (default: today).
    """
    summary = {
        "event": {
            "slug": event.slug,
            "name": event.name,
            "name_en": event.name_en,
            "start_date": event.start_date.isoformat(),
            "end_date": event.end_date.isoformat(),
            "host_region": {"code": event.host_region_id, "name": event.host_region.name},
            "is_example_data": event.is_demo,
        },
    }
    summary.update(summarise_projects(event.projects.all(), usd_on=event.start_date))
    summary["followthrough"] = followthrough(event.projects.all(), as_of or timezone.localdate())
    if event.is_demo:
        summary["note"] = (
            "Example data: the projects and investors are synthetic, calibrated to the published "
            "totals; the USD rate is illustrative."
        )
    return summary
