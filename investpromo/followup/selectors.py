"""Follow-through figures: stages and rates as of a date, overdue flags, snapshot diffs."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from investpromo.followup.models import (
    DEFAULT_IDLE_MONTHS,
    PRODUCING_OR_BEYOND,
    STARTED_OR_BEYOND,
    OverdueThresholds,
    ProgressStep,
    ProjectState,
    Snapshot,
    Stage,
)
from investpromo.projects.money import SumCNY, yuan_from_fen
from investpromo.projects.rates import to_fen

SHARE_PLACES = 6


@dataclass
class ProjectProgress:
    """Where a project stood on a date, from its steps up to then."""

    stage: str = Stage.SIGNED
    last_move: dt.date | None = None
    started_on: dt.date | None = None
    funds_cny: Decimal | None = None


def walk_steps(steps) -> dict[int, ProjectProgress]:
    """Fold (project_id, stage, date, funds_cny) rows, oldest first, into each project's state."""
    result: dict[int, ProjectProgress] = {}
    for project_id, stage, date, funds_cny in steps:
        progress = result.setdefault(project_id, ProjectProgress())
        progress.stage = stage
        progress.last_move = date
        if stage in STARTED_OR_BEYOND:
            progress.started_on = progress.started_on or date
        elif stage != Stage.TERMINATED:
            progress.started_on = None  # went back before construction
        if funds_cny is not None:
            progress.funds_cny = funds_cny
    return result


def _is_current(as_of: dt.date) -> bool:
    # Steps cannot be dated in the future, so on or after today every step counts and the
    # state table (kept by the services) is the answer.
    return as_of >= timezone.localdate()


def progress_as_of(projects: QuerySet, as_of: dt.date) -> dict[int, ProjectProgress]:
    """Each project's latest stage, funds and dates on `as_of` (one query)."""
    if _is_current(as_of):
        rows = ProjectState.objects.filter(project__in=projects.values("id")).values_list(
            "project_id", "stage", "last_move", "started_on", "funds_cny"
        )
        return {
            project_id: ProjectProgress(stage, last_move, started_on, funds_cny)
            for project_id, stage, last_move, started_on, funds_cny in rows.iterator(
                chunk_size=5000
            )
        }
    steps = (
        ProgressStep.objects.filter(project__in=projects.values("id"), date__lte=as_of)
        .order_by("project_id", "date", "id")
        .values_list("project_id", "stage", "date", "funds_cny")
        .iterator(chunk_size=5000)
    )
    return walk_steps(steps)


def _latest_step(project_id, as_of: dt.date, column: str) -> Subquery:
    """A column of a project's latest step on `as_of` (of those with a value in that column)."""
    steps = ProgressStep.objects.filter(
        project_id=project_id, date__lte=as_of, **{f"{column}__isnull": False}
    )
    return Subquery(steps.order_by("-date", "-id").values(column)[:1])


def _each_project_once(projects: QuerySet) -> QuerySet:
    """The projects as a plain filter: a queryset whose joins repeat projects, or sliced, is
    turned into one that lists each once (plain filters are kept: the wrapping costs time)."""
    query = projects.query
    if query.distinct or query.is_sliced or len(query.alias_map) > 1:
        return projects.model.objects.filter(pk__in=projects.values("id"))
    return projects


def _stage_counts(projects: QuerySet, as_of: dt.date) -> tuple[dict[str, int], Decimal, Decimal]:
    """Stage counts, funds in place and contract value on a date, counted in the database."""
    stages = dict.fromkeys(Stage.values, 0)
    each_once = _each_project_once(projects)
    totals = each_once.aggregate(n=Count("id"), value=SumCNY())
    if _is_current(as_of):
        # From the state table's side: it holds only projects that have steps, and is read
        # once for counts and funds (100,000 projects: ~50 ms, against ~170 ms joined).
        rows = (
            ProjectState.objects.filter(project__in=projects.values("id"))
            .values("stage")
            .annotate(n=Count("project_id"), funds=SumCNY("funds_cny"))
            .order_by()
        )
        funds = 0
        for row in rows:
            stages[row["stage"]] += row["n"]
            funds += row["funds"] or 0
    else:
        # One index lookup per project for its latest step (project, date, id, stage,
        # funds_cny), instead of reading every step into Python and walking it. Grouping the
        # sums with the counts would take SQLite several times longer: two queries.
        counted = (
            each_once.annotate(
                stage_then=Coalesce(_latest_step(OuterRef("pk"), as_of, "stage"), Value(""))
            )
            .values("stage_then")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in counted:
            if row["stage_then"]:  # "": no step by then
                stages[row["stage_then"]] += row["n"]
        funds = each_once.annotate(
            funds_then=_latest_step(OuterRef("pk"), as_of, "funds_cny")
        ).aggregate(total=SumCNY("funds_then"))["total"]
    # Projects without a step by then stand at their signing.
    stages[Stage.SIGNED] += totals["n"] - sum(stages.values())
    return stages, yuan_from_fen(funds), yuan_from_fen(totals["value"])


def _rate(numerator, denominator) -> dict:
    if isinstance(numerator, Decimal):
        rate = float(round(numerator / denominator, SHARE_PLACES)) if denominator else 0.0
        return {
            "rate": rate,
            "numerator": str(to_fen(numerator)),
            "denominator": str(to_fen(denominator)),
        }
    rate = (
        float(round(Decimal(numerator) / Decimal(denominator), SHARE_PLACES))
        if denominator
        else 0.0
    )
    return {"rate": rate, "numerator": numerator, "denominator": denominator}


def followthrough(projects: QuerySet, as_of: dt.date) -> dict:
    """Counts per stage and the bureau's rates (履约率, 开工率, 投产率, 资金到位率) on a date."""
    stages, funds, contract_value = _stage_counts(projects, as_of)
    signed = sum(stages.values())
    started = sum(stages[s] for s in STARTED_OR_BEYOND)
    producing = sum(stages[s] for s in PRODUCING_OR_BEYOND)
    return {
        "as_of": as_of.isoformat(),
        "stages": stages,
        "performance_rate": _rate(signed - stages[Stage.TERMINATED], signed),
        "start_rate": _rate(started, signed),
        "production_rate": _rate(producing, signed),
        "funds_in_place_rate": _rate(Decimal(funds), Decimal(contract_value)),
    }


def project_states(projects: QuerySet, as_of: dt.date) -> dict[str, dict]:
    """Per project (by id): name, version, stage and funds — what a snapshot remembers."""
    progress = progress_as_of(projects, as_of)
    states = {}
    for project_id, name, version in projects.values_list("id", "name", "version"):
        state = progress.get(project_id, ProjectProgress())
        states[str(project_id)] = {
            "name": name,
            "version": version,
            "stage": state.stage,
            "funds_cny": str(state.funds_cny) if state.funds_cny is not None else None,
        }
    return states


def snapshot_diff(snap: Snapshot, *, today: dt.date) -> dict:
    """What changed between a snapshot and today: projects added, removed, edited, moved stage."""
    then = snap.project_states
    now = project_states(snap.event.projects.all(), today)
    added = sorted(set(now) - set(then), key=int)
    removed = sorted(set(then) - set(now), key=int)
    common = sorted(set(now) & set(then), key=int)
    return {
        "added": [{"id": int(i), "name": now[i]["name"]} for i in added],
        "removed": [{"id": int(i), "name": then[i]["name"]} for i in removed],
        "edited": [
            {"id": int(i), "name": now[i]["name"]}
            for i in common
            if now[i]["version"] != then[i]["version"]
        ],
        "moved": [
            {"id": int(i), "name": now[i]["name"], "from": then[i]["stage"], "to": now[i]["stage"]}
            for i in common
            if now[i]["stage"] != then[i]["stage"]
        ],
        "funds_changed": [
            {
                "id": int(i),
                "name": now[i]["name"],
                "from": then[i]["funds_cny"],
                "to": now[i]["funds_cny"],
            }
            for i in common
            if now[i]["funds_cny"] != then[i]["funds_cny"]
        ],
    }


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier, clamped to the month's end (31 May − 3 → 28/29 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def first_day_past(day: dt.date, months: int, *, strictly: bool = False) -> dt.date:
    """The first date whose months_before(…, months) is on or after `day` (after, strictly).

    The day a threshold of `months` months counted from `day` is crossed, by the rule the
    flags use, month ends clamped alike.
    """
    candidate = months_before(day, -months)
    # At most a few days on: only a clamped month end (31 Jan + 1 month = 28 Feb) falls short.
    while not (
        months_before(candidate, months) > day
        if strictly
        else months_before(candidate, months) >= day
    ):
        candidate += dt.timedelta(days=1)
    return candidate


@dataclass
class OverdueFlag:
    """A project that needs attention, and why ({"code", "params"}, see followup.reasons)."""

    project_id: int
    level: str  # "red" or "yellow"
    reasons: list[dict] = field(default_factory=list)
    stage: str = Stage.SIGNED
    last_move: dt.date | None = None
    # The day its earliest reason began to hold: overdue since then.
    since: dt.date | None = None

    def flag_since(self, day: dt.date) -> None:
        self.since = day if self.since is None else min(self.since, day)


def idle_limits(thresholds: OverdueThresholds) -> dict[str, tuple[int, int]]:
    """Stage → (yellow, red) months without a step, defaults filling any stage not set."""
    limits = {}
    for stage, default in DEFAULT_IDLE_MONTHS.items():
        months = {**default, **((thresholds.idle_months or {}).get(stage) or {})}
        limits[stage] = (int(months["yellow"]), int(months["red"]))
    return limits


def overdue_flags(
    projects: QuerySet, *, today: dt.date, thresholds: OverdueThresholds
) -> list[OverdueFlag]:
    """Flag stuck projects: idle too long for their stage, not started a year on, or no funds."""
    progress = progress_as_of(projects, today)
    idle = {
        stage: (months_before(today, yellow), months_before(today, red), yellow, red)
        for stage, (yellow, red) in idle_limits(thresholds).items()
    }
    not_started = months_before(today, thresholds.red_not_started_months)
    low_funds = months_before(today, thresholds.red_low_funds_months)
    share = Decimal(thresholds.red_low_funds_share)
    flags = []
    rows = projects.values_list("id", "signing_date", "event__start_date", "value_cny")
    for project_id, signing_date, event_start, value_cny in rows.iterator(chunk_size=5000):
        state = progress.get(project_id, ProjectProgress())
        if state.stage in (Stage.TERMINATED, Stage.FULL_CAPACITY):
            continue
        signed_on = signing_date or event_start
        last_move = state.last_move or signed_on
        if last_move is None:
            continue
        flag = OverdueFlag(project_id, "yellow", stage=state.stage, last_move=last_move)
        yellow_idle, red_idle, yellow_months, red_months = idle[state.stage]
        if last_move <= yellow_idle:
            # Yellow first, whether red by now or not: overdue since the yellow threshold.
            flag.flag_since(first_day_past(last_move, yellow_months))
        if last_move <= red_idle:
            flag.level = "red"
            flag.reasons.append(
                {"code": "idle", "params": {"months": red_months, "stage": state.stage}}
            )
            flag.flag_since(first_day_past(last_move, red_months))
        elif last_move <= yellow_idle:
            flag.reasons.append(
                {"code": "idle", "params": {"months": yellow_months, "stage": state.stage}}
            )
        if state.stage not in STARTED_OR_BEYOND and signed_on and signed_on < not_started:
            flag.level = "red"
            flag.reasons.append(
                {"code": "not_started", "params": {"months": thresholds.red_not_started_months}}
            )
            flag.flag_since(
                first_day_past(signed_on, thresholds.red_not_started_months, strictly=True)
            )
        if (
            state.started_on
            and state.started_on < low_funds
            and (state.funds_cny or 0) < share * value_cny
        ):
            flag.level = "red"
            flag.reasons.append(
                {
                    "code": "low_funds",
                    "params": {
                        "months": thresholds.red_low_funds_months,
                        "percent": f"{share * 100:.0f}",
                    },
                }
            )
            flag.flag_since(
                first_day_past(state.started_on, thresholds.red_low_funds_months, strictly=True)
            )
        if flag.reasons:
            flags.append(flag)
    flags.sort(key=lambda f: (f.level != "red", f.last_move or dt.date.min, f.project_id))
    return flags


def overdue_report(
    *, today: dt.date, thresholds: OverdueThresholds, event_slug=None, region=None, projects=None
) -> list[dict]:
    """Flagged projects with their names and destination prefecture, ready to show or serve."""
    from investpromo.projects.models import Project

    projects = projects if projects is not None else Project.objects.all()
    if event_slug:
        projects = projects.filter(event__slug=event_slug)
    if region is not None:
        prefix = region.code[: {1: 2, 2: 4}.get(region.level, 6)]
        projects = projects.filter(destination_region__code__startswith=prefix)
    flags = overdue_flags(projects, today=today, thresholds=thresholds)
    details = {
        row["id"]: row
        for row in Project.objects.filter(id__in=[f.project_id for f in flags]).values(
            "id",
            "name",
            "investor__name",
            "event__slug",
            "destination_region__code",
            "destination_region__name",
            "destination_region__stat_prefecture__name",
            "destination_region__stat_prefecture_id",
            "value_cny",
        )
    }
    result = []
    for flag in flags:
        row = details[flag.project_id]
        result.append(
            {
                "project_id": flag.project_id,
                "name": row["name"],
                "investor": row["investor__name"],
                "event": row["event__slug"],
                "region_code": row["destination_region__code"],
                "region": row["destination_region__stat_prefecture__name"]
                or row["destination_region__name"],
                "prefecture_code": row["destination_region__stat_prefecture_id"]
                or row["destination_region__code"],
                "level": flag.level,
                "reasons": flag.reasons,
                "stage": flag.stage,
                "last_move": flag.last_move.isoformat() if flag.last_move else None,
                "value_cny": row["value_cny"],
                "overdue_since": flag.since.isoformat() if flag.since else None,
                "days_overdue": (today - flag.since).days if flag.since else None,
            }
        )
    result.sort(key=lambda r: (r["region_code"][:4], r["level"] != "red", r["last_move"] or ""))
    return result
