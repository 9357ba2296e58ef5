"""Recommended counterparts: every pair of an event's participants scored at once, the best kept.

Plain data in, plain data out (no database), so that the job, the command, the benchmark and the
tests all run the same code. Each kind of fit is a sparse participant × feature matrix (industry
classes, groups, divisions, SEI categories, cooperation modes, regions, TF-IDF of what is offered
and sought); a block of rows times the transposed matrix scores those participants against all
others at once. Only a block of rows is ever dense, and only the best `limit` counterparts of
each row are kept, so memory stays flat however large the event.

The score of a pair is the sum of its parts (each a weight times a fit, visible as "why this
pair"); reasons are codes with parameters, put into words where they are shown (reasons.py).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy, scipy and scikit-learn load only when recommendations are computed:
    # every web and worker process imports this module, and a job's child process runs under a
    # memory limit that they alone would nearly fill.
    import numpy as np
    from scipy import sparse

from investpromo.matchmaking.text import shared_phrase, text_features

# Rows scored at once: 256 rows × 5,000 counterparts × 4 bytes × ~12 arrays ≈ 60 MB.
BLOCK_ROWS = 256


@dataclass(frozen=True)
class Profile:
    """What the engine knows of one participant."""

    id: int
    name: str
    host: bool
    offers: str = ""
    seeks: str = ""
    sei: frozenset[int] = frozenset()
    # GB/T 4754 class codes (4 digits); their group and division are the first 3 and 2 digits.
    industry_classes: frozenset[str] = frozenset()
    # The participant's own GB/T 2260 region code first, then its parents' up to the province:
    # an interest in a city then matches a participant in any of its counties.
    region_path: tuple[str, ...] = ()
    regions_of_interest: frozenset[str] = frozenset()
    # Investment size range in one unit for the whole event (the selector converts); None: open.
    size_min: float | None = None
    size_max: float | None = None
    cooperation_modes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Weights:
    """How much each kind of fit adds to a pair's score (per event: matchmaking.models)."""

    same_class: float = 3.0
    same_group: float = 2.0
    same_division: float = 1.0
    shared_sei: float = 1.5
    # Times the cosine similarity (0–1) of what one seeks and the other offers, each direction.
    text: float = 4.0
    # A similarity below this counts as none: one shared everyday bigram is not a match.
    min_text_similarity: float = 0.1
    # Each direction: my region of interest holds the counterpart / theirs holds me.
    region: float = 1.5
    size: float = 1.0
    cooperation: float = 1.0
    # Added to a host↔visitor pair: the event exists for those meetings.
    host_visitor: float = 1.0
    # Whether two hosts (departments, parks of the host province) are recommended to each other.
    host_pairs: bool = False


@dataclass(frozen=True)
class Reason:
    """Why a counterpart is recommended: a code and its parameters (words made when shown)."""

    code: str
    params: dict = field(default_factory=dict)


@dataclass
class Match:
    """One recommended counterpart with its score, the score's parts and the reasons."""

    counterpart: int
    score: float
    parts: dict[str, float]
    reasons: list[Reason]


# The parts of a score, in the order "why this pair" lists them.
PARTS = (
    "industry",
    "sei",
    "seeks_offers",
    "offers_seeks",
    "region_interest",
    "interest_in_region",
    "size",
    "cooperation",
    "sides",
)


class _Features:
    """The event's participants as sparse matrices, built once for all blocks."""

    def __init__(self, profiles: list[Profile]):
        import numpy as np

        n = len(profiles)
        self.n = n
        self.classes = _binary(p.industry_classes for p in profiles)
        self.groups = _binary({code[:3] for code in p.industry_classes} for p in profiles)
        self.divisions = _binary({code[:2] for code in p.industry_classes} for p in profiles)
        self.sei = _binary(p.sei for p in profiles)
        self.modes = _binary(p.cooperation_modes for p in profiles)
        # Interests and locations share one vocabulary of region codes.
        vocabulary: dict = {}
        self.interests = _binary((p.regions_of_interest for p in profiles), vocabulary)
        self.locations = _binary((p.region_path for p in profiles), vocabulary)
        self.interests.resize(n, max(len(vocabulary), 1))
        self.seeks, self.offers = _tfidf([p.seeks for p in profiles], [p.offers for p in profiles])
        self.seeks_t = self.seeks.T.tocsr()
        self.offers_t = self.offers.T.tocsr()
        self.size_low = np.array(
            [-np.inf if p.size_min is None else p.size_min for p in profiles], dtype=np.float64
        )
        self.size_high = np.array(
            [np.inf if p.size_max is None else p.size_max for p in profiles], dtype=np.float64
        )
        self.size_known = np.array(
            [p.size_min is not None or p.size_max is not None for p in profiles], dtype=bool
        )
        self.host = np.array([p.host for p in profiles], dtype=bool)


def _binary(rows: Iterable[Iterable], vocabulary: dict | None = None) -> sparse.csr_matrix:
    """A participant × key 0/1 matrix; keys get columns in `vocabulary` (shared when given)."""
    import numpy as np
    from scipy import sparse

    vocabulary = {} if vocabulary is None else vocabulary
    indptr, indices = [0], []
    for keys in rows:
        columns = {vocabulary.setdefault(key, len(vocabulary)) for key in keys if key}
        indices.extend(sorted(columns))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_matrix(
        (data, np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int64)),
        shape=(len(indptr) - 1, max(len(vocabulary), 1)),
    )


def _tfidf(seeks: list[str], offers: list[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """L2-normalised TF-IDF rows of what each seeks and offers, over one shared vocabulary."""
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=text_features, sublinear_tf=True, dtype=np.float32)
    try:
        matrix = vectorizer.fit_transform([*seeks, *offers]).tocsr()
    except ValueError:  # no text at all in the event
        empty = sparse.csr_matrix((len(seeks), 1), dtype=np.float32)
        return empty, empty.copy()
    return matrix[: len(seeks)], matrix[len(seeks) :]


def _shares(left: sparse.csr_matrix, right_t: sparse.csr_matrix) -> np.ndarray:
    """Whether each row of `left` shares a key with each participant (right_t: transposed)."""
    return (left @ right_t).toarray() > 0


def recommend(
    profiles: list[Profile],
    *,
    weights: Weights | None = None,
    exclude: Iterable[tuple[int, int]] = (),
    limit: int = 10,
    only: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
    block_rows: int = BLOCK_ROWS,
) -> dict[int, list[Match]]:
    """The best `limit` counterparts of each participant (or of those in `only`), best first.

    `exclude` holds pairs of ids (either order) never to recommend: met already, or declined.
    A pair is recommended only when something beyond the sides fits.
    """
    import numpy as np

    weights = weights or Weights()
    profiles = list(profiles)
    position = {profile.id: i for i, profile in enumerate(profiles)}
    features = _Features(profiles)
    n = features.n
    excluded = _exclusions(exclude, position, n)
    rows = np.arange(n) if only is None else np.array([position[i] for i in only], dtype=np.int64)
    transposed = {
        "classes": features.classes.T.tocsr(),
        "groups": features.groups.T.tocsr(),
        "divisions": features.divisions.T.tocsr(),
        "sei": features.sei.T.tocsr(),
        "modes": features.modes.T.tocsr(),
        "interests": features.interests.T.tocsr(),
        "locations": features.locations.T.tocsr(),
    }
    result: dict[int, list[Match]] = {}
    # Each kept pair makes a few small objects (match, reasons, dicts), none in a cycle: the
    # cyclic collector would only walk them again and again while they are made.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for start in range(0, len(rows), block_rows):
            block = rows[start : start + block_rows]
            parts = _score_parts(features, transposed, block, weights)
            substantive = sum(value for name, value in parts.items() if name != "sides")
            score = substantive + parts["sides"]
            invalid = (substantive <= 0) | excluded[block].toarray()
            invalid[np.arange(len(block)), block] = True
            if not weights.host_pairs:
                invalid |= features.host[block, None] & features.host[None, :]
            score[invalid] = -np.inf
            for offset, row in enumerate(block):
                best = _top(score[offset], limit)
                profile = profiles[row]
                result[profile.id] = [
                    _match(profile, profiles[column], offset, column, parts, score, weights)
                    for column in best
                ]
            if progress is not None:
                progress(min(start + block_rows, len(rows)), len(rows))
    finally:
        if collecting:
            gc.enable()
    return result


def _score_parts(features: _Features, transposed: dict, block: np.ndarray, weights: Weights):
    """Each part of the score of every pair (block row, participant), as dense float32 arrays."""
    import numpy as np

    f, t, w = features, transposed, weights
    divisions = _shares(f.divisions[block], t["divisions"])
    groups = _shares(f.groups[block], t["groups"])
    classes = _shares(f.classes[block], t["classes"])
    # A shared class is also a shared group and division: each level adds what it adds above
    # the one below, so the best level counts once.
    industry = (
        w.same_division * divisions
        + (w.same_group - w.same_division) * groups
        + (w.same_class - w.same_group) * classes
    ).astype(np.float32)
    seeks_offers = (f.seeks[block] @ f.offers_t).toarray()
    offers_seeks = (f.offers[block] @ f.seeks_t).toarray()
    for similarity in (seeks_offers, offers_seeks):
        similarity[similarity < w.min_text_similarity] = 0
        similarity *= w.text
    # Ranges overlap; an open end fits anything on its side; no range at all fits nothing.
    low, high, known = f.size_low, f.size_high, f.size_known
    size_fits = (
        (low[block, None] <= high[None, :])
        & (low[None, :] <= high[block, None])
        & known[block, None]
        & known[None, :]
    )
    return {
        "industry": industry,
        "sei": (w.shared_sei * _shares(f.sei[block], t["sei"])).astype(np.float32),
        "seeks_offers": seeks_offers,
        "offers_seeks": offers_seeks,
        "region_interest": (w.region * _shares(f.interests[block], t["locations"])).astype(
            np.float32
        ),
        "interest_in_region": (w.region * _shares(f.locations[block], t["interests"])).astype(
            np.float32
        ),
        "size": (w.size * (size_fits & known)).astype(np.float32),
        "cooperation": (w.cooperation * _shares(f.modes[block], t["modes"])).astype(np.float32),
        "sides": (w.host_visitor * (f.host[block, None] != f.host[None, :])).astype(np.float32),
    }


def _exclusions(pairs: Iterable[tuple[int, int]], position: dict, n: int) -> sparse.csr_matrix:
    import numpy as np
    from scipy import sparse

    rows, columns = [], []
    for a, b in pairs:
        if a in position and b in position:
            rows += [position[a], position[b]]
            columns += [position[b], position[a]]
    data = np.ones(len(rows), dtype=bool)
    return sparse.csr_matrix((data, (rows, columns)), shape=(n, n), dtype=bool)


def _top(scores: np.ndarray, limit: int) -> list[int]:
    """Columns of the best finite scores, best first (ties: the earlier participant first)."""
    import numpy as np

    finite = np.flatnonzero(np.isfinite(scores))
    if len(finite) > limit:
        finite = finite[np.argpartition(-scores[finite], limit - 1)[:limit]]
    order = np.lexsort((finite, -scores[finite]))
    return [int(column) for column in finite[order]]


def _match(profile, counterpart, offset, column, parts, score, weights) -> Match:
    values = {name: round(float(parts[name][offset, column]), 4) for name in PARTS}
    return Match(
        counterpart=counterpart.id,
        score=round(float(score[offset, column]), 4),
        parts={name: value for name, value in values.items() if value},
        reasons=reasons_for(profile, counterpart, values),
    )


def reasons_for(profile: Profile, counterpart: Profile, parts: dict[str, float]) -> list[Reason]:
    """The reasons behind a pair's parts, from `profile`'s point of view, strongest first."""
    reasons = []
    if parts.get("industry"):
        reasons.append(_industry_reason(profile, counterpart))
    if parts.get("seeks_offers"):
        reasons.append(
            Reason(
                "counterpart_offers_what_you_seek",
                {"phrase": shared_phrase(profile.seeks, counterpart.offers)},
            )
        )
    if parts.get("offers_seeks"):
        reasons.append(
            Reason(
                "counterpart_seeks_what_you_offer",
                {"phrase": shared_phrase(counterpart.seeks, profile.offers)},
            )
        )
    if parts.get("sei"):
        reasons.append(Reason("shared_sei", {"sei": sorted(profile.sei & counterpart.sei)}))
    if parts.get("region_interest"):
        interest = _covering(profile.regions_of_interest, counterpart.region_path)
        reasons.append(
            Reason(
                "counterpart_in_region_of_interest",
                {"region": interest, "counterpart_region": counterpart.region_path[0]},
            )
        )
    if parts.get("interest_in_region"):
        interest = _covering(counterpart.regions_of_interest, profile.region_path)
        reasons.append(Reason("counterpart_interested_in_your_region", {"region": interest}))
    if parts.get("size"):
        reasons.append(Reason("size_fits", {}))
    if parts.get("cooperation"):
        modes = sorted(profile.cooperation_modes & counterpart.cooperation_modes)
        reasons.append(Reason("shared_cooperation_modes", {"modes": modes}))
    if parts.get("sides"):
        reasons.append(Reason("host_meets_visitor", {}))
    # Strongest first: by the value of the part behind each (stable: the order above on ties).
    return sorted(reasons, key=lambda reason: -parts.get(_PART_OF[reason.code], 0))


_PART_OF = {
    "same_industry_class": "industry",
    "same_industry_group": "industry",
    "same_industry_division": "industry",
    "counterpart_offers_what_you_seek": "seeks_offers",
    "counterpart_seeks_what_you_offer": "offers_seeks",
    "shared_sei": "sei",
    "counterpart_in_region_of_interest": "region_interest",
    "counterpart_interested_in_your_region": "interest_in_region",
    "size_fits": "size",
    "shared_cooperation_modes": "cooperation",
    "host_meets_visitor": "sides",
}


@lru_cache(maxsize=50_000)
def _levels(classes: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The groups and divisions of a set of classes."""
    return frozenset(c[:3] for c in classes), frozenset(c[:2] for c in classes)


def _industry_reason(profile: Profile, counterpart: Profile) -> Reason:
    shared = profile.industry_classes & counterpart.industry_classes
    if shared:
        return Reason("same_industry_class", {"industry": min(shared)})
    for level, code in enumerate(("same_industry_group", "same_industry_division")):
        shared = (
            _levels(profile.industry_classes)[level] & _levels(counterpart.industry_classes)[level]
        )
        if shared:
            return Reason(code, {"industry": min(shared)})
    raise AssertionError("an industry part without a shared division")


def _covering(interests: frozenset[str], path: tuple[str, ...]) -> str:
    """The most precise region of interest that holds a region (given by its path upwards)."""
    return next(code for code in path if code in interests)
