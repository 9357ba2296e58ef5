"""Turns what people write for a place (code, name, 省+市+县, English province) into a Region.

Rules, in order (each one only decides when it leaves exactly one region):

1. Digits: a 6-digit GB/T 2260 code, or a 12-digit statistical code (its first six digits).
2. Latin letters: an English province name, case and spacing ignored, with or without
   "Province", "Autonomous Region", "Municipality", "SAR"; aliases such as Xizang and Macau.
3. Chinese: the text is read as one name or a chain of names, each inside the one before
   (浙江宁波, 广东省深圳市, 黑龙江哈尔滨松北); every name may be full (大庆市) or short (大庆).
   a. An exact full name that only one division in the country has wins outright.
   b. With `within`, matches inside that region are used if there are any (its subdivisions
      before the region itself, so 吉林 within 吉林省 is 吉林市); otherwise the whole country.
   c. Among the matches, a single full name beats short names, which beat chains.
   d. A province's short name means the province (吉林 → 吉林省, 海南 → 海南省, not 吉林市 or
      青海's 海南藏族自治州): that is how the bare name is used.
   e. If one match contains all the others (和田 → 和田地区, not its 和田市 or 和田县), it wins:
      it is less precise but never wrong.
   Anything else that matches more than once (向阳区 is in both 鹤岗 and 佳木斯) is an error
   listing every candidate; the resolver never guesses.

The index is built once per process from the database and results are cached, because the
importer resolves every row; `clear_region_cache()` must be called after regions change (the
loader does). Returned regions are shared between callers: treat them as read-only.
"""

import re
from dataclasses import dataclass, field

from investpromo.core.errors import UserError
from investpromo.core.text import normalize_text
from investpromo.geo.models import Region

# Separators people put between 省, 市 and 县 in one cell.
_SEPARATORS = re.compile(r"[\s/|,、·>\-]+")
_NON_LETTERS = re.compile(r"[^a-z]+")
# English words around a province name, taken off the end (after case-folding and squeezing).
_ENGLISH_SUFFIXES = (
    "specialadministrativeregion",
    "autonomousregion",
    "municipality",
    "province",
    "sar",
    "city",
)
_ENGLISH_ALIASES = {
    "xizang": "540000",
    "macau": "820000",
    "hongkong": "810000",
    "neimenggu": "150000",
    "neimongol": "150000",
    "guangxizhuang": "450000",
    "ningxiahui": "640000",
    "xinjianguygur": "650000",
    "xinjianguyghur": "650000",
    "xinjianguighur": "650000",
}
_CACHE_LIMIT = 100_000

# Match tiers: a whole-text full name, a whole-text short name, a chain of names.
_FULL, _SHORT, _CHAIN = 0, 1, 2


@dataclass
class _Index:
    regions: dict[str, Region]
    names: dict[str, list[tuple[Region, int]]]
    ancestors: dict[str, frozenset[str]]
    english: dict[str, Region]
    longest_name: int
    results: dict[tuple[str, str | None], Region | UserError] = field(default_factory=dict)


_index: _Index | None = None


def clear_region_cache() -> None:
    """Forget the region index and cached results (call after regions change)."""
    global _index
    _index = None


def _get_index() -> _Index:
    global _index
    if _index is None:
        _index = _build_index()
    return _index


def _build_index() -> _Index:
    regions = {region.code: region for region in Region.objects.all()}
    for region in regions.values():
        # Wire the relations to the shared instances so full_name and friends cost no queries.
        region.parent = regions.get(region.parent_id)
        region.province = regions.get(region.province_id)
        region.stat_prefecture = regions.get(region.stat_prefecture_id)
    names: dict[str, list[tuple[Region, int]]] = {}
    ancestors: dict[str, frozenset[str]] = {}
    english: dict[str, Region] = {}
    for region in regions.values():
        names.setdefault(region.name, []).append((region, _FULL))
        if region.short_name and region.short_name != region.name:
            names.setdefault(region.short_name, []).append((region, _SHORT))
        chain, node = [], region.parent
        while node is not None:
            chain.append(node.code)
            node = node.parent
        ancestors[region.code] = frozenset(chain)
        if region.level == Region.Level.PROVINCE and region.name_en:
            english[_english_key(region.name_en)] = region
    for alias, code in _ENGLISH_ALIASES.items():
        if code in regions:
            english[alias] = regions[code]
    return _Index(
        regions=regions,
        names=names,
        ancestors=ancestors,
        english=english,
        longest_name=max((len(name) for name in names), default=0),
    )


def _english_key(text: str) -> str:
    key = _NON_LETTERS.sub("", text.casefold())
    stripped = True
    while stripped:
        stripped = False
        for suffix in _ENGLISH_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)]
                stripped = True
    return key


def resolve_region(text: str, *, within: Region | None = None) -> Region:
    """The one region the text names (see the module docstring), or UserError."""
    key = _SEPARATORS.sub("", normalize_text(text))
    index = _get_index()
    cache_key = (key, within.code if within is not None else None)
    result = index.results.get(cache_key)
    if result is None:
        try:
            result = _resolve(index, key, within)
        except UserError as error:
            result = error
        if len(index.results) >= _CACHE_LIMIT:
            index.results.clear()
        index.results[cache_key] = result
    if isinstance(result, UserError):
        # A fresh exception each time: re-raising one instance would pile up tracebacks.
        raise UserError(result.message, field=result.field, candidates=result.candidates)
    return result


def _resolve(index: _Index, key: str, within: Region | None) -> Region:
    if not key:
        raise UserError("No region given / 未填写地区")
    if key.isdigit():
        return _by_code(index, key)
    if key.isascii():
        region = index.english.get(_english_key(key))
        if region is None:
            raise _unknown(key)
        return region

    matches = _parse(index, key, 0, None)
    full = {region.code: region for region, tier in matches if tier == _FULL}
    if len(full) == 1:
        return next(iter(full.values()))
    if within is not None:
        scoped = [
            (region, tier)
            for region, tier in matches
            if region.code == within.code or within.code in index.ancestors[region.code]
        ]
        inside = [(region, tier) for region, tier in scoped if region.code != within.code]
        if inside or scoped:
            return _pick(index, key, inside or scoped)
    if not matches:
        raise _unknown(key)
    return _pick(index, key, matches)


def _by_code(index: _Index, digits: str) -> Region:
    # A 12-digit statistical code starts with the 6-digit code of its county (or city/province).
    if len(digits) in (6, 12):
        region = index.regions.get(digits[:6])
        if region is not None:
            return region
    raise UserError(
        f'Unknown region code "{digits}": give a 6-digit division code (GB/T 2260) '
        f"/ 无法识别的行政区划代码“{digits}”"
    )


def _parse(index: _Index, key: str, start: int, inside: Region | None) -> list[tuple[Region, int]]:
    # Every way of reading key[start:] as a name, or as a chain of names each inside the last.
    found = []
    for end in range(start + 2, min(len(key), start + index.longest_name) + 1):
        for region, tier in index.names.get(key[start:end], ()):
            if inside is not None and inside.code not in index.ancestors[region.code]:
                continue
            if end == len(key):
                found.append((region, tier if start == 0 else _CHAIN))
            else:
                found.extend((r, _CHAIN) for r, _ in _parse(index, key, end, region))
    return found


def _pick(index: _Index, key: str, matches: list[tuple[Region, int]]) -> Region:
    best = min(tier for _, tier in matches)
    candidates = list({region.code: region for region, tier in matches if tier == best}.values())
    if len(candidates) == 1:
        return candidates[0]
    provinces = [region for region in candidates if region.level == Region.Level.PROVINCE]
    if len(provinces) == 1:
        return provinces[0]
    containing = [
        region
        for region in candidates
        if all(
            other is region or region.code in index.ancestors[other.code] for other in candidates
        )
    ]
    if len(containing) == 1:
        return containing[0]
    listed = [f"{region.full_name} ({region.code})" for region in candidates]
    joined = ", ".join(listed)
    raise UserError(
        f'Ambiguous region "{key}": it could be {joined}. Add the province or city, or give the '
        f"code / 地区“{key}”不唯一，可能是：{'、'.join(listed)}。请加上所属省市，或填写区划代码",
        candidates=listed,
    )


def _unknown(key: str) -> UserError:
    return UserError(
        f'Unknown region "{key}": not a division code, a province, city or county name, or an '
        f"English province name / 无法识别的地区“{key}”"
    )


def prefecture_of(region: Region) -> Region | None:
    """The prefecture-level unit statistics count the region under (None for a plain province)."""
    if region.stat_prefecture_id is None:
        return None
    return _get_index().regions.get(region.stat_prefecture_id) or region.stat_prefecture


def province_of(region: Region) -> Region:
    """The province-level unit the region belongs to (a province is its own)."""
    return _get_index().regions.get(region.province_id) or region.province
