"""Tables, slot by slot, once every meeting has its slot.

Locked meetings keep their table and meetings with a host's own table sit there; the others
take a table one of their two sides sat at in the slot just before (no walking between
consecutive meetings) where it is free, else the lowest free table.
"""

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
        wishes = []
        for meeting in floating:
            a, b = problem.ends[meeting]
            wanted = [t for t in (sat_at.get(a), sat_at.get(b)) if t and t <= problem.tables[slot]]
            if wanted:
                # Both sides coming from the same table is the strongest wish.
                wishes.append((-(len(wanted) - len(set(wanted))), meeting, wanted))
        wishes.sort()
        for _, meeting, wanted in wishes:
            for table in wanted:
                if table not in used:
                    table_of[meeting] = table
                    used.add(table)
                    break
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
