"""Tables, slot by slot, once every meeting has its slot.

Locked meetings keep their table and meetings with a host's own table sit there; the others
take a table one of their two sides sat at in the slot just before (no walking between
consecutive meetings) for as many meetings as possible, else the lowest free table.
"""

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from investpromo.scheduling.state import Problem


def assign_tables(problem: Problem, slot_of: list[int]) -> list[int]:
    """The table of each placed meeting (0 for unplaced ones)."""
    table_of = [0] * len(slot_of)
    by_slot: list[list[int]] = [[] for _ in range(problem.slot_count)]
    for meeting, slot in enumerate(slot_of):
        if slot >= 0:
            by_slot[slot].append(meeting)
    sat_at: dict[int, int] = {}  # participant -> table in the slot before
    for slot, meetings in enumerate(by_slot):
        if problem.previous[slot] < 0:
            sat_at = {}
        used = set()
        floating = []
        for meeting in meetings:
            table = problem.fixed_table[meeting]
            if table:
                table_of[meeting] = table
                used.add(table)
            else:
                floating.append(meeting)
        _grant_wishes(problem, slot, floating, sat_at, used, table_of)
        next_free = 1
        for meeting in floating:
            if table_of[meeting]:
                continue
            while next_free in used:
                next_free += 1
            table_of[meeting] = next_free
            used.add(next_free)
        sat_at = {}
        for meeting in meetings:
            a, b = problem.ends[meeting]
            sat_at[a] = sat_at[b] = table_of[meeting]
    return table_of


def _grant_wishes(problem, slot, floating, sat_at, used, table_of) -> None:
    """Give as many meetings as possible a table one of its sides sat at just before.

    Two meetings may want the same table (two people who met there before now meet others),
    so this is a maximum bipartite matching of meetings to wished-for tables.
    """
    rows, cols = [], []
    wishers = []
    for meeting in floating:
        wanted = {sat_at.get(p) for p in problem.ends[meeting]} - {None} - used
        wanted = [t for t in wanted if t <= problem.tables[slot]]
        if wanted:
            for table in wanted:
                rows.append(len(wishers))
                cols.append(table - 1)
            wishers.append(meeting)
    if not wishers:
        return
    graph = csr_matrix(
        (np.ones(len(rows), dtype=np.int8), (rows, cols)),
        shape=(len(wishers), problem.tables[slot]),
    )
    matched = maximum_bipartite_matching(graph, perm_type="column")
    for row, column in enumerate(matched):
        if column >= 0:
            table_of[wishers[row]] = int(column) + 1
            used.add(int(column) + 1)
