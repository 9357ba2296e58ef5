"""Reading for integrity: the ledger as scan records, the scan's pairs, count-once figures."""

from collections import defaultdict
from decimal import Decimal

from investpromo.core.errors import NotFound
from investpromo.events.models import Event
from investpromo.geo.models import Region
from investpromo.integrity.models import ProjectLink
from investpromo.integrity.names import region_places
from investpromo.integrity.scan import Pair, Record, prepare, region_tree, scan
from investpromo.projects.models import Project

_FIELDS = (
    "id",
    "event_id",
    "event__slug",
    "event__start_date",
    "signing_date",
    "name",
    "investor_id",
    "investor__name",
    "investor__uscc",
    "investor__home_region_id",
    "destination_region_id",
    "agreement_type",
    "value_cny",
)


def ledger_records(*, queryset=None) -> list[Record]:
    """Every project (or those of queryset) as an unprepared scan record."""
    chains, prefectures = region_tree(
        Region.objects.values_list("code", "parent_id", "stat_prefecture_id")
    )
    rows = (queryset if queryset is not None else Project.objects.all()).values_list(*_FIELDS)
    records = []
    for row in rows.order_by().iterator(chunk_size=10_000):
        (pk, event_id, slug, start, signed, name, investor_id, investor_name, uscc, home,
         destination, agreement, value) = row  # fmt: skip
        records.append(
            Record(
                id=pk,
                event_id=event_id,
                event_slug=slug or "",
                event_start=start,
                signing_date=signed,
                name=name,
                investor_id=investor_id,
                investor_name=investor_name,
                investor_uscc=uscc,
                investor_province=home[:2] if home else None,
                destination=destination,
                destination_chain=chains.get(destination, (destination,)),
                prefecture=prefectures.get(destination, destination),
                agreement=agreement,
                value_cny=value,
            )
        )
    return records


def scan_ledger(*, event_slug: str | None = None) -> list[Pair]:
    """The scan of the whole ledger; with an event, the pairs whose later record is in it."""
    event_id = None
    if event_slug:
        event = Event.objects.filter(slug=event_slug).first()
        if event is None:
            raise NotFound(f"no event {event_slug!r}", field="event")
        event_id = event.pk
    records = prepare(ledger_records(), region_places())
    return scan(records, later_in_event=event_id)


def _side(record: Record) -> dict:
    return {
        "id": record.id,
        "event": record.event_slug,
        "name": record.name,
        "investor": record.investor_name,
        "value_cny": str(record.value_cny),
    }


def pairs_as_json(pairs: list[Pair]) -> dict:
    """The command's JSON: {"pairs": [{earlier, later, kind, score, decision, evidence}]}."""
    return {
        "pairs": [
            {
                "earlier": _side(pair.earlier),
                "later": _side(pair.later),
                "kind": pair.kind,
                "score": pair.score,
                "decision": pair.decision,
                "evidence": pair.evidence,
            }
            for pair in pairs
        ]
    }


def review_queue():
    """Links awaiting a person's decision, oldest first, with both records."""
    return (
        ProjectLink.objects.filter(status=ProjectLink.Status.PENDING)
        .select_related("earlier__event", "later__event", "earlier__investor", "later__investor")
        .order_by("created_at", "id")
    )


# Kinds that make two records one project; a later phase is another project.
SAME_PROJECT_KINDS = frozenset(ProjectLink.Kind.values) - {ProjectLink.Kind.LATER_PHASE}


def count_once(*, event: Event) -> dict:
    """The event's count-once figures from the confirmed links.

    The records joined by confirmed same-project links form one project. Its records are taken
    in order (event start, signing date, id); each counts what it adds above the largest value
    counted before it (a re-signing or double report adds nothing, an upgrade or capital
    increase the difference). A project counts in the event of its first record. Returns
    {"projects": n, "value_cny": Decimal, "excluded": [{project, link, earlier,
    value_not_counted_cny}]} for the event's records.
    """
    links = list(
        ProjectLink.objects.filter(
            status=ProjectLink.Status.CONFIRMED, kind__in=SAME_PROJECT_KINDS
        ).values_list("earlier_id", "later_id", "kind")
    )
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        while parent.get(node, node) != node:
            parent[node] = parent.get(parent[node], parent[node])
            node = parent[node]
        return node

    for earlier, later, _ in links:
        parent.setdefault(earlier, earlier)
        parent.setdefault(later, later)
        parent[root(later)] = root(earlier)
    own = list(Project.objects.filter(event=event).values_list("id", "value_cny").order_by("id"))
    linked_ids = {pk for pk, _ in own if pk in parent}
    wanted_roots = {root(pk) for pk in linked_ids}
    groups: dict[int, list[int]] = defaultdict(list)
    for node in parent:
        if root(node) in wanted_roots:
            groups[root(node)].append(node)
    members = {
        pk: (start, signed, value)
        for pk, start, signed, value in Project.objects.filter(
            pk__in=[pk for ids in groups.values() for pk in ids]
        ).values_list("id", "event__start_date", "signing_date", "value_cny")
    }
    link_into = {later: (kind, earlier) for earlier, later, kind in links}
    counted, first_of_group = {}, set()
    for ids in groups.values():
        ordered = sorted(ids, key=lambda pk: _order(members[pk], pk))
        first_of_group.add(ordered[0])
        highest = Decimal(0)
        for pk in ordered:
            value = members[pk][2]
            counted[pk] = max(value - highest, Decimal(0))
            highest = max(highest, value)
    projects, total, excluded = 0, Decimal(0), []
    for pk, value in own:
        if pk not in linked_ids or pk in first_of_group:
            projects += 1
            total += value
            continue
        total += counted[pk]
        kind, earlier = link_into.get(pk, ("", None))
        excluded.append(
            {
                "project": pk,
                "link": kind,
                "earlier": earlier,
                "value_not_counted_cny": value - counted[pk],
            }
        )
    return {"projects": projects, "value_cny": total, "excluded": excluded}


def _order(member, pk):
    start, signed, _ = member
    return (start is None, start, signed is None, signed, pk)
