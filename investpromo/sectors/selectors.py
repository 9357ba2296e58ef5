"""Looking up industry classes and their SEI industry; cached because the importer asks per row.

The cache is built once per process from the database; `clear_industry_cache()` must be called
after the tables change (the loader does). Returned objects are shared: treat them as read-only.
"""

import re
from dataclasses import dataclass

from investpromo.core.errors import UserError
from investpromo.core.text import normalize_text
from investpromo.sectors.models import IndustryCategory, SEIClassMapping, SEIIndustry

# An optional section letter, then the 4-digit class code: 3562, C3562, "c 3562".
_CLASS_CODE = re.compile(r"([A-Z])?(\d{4})")
_SPACES = re.compile(r"\s+")


@dataclass
class _Index:
    categories: dict[str, IndustryCategory]
    sei_by_class: dict[str, SEIIndustry | None]


_index: _Index | None = None


def clear_industry_cache() -> None:
    """Forget the cached industry classes and SEI mappings (call after they change)."""
    global _index
    _index = None


def _get_index() -> _Index:
    global _index
    if _index is None:
        _index = _build_index()
    return _index


def _build_index() -> _Index:
    categories = {category.code: category for category in IndustryCategory.objects.all()}
    industries = {industry.code: industry for industry in SEIIndustry.objects.all()}
    mapped: dict[str, list[SEIClassMapping]] = {}
    for mapping in SEIClassMapping.objects.all():
        mapped.setdefault(mapping.industry_class_id, []).append(mapping)
    sei_by_class = {
        class_code: (
            # Only a whole class that feeds a single industry says which industry a project is.
            industries[mappings[0].sei_industry_id]
            if len(mappings) == 1 and not mappings[0].partial
            else None
        )
        for class_code, mappings in mapped.items()
    }
    return _Index(categories=categories, sei_by_class=sei_by_class)


def resolve_industry_class(text: str) -> IndustryCategory:
    """The GB/T 4754-2017 class a code such as 3562, C3562 or "c 3562" names, or UserError."""
    key = _SPACES.sub("", normalize_text(text)).upper()
    match = _CLASS_CODE.fullmatch(key)
    index = _get_index()
    if match is None:
        other = index.categories.get(key)
        if other is not None:
            raise UserError(
                f'"{key}" is the {other.get_level_display()} {other}: give a 4-digit industry '
                f"class / “{key}”不是小类代码，请填写4位行业小类代码"
            )
        raise UserError(
            f'"{text}" is not an industry class code such as 3562 or C3562 '
            f"/ “{text}”不是行业小类代码（如3562或C3562）"
        )
    letter, code = match.groups()
    category = index.categories.get(code)
    if category is None or category.level != IndustryCategory.Level.CLASS:
        raise UserError(
            f'Unknown industry class "{key}" (GB/T 4754-2017) / 国民经济行业分类中没有小类“{key}”'
        )
    if letter is not None and letter != category.section:
        raise UserError(
            f"Industry class {code} ({category.name}) is in section {category.section}, not "
            f"{letter} / 行业小类{code}（{category.name}）属于门类{category.section}，不是{letter}"
        )
    return category


def derive_sei_industry(industry_class_code: str) -> SEIIndustry | None:
    """The SEI industry a class implies: only when it maps, wholly, to exactly one; else None."""
    code = _SPACES.sub("", normalize_text(industry_class_code)).upper()
    match = _CLASS_CODE.fullmatch(code)
    if match is None:
        return None
    return _get_index().sei_by_class.get(match.group(2))
