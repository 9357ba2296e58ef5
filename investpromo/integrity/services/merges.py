"""Merging two organisations that are one enterprise, and undoing it.

A merge moves the merged organisation's projects (as investor and as co-investor) and every
other record that points at it (event participations, registrations…) to the survivor; the
merged name and its aliases become the survivor's aliases; a USCC only the merged one had
moves with it. The merged organisation stays, marked merged_into, so that an unmerge can put
back exactly what moved (recorded on the OrganisationMerge). Two different USCCs are two
enterprises: never merged.
"""

from django.db import transaction
from django.utils import timezone

from investpromo.core.audit import record_change, record_updates, snapshot
from investpromo.core.errors import UserError
from investpromo.integrity.models import OrganisationMerge
from investpromo.orgs.models import Organisation
from investpromo.orgs.services import ensure_can_change_organisation
from investpromo.projects.models import Project

# Reverse relations handled by name; every other one pointing at Organisation is moved as is.
_OWN_RELATIONS = {
    "projects",
    "co_invested_projects",
    "merged_from",
    "merges_received",
    "merges_given",
}


def _other_relations(organisation: Organisation):
    """(model, field name) of each other foreign key to Organisation."""
    for relation in organisation._meta.related_objects:
        if relation.get_accessor_name() in _OWN_RELATIONS or relation.many_to_many:
            continue
        yield relation.related_model, relation.field.name


def _move_projects(*, actor, project_ids, source, target, via) -> None:
    """Projects of source (those ids) become target's; refuses an identity clash in an event."""
    projects = list(Project.objects.select_for_update().filter(pk__in=project_ids, investor=source))
    taken = set(
        Project.objects.filter(investor=target, event__isnull=False).values_list(
            "event_id", "normalized_name"
        )
    )
    for project in projects:
        if project.event_id is not None and (project.event_id, project.normalized_name) in taken:
            raise UserError(
                f"{target.name} already has a project {project.name} in the same event as "
                f"#{project.pk}: link the two as a double report, or rename one, first",
                code="merge_project_clash",
            )
    changes = []
    for project in projects:
        before = snapshot(project)
        project.investor, project.investor_key = target, target.normalized_name
        project.version += 1
        changes.append((project, before, snapshot(project)))
    Project.objects.bulk_update(projects, ["investor", "investor_key", "version", "updated_at"])
    record_updates(actor=actor, changes=changes, source=via)


def _move_co_investments(*, project_ids, source, target) -> list[list]:
    """[project id, whether target was added] for each project source co-invested in."""
    moved = []
    for project in Project.objects.filter(pk__in=project_ids).prefetch_related("co_investors"):
        present = {o.pk for o in project.co_investors.all()}
        project.co_investors.remove(source)
        add = project.investor_id != target.pk and target.pk not in present
        if add:
            project.co_investors.add(target)
        moved.append([project.pk, add])
    return moved


def _move_others(*, ids_by_label, source, target) -> dict:
    """Move the other records pointing at source; those whose event target already has stay."""
    moved = {}
    for model, field in _other_relations(source):
        label = model._meta.label
        rows = model.objects.filter(**{field: source})
        if ids_by_label is not None:
            rows = model.objects.filter(pk__in=ids_by_label.get(label, []), **{field: source})
        if any(f.name == "event" for f in model._meta.concrete_fields):
            events = model.objects.filter(**{field: target}).values("event")
            rows = rows.exclude(event__in=events)
        ids = sorted(rows.values_list("pk", flat=True))
        if ids:
            model.objects.filter(pk__in=ids).update(**{field: target})
            moved[label] = ids
    return moved


@transaction.atomic
def merge_organisations(
    *, actor, survivor: Organisation, merged: Organisation, via: str = ""
) -> OrganisationMerge:
    """Merge `merged` into `survivor` (see the module docstring); returns the merge record."""
    survivor = Organisation.objects.select_for_update().get(pk=survivor.pk)
    merged = Organisation.objects.select_for_update().get(pk=merged.pk)
    if survivor.pk == merged.pk:
        raise UserError("an organisation cannot be merged into itself", code="merge_self")
    for organisation in (survivor, merged):
        if organisation.merged_into_id:
            raise UserError(
                f"{organisation.name} was already merged into another organisation",
                code="merge_already_merged",
            )
    if survivor.uscc and merged.uscc and survivor.uscc != merged.uscc:
        raise UserError(
            f"{survivor.name} ({survivor.uscc}) and {merged.name} ({merged.uscc}) have different "
            "USCCs: they are two enterprises",
            code="merge_two_usccs",
        )
    ensure_can_change_organisation(actor, survivor)
    ensure_can_change_organisation(actor, merged)
    survivor_before, merged_before = snapshot(survivor), snapshot(merged)
    project_ids = sorted(merged.projects.values_list("pk", flat=True))
    co_ids = sorted(merged.co_invested_projects.values_list("pk", flat=True))
    _move_projects(actor=actor, project_ids=project_ids, source=merged, target=survivor, via=via)
    co_investments = _move_co_investments(project_ids=co_ids, source=merged, target=survivor)
    others = _move_others(ids_by_label=None, source=merged, target=survivor)
    uscc_moved = bool(merged.uscc and not survivor.uscc)
    if uscc_moved:
        survivor.uscc, merged.uscc = merged.uscc, None
    known = {survivor.name, *survivor.aliases}
    added = [name for name in [merged.name, *merged.aliases] if name not in known]
    added = list(dict.fromkeys(added))
    survivor.aliases = [*survivor.aliases, *added]
    merged.merged_into = survivor
    merged.save()  # first: the USCC leaves it before the survivor takes it
    survivor.save()
    record_change(
        actor=actor,
        instance=merged,
        action="update",
        before=merged_before,
        after=snapshot(merged),
        source=via,
    )
    record_change(
        actor=actor,
        instance=survivor,
        action="update",
        before=survivor_before,
        after=snapshot(survivor),
        source=via,
    )
    merge = OrganisationMerge.objects.create(
        survivor=survivor,
        merged=merged,
        projects=project_ids,
        co_investments=co_investments,
        others=others,
        uscc_moved=uscc_moved,
        aliases_added=added,
        merged_by=actor if getattr(actor, "pk", None) else None,
    )
    record_change(
        actor=actor, instance=merge, action="create", before=None, after=snapshot(merge), source=via
    )
    return merge


@transaction.atomic
def unmerge_organisations(*, actor, merge: OrganisationMerge, via: str = "") -> OrganisationMerge:
    """Undo a merge: what moved goes back, the aliases it added and a USCC it moved too."""
    merge = OrganisationMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise UserError("this merge was already undone", code="unmerge_twice")
    survivor = Organisation.objects.select_for_update().get(pk=merge.survivor_id)
    merged = Organisation.objects.select_for_update().get(pk=merge.merged_id)
    ensure_can_change_organisation(actor, survivor)
    survivor_before, merged_before, merge_before = (
        snapshot(survivor),
        snapshot(merged),
        snapshot(merge),
    )
    _move_projects(actor=actor, project_ids=merge.projects, source=survivor, target=merged, via=via)
    added_survivor = {pk: added for pk, added in merge.co_investments}
    for project in Project.objects.filter(pk__in=added_survivor):
        project.co_investors.add(merged)
        if added_survivor[project.pk]:
            project.co_investors.remove(survivor)
    _move_others(ids_by_label=merge.others, source=survivor, target=merged)
    if merge.uscc_moved and survivor.uscc:
        merged.uscc, survivor.uscc = survivor.uscc, None
    survivor.aliases = [name for name in survivor.aliases if name not in merge.aliases_added]
    merged.merged_into = None
    survivor.save()  # first: the USCC leaves the survivor before the merged one takes it back
    merged.save()
    merge.undone_at, merge.undone_by = timezone.now(), actor if getattr(actor, "pk", None) else None
    merge.save()
    for instance, before in (
        (survivor, survivor_before),
        (merged, merged_before),
        (merge, merge_before),
    ):
        record_change(
            actor=actor,
            instance=instance,
            action="update",
            before=before,
            after=snapshot(instance),
            source=via,
        )
    return merge
