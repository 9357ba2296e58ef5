"""Integrity scan: quality on a labelled set, and the time to scan a large ledger.

Quality: the labelled lists of bench/integrity_lists.py (three events, ~3,000 records);
precision, recall and F1 of the `same` decisions against the true pairs (two records of one
project), and how many of the other true pairs the scan sends to review. Target F1 ≥ 0.97. Then the
count-once figures per event (integrity.countonce, as the selector computes them) from the
scan's `same` links alone, and after a reviewer confirms the queued pairs that are one
project, against the figures the labelled truth gives; the second must equal the truth.

Speed: BENCH_INTEGRITY_ROWS records (default 1,000,000) generated in memory, prepared (names
parsed) and scanned, against a baseline measured in the same run: one pass that reads every
record's fields and groups them by block key (the least any blocked scan does). Target: under
60 s for 1,000,000, counted in CPU seconds of this process: the machine is shared, so wall time
(printed too) also measures the neighbours. Reading the ledger from the database is timed
apart, on BENCH_INTEGRITY_DB_ROWS projects (default 100,000) in a scratch SQLite database.
"""

import os
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROWS = int(os.environ.get("BENCH_INTEGRITY_ROWS", "1000000"))
# Projects written to a scratch SQLite database to time reading them (0: skip that step).
DB_ROWS = int(os.environ.get("BENCH_INTEGRITY_DB_ROWS", "100000"))
TARGET_F1 = 0.97
TARGET_SECONDS = 60


def _true_pairs(records, truth, phases_by_id):
    groups = defaultdict(list)
    for record in records:
        groups[truth[record.id]].append(record.id)
    return {tuple(sorted(pair)) for ids in groups.values() for pair in combinations(ids, 2)}


def quality() -> bool:
    from bench.integrity_lists import generate
    from investpromo.integrity.scan import prepare, scan

    records, truth, places = generate(enterprises=1000)
    started = time.perf_counter()
    pairs = scan(prepare(records, places))
    spent = time.perf_counter() - started
    true = _true_pairs(records, truth, None)
    same = {tuple(sorted((p.earlier.id, p.later.id))) for p in pairs if p.decision == "same"}
    review = {tuple(sorted((p.earlier.id, p.later.id))) for p in pairs if p.decision == "review"}
    hits = len(same & true)
    precision = hits / len(same) if same else 0.0
    recall = hits / len(true) if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    in_review = len((true - same) & review)
    events = len({r.event_id for r in records})
    print(
        f"  labelled set: {len(records)} records, {events} events, {len(true)} true pairs; "
        f"scan {spent * 1000:.0f} ms"
    )
    print(
        f"  same: {len(same)} decided, {hits} right → precision {precision:.3f}, "
        f"recall {recall:.3f}, F1 {f1:.3f} (target ≥ {TARGET_F1})"
    )
    print(
        f"  review: {len(review)} queued, {in_review} of the {len(true) - hits} true pairs not "
        f"decided same; {len(true - same - review)} true pairs missed; "
        f"{len(review - true)} reviews are not one project"
    )
    by_id = {r.id: r for r in records}
    if os.environ.get("BENCH_INTEGRITY_SHOW"):
        for pair in pairs:
            key = tuple(sorted((pair.earlier.id, pair.later.id)))
            if pair.decision == "review" and key in true:
                print("  review:", pair.kind, pair.evidence)
    wrong = sorted(same - true)[:5]
    for a, b in wrong:
        print(f"  wrong same: {by_id[a].investor_name} {by_id[a].name} / "
              f"{by_id[b].investor_name} {by_id[b].name}")  # fmt: skip
    return f1 >= TARGET_F1 and _count_once(records, pairs, true)


def _count_once(records, pairs, true) -> bool:
    """Count-once figures per event from the scan's `same` links against the labelled truth."""
    from investpromo.integrity.countonce import counted_values, event_figures, link_groups

    members = {r.id: (r.order, r.value_cny) for r in records}
    events = sorted({r.event_slug for r in records})
    found = [(p.earlier.id, p.later.id) for p in pairs if p.decision == "same"]
    # A reviewer who confirms the queued pairs that are one project and rejects the others.
    reviewed = found + [
        (p.earlier.id, p.later.id)
        for p in pairs
        if p.decision == "review" and tuple(sorted((p.earlier.id, p.later.id))) in true
    ]
    figures = {}
    runs = (("scan", found), ("reviewed", reviewed), ("truth", sorted(true)))
    for name, links in runs:
        counted = counted_values(link_groups(links), members)
        for event in events:
            own = [(r.id, r.value_cny) for r in records if r.event_slug == event]
            result = event_figures(own, counted)
            figures[name, event] = (result["projects"], result["value_cny"])
            figures["gross", event] = (len(own), sum(value for _, value in own))
    for name in ("gross", "truth", "scan", "reviewed"):
        shown = "; ".join(
            f"{event} {count} projects {value / 10**8:,.2f} 亿元"
            for event in events
            for count, value in [figures[name, event]]
        )
        print(f"  {name + ':':9} {shown}")
    for name in ("scan", "reviewed"):
        right = sum(figures[name, event] == figures["truth", event] for event in events)
        print(f"  count once ({name}) equals the truth in {right} of {len(events)} events")
    return all(figures["reviewed", event] == figures["truth", event] for event in events)


def speed() -> bool:
    from bench.integrity_lists import generate
    from investpromo.integrity.scan import block_key, prepare, scan

    started = time.perf_counter()
    records, _, places = generate(
        enterprises=max(ROWS // 3, 300), trade_length=4, limit=ROWS, wide_sizes=True
    )
    distinct = len({r.name for r in records}), len({r.investor_name for r in records})
    print(
        f"  generated {len(records):,} records ({distinct[0]:,} distinct project names, "
        f"{distinct[1]:,} investor names) in {time.perf_counter() - started:.1f} s"
    )
    wall, cpu = time.perf_counter(), time.process_time()
    prepared = prepare(records, places)
    prepare_wall, prepare_cpu = time.perf_counter() - wall, time.process_time() - cpu
    wall, cpu = time.perf_counter(), time.process_time()
    pairs = scan(prepared)
    scan_wall, scan_cpu = time.perf_counter() - wall, time.process_time() - cpu
    cpu = time.process_time()
    blocks = defaultdict(list)
    for record in prepared:
        blocks[block_key(record)].append((record.id, record.key, record.value_cny))
    baseline = time.process_time() - cpu
    total_cpu, total_wall = prepare_cpu + scan_cpu, prepare_wall + scan_wall
    print(
        f"  {len(prepared):,} records: names parsed in {prepare_cpu:.1f} s CPU, pairs found in "
        f"{scan_cpu:.1f} s CPU ({len(pairs):,} pairs); total {total_cpu:.1f} s CPU, "
        f"{total_wall:.1f} s wall (target < {TARGET_SECONDS} s for 1,000,000)"
    )
    print(
        f"  baseline (read and group by block): {baseline:.2f} s CPU → ratio {total_cpu / baseline:.0f}×"
    )
    return ROWS < 1_000_000 or total_cpu < TARGET_SECONDS


def from_database(workdir: Path) -> None:
    """The same scan read from a scratch SQLite ledger of DB_ROWS projects: the load's share."""
    from django.core.management import call_command

    from bench.integrity_lists import generate
    from investpromo.core.audit import system_user
    from investpromo.core.reference import load_reference_data
    from investpromo.core.text import normalize_key
    from investpromo.events.services import create_event
    from investpromo.geo.models import Region
    from investpromo.integrity.selectors import ledger_records, scan_ledger
    from investpromo.orgs.models import Organisation
    from investpromo.projects.models import Project

    call_command("migrate", verbosity=0, interactive=False)
    load_reference_data()
    records, _, _ = generate(
        enterprises=max(DB_ROWS // 3, 300), trade_length=4, limit=DB_ROWS, wide_sizes=True
    )
    host = Region.objects.get(code="230100")
    events = {}
    for event_id, slug, start in {(r.event_id, r.event_slug, r.event_start) for r in records}:
        events[event_id] = create_event(
            actor=system_user(), slug=slug, name=slug, start_date=start, host_region=host
        ).pk
    orgs, keys = {}, {}
    for record in records:
        if record.investor_id not in orgs:
            keys[record.investor_id] = normalize_key(record.investor_name)
            orgs[record.investor_id] = Organisation(
                id=record.investor_id,
                name=record.investor_name,
                normalized_name=keys[record.investor_id],
                uscc=record.investor_uscc,
            )
    Organisation.objects.bulk_create(orgs.values(), batch_size=2000)
    projects, identities = [], set()
    for record in records:
        identity = (record.event_id, normalize_key(record.name), keys[record.investor_id])
        if identity in identities:
            continue  # one project of a name per investor and event (the ledger's rule)
        identities.add(identity)
        projects.append(
            Project(
                event_id=events[record.event_id],
                name=record.name,
                normalized_name=identity[1],
                investor_id=record.investor_id,
                investor_key=identity[2],
                destination_region_id=record.destination,
                signing_date=record.signing_date,
                agreement_type=record.agreement,
                contract_value=record.value_cny,
                value_cny=record.value_cny,
            )
        )
    Project.objects.bulk_create(projects, batch_size=2000)
    wall, cpu = time.perf_counter(), time.process_time()
    ledger_records()
    load_wall, load_cpu = time.perf_counter() - wall, time.process_time() - cpu
    wall, cpu = time.perf_counter(), time.process_time()
    pairs = scan_ledger()
    scan_wall, scan_cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"  from the database ({len(projects):,} projects in SQLite): read in {load_cpu:.1f} s "
        f"CPU ({load_wall:.1f} s wall); whole scan_ledger {scan_cpu:.1f} s CPU "
        f"({scan_wall:.1f} s wall, {len(pairs):,} pairs)"
    )


def main() -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "investpromo.settings"
    with tempfile.TemporaryDirectory(prefix="bench-integrity-") as folder:
        workdir = Path(folder)
        # A scratch database: the benchmark never touches data/.
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
        os.environ["INVESTPROMO_DATA_DIR"] = str(workdir)
        import django

        django.setup()
        good = quality()
        fast = speed() if ROWS else True
        if DB_ROWS:
            from_database(workdir)
    return 0 if good and fast else 1


if __name__ == "__main__":
    raise SystemExit(main())
