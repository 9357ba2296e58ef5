"""Large loads: indexes deferred to one rebuild, and always there again afterwards."""

import datetime as dt

import pytest
from django.db import connection

from investpromo.core import bulk as bulkinsert
from investpromo.projects.models import Project
from tests.factories import make_event
from tests.imports.files import HEADER, project_rows, run, xlsx

pytestmark = pytest.mark.django_db


def project_indexes() -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Project._meta.db_table)
    return {name for name, info in constraints.items() if info["index"] and not info["primary_key"]}


@pytest.fixture
def dropped(monkeypatch):
    """A small load counts as large; records how many indexes each drop_for dropped."""
    monkeypatch.setattr(bulkinsert, "REBUILD_MIN_ROWS", 10)
    counts = []
    real_drop = bulkinsert.DeferredIndexes.drop_for

    def spy(self, model, new_rows):
        real_drop(self, model, new_rows)
        counts.append(sum(len(statements) for statements in self.dropped.values()))

    monkeypatch.setattr(bulkinsert.DeferredIndexes, "drop_for", spy)
    return counts


@pytest.fixture
def event():
    return make_event(start=dt.date(2024, 8, 31))


def deferred_count(indexes: set[str]) -> int:
    """How many indexes a large load defers: all non-unique ones on SQLite, none elsewhere."""
    return len(indexes) if connection.vendor == "sqlite" else 0


def test_a_large_load_drops_and_rebuilds_the_indexes(tmp_path, event, dropped):
    indexes = project_indexes()
    assert "project_dest_value" in indexes and len(indexes) >= 8
    report = run(xlsx(tmp_path / "big.xlsx", {"S": [HEADER, *project_rows(30)]}), event)
    assert report.created == 30 and dropped == [deferred_count(indexes)]
    assert project_indexes() == indexes
    if connection.vendor != "sqlite":
        return
    # A dashboard-style query still reads the covering index.
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN QUERY PLAN SELECT destination_region_id, SUM(value_cny) "
            "FROM projects_project GROUP BY destination_region_id"
        )
        assert "project_dest_value" in " ".join(str(row) for row in cursor.fetchall())


def test_a_failed_large_load_leaves_the_indexes(tmp_path, event, dropped, monkeypatch):
    from investpromo.projects.services import importing

    # Batches of 10: three are written (indexes dropped) before the invalid row stops it all.
    monkeypatch.setattr(importing, "BATCH_SIZE", 10)
    indexes = project_indexes()
    rows = [HEADER, *project_rows(30), [31, "坏", "乙公司", "火星", 100]]
    report = run(xlsx(tmp_path / "bad.xlsx", {"S": rows}), event, skip_invalid=False)
    assert report.failed and Project.objects.count() == 0
    assert set(dropped) == {deferred_count(indexes)}  # dropped once, by the first batch
    assert project_indexes() == indexes


def test_a_small_load_into_a_large_table_keeps_its_indexes(tmp_path, event, dropped):
    run(xlsx(tmp_path / "a.xlsx", {"S": [HEADER, *project_rows(40)]}), event)
    deferred = bulkinsert.DeferredIndexes()
    deferred.drop_for(Project, 12)  # 12 new rows into 40: not worth a rebuild
    assert deferred.dropped == {}


def test_the_collector_runs_less_often_during_loads_and_as_before_after():
    import gc

    before = gc.get_threshold()
    with bulkinsert.fewer_collections(young=before[0] + 5000):
        during = gc.get_threshold()
        with bulkinsert.fewer_collections(young=before[0] + 9000):  # a second load at once
            assert gc.get_threshold() == during
        assert gc.get_threshold() == during
    assert during[0] == before[0] + 5000 and during[1:] == before[1:]
    assert gc.get_threshold() == before
