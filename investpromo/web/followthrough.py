"""Follow-through figures for the pages: the four rates, the funnel, and their ledger links."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from investpromo.core.models import ChangeLog
from investpromo.followup.models import Approval, Evidence, ProgressStep, Snapshot, Stage
from investpromo.followup.reasons import reason_texts
from investpromo.followup.selectors import followthrough, overdue_report
from investpromo.followup.services import current_thresholds
from investpromo.projects.models import Project
from investpromo.projects.selectors import STAGE_LABELS
from investpromo.web.figures import ledger_url

# The funnel, top to bottom, and the ledger's `stage` filter for "reached at least this stage".
FUNNEL = [
    (Stage.SIGNED, None),
    (Stage.REGISTERED, "from_registered"),
    (Stage.APPROVED, "from_approved"),
    (Stage.STARTED, "from_started"),
    (Stage.COMPLETED, "from_completed"),
    (Stage.IN_PRODUCTION, "from_in_production"),
    (Stage.FULL_CAPACITY, Stage.FULL_CAPACITY.value),
]
APPROVAL_LABELS = {
    Approval.PROJECT: gettext_lazy("project approval (立项)"),
    Approval.LAND: gettext_lazy("land"),
    Approval.ENVIRONMENT: gettext_lazy("environmental assessment"),
    Approval.CONSTRUCTION_PERMIT: gettext_lazy("construction permit"),
}
TOP_OVERDUE = 10


def funnel(stages: dict) -> list[dict]:
    """Projects that reached at least each stage; 'signed' counts every project (terminated too).

    Below 'signed' a terminated project counts nowhere: its latest stage is 'terminated'.
    """
    rows = []
    for index, (stage, _filter) in enumerate(FUNNEL):
        if stage == Stage.SIGNED:
            count = sum(stages.values())
        else:
            count = sum(stages.get(s, 0) for s, _f in FUNNEL[index:])
        rows.append({"stage": stage, "projects": count})
    return rows


def followthrough_figures(
    ft: dict, *, scope: dict | None, keep: dict | None = None, as_of: dt.date
) -> dict:
    """The rates with numerator and denominator, the funnel and its chart, each with its link.

    `scope` are the ledger filters of the projects counted (None: no links, e.g. a snapshot,
    whose projects may have changed since). Links name the as-of date unless it is today.
    """
    stage_on = None if as_of == timezone.localdate() else as_of.isoformat()

    def link(stage=None):
        if scope is None:
            return None
        return ledger_url(scope, stage=stage, stage_on=stage_on if stage else None)

    def count_rate(key, label, stage, note):
        rate = ft[key]
        return {
            "key": key,
            "label": label,
            "rate": rate["rate"],
            "numerator": rate["numerator"],
            "denominator": rate["denominator"],
            "note": note,
            "url": link(stage),
            "denominator_url": link(),
        }

    funds = ft["funds_in_place_rate"]
    rates = [
        count_rate("performance_rate", _("Performance rate"), "active", _("not terminated")),
        count_rate("start_rate", _("Start rate"), "from_started", _("started construction")),
        count_rate(
            "production_rate", _("Production rate"), "from_in_production", _("in production")
        ),
        {
            "key": "funds_in_place_rate",
            "label": _("Funds-in-place rate"),
            "rate": funds["rate"],
            "numerator": Decimal(funds["numerator"]),
            "denominator": Decimal(funds["denominator"]),
            "is_money": True,
            "url": link(),
            "denominator_url": link(),
        },
    ]
    rows = [
        {
            **row,
            "label": STAGE_LABELS[row["stage"]],
            "url": link(stage_filter),
        }
        for row, (_stage, stage_filter) in zip(funnel(ft["stages"]), FUNNEL, strict=True)
    ]
    terminated = {
        "projects": ft["stages"].get(Stage.TERMINATED, 0),
        "url": link(Stage.TERMINATED.value),
    }
    return {
        "as_of": as_of,
        "is_today": stage_on is None,
        "rates": rates,
        "funnel": rows,
        "terminated": terminated,
        "keep": sorted((keep or {}).items()),
        "today": timezone.localdate(),
        "today_query": urlencode(keep or {}),
        "chart": {
            "title": _("Follow-through funnel"),
            "unit": _("projects"),
            "labels": [str(r["label"]) for r in rows],
            "values": [r["projects"] for r in rows],
            "urls": [r["url"] for r in rows],
        },
    }


def scope_followthrough(
    projects: QuerySet, *, scope: dict | None, as_of: dt.date, keep=None
) -> dict:
    """followthrough() of the projects as of the date, ready for the page."""
    return followthrough_figures(
        followthrough(projects, as_of), scope=scope, keep=keep, as_of=as_of
    )


def officer_overdue(prefixes: list[str]) -> dict:
    """The flagged projects in an officer's regions: counts and the ten most urgent."""
    if not prefixes:
        return {"red": 0, "yellow": 0, "top": [], "total": 0}
    mine = Q()
    for prefix in prefixes:
        mine |= Q(destination_region__code__startswith=prefix)
    rows = overdue_report(
        today=timezone.localdate(),
        thresholds=current_thresholds(),
        projects=Project.objects.filter(mine),
    )
    urgent = sorted(rows, key=lambda r: (r["level"] != "red", r["last_move"] or "", r["name"]))
    red = sum(1 for r in rows if r["level"] == "red")
    return {
        "red": red,
        "yellow": len(rows) - red,
        "total": len(rows),
        "top": [dict(r, reasons=reason_texts(r["reasons"])) for r in urgent[:TOP_OVERDUE]],
    }


def project_steps(project: Project) -> list[ProgressStep]:
    """A project's steps, oldest first, with their evidence and who recorded them."""
    return list(
        ProgressStep.objects.filter(project=project)
        .select_related("recorded_by")
        .prefetch_related("evidence")
        .order_by("date", "id")
    )


def next_stage(steps: list[ProgressStep]) -> str:
    """The stage a project would most likely move to next (the form's suggestion)."""
    current = steps[-1].stage if steps else Stage.SIGNED
    order = [stage for stage, _filter in FUNNEL]
    if current not in order or current == order[-1]:
        return current
    return order[order.index(current) + 1]


def project_history(project: Project, steps: list[ProgressStep]) -> list[tuple[ChangeLog, str]]:
    """The change log of a project, its progress steps and their evidence, newest first.

    Each entry comes with what it is about: "project", "step" or "evidence" (the import that
    created the project is about the project).
    """
    types = ContentType.objects.get_for_models(Project, ProgressStep, Evidence)
    kinds = {
        types[Project].pk: "project",
        types[ProgressStep].pk: "step",
        types[Evidence].pk: "evidence",
    }
    # Steps deleted since still belong to the history: their delete rows name the project.
    deleted_steps = ChangeLog.objects.filter(
        content_type=types[ProgressStep],
        action=ChangeLog.Action.DELETE,
        before__project_id=project.pk,
    ).values_list("object_id", flat=True)
    step_ids = [str(step.pk) for step in steps] + list(deleted_steps)
    step_numbers = [int(pk) for pk in step_ids]
    entries = (
        ChangeLog.objects.filter(
            Q(content_type=types[Project], object_id=str(project.pk))
            | Q(content_type=types[ProgressStep], object_id__in=step_ids)
            # Evidence by the step it was attached to, so deleted evidence stays listed too.
            | Q(content_type=types[Evidence], after__step_id__in=step_numbers)
            | Q(content_type=types[Evidence], before__step_id__in=step_numbers)
            # The import that created it: one row for the whole file.
            | Q(pk=project.created_by_import_id, action=ChangeLog.Action.IMPORT)
        )
        .select_related("user")
        .order_by("-at", "-id")
    )
    return [(entry, kinds.get(entry.content_type_id, "project")) for entry in entries]


def event_snapshots(event) -> list:
    """An event's snapshots, newest first, with who took them."""
    return list(Snapshot.objects.filter(event=event).select_related("created_by"))
