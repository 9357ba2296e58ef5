"""The pair scan: which records of the ledger are one project, and how the later one relates.

Pure computation on plain records (no database), so the same code serves the command, a job
and the benchmark. Blocking keeps it near linear: records are compared only within a block of
the same investor stem (first two characters of the enterprise core: a short name shares them
with the full one) and the same prefecture of destination (a city and its districts share it).

Rules (each pair's evidence says which applied):
- Investors: the same organisation or the same USCC is one enterprise; two different USCCs
  never are; without a USCC on both sides, the same core name is (strong) unless enterprises
  of different USCCs share that core (ambiguous: review only), and an abbreviation
  (华创新材 / 华创新材料科技) is when the home provinces do not differ (weak: `same` only if
  the project agrees almost exactly).
- Destination: the same region, or one inside the other (a city and its district); two
  districts of one city are only worth a review.
- Names: keys after parse_project_name; a phase other than the earlier's is a later phase
  (kind later_phase, decision different: another project, counted in full).
- Order: the earlier is the one of the earlier event (then signing date, then id); in one
  event the pair is a double report.
- Amounts (CNY): equal within 2 %; larger (up to 10×) is a capital increase, or an upgrade when
  an intent or framework became a contract; a factor of 10,000 is 万元 read as 元 (review);
  smaller or far larger is a review.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from investpromo.integrity.names import Places, is_short_name, parse_enterprise_name
from investpromo.integrity.projectnames import name_similarity, parse_project_name

RE_SIGNING, UPGRADE, CAPITAL_INCREASE = "re_signing", "upgrade", "capital_increase"
DOUBLE_REPORT, LATER_PHASE = "double_report", "later_phase"
SAME, REVIEW, DIFFERENT = "same", "review", "different"

SAME_NAME = 0.90  # name similarity for `same` with a strong investor match
SAME_NAME_SHORT_INVESTOR = 0.95  # … with an abbreviated investor name
REVIEW_NAME = 0.72  # below this, not a pair at all
_EQUAL = Decimal("0.02")
_PRELIMINARY = {"intent", "framework"}


@dataclass(slots=True)
class Record:
    """One project as the scan reads it."""

    id: int
    event_id: int | None
    event_slug: str
    event_start: dt.date | None
    signing_date: dt.date | None
    name: str
    investor_id: int
    investor_name: str
    investor_uscc: str | None
    investor_province: str | None  # 2-digit code of the home region, when known
    destination: str  # region code
    destination_chain: tuple[str, ...]  # its code and its ancestors' codes
    prefecture: str  # the prefecture-level code it counts under (itself for a province)
    agreement: str
    value_cny: Decimal
    # Filled by prepare().
    key: str = ""
    phase: int = 1
    core: str = ""
    # Whether enterprises with different USCCs share this core: a name alone cannot tell which.
    core_ambiguous: bool = False
    order: tuple = field(default=(), repr=False)


@dataclass(slots=True)
class Pair:
    earlier: Record
    later: Record
    kind: str
    score: float
    decision: str
    evidence: list[dict]  # {"code": …, parameters…}: see integrity.evidence
    # The scan's own certainty: a `same` pair, or a later phase it would link unasked.
    confident: bool = False


def prepare(records: Iterable[Record], places: Places) -> list[Record]:
    """Parse names (each distinct name once) and order keys."""
    cores: dict[str, str] = {}
    keys: dict[str, tuple[str, int]] = {}
    prepared = []
    for record in records:
        core = cores.get(record.investor_name)
        if core is None:
            core = cores[record.investor_name] = parse_enterprise_name(
                record.investor_name, places
            ).core
        record.core = core
        parsed = keys.get(record.name)
        if parsed is None:
            parsed = keys[record.name] = parse_project_name(record.name, places)
        record.key, record.phase = parsed
        record.order = (
            record.event_start or dt.date.max,
            record.signing_date or record.event_start or dt.date.max,
            record.id,
        )
        prepared.append(record)
    usccs_of_core: dict[str, set[str]] = defaultdict(set)
    for record in prepared:
        if record.investor_uscc:
            usccs_of_core[record.core].add(record.investor_uscc)
    for record in prepared:
        record.core_ambiguous = len(usccs_of_core.get(record.core, ())) > 1
    return prepared


def _investor_match(a: Record, b: Record) -> tuple[str | None, dict | None]:
    """('strong'|'weak'|'ambiguous'|None, evidence)."""
    if a.investor_id == b.investor_id:
        return "strong", {"code": "same_organisation"}
    if a.investor_uscc and b.investor_uscc:
        if a.investor_uscc == b.investor_uscc:
            return "strong", {"code": "same_uscc", "uscc": a.investor_uscc}
        return None, None  # two USCCs are two enterprises, whatever their names
    if a.core == b.core:
        if a.core_ambiguous:
            return "ambiguous", {"code": "ambiguous_name", "core": a.core}
        return "strong", {"code": "same_name", "core": a.core}
    if a.investor_province and b.investor_province and a.investor_province != b.investor_province:
        return None, None
    short, full = sorted((a.core, b.core), key=len)
    if is_short_name(short, full):
        return "weak", {"code": "short_name", "short": short, "full": full}
    return None, None


def _destination_match(a: Record, b: Record) -> tuple[float, dict]:
    if a.destination == b.destination:
        return 1.0, {"code": "same_region"}
    if a.destination in b.destination_chain or b.destination in a.destination_chain:
        return 0.9, {"code": "nested_region"}
    return 0.5, {"code": "same_prefecture"}


def _amount_relation(earlier: Decimal, later: Decimal) -> str:
    if earlier <= 0 or later <= 0:
        return "unknown"
    ratio = later / earlier
    if abs(ratio - 1) <= _EQUAL:
        return "equal"
    for factor in (Decimal(10_000), Decimal(1) / Decimal(10_000)):
        if abs(ratio / factor - 1) <= _EQUAL:
            return "unit"
    if 1 < ratio <= 10:
        return "larger"
    return "smaller" if ratio < 1 else "far"


_AMOUNT_SCORE = {"equal": 1.0, "larger": 0.9, "unit": 0.5, "smaller": 0.6, "far": 0.4}


def compare(a: Record, b: Record) -> Pair | None:
    """The pair of two records, or None when they are plainly not one project."""
    earlier, later = (a, b) if a.order <= b.order else (b, a)
    investor, investor_evidence = _investor_match(earlier, later)
    if investor is None:
        return None
    similarity = name_similarity(earlier.key, later.key)
    if similarity < REVIEW_NAME:
        return None
    place, place_evidence = _destination_match(earlier, later)
    relation = _amount_relation(earlier.value_cny, later.value_cny)
    evidence = [
        investor_evidence,
        {"code": "name", "similarity": round(similarity, 2), "earlier": earlier.key,
         "later": later.key},
        place_evidence,
        {"code": f"amount_{relation}", "earlier": str(earlier.value_cny),
         "later": str(later.value_cny)},
    ]  # fmt: skip
    score = round(
        0.3 * (1.0 if investor == "strong" else 0.8)
        + 0.4 * similarity
        + 0.15 * place
        + 0.15 * _AMOUNT_SCORE.get(relation, 0.5),
        2,
    )
    same_event = earlier.event_id is not None and earlier.event_id == later.event_id
    needed = SAME_NAME if investor == "strong" else SAME_NAME_SHORT_INVESTOR
    agrees = investor != "ambiguous" and similarity >= needed and place >= 0.9
    if earlier.phase != later.phase:
        evidence.append({"code": "phase", "earlier": earlier.phase, "later": later.phase})
        return Pair(earlier, later, LATER_PHASE, score, DIFFERENT, evidence, agrees)
    if same_event:
        kind = DOUBLE_REPORT
        evidence.append({"code": "same_event"})
        fits = relation == "equal"
    else:
        upgraded = earlier.agreement in _PRELIMINARY and later.agreement == "contract"
        if upgraded:
            kind, fits = UPGRADE, relation in ("equal", "larger")
            evidence.append(
                {"code": "agreement", "earlier": earlier.agreement, "later": later.agreement}
            )
        elif relation == "larger":
            kind, fits = CAPITAL_INCREASE, True
        else:
            kind, fits = RE_SIGNING, relation == "equal"
        if (
            earlier.signing_date
            and later.signing_date
            and later.signing_date < earlier.signing_date
        ):
            evidence.append({"code": "signed_before"})
            fits = False
    confident = fits and agrees
    return Pair(earlier, later, kind, score, SAME if confident else REVIEW, evidence, confident)


def region_tree(rows) -> tuple[dict, dict]:
    """From (code, parent code, statistical prefecture code) rows: per code, its chain (itself
    and its ancestors) and the prefecture-level unit it counts under (itself if none)."""
    parents, prefecture_of = {}, {}
    for code, parent, prefecture in rows:
        parents[code], prefecture_of[code] = parent, prefecture
    chains, prefectures = {}, {}
    for code in parents:
        chain, node = [], code
        while node is not None:
            chain.append(node)
            node = parents.get(node)
        chains[code] = tuple(chain)
        prefectures[code] = prefecture_of[code] or code
    return chains, prefectures


def block_key(record: Record) -> tuple[str, str]:
    return record.core[:2], record.prefecture


def _related_cores(cores: list[str]) -> list[tuple[str, str]]:
    """Pairs of distinct cores in a block where one abbreviates the other."""
    related = []
    for index, a in enumerate(cores):
        for b in cores[index + 1 :]:
            short, full = (a, b) if len(a) < len(b) else (b, a)
            if is_short_name(short, full):
                related.append((a, b))
    return related


def _across_cores(records: list[Record]):
    """Records of one organisation or USCC in one prefecture written under different cores."""
    first_core: dict[tuple, str] = {}
    mixed: set[tuple] = set()
    for record in records:
        for identity in (
            (record.investor_id, record.prefecture),
            (record.investor_uscc, record.prefecture),
        ):
            if identity[0] is None:
                continue
            seen = first_core.setdefault(identity, record.core)
            if seen != record.core:
                mixed.add(identity)
    if not mixed:
        return
    groups: dict[tuple, list[Record]] = defaultdict(list)
    for record in records:
        for identity in (
            (record.investor_id, record.prefecture),
            (record.investor_uscc, record.prefecture),
        ):
            if identity in mixed:
                groups[identity].append(record)
    yield from groups.values()


def scan(records: list[Record], *, later_in_event: int | None = None) -> list[Pair]:
    """Every pair of prepared records that may be one project (decision same or review), and
    later phases; with later_in_event, only pairs whose later record is in that event.

    Within a block, records are grouped by investor core: records of one core are compared
    with each other, and with those of a core it abbreviates or that abbreviates it; the same
    organisation or USCC under two unrelated cores (a renamed enterprise) is compared too.
    """
    blocks: dict[tuple[str, str], dict[str, list[Record]]] = defaultdict(dict)
    for record in records:
        blocks[block_key(record)].setdefault(record.core, []).append(record)
    candidates: list[list[Record]] = []
    for by_core in blocks.values():
        candidates.extend(by_core.values())
        if len(by_core) > 1:
            for a, b in _related_cores(list(by_core)):
                candidates.append(by_core[a] + by_core[b])
    candidates.extend(_across_cores(records))
    seen: set[tuple[int, int]] = set()
    pairs = []
    for members in candidates:
        if len(members) < 2:
            continue
        if later_in_event is not None and all(r.event_id != later_in_event for r in members):
            continue
        members = sorted(members, key=lambda r: r.order)
        for index, later in enumerate(members):
            if later_in_event is not None and later.event_id != later_in_event:
                continue
            for earlier in members[:index]:
                key = (earlier.id, later.id)
                if key in seen:
                    continue
                seen.add(key)
                pair = compare(earlier, later)
                if pair is not None:
                    pairs.append(pair)
    pairs.sort(key=lambda p: (p.later.order, p.earlier.order))
    return pairs
