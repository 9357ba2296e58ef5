"""Recommended counterparts for all pairs of a synthetic event of 1,000 and 5,000 participants.

Times the engine (investpromo.matchmaking.engine.recommend: every pair scored, the best 10 kept
per participant, with reasons) against two baselines measured in the same run:

- text floor: TF-IDF of what each offers and seeks and the blocked product of the two, keeping
  the best 10 per participant: the least any text-based recommender over all pairs costs;
- pair by pair: the same score computed in plain Python for each pair (sets and dict-based
  cosine), timed on a sample of participants and scaled to all: what vectorising saves.

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
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    raise SystemExit(main())
