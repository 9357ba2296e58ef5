"""Count once: what each record of a project adds, given the links that make records one project.

Pure computation (no database), shared by the selector and the benchmark. The records joined by
same-project links (any kind but later_phase) form one project. Its records are taken in order
(event start, signing date, id); each counts what it adds above the largest value counted
before it: a re-signing or a double report adds nothing, an upgrade or a capital increase the
difference. The project counts (as one project) at its first record.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal


def link_groups(links: Iterable[tuple[int, int]]) -> list[list[int]]:
    """The records joined, directly or through others, by (earlier, later) links."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for earlier, later in links:
        parent.setdefault(earlier, earlier)
        parent.setdefault(later, later)
        parent[root(later)] = root(earlier)
    groups: dict[int, list[int]] = defaultdict(list)
    for node in parent:
        groups[root(node)].append(node)
    return list(groups.values())


def counted_values(groups: list[list[int]], records: dict[int, tuple]) -> dict[int, tuple]:
    """Per linked record: (value it adds, whether it is its project's first record).

    records maps id → (order key, value); order keys sort records in time.
    """
    counted = {}
    for ids in groups:
        ordered = sorted(ids, key=lambda pk: records[pk][0])
        highest = Decimal(0)
        for position, pk in enumerate(ordered):
            value = records[pk][1]
            counted[pk] = (max(value - highest, Decimal(0)), position == 0)
            highest = max(highest, value)
    return counted


def event_figures(event_records: list[tuple[int, Decimal]], counted: dict[int, tuple]) -> dict:
    """Projects and value of one event's (id, value) records; unlinked records count in full."""
    projects, total, excluded = 0, Decimal(0), []
    for pk, value in event_records:
        adds, first = counted.get(pk, (value, True))
        total += adds
        if first:
            projects += 1
        else:
            excluded.append((pk, value - adds))
    return {"projects": projects, "value_cny": total, "excluded": excluded}
