"""Recording many progress steps at once: the writer behind every progress-report import.

The rows come from the import pipeline (imports.progress), their cells read; here each is
checked once (project, regions, the step rules, the funds' conversion) and written in bulk in
one transaction: new steps, changed steps, a change-log row for each, and the state of every
project they touch. A batch costs a fixed handful of queries, never one per row.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import Protocol

from django.db import transaction

from investpromo.accounts.permissions import ensure_can_write_projects_in
from investpromo.core import bulk
from investpromo.core.audit import record_creations, record_updates, snapshot
from investpromo.core.errors import UserError
from investpromo.followup.models import STARTED_OR_BEYOND, ProgressStep, ProjectState, Stage
from investpromo.followup.services.steps import _check_funds_cny, check_step, is_backwards
from investpromo.projects.models import Project
from investpromo.projects.rates import RateBook, normalize_currency

BATCH_SIZE = 2000
_STATE_FIELDS = ["stage", "last_move", "started_on", "funds_cny"]
_STEP_FIELDS = [f.attname for f in ProgressStep._meta.concrete_fields]
_CHANGED_FIELDS = [
    "note",
    "no_evidence_reason",
    "approvals",
    "funds_in_place",
    "funds_currency",
    "funds_text",
    "funds_cny",
    "is_regression",
]


class StepRow(Protocol):
    """A progress-report row as the import pipeline hands it over: the step it reports."""

    sheet: str
    number: int
    project_id: int | None
    stage: str
    date: dt.date | None
    funds: Decimal | None
    funds_currency: str
    funds_text: str
    approvals: list[str]
    note: str
    errors: list

    def reject(self, field: str | None, message: str) -> None: ...


@dataclass
class ProgressOutcome:
    """What a progress import's rows came to (or, in a dry run, would come to)."""

    written: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


def record_progress_bulk(
    *,
    actor,
    rows: Iterable[StepRow],
    source: str,
    via: str,
    dry_run: bool = False,
    uploaded_by=None,
    rates: RateBook | None = None,
    checked: Callable[[list[StepRow]], None] | None = None,
) -> ProgressOutcome:
    """Record the steps of many rows: all or nothing (any invalid row means none is written)."""
    # A step already recorded (same project, stage and date) is updated with what its row
    # says; blank cells and missing columns keep what was recorded. Row problems go to the
    # rows (row.reject); checked(batch) is called once a batch's rows are final.
    scope = [actor] if uploaded_by is None or uploaded_by == actor else [actor, uploaded_by]
    run = _Run(actor=actor, scope=scope, source=source, via=via, rates=rates or RateBook())
    if dry_run:
        with bulk.fewer_collections():
            return run.run(rows, write=False, checked=checked)
    with bulk.fewer_collections(), transaction.atomic():
        outcome = run.run(rows, write=True, checked=checked)
        if outcome.rejected:
            transaction.set_rollback(True)
        else:
            outcome.written = True
    return outcome


@dataclass
class _Step:
    """A row's step to write: new (to insert) or recorded (to update), and its log entry."""

    row: StepRow
    step: ProgressStep
    before: dict | None = None


class _Run:
    def __init__(self, *, actor, scope: list, source: str, via: str, rates: RateBook):
        self.actor, self.scope, self.source, self.via = actor, scope, source, via
        self.rates = rates
        self.outcome = ProgressOutcome()
        self.allowed: dict[str, str | None] = {}
        self.write = False
        self.recorded_by = actor.pk if getattr(actor, "pk", None) else None

    def run(self, rows: Iterable[StepRow], *, write: bool, checked) -> ProgressOutcome:
        self.write = write
        rows = iter(rows)
        while batch := list(islice(rows, BATCH_SIZE)):
            self._batch(batch, checked)
        return self.outcome

    def _batch(self, rows: list[StepRow], checked) -> None:
        outcome = self.outcome
        ids = {row.project_id for row in rows if not row.errors}
        query = Project.objects.filter(pk__in=ids).select_related("event", "destination_region")
        if self.write:
            # Step writes to a project are serialised, so its state counts every step.
            query = query.select_for_update(of=("self",))
        projects = {project.pk: project for project in query}
        recorded = {
            (step.project_id, step.stage, step.date): step
            for step in ProgressStep.objects.filter(project__in=list(projects)).order_by("id")
        }
        new: list[_Step] = []
        changed: list[_Step] = []
        for row in rows:
            if not row.errors:
                self._check(row, projects.get(row.project_id), recorded, new, changed)
            if row.errors:
                outcome.rejected += 1
        if checked is not None:
            checked(rows)
        if outcome.rejected:
            self.write = False
        if self.write and (new or changed):
            self._write(new, changed, {item.step.project_id for item in new + changed})

    def _check(self, row: StepRow, project, recorded, new, changed) -> None:
        if project is None:
            row.reject("project_id", f"no project with ID {row.project_id}")
            return
        region = project.destination_region
        allowed = self.allowed.get(region.code, "")
        if allowed == "":
            try:
                for actor in self.scope:
                    ensure_can_write_projects_in(actor, region)
                allowed = None
            except UserError as error:
                allowed = error.message
            self.allowed[region.code] = allowed
        if allowed is not None:
            row.reject(None, f"project {project.pk} is not in your regions")
            return
        funds_cny, currency = None, ""
        if row.funds is not None:
            try:
                currency = normalize_currency(row.funds_currency)
                funds_cny, _, _ = self.rates.to_cny(row.funds, currency, row.date)
            except UserError as error:
                row.reject("funds_in_place", error.message)
                return
        try:
            check_step(
                project=project,
                stage=row.stage,
                date=row.date,
                approvals=row.approvals,
                funds_in_place=row.funds,
                has_evidence=False,
                no_evidence_reason=row.note,
                termination_reason=row.note if row.stage == Stage.TERMINATED else "",
            )
            if funds_cny is not None:
                _check_funds_cny(funds_cny)
        except UserError as error:
            row.reject(error.field or "funds_in_place", error.message)
            return
        step = recorded.get((project.pk, row.stage, row.date))
        if step is None:
            self._new(row, project, funds_cny, currency, new)
        else:
            self._change(row, step, funds_cny, currency, changed)

    def _new(self, row: StepRow, project, funds_cny, currency: str, new: list) -> None:
        step = bulk.build(
            ProgressStep,
            {
                "project_id": project.pk,
                "stage": row.stage,
                "date": row.date,
                "approvals": sorted(set(row.approvals)),
                "note": row.note.strip(),
                "no_evidence_reason": row.note.strip() if row.stage in STARTED_OR_BEYOND else "",
                "termination_reason": row.note.strip() if row.stage == Stage.TERMINATED else "",
                "funds_in_place": row.funds,
                "funds_currency": currency,
                "funds_text": row.funds_text,
                "funds_cny": funds_cny,
                "recorded_by_id": self.recorded_by,
                "source_ref": f"{self.source}!{row.sheet}!{row.number}"[:300],
            },
        )
        new.append(_Step(row, step))
        self.outcome.created += 1

    def _change(self, row: StepRow, step: ProgressStep, funds_cny, currency: str, changed) -> None:
        """What a re-imported row changes: only what it says (blank cells keep the record)."""
        changes: dict = {}
        if row.funds is not None and (
            step.funds_in_place != row.funds or step.funds_currency != currency
        ):
            changes.update(
                funds_in_place=row.funds,
                funds_currency=currency,
                funds_text=row.funds_text,
                funds_cny=funds_cny,
            )
        if row.note and row.note != step.note:
            changes["note"] = row.note
            if row.stage in STARTED_OR_BEYOND:
                changes["no_evidence_reason"] = row.note
        if row.approvals and sorted(set(row.approvals)) != sorted(step.approvals):
            changes["approvals"] = sorted(set(row.approvals))
        if not changes:
            self.outcome.unchanged += 1
            return
        before = snapshot(step)
        step.__dict__.update(changes)
        changed.append(_Step(row, step, before))
        self.outcome.updated += 1

    def _write(self, new: list[_Step], changed: list[_Step], project_ids: set[int]) -> None:
        # In date order per project, so going back a stage is marked as it is recorded.
        new.sort(key=lambda item: (item.step.project_id, item.step.date))
        steps = [item.step for item in new]
        self._mark_regressions(steps, project_ids, changed)
        bulk.insert(ProgressStep, steps, with_ids=True)
        if changed:
            ProgressStep.objects.bulk_update(
                [item.step for item in changed], _CHANGED_FIELDS, batch_size=200
            )
        record_creations(actor=self.actor, instances=steps, source=self.via)
        record_updates(
            actor=self.actor,
            changes=[
                (item.step, item.before, snapshot(item.step))
                for item in changed
                if item.before is not None
            ],
            source=self.via,
        )
        refresh_states(project_ids)

    def _mark_regressions(self, steps: list, project_ids: set[int], changed: list) -> None:
        """Which steps go back a stage, the new ones among the recorded (same rule as one)."""
        by_project: dict[int, list] = {}
        kept = {item.step.pk: item for item in changed}
        for step in ProgressStep.objects.filter(project__in=project_ids).order_by("date", "id"):
            by_project.setdefault(step.project_id, []).append(((step.date, 0, step.pk), step))
        for position, step in enumerate(steps):
            by_project.setdefault(step.project_id, []).append(((step.date, 1, position), step))
        for entries in by_project.values():
            entries.sort(key=lambda entry: entry[0])
            previous = Stage.SIGNED
            for (_, is_new, _), step in entries:
                backwards = is_backwards(previous, step.stage)
                if step.is_regression != backwards:
                    if is_new:
                        step.is_regression = backwards
                    elif step.pk in kept:
                        kept[step.pk].step.is_regression = backwards
                    else:
                        step.is_regression = backwards
                        changed.append(_Step(None, step))
                previous = step.stage


def refresh_states(project_ids: set[int]) -> None:
    """Recompute the state of these projects from all their steps (after steps changed)."""
    from investpromo.followup.selectors import walk_steps

    for chunk in bulk.chunks(sorted(project_ids), bulk.in_chunk_size()):
        steps = (
            ProgressStep.objects.filter(project__in=chunk)
            .order_by("project_id", "date", "id")
            .values_list("project_id", "stage", "date", "funds_cny")
        )
        progress = walk_steps(steps)
        states = {state.pk: state for state in ProjectState.objects.filter(project__in=chunk)}
        create, update = [], []
        for project_id in chunk:
            found = progress.get(project_id)
            if found is None:
                continue
            values = {name: getattr(found, name) for name in _STATE_FIELDS}
            state = states.get(project_id)
            if state is None:
                create.append(ProjectState(project_id=project_id, **values))
            elif any(getattr(state, name) != value for name, value in values.items()):
                state.__dict__.update(values)
                update.append(state)
        gone = [pk for pk in states if pk not in progress]
        ProjectState.objects.filter(project__in=gone).delete()
        ProjectState.objects.bulk_create(create, batch_size=500)
        ProjectState.objects.bulk_update(update, _STATE_FIELDS, batch_size=200)
