"""The services' fast path for many rows: instances built without Model.__init__, inserted with
one executemany per table, a table's indexes deferred during a large load.

Only services call this module (tests/test_writes_in_services.py checks it): it is how they
write in bulk, never a way around them.

At 100,000 rows bulk_create spends more time compiling SQL (every value of every row through
the field's prep and the compiler) than the database spends inserting, and Django caps a
SQLite statement at 999 parameters (37 projects). Here each value goes through its field's
get_db_prep_save only when the field needs converting (dates, decimals, JSON); plain text,
numbers and keys go as they are. Primary keys are reserved from the table's own sequence so
the caller gets them, as from bulk_create. Other databases fall back to bulk_create.

Inserts run in the importing thread, not overlapped with parsing in another: sqlite3 gives up
the GIL for every row it steps, and with a busy parsing thread each row then waits for the
switch interval (100,000 rows: 2.4 s alone, over 9 minutes beside a CPU-bound thread).
"""

import gc
import operator
import threading
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models.base import ModelState
from django.utils import timezone

# Field types whose Python value is what the database driver takes.
_PLAIN = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}
_VENDORS = {"sqlite", "postgresql"}
_CHUNK = 5000


def build(model, values: dict):
    """A new, unsaved instance from attname values, made the way unpickling makes one."""
    # Model.__init__ costs ~25 µs with keywords (each foreign key through its descriptor) and
    # an import builds one per row. Only for models without post_init receivers (Project,
    # Organisation, ProgressStep and ChangeLog have none); missing fields get their defaults,
    # as in __init__.
    plan = _PLANS.get(model)
    if plan is None:
        plan = _PLANS[model] = (
            {f.attname: f.get_default() for f in model._meta.concrete_fields},
            [
                f.attname
                for f in model._meta.concrete_fields
                if f.has_default() and callable(f.default)
            ],
        )
    constants, fresh = plan
    instance = model.__new__(model)
    data = instance.__dict__
    data.update(constants)
    for name in fresh:  # mutable defaults (dict, list) must not be shared
        if name not in values:
            data[name] = model._meta.get_field(name).get_default()
    data.update(values)
    instance._state = ModelState()
    return instance


_PLANS: dict = {}


def loaded(model, values: dict, db: str):
    """An instance as loaded from the database, from its stored field values (by attname)."""
    instance = build(model, values)
    instance._state.adding = False
    instance._state.db = db
    return instance


def chunks(items: list, size: int):
    """`items` in slices of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def in_chunk_size() -> int:
    """How many values one IN (...) may hold here (SQLite as Django configures it: 999)."""
    return min(connection.features.max_query_params or 2000, 2000) - 10


def _plain(field) -> bool:
    kind = field.get_internal_type()
    if kind == "ForeignKey":
        kind = field.target_field.get_internal_type()
    return kind in _PLAIN


def insert(model, instances: list, *, with_ids: bool) -> None:
    """Insert new instances; with_ids sets their primary keys first (else the database does)."""
    if not instances:
        return
    if connection.vendor not in _VENDORS:
        model.objects.bulk_create(instances, batch_size=500)
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if with_ids or not f.primary_key]
    # The connection itself, not django.db.connection's thread-local proxy: every attribute
    # read through the proxy costs a lookup, and preparing values reads many.
    db = connections[DEFAULT_DB_ALIAS]
    now = timezone.now()
    stamped = [
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    if with_ids:
        for instance, pk in zip(instances, _reserve_ids(model, len(instances)), strict=True):
            instance.pk = pk
    columns = [db.ops.quote_name(f.column) for f in fields]
    # Values in column order straight from each instance's __dict__ (one C call per row); the
    # few that need converting are replaced afterwards.
    names = [f.attname for f in fields]
    take = operator.itemgetter(*names) if len(names) > 1 else lambda data: (data[names[0]],)
    converted = [
        (position, _converter(f, db)) for position, f in enumerate(fields) if not _plain(f)
    ]
    rows = []
    alias = db.alias
    for instance in instances:
        data = instance.__dict__
        for name in stamped:
            data[name] = now
        row = list(take(data))
        for position, convert in converted:
            row[position] = convert(row[position])
        rows.append(row)
        state = instance._state
        state.adding = False
        state.db = alias
    sql = (
        f"INSERT INTO {db.ops.quote_name(meta.db_table)} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with db.cursor() as cursor:
        for start in range(0, len(rows), _CHUNK):
            cursor.executemany(sql, rows[start : start + _CHUNK])


def _converter(field, db):
    """field.get_db_prep_save, remembered per value for dates and decimals (they repeat)."""
    prepare = field.get_db_prep_save
    kind = field.get_internal_type()
    if kind == "JSONField":
        # Most rows hold an empty {} or []: encoded once.
        empty = {dict: prepare({}, db), list: prepare([], db)}

        def convert_json(value):
            if not value and type(value) in empty:
                return empty[type(value)]
            return prepare(value, db)

        return convert_json
    if kind not in {"DateField", "DateTimeField", "DecimalField"}:
        return lambda value: prepare(value, db)
    seen: dict = {}

    def convert(value):
        try:
            return seen[value]
        except KeyError:
            if len(seen) > 10_000:
                seen.clear()
            result = seen[value] = prepare(value, db)
            return result

    return convert


def _reserve_ids(model, count: int) -> list[int]:
    """`count` new primary keys from the table's sequence (never reusing a deleted row's id)."""
    table = model._meta.db_table
    pk_column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), pk_column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite AUTOINCREMENT: ids continue after the highest ever used, which sqlite_sequence
        # keeps; the import's transaction holds the write lock, so nobody takes them meanwhile.
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        cursor.execute(
            f"SELECT MAX({connection.ops.quote_name(pk_column)}) "
            f"FROM {connection.ops.quote_name(table)}"
        )
        highest = max((found[0] if found else 0) or 0, cursor.fetchone()[0] or 0)
    return list(range(highest + 1, highest + 1 + count))


# Dropping a table's indexes and building them again after the inserts pays when the new rows
# are many and at least half as many as the table holds: one sorted build per index instead of
# a B-tree insert per row and index (100,000 projects: 2.1 s with 15 indexes, 1.3 s rebuilt).
REBUILD_MIN_ROWS = 5000


class DeferredIndexes:
    """SQLite: a table's non-unique indexes, dropped for a large load and rebuilt before commit.

    Both happen inside the caller's transaction, so a rollback restores the indexes; unique
    indexes stay, so constraint errors still come from the insert that breaks them.
    """

    def __init__(self):
        self.dropped: dict[str, list[str]] = {}

    def drop_for(self, model, new_rows: int) -> None:
        """Drop the model's non-unique indexes if `new_rows` make rebuilding them cheaper."""
        table = model._meta.db_table
        if connection.vendor != "sqlite" or table in self.dropped or new_rows < REBUILD_MIN_ROWS:
            return
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            if new_rows * 2 < cursor.fetchone()[0]:
                return
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
                [table],
            )
            found = cursor.fetchall()
            for name, _ in found:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        self.dropped[table] = [sql for _, sql in found]

    def rebuild(self) -> None:
        """Create every dropped index again (call before the transaction commits)."""
        with connection.cursor() as cursor:
            for statements in self.dropped.values():
                for sql in statements:
                    cursor.execute(sql)
        self.dropped.clear()


@contextmanager
def large_page_cache(megabytes: int = 128):
    """A bigger SQLite page cache while importing: inserts touch 15 indexes of a large table."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-megabytes * 1024}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


_collections_lock = threading.Lock()
_collections_held = [0, None]  # how many loads are running; the thresholds before the first


@contextmanager
def fewer_collections(young: int = 10_000):
    """Python's cyclic garbage collector run less often during a bulk load.

    A load allocates a few dozen objects per row and keeps many alive (the rows of a batch,
    the organisations it found): with the default threshold the collector runs every 700
    allocations and, now and then, walks every live object; 100,000 rows spent 2-3 s in it.
    Collected every `young` allocations instead, it costs a fraction of that. Process-wide,
    so the first load to start sets it and the last to end puts the old thresholds back.
    """
    with _collections_lock:
        if _collections_held[0] == 0:
            previous = gc.get_threshold()
            _collections_held[1] = previous
            gc.set_threshold(max(previous[0], young), *previous[1:])
        _collections_held[0] += 1
    try:
        yield
    finally:
        with _collections_lock:
            _collections_held[0] -= 1
            if _collections_held[0] == 0:
                gc.set_threshold(*_collections_held[1])
