"""Headline figures, breakdowns and chart data for a set of projects, each linked to the ledger."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from investpromo.geo.models import Region
from investpromo.projects.selectors import (
    NO_REGION,
    SEI_ANY,
    SEI_NONE,
    SEI_UNSPECIFIED,
    signings_over_time,
)
from investpromo.reports.selectors import summarise_projects
from investpromo.web.templatetags.investpromo_web import is_chinese

ZERO = Decimal("0")


def ledger_url(scope: dict, **extra) -> str:
    """The ledger filtered to the scope plus extra filters (extra wins on the same name)."""
    params = {k: v for k, v in {**scope, **extra}.items() if v not in (None, "")}
    url = reverse("web:project_list")
    return f"{url}?{urlencode(params)}" if params else url


def export_url(scope: dict) -> str:
    """The xlsx export of the ledger filtered to the scope."""
    params = {k: v for k, v in scope.items() if v not in (None, "")}
    url = reverse("web:project_export")
    return f"{url}?{urlencode(params)}" if params else url


def chart_unit() -> tuple[Decimal, str]:
    """Charts show values in 亿元 or billion yuan, the unit the bulletin speaks in."""
    if is_chinese():
        return Decimal("100000000"), "亿元"
    return Decimal("1000000000"), _("billion yuan")


def _in_unit(value, divisor: Decimal) -> float:
    return float(round(Decimal(value) / divisor, 4))


def _region_names_en(codes) -> dict[str, str]:
    if is_chinese():
        return {}
    return dict(
        Region.objects.filter(code__in=[c for c in codes if c])
        .exclude(name_en="")
        .values_list("code", "name_en")
    )


def figures(projects: QuerySet, *, scope: dict, usd_on: dt.date | None) -> dict:
    """Everything the dashboard and event pages show about a set of projects."""
    summary = summarise_projects(projects, usd_on=usd_on)
    total = Decimal(summary["total_value_cny"])
    sei = summary["sei"]
    divisor, unit = chart_unit()

    sei_rows = [
        {
            "name": row["name_zh"] if is_chinese() else row["name_en"],
            "projects": row["projects"],
            "value_cny": row["value_cny"],
            "url": ledger_url(scope, sei=row["code"] if row["code"] else SEI_UNSPECIFIED),
        }
        for row in summary["by_sei_industry"]
    ]
    # 0: a named industry, 1: SEI with its industry unspecified, 2: not SEI.
    sei_kinds = [0 if row["code"] else 1 for row in summary["by_sei_industry"]] + [2]
    sei_rows.append(
        {
            "name": _("Not strategic emerging industry"),
            "projects": summary["projects"] - sei["projects"],
            "value_cny": str(total - Decimal(sei["value_cny"])),
            "url": ledger_url(scope, sei=SEI_NONE),
        }
    )

    # The named industries by value, largest first; unspecified and non-SEI stay last. Those
    # without a project are folded into one line under the table.
    order = sorted(
        range(len(sei_rows)),
        key=lambda i: (
            sei_kinds[i],
            -Decimal(sei_rows[i]["value_cny"]) if sei_kinds[i] == 0 else 0,
        ),
    )
    sei_rows = [sei_rows[i] for i in order]
    sei_zero = [row for row in sei_rows if not row["projects"]]
    sei_rows = [row for row in sei_rows if row["projects"]]

    english = _region_names_en(
        [r["code"] for r in summary["by_origin_province"]]
        + [r["code"] for r in summary["by_destination"]]
    )
    destination_rows = [
        {
            **row,
            "name": english.get(row["code"], row["name"]),
            "url": ledger_url(scope, destination=row["code"]),
        }
        for row in summary["by_destination"]
    ]
    origin_rows = [
        {
            **row,
            "name": english.get(row["code"], row["name"]) if row["code"] else _("Unknown"),
            "url": ledger_url(scope, origin=row["code"] or NO_REGION),
        }
        for row in summary["by_origin_province"]
    ]

    timeline = signings_over_time(projects)
    month = timeline["unit"] == "month"
    time_rows = [
        {
            "label": row["start"].strftime("%Y-%m") if month else row["start"].isoformat(),
            "projects": row["projects"],
            "value_cny": row["value_cny"],
            "url": ledger_url(
                scope, signed_from=row["start"].isoformat(), signed_to=row["end"].isoformat()
            ),
        }
        for row in timeline["rows"]
    ]

    def bar_chart(rows, *, key="value_cny", title="", label_key="name", unit_label=unit):
        return {
            "title": title,
            "unit": unit_label,
            "labels": [r[label_key] for r in rows],
            "values": [_in_unit(r[key], divisor) if key == "value_cny" else r[key] for r in rows],
            "urls": [r["url"] for r in rows],
        }

    charts = {
        "sei": bar_chart(
            [r for r in sei_rows if r["projects"]], title=_("Value by strategic emerging industry")
        ),
        "destination": bar_chart(destination_rows, title=_("Value by destination city")),
        "origin": bar_chart(
            origin_rows,
            key="projects",
            title=_("Projects by origin province"),
            unit_label=_("projects"),
        ),
        "timeline": {
            **bar_chart(
                time_rows,
                key="projects",
                label_key="label",
                unit_label=_("projects"),
                title=_("Signings over time"),
            ),
            "values2": [_in_unit(r["value_cny"], divisor) for r in time_rows],
            "unit2": unit,
        },
    }
    return {
        "summary": summary,
        "total_value_cny": total,
        "is_demo": timeline["demo_projects"] > 0,
        "links": {
            "all": ledger_url(scope),
            "sei": ledger_url(scope, sei=SEI_ANY),
        },
        "sei_rows": sei_rows,
        "sei_zero_rows": sei_zero,
        "sei_zero_names": ("、" if is_chinese() else ", ").join(str(r["name"]) for r in sei_zero),
        "destination_rows": destination_rows,
        "origin_rows": origin_rows,
        "time_rows": time_rows,
        "time_unit": timeline["unit"],
        "charts": charts,
    }
