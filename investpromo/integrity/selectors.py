"""Reading for integrity: the ledger as scan records, the scan's pairs, count-once figures."""

from collections import defaultdict

from investpromo.core import bulk
from investpromo.core.errors import NotFound
from investpromo.events.models import Event
from investpromo.geo.models import Region
from investpromo.integrity.countonce import counted_values, event_figures, link_groups
from investpromo.integrity.evidence import evidence_text
from investpromo.integrity.models import ProjectLink
from investpromo.integrity.names import is_short_name, parse_enterprise_name, region_places
from investpromo.integrity.scan import Pair, Record, prepare, region_tree, scan
from investpromo.orgs.models import Organisation
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
                "evidence": [evidence_text(item) for item in pair.evidence],
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
    """The event's count-once figures from the confirmed links (rules: integrity.countonce).

    Returns {"projects": n, "value_cny": Decimal, "excluded": [{project, link, earlier,
    value_not_counted_cny}]}: excluded lists the event's records that repeat an earlier
    record of their project, with what of their value is not counted.
    """
    links = list(
        ProjectLink.objects.filter(
            status=ProjectLink.Status.CONFIRMED, kind__in=SAME_PROJECT_KINDS
        ).values_list("earlier_id", "later_id", "kind")
    )
    own = list(Project.objects.filter(event=event).values_list("id", "value_cny").order_by("id"))
    own_ids = {pk for pk, _ in own}
    pairs = ((earlier, later) for earlier, later, _ in links)
    groups = [ids for ids in link_groups(pairs) if own_ids & set(ids)]
    members = {}
    wanted = [pk for ids in groups for pk in ids]
    for chunk in bulk.chunks(wanted, bulk.in_chunk_size()):
        rows = Project.objects.filter(pk__in=chunk).values_list(
            "id", "event__start_date", "signing_date", "value_cny"
        )
        for pk, start, signed, value in rows:
            members[pk] = ((start is None, start, signed is None, signed, pk), value)
    figures = event_figures(own, counted_values(groups, members))
    link_into = {later: (kind, earlier) for earlier, later, kind in links}
    figures["excluded"] = [
        {
            "project": pk,
            "link": link_into.get(pk, ("", None))[0],
            "earlier": link_into.get(pk, ("", None))[1],
            "value_not_counted_cny": not_counted,
        }
        for pk, not_counted in figures["excluded"]
    ]
    return figures


def suggest_organisation_merges() -> list[dict]:
    """Pairs of organisations that look like one enterprise, with a decision and the evidence.

    Never two with different USCCs. The same core name is `same` when the home provinces do
    not differ and no enterprise of another USCC has that core; otherwise, and for a short name
    (华创新材 / 华创新材料科技), `review`. Organisations already merged are left out.
    """
    places = region_places()
    rows = Organisation.objects.filter(merged_into__isnull=True).values_list(
        "id", "name", "uscc", "home_region_id"
    )
    orgs = [
        (pk, name, uscc, home[:2] if home else None, parse_enterprise_name(name, places).core)
        for pk, name, uscc, home in rows.order_by("id")
    ]
    usccs_of_core: dict[str, set[str]] = defaultdict(set)
    blocks: dict[str, list[tuple]] = defaultdict(list)
    for org in orgs:
        if org[2]:
            usccs_of_core[org[4]].add(org[2])
        blocks[org[4][:2]].append(org)
    suggestions = []
    for members in blocks.values():
        for index, a in enumerate(members):
            for b in members[index + 1 :]:
                suggestion = _org_pair(a, b, usccs_of_core)
                if suggestion is not None:
                    suggestions.append(suggestion)
    return suggestions


def _org_pair(a: tuple, b: tuple, usccs_of_core) -> dict | None:
    (a_pk, a_name, a_uscc, a_province, a_core) = a
    (b_pk, b_name, b_uscc, b_province, b_core) = b
    if a_uscc and b_uscc:
        return None  # equal USCCs are one organisation already; different ones never are
    provinces_differ = bool(a_province and b_province and a_province != b_province)
    if a_core == b_core:
        evidence = [f"names agree after normalisation ({a_core})"]
        ambiguous = len(usccs_of_core.get(a_core, ())) > 1
        if ambiguous:
            evidence.append("enterprises of several USCCs have this name")
        if provinces_differ:
            evidence.append(f"home provinces differ ({a_province}, {b_province})")
        decision = "review" if ambiguous or provinces_differ else "same"
    else:
        short, full = sorted((a_core, b_core), key=len)
        if provinces_differ or not is_short_name(short, full):
            return None
        evidence, decision = [f"{short} abbreviates {full}"], "review"
    return {
        "organisations": [{"id": a_pk, "name": a_name}, {"id": b_pk, "name": b_name}],
        "decision": decision,
        "evidence": evidence,
    }
