"""Links between records of one project: made by the scan or a person, decided in review."""

from django.db import transaction
from django.utils import timezone

from investpromo.accounts.permissions import ensure_can_write_projects_in
from investpromo.core import bulk
from investpromo.core.audit import record_change, record_creations, snapshot
from investpromo.core.errors import UserError
from investpromo.geo.models import Region
from investpromo.integrity.models import ProjectLink
from investpromo.projects.models import Project

Status = ProjectLink.Status


def _actor_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


def _check_pair(earlier: Project, later: Project) -> None:
    if earlier.pk == later.pk:
        raise UserError("a record cannot be linked to itself", code="link_self")


@transaction.atomic
def create_link(
    *,
    actor,
    earlier: Project,
    later: Project,
    kind: str,
    status: str = Status.CONFIRMED,
    via: str = "",
) -> ProjectLink:
    """Link a later record to an earlier one by hand (confirmed unless said otherwise)."""
    _check_pair(earlier, later)
    if kind not in ProjectLink.Kind.values:
        raise UserError(f"unknown link kind {kind!r}", field="kind", code="link_kind")
    ensure_can_write_projects_in(actor, earlier.destination_region, later.destination_region)
    if ProjectLink.objects.filter(earlier=earlier, later=later).exists():
        raise UserError(f"#{later.pk} is already linked to #{earlier.pk}", code="link_exists")
    decided = status != Status.PENDING
    link = ProjectLink.objects.create(
        earlier=earlier,
        later=later,
        kind=kind,
        status=status,
        decided_via="review" if decided else "",
        decided_by=_actor_or_none(actor) if decided else None,
        decided_at=timezone.now() if decided else None,
    )
    record_change(
        actor=actor, instance=link, action="create", before=None, after=snapshot(link), source=via
    )
    return link


@transaction.atomic
def decide_link(
    *, actor, link: ProjectLink, status: str, kind: str | None = None, via: str = ""
) -> ProjectLink:
    """A person's decision on a link: confirm, reject, or change its kind."""
    link = (
        ProjectLink.objects.select_for_update()
        .select_related("earlier__destination_region", "later__destination_region")
        .get(pk=link.pk)
    )
    if status not in Status.values or status == Status.PENDING:
        raise UserError(f"a decision is confirmed or rejected, not {status!r}", code="link_status")
    if kind is not None and kind not in ProjectLink.Kind.values:
        raise UserError(f"unknown link kind {kind!r}", field="kind", code="link_kind")
    ensure_can_write_projects_in(
        actor, link.earlier.destination_region, link.later.destination_region
    )
    before = snapshot(link)
    link.status = status
    link.kind = kind or link.kind
    link.decided_via, link.decided_by, link.decided_at = (
        "review",
        _actor_or_none(actor),
        (timezone.now()),
    )
    link.save()
    record_change(
        actor=actor, instance=link, action="update", before=before, after=snapshot(link), source=via
    )
    return link


@transaction.atomic
def apply_scan(*, actor, pairs, via: str = "scan") -> dict:
    """Record a scan's pairs: `same` ones and sure later phases confirmed, `review` pending.

    A pair already linked (in either order, whatever its status: a rejected link is a
    person's decision) is left alone, so running the scan again adds only what is new.
    Returns {"linked": n, "queued": n, "unchanged": n}.
    """
    wanted = [p for p in pairs if p.decision in ("same", "review") or p.confident]
    codes = {code for p in wanted for code in (p.earlier.destination, p.later.destination)}
    ensure_can_write_projects_in(actor, *Region.objects.filter(code__in=codes))
    ids = sorted({record.id for p in wanted for record in (p.earlier, p.later)})
    existing = set()
    for chunk in bulk.chunks(ids, bulk.in_chunk_size()):
        existing.update(
            ProjectLink.objects.filter(later_id__in=chunk).values_list("earlier_id", "later_id")
        )
    existing |= {(later, earlier) for earlier, later in existing}
    now, decider = timezone.now(), _actor_or_none(actor)
    new = []
    for pair in wanted:
        key = (pair.earlier.id, pair.later.id)
        if key in existing:
            continue
        existing.add(key)
        confirmed = pair.confident
        new.append(
            ProjectLink(
                earlier_id=pair.earlier.id,
                later_id=pair.later.id,
                kind=pair.kind,
                status=Status.CONFIRMED if confirmed else Status.PENDING,
                score=pair.score,
                evidence=pair.evidence,
                decided_via="scan" if confirmed else "",
                decided_by=decider if confirmed else None,
                decided_at=now if confirmed else None,
            )
        )
    created = ProjectLink.objects.bulk_create(new, batch_size=500)
    record_creations(actor=actor, instances=created, source=via)
    linked = sum(1 for link in created if link.status == Status.CONFIRMED)
    return {"linked": linked, "queued": len(created) - linked, "unchanged": len(wanted) - len(new)}
