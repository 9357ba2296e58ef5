"""Recommended counterparts for all pairs of a synthetic event of 1,000 and 5,000 participants.

Times the engine (investpromo.matchmaking.engine.recommend: every pair scored, the best 10 kept
per participant, with reasons) against two baselines measured in the same run:

- text floor: TF-IDF of what each offers and seeks and the blocked product of the two, keeping
  the best 10 per participant: the least any text-based recommender over all pairs costs;
- pair by pair: the same score computed in plain Python for each pair (sets and dict-based
  cosine), timed on a sample of participants and scaled to all: what vectorising saves.

Then the whole job once, as the worker runs it, on a scratch SQLite database holding an event
of BENCH_MATCH_JOB participants (default 5,000; 0 skips it): reading the participants, their
classes, SEI categories and regions, scoring, and storing the best 10 of each with reasons.

Target: all pairs of 5,000 participants in under 60 s on this machine. Set BENCH_MATCH_SIZES
(e.g. "1000,5000,10000") for other sizes.
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZES = tuple(int(size) for size in os.environ.get("BENCH_MATCH_SIZES", "1000,5000").split(","))
LIMIT = 10
TARGET_SECONDS = 60.0
SAMPLE_ROWS = 40
JOB_SIZE = int(os.environ.get("BENCH_MATCH_JOB", "5000"))
JOB_LIMIT = 10
_MODE_CODES = {
    "独资": "sole",
    "合资": "joint_venture",
    "合作": "cooperation",
    "技术转让": "technology_transfer",
    "并购": "merger",
}


def _text_floor(profiles) -> float:
    import numpy as np

    from investpromo.matchmaking.engine import BLOCK_ROWS, _tfidf

    started = time.perf_counter()
    seeks, offers = _tfidf([p.seeks for p in profiles], [p.offers for p in profiles])
    offers_t = offers.T.tocsr()
    for start in range(0, len(profiles), BLOCK_ROWS):
        scores = (seeks[start : start + BLOCK_ROWS] @ offers_t).toarray()
        np.argpartition(-scores, LIMIT, axis=1)[:, :LIMIT]
    return time.perf_counter() - started


def _pair_by_pair(profiles, weights) -> float:
    """Seconds for plain Python to score every pair, from a sample of rows."""
    import math
    from collections import Counter

    from investpromo.matchmaking.text import text_features

    started = time.perf_counter()
    seeks = [Counter(text_features(p.seeks)) for p in profiles]
    offers = [Counter(text_features(p.offers)) for p in profiles]

    def cosine(a: Counter, b: Counter) -> float:
        if not a or not b:
            return 0.0
        dot = sum(count * b[key] for key, count in a.items() if key in b)
        return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))

    prepared = time.perf_counter() - started
    sample = random.Random(1).sample(range(len(profiles)), min(SAMPLE_ROWS, len(profiles)))
    started = time.perf_counter()
    for row in sample:
        me = profiles[row]
        scores = []
        for column, other in enumerate(profiles):
            if column == row:
                continue
            score = weights.text * cosine(seeks[row], offers[column])
            score += weights.text * cosine(offers[row], seeks[column])
            if me.industry_classes & other.industry_classes:
                score += weights.same_class
            if me.sei & other.sei:
                score += weights.shared_sei
            if me.regions_of_interest & set(other.region_path):
                score += weights.region
            if me.cooperation_modes & other.cooperation_modes:
                score += weights.cooperation
            scores.append((score, column))
        scores.sort(reverse=True)
        del scores[LIMIT:]
    per_row = (time.perf_counter() - started) / len(sample)
    return prepared + per_row * len(profiles)


def _setup_django(workdir: Path) -> None:
    """A scratch database with reference data; jobs run where they are started."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "investpromo.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["INVESTPROMO_DATA_DIR"] = str(workdir)
    os.environ["INVESTPROMO_TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    import django

    django.setup()
    from django.core.management import call_command

    from investpromo.core.reference import load_reference_data

    call_command("migrate", verbosity=0, interactive=False)
    load_reference_data()


def _store_event(profiles):
    """The synthetic participants as an event's registrations, with real codes (bulk, no audit)."""
    import datetime as dt
    from decimal import Decimal

    from investpromo.core.audit import system_user
    from investpromo.events.services import create_event
    from investpromo.geo.models import Region
    from investpromo.geo.resolver import resolve_region
    from investpromo.orgs.models import Organisation
    from investpromo.participants.models import Participant
    from investpromo.sectors.models import IndustryCategory

    rng = random.Random(7)
    event = create_event(
        actor=system_user(),
        slug="bench-matchmaking",
        name="基准测试对接会",
        start_date=dt.date(2026, 6, 18),
        host_region=resolve_region("哈尔滨市"),
    )
    by_division: dict = {}
    for code in IndustryCategory.objects.filter(level=4).values_list("code", flat=True):
        by_division.setdefault(code[:2], []).append(code)
    counties: dict = {}
    for code, province in Region.objects.filter(level=3).values_list("code", "province_id"):
        counties.setdefault(province, []).append(code)
    regions = {code: parent for code, parent in Region.objects.values_list("code", "parent_id")}

    def county(path):
        return rng.choice(counties.get(path[-1]) or counties["230000"])

    def interest(code):
        real = county((code[:2] + "0000",))
        return {0: real[:2] + "0000", 2: regions.get(real) or real}.get(len(code) % 3, real)

    organisations = Organisation.objects.bulk_create(
        Organisation(name=p.name, normalized_name=p.name, is_demo=True) for p in profiles
    )
    participants = Participant.objects.bulk_create(
        Participant(
            event=event,
            organisation=organisation,
            name=p.name,
            side=Participant.Side.HOST if p.host else Participant.Side.VISITOR,
            status=Participant.Status.APPROVED,
            region_id=county(p.region_path),
            offers=p.offers,
            seeks=p.seeks,
            investment_min=None if p.size_min is None else Decimal(p.size_min),
            investment_max=None if p.size_max is None else Decimal(p.size_max),
            cooperation_modes=[_MODE_CODES[m] for m in sorted(p.cooperation_modes)],
            is_demo=True,
        )
        for p, organisation in zip(profiles, organisations, strict=True)
    )
    through = Participant.sei_industries.through
    through.objects.bulk_create(
        through(participant_id=row.pk, seiindustry_id=code)
        for row, p in zip(participants, profiles, strict=True)
        for code in p.sei
    )
    through = Participant.industry_classes.through
    through.objects.bulk_create(
        through(participant_id=pid, industrycategory_id=code)
        for pid, code in {
            (row.pk, rng.choice(by_division[code[:2]]))
            for row, p in zip(participants, profiles, strict=True)
            for code in p.industry_classes
            if code[:2] in by_division
        }
    )
    through = Participant.regions_of_interest.through
    through.objects.bulk_create(
        through(participant_id=pid, region_id=code)
        for pid, code in {
            (row.pk, interest(code))
            for row, p in zip(participants, profiles, strict=True)
            for code in p.regions_of_interest
        }
    )
    return event


def _job(size: int) -> bool:
    """The whole job on a scratch SQLite database: read, score, store with reasons."""
    import shutil
    import tempfile

    workdir = Path(tempfile.mkdtemp(prefix="investpromo-bench-match-"))
    try:
        _setup_django(workdir)
        from bench.matchmaking_profiles import synthetic_profiles
        from investpromo.core.audit import system_user
        from investpromo.matchmaking.services import start_recommendation_run

        event = _store_event(synthetic_profiles(size))
        started = time.perf_counter()
        run = start_recommendation_run(actor=system_user(), event=event, limit=JOB_LIMIT)
        seconds = time.perf_counter() - started
        assert run.state == "done", (run.error_code, run.error_params)
        print(
            f"  job on SQLite, {size:,} participants: {seconds:.2f} s in all "
            f"({run.recommendations:,} recommendations stored; reading and scoring "
            f"{run.seconds:.2f} s); target under {TARGET_SECONDS:.0f} s: "
            f"{'met' if seconds < TARGET_SECONDS else 'not met'}"
        )
        return seconds < TARGET_SECONDS
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "investpromo.settings")
    from bench.matchmaking_profiles import synthetic_exclusions, synthetic_profiles
    from investpromo.matchmaking.engine import Weights, recommend

    print(f"Recommended counterparts, all pairs, best {LIMIT} per participant (synthetic event)")
    weights = Weights()
    verdicts = []
    for size in SIZES:
        profiles = synthetic_profiles(size)
        exclude = synthetic_exclusions(profiles)
        floor = min(_text_floor(profiles) for _ in range(2))
        started = time.perf_counter()
        result = recommend(profiles, weights=weights, exclude=exclude, limit=LIMIT)
        engine = time.perf_counter() - started
        naive = _pair_by_pair(profiles, weights)
        kept = sum(len(matches) for matches in result.values())
        pairs = size * (size - 1)
        print(f"  {size:6,} participants ({pairs:,} ordered pairs, {kept:,} recommendations kept)")
        print(
            f"    engine (all parts, reasons)       {engine:7.2f} s  {engine / floor:5.1f}× floor"
        )
        print(f"    text floor (TF-IDF product, top)  {floor:7.2f} s")
        print(
            f"    pair by pair in Python (scaled)   {naive:7.2f} s  {naive / engine:5.1f}× engine"
        )
        if size == 5000:
            verdicts.append(engine < TARGET_SECONDS)
            print(
                f"    target: under {TARGET_SECONDS:.0f} s for 5,000 participants: "
                f"{'met' if engine < TARGET_SECONDS else 'not met'}"
            )
    if JOB_SIZE:
        verdicts.append(_job(JOB_SIZE))
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    raise SystemExit(main())
