"""The count-once rule on its own: a project's records in time, each adding what is new."""

from decimal import Decimal

from investpromo.integrity.countonce import counted_values, event_figures, link_groups

YI = Decimal(100_000_000)


def test_each_record_adds_only_value_above_what_its_project_counted():
    # 1 (2023, 3亿 intent) → 2 (2024, 4亿 contract) → 3 (2025, 4亿 again); 4 repeats 3 in
    # 2025 with 3.5亿; 5 is linked to 1 through 3 only. 9 is alone.
    links = [(1, 2), (2, 3), (3, 4), (3, 5)]
    records = {
        1: ((2023, 1), 3 * YI),
        2: ((2024, 2), 4 * YI),
        3: ((2025, 3), 4 * YI),
        4: ((2025, 4), Decimal("3.5") * YI),
        5: ((2025, 5), 6 * YI),
    }
    counted = counted_values(link_groups(links), records)
    assert counted == {
        1: (3 * YI, True),
        2: (1 * YI, False),
        3: (0, False),
        4: (0, False),
        5: (2 * YI, False),
    }
    figures = event_figures([(3, 4 * YI), (4, Decimal("3.5") * YI), (5, 6 * YI), (9, YI)], counted)
    assert figures == {
        "projects": 1,
        "value_cny": 3 * YI,
        "excluded": [(3, 4 * YI), (4, Decimal("3.5") * YI), (5, 4 * YI)],
    }


def test_groups_join_records_through_others_whatever_the_order_of_links():
    groups = link_groups([(5, 6), (1, 2), (2, 5), (7, 8)])
    assert sorted(sorted(group) for group in groups) == [[1, 2, 5, 6], [7, 8]]
