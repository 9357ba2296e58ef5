"""Recording progress steps, evidence, thresholds and snapshots one at a time."""

import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from investpromo.accounts.permissions import ensure_administrator, ensure_can_write_projects_in
from investpromo.core.audit import (
    delete_and_record,
    record_change,
    record_deletion,
    save_and_record_update,
    snapshot,
)
from investpromo.core.errors import UserError
from investpromo.followup.models import (
    IDLE_STAGES,
    STAGE_ORDER,
    STARTED_OR_BEYOND,
    Approval,
    Evidence,
    OverdueThresholds,
    ProgressStep,
    ProjectState,
    Snapshot,
    Stage,
)
from investpromo.followup.services.removal import remove_files_on_commit
from investpromo.projects.models import Project
from investpromo.projects.money import MAX_SIGNIFICANT_DIGITS, MAX_VALUE_CNY, significant_digits
from investpromo.projects.rates import RateBook, normalize_currency

MAX_EVIDENCE_BYTES = 50 * 1024 * 1024


def refresh_state(project: Project) -> None:
    """Recompute the project's current state from all its steps (after any step changes)."""
    from investpromo.followup.selectors import walk_steps

    steps = (
        ProgressStep.objects.filter(project=project)
        .order_by("date", "id")
        .values_list("project_id", "stage", "date", "funds_cny")
    )
    progress = walk_steps(steps).get(project.pk)
    _refresh_regressions(project)
    if progress is None:
        ProjectState.objects.filter(project=project).delete()
        return
    ProjectState.objects.update_or_create(
        project=project,
        defaults={
            "stage": progress.stage,
            "last_move": progress.last_move,
            "started_on": progress.started_on,
            "funds_cny": progress.funds_cny,
        },
    )


def _refresh_regressions(project: Project) -> None:
    """Re-mark which steps went back, after a step was inserted out of order or removed."""
    previous = Stage.SIGNED
    changed = []
    for step in ProgressStep.objects.filter(project=project).order_by("date", "id"):
        backwards = is_backwards(previous, step.stage)
        if step.is_regression != backwards:
            step.is_regression = backwards
            changed.append(step)
        previous = step.stage
    ProgressStep.objects.bulk_update(changed, ["is_regression"])


def _check_funds_cny(funds_cny: Decimal) -> None:
    if funds_cny >= MAX_VALUE_CNY:
        raise UserError(
            f"funds in place of {funds_cny} yuan are beyond what can be kept exactly",
            field="funds_in_place",
        )


def _lock(project: Project) -> None:
    """Serialise step writes per project, so its state is computed from every committed step."""
    Project.objects.select_for_update().filter(pk=project.pk).first()


def _previous_stage(project: Project, on: dt.date) -> str:
    step = (
        ProgressStep.objects.filter(project=project, date__lte=on).order_by("-date", "-id").first()
    )
    return step.stage if step else Stage.SIGNED


def check_step(
    *,
    project: Project,
    stage: str,
    date: dt.date,
    approvals=(),
    funds_in_place: Decimal | None,
    has_evidence: bool,
    no_evidence_reason: str,
    termination_reason: str,
) -> None:
    """The rules every step must meet, shared by the form, the API and the bulk import."""
    if stage not in Stage.values:
        raise UserError(
            f"unknown stage {stage!r}: use one of {', '.join(Stage.values)}", field="stage"
        )
    if date > timezone.localdate():
        raise UserError(f"the date {date.isoformat()} is in the future", field="date")
    signed_on = project.signing_date or (project.event.start_date if project.event_id else None)
    if signed_on and date < signed_on and stage != Stage.REGISTERED:
        raise UserError(
            f"the date {date.isoformat()} is before the signing ({signed_on.isoformat()})",
            field="date",
        )
    unknown = set(approvals) - set(Approval.values)
    if unknown:
        raise UserError(
            f"unknown approvals {', '.join(sorted(unknown))}: use {', '.join(Approval.values)}",
            field="approvals",
        )
    if stage == Stage.TERMINATED and not termination_reason.strip():
        raise UserError("a terminated project needs the reason", field="termination_reason")
    if stage in STARTED_OR_BEYOND and not has_evidence and not no_evidence_reason.strip():
        raise UserError(
            "from 'construction started' on, attach evidence or explain why there is none",
            field="evidence",
        )
    if funds_in_place is not None and (not funds_in_place.is_finite() or funds_in_place < 0):
        raise UserError("funds in place cannot be negative", field="funds_in_place")
    if funds_in_place is not None and (
        significant_digits(funds_in_place) > MAX_SIGNIFICANT_DIGITS
        or funds_in_place >= MAX_VALUE_CNY
    ):
        raise UserError(
            f"funds in place {funds_in_place} are beyond what can be kept exactly",
            field="funds_in_place",
        )


@transaction.atomic
def record_progress(
    *,
    actor,
    project: Project,
    stage: str,
    date: dt.date,
    note: str = "",
    approvals=(),
    funds_in_place: Decimal | None = None,
    funds_currency: str = "CNY",
    funds_text: str = "",
    no_evidence_reason: str = "",
    termination_reason: str = "",
    evidence_files: list[UploadedFile] = (),
    source_ref: str = "",
    via: str = "",
    rates: RateBook | None = None,
) -> ProgressStep:
    """Record a dated step of a project (going back a stage is allowed and marked)."""
    ensure_can_write_projects_in(actor, project.destination_region)
    _lock(project)
    check_step(
        project=project,
        stage=stage,
        date=date,
        approvals=approvals,
        funds_in_place=funds_in_place,
        has_evidence=bool(evidence_files),
        no_evidence_reason=no_evidence_reason,
        termination_reason=termination_reason,
    )
    for upload in evidence_files:
        if upload.size > MAX_EVIDENCE_BYTES:
            raise UserError(f"{upload.name} is larger than 50 MB", field="evidence")
    funds_cny = None
    if funds_in_place is not None:
        funds_currency = normalize_currency(funds_currency)
        book = rates if rates is not None else RateBook()
        funds_cny, _, _ = book.to_cny(funds_in_place, funds_currency, date)
        _check_funds_cny(funds_cny)
    previous = _previous_stage(project, date)
    step = ProgressStep.objects.create(
        project=project,
        stage=stage,
        date=date,
        approvals=sorted(set(approvals)),
        note=note.strip(),
        no_evidence_reason=no_evidence_reason.strip(),
        termination_reason=termination_reason.strip(),
        funds_in_place=funds_in_place,
        funds_currency=funds_currency if funds_in_place is not None else "",
        funds_text=funds_text,
        funds_cny=funds_cny,
        is_regression=is_backwards(previous, stage),
        recorded_by=actor if getattr(actor, "pk", None) else None,
        source_ref=source_ref,
    )
    record_change(
        actor=actor, instance=step, action="create", before=None, after=snapshot(step), source=via
    )
    for upload in evidence_files:
        attach_evidence(actor=actor, step=step, upload=upload, via=via)
    refresh_state(project)
    return step


def is_backwards(previous: str, stage: str) -> bool:
    """Whether moving from `previous` to `stage` goes back (leaving 'terminated' counts)."""
    if previous == Stage.TERMINATED:
        return stage != Stage.TERMINATED
    if stage == Stage.TERMINATED:
        return False
    return STAGE_ORDER[stage] < STAGE_ORDER[previous]


STEP_EDITABLE = frozenset(
    {
        "note",
        "funds_in_place",
        "funds_currency",
        "funds_text",
        "approvals",
        "no_evidence_reason",
        "termination_reason",
    }
)


@transaction.atomic
def update_step(
    *, actor, step: ProgressStep, via: str = "", rates: RateBook | None = None, **changes
) -> ProgressStep:
    """Correct a recorded step (its funds, note, approvals or reasons); stage and date stay."""
    ensure_can_write_projects_in(actor, step.project.destination_region)
    _lock(step.project)
    unknown = set(changes) - STEP_EDITABLE
    if unknown:
        raise UserError(f"cannot change {', '.join(sorted(unknown))} of a step")
    before = snapshot(step)
    for name, value in changes.items():
        setattr(step, name, value)
    check_step(
        project=step.project,
        stage=step.stage,
        date=step.date,
        approvals=step.approvals,
        funds_in_place=step.funds_in_place,
        has_evidence=step.evidence.exists(),
        no_evidence_reason=step.no_evidence_reason,
        termination_reason=step.termination_reason,
    )
    if step.funds_in_place is None:
        step.funds_currency, step.funds_cny = "", None
    else:
        step.funds_currency = normalize_currency(step.funds_currency or "CNY")
        book = rates if rates is not None else RateBook()
        step.funds_cny, _, _ = book.to_cny(step.funds_in_place, step.funds_currency, step.date)
        _check_funds_cny(step.funds_cny)
    save_and_record_update(actor=actor, instance=step, before=before, via=via)
    refresh_state(step.project)
    return step


@transaction.atomic
def attach_evidence(*, actor, step: ProgressStep, upload: UploadedFile, via: str = "") -> Evidence:
    """Store an evidence file with its checksum."""
    ensure_can_write_projects_in(actor, step.project.destination_region)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = Evidence.objects.create(
        step=step,
        file=upload,
        original_name=upload.name[:255],
        content_type=getattr(upload, "content_type", "") or "",
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    record_change(
        actor=actor,
        instance=evidence,
        action="create",
        before=None,
        after=snapshot(evidence),
        source=via,
    )
    return evidence


@transaction.atomic
def delete_step(*, actor, step: ProgressStep, via: str = "") -> None:
    """Remove a step recorded by mistake; the change log keeps it."""
    ensure_can_write_projects_in(actor, step.project.destination_region)
    _lock(step.project)
    evidence = list(step.evidence.all())
    for item in evidence:  # deleted with the step
        record_deletion(actor=actor, instance=item, via=via)
    project = step.project
    delete_and_record(actor=actor, instance=step, via=via)
    refresh_state(project)
    # The attachments' files go with their records (left on disk, no one could reach them).
    remove_files_on_commit([item.file for item in evidence])


def current_thresholds() -> OverdueThresholds:
    """The thresholds in force (the defaults until an administrator changes them)."""
    return OverdueThresholds.objects.order_by("id").first() or OverdueThresholds()


@transaction.atomic
def set_thresholds(*, actor, via: str = "", **values) -> OverdueThresholds:
    """Change the overdue thresholds."""
    ensure_administrator(actor, "overdue thresholds")
    thresholds = OverdueThresholds.objects.order_by("id").first()
    before = snapshot(thresholds) if thresholds else None
    thresholds = thresholds or OverdueThresholds()
    if "idle_months" in values:
        thresholds.idle_months = _checked_idle_months(values.pop("idle_months"))
    for field, value in values.items():
        if field not in {f.name for f in OverdueThresholds._meta.fields} - {"id", "updated_at"}:
            raise UserError(f"unknown threshold {field!r}")
        if value is None or Decimal(value) < 0:
            raise UserError(f"threshold {field} must be zero or more", field=field)
        setattr(thresholds, field, value)
    if Decimal(thresholds.red_low_funds_share) > 1:
        raise UserError(
            "the funds share is a fraction between 0 and 1", field="red_low_funds_share"
        )
    thresholds.save()
    record_change(
        actor=actor,
        instance=thresholds,
        action="update" if before else "create",
        before=before,
        after=snapshot(thresholds),
        source=via,
    )
    return thresholds


def _checked_idle_months(idle_months) -> dict:
    """{stage: {"yellow": n, "red": n}} for every stage, whole months, red not before yellow."""
    if not isinstance(idle_months, dict) or set(idle_months) != set(IDLE_STAGES):
        raise UserError(
            "idle_months needs yellow and red months for each of: " + ", ".join(IDLE_STAGES),
            field="idle_months",
            code="idle_months_stages",
        )
    checked = {}
    for stage in IDLE_STAGES:
        months = idle_months[stage]
        if not isinstance(months, dict) or set(months) != {"yellow", "red"}:
            raise UserError(
                f"idle_months.{stage} needs yellow and red", field="idle_months", code="idle_months"
            )
        yellow, red = months["yellow"], months["red"]
        if not all(type(m) is int and 0 <= m <= 120 for m in (yellow, red)):
            raise UserError(
                f"idle_months.{stage}: months are whole numbers from 0 to 120",
                field="idle_months",
                code="idle_months",
            )
        if red < yellow:
            raise UserError(
                f"idle_months.{stage}: red cannot come before yellow",
                field="idle_months",
                code="idle_months_order",
            )
        checked[stage] = {"yellow": yellow, "red": red}
    return checked


def _canonical_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class SnapshotUnchanged(UserError):
    """The snapshot asked for is the event's latest of that label and date, as it stands."""

    def __init__(self, snap: Snapshot):
        super().__init__(
            f"unchanged since snapshot {snap.pk} ('{snap.label}' as of {snap.as_of.isoformat()}, "
            f"sha256 {snap.content_sha256}): no new snapshot taken (--force takes one anyway)",
            code="snapshot_unchanged",
        )
        self.snapshot = snap


@transaction.atomic
def take_snapshot(
    *, actor, event, as_of: dt.date, label: str, force: bool = False, via: str = ""
) -> Snapshot:
    """Freeze an event's report, bulletins and per-project state as of a date.

    Taking again the latest snapshot of the same label and date, with nothing changed since,
    takes none (SnapshotUnchanged names the one there is) unless `force`.
    """
    # Imported here: reports builds on follow-through, not the other way round.
    from investpromo.events.models import Event
    from investpromo.followup.selectors import project_states
    from investpromo.reports.bulletin import bulletin
    from investpromo.reports.selectors import event_summary

    ensure_administrator(actor, "published snapshots")
    label = label.strip()[:200]
    if not label:
        raise UserError("a snapshot needs a label, e.g. '2024年9月月报'", field="label")
    if as_of > timezone.localdate():
        raise UserError(
            f"a snapshot cannot be as of {as_of.isoformat()}, a date still to come", field="as_of"
        )
    # The event locked: of two identical requests at once (a double click) the second sees
    # the first one's snapshot.
    Event.objects.select_for_update().filter(pk=event.pk).first()
    report = event_summary(event, as_of=as_of)
    content_sha256 = hashlib.sha256(_canonical_json(report).encode()).hexdigest()
    states = project_states(event.projects.all(), as_of)
    latest = (
        Snapshot.objects.filter(event=event, as_of=as_of, label=label)
        .order_by("-created_at", "-id")
        .first()
    )
    # The same figures and the same projects as they stood: a second copy would say nothing new.
    if (
        not force
        and latest is not None
        and latest.content_sha256 == content_sha256
        and latest.project_states == states
    ):
        raise SnapshotUnchanged(latest)
    snap = Snapshot.objects.create(
        event=event,
        as_of=as_of,
        label=label,
        report=report,
        bulletin_zh=bulletin(report, lang="zh"),
        bulletin_en=bulletin(report, lang="en"),
        project_states=states,
        created_by=actor if getattr(actor, "pk", None) else None,
        content_sha256=content_sha256,
    )
    record_change(
        actor=actor,
        instance=snap,
        action="create",
        before=None,
        after={
            "event": event.slug,
            "as_of": as_of.isoformat(),
            "label": snap.label,
            "content_sha256": snap.content_sha256,
        },
        source=via,
    )
    return snap
