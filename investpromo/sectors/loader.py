"""Loads GB/T 4754-2017 and the SEI 2018 mapping (reference_data/industry_tree_advanced.json)."""

import json
import time
from pathlib import Path

from django.db import models, transaction

from investpromo.sectors.models import IndustryCategory, SEIClassMapping, SEIIndustry
from investpromo.sectors.sei import SEI_INDUSTRIES
from investpromo.sectors.selectors import clear_industry_cache

INDUSTRY_FILE = (
    Path(__file__).resolve().parent.parent / "reference_data" / "industry_tree_advanced.json"
)
# The source writes SEI category paths as "生物产业 > 生物质能产业 > …".
_PATH_SEPARATOR = " > "


def read_industry_tree(*, path: Path = INDUSTRY_FILE) -> tuple[list[dict], list[dict]]:
    """The tree as IndustryCategory field values (parents first) and SEI mappings per class."""
    root = json.loads(path.read_text(encoding="utf-8"))
    sei_by_name = {sei.name_zh: sei.code for sei in SEI_INDUSTRIES}
    categories: list[dict] = []
    mappings: list[dict] = []

    def walk(node: dict, parent: str | None, section: str) -> None:
        code = node["code"]
        if node["level"] == IndustryCategory.Level.SECTION:
            section = code
        categories.append(
            {
                "code": code,
                # Three names in the source end with a space (5182, 6635, 8424).
                "name": node["name"].strip(),
                "level": node["level"],
                "parent_id": parent,
                "section": section,
                "description": (node.get("description") or "").strip(),
            }
        )
        strategic = (node.get("tagDetail") or {}).get("strategic")
        if strategic:
            mappings.extend(_class_mappings(code, strategic, sei_by_name))
        for child in node.get("children") or ():
            walk(child, code, section)

    for section in root["children"]:
        walk(section, None, section["code"])
    return categories, mappings


def _class_mappings(class_code: str, strategic: dict, sei_by_name: dict[str, int]) -> list[dict]:
    # Starred classes list every SEI category they feed in `categories`; the others give their
    # single category only in `category`.
    entries = strategic.get("categories") or [{"path": strategic["category"], "products": []}]
    by_industry: dict[int, dict] = {}
    for entry in entries:
        top = entry["path"].split(_PATH_SEPARATOR)[0].strip()
        if top not in sei_by_name:
            raise ValueError(f"class {class_code}: unknown SEI industry {top!r}")
        mapping = by_industry.setdefault(
            sei_by_name[top],
            {
                "sei_industry_id": sei_by_name[top],
                "industry_class_id": class_code,
                "partial": bool(strategic.get("has_star")),
                "paths": [],
                "products": [],
            },
        )
        if entry["path"] not in mapping["paths"]:
            mapping["paths"].append(entry["path"])
        for product in entry.get("products") or ():
            if product not in mapping["products"]:
                mapping["products"].append(product)
    return list(by_industry.values())


def _sync(model: type[models.Model], rows: list[dict], key, fields: list[str]) -> dict:
    # Create what is missing and update what differs; leaves rows that are not in `rows`.
    existing = {key(obj): obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        obj = existing.get(key(row))
        if obj is None:
            to_create.append(model(**row))
        elif any(getattr(obj, f) != row[f] for f in fields):
            for f in fields:
                setattr(obj, f, row[f])
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(
            to_update, [f.removesuffix("_id") for f in fields], batch_size=500
        )
    wanted = {key(row) for row in rows}
    return {
        "total": len(rows),
        "created": len(to_create),
        "updated": len(to_update),
        "unchanged": len(rows) - len(to_create) - len(to_update),
        "stale": [obj for k, obj in existing.items() if k not in wanted],
    }


def _getter(*names: str):
    def key(item):
        values = tuple(item[n] if isinstance(item, dict) else getattr(item, n) for n in names)
        return values[0] if len(values) == 1 else values

    return key


def _lap(since: float) -> tuple[float, float]:
    now = time.perf_counter()
    return now, round(now - since, 3)


def load_industries(*, path: Path = INDUSTRY_FILE) -> dict:
    """Create or update industry classes, SEI industries and SEI mappings; counts per table."""
    result = {}
    lap = time.perf_counter()
    categories, mappings = read_industry_tree(path=path)
    with transaction.atomic():
        counts = _sync(
            IndustryCategory,
            categories,
            _getter("code"),
            ["name", "level", "parent_id", "section", "description"],
        )
        # Codes no longer in the file are kept: projects may still point at them.
        counts["obsolete"] = len(counts.pop("stale"))
        levels = [row["level"] for row in categories]
        for level, label in zip(
            IndustryCategory.Level, ("sections", "divisions", "groups", "classes"), strict=True
        ):
            counts[label] = levels.count(level)
        lap, counts["seconds"] = _lap(lap)
        result["IndustryCategory"] = counts

        sei_rows = [sei._asdict() for sei in SEI_INDUSTRIES]
        counts = _sync(SEIIndustry, sei_rows, _getter("code"), ["name_zh", "name_en"])
        counts["obsolete"] = len(counts.pop("stale"))
        lap, counts["seconds"] = _lap(lap)
        result["SEIIndustry"] = counts

        counts = _sync(
            SEIClassMapping,
            mappings,
            _getter("industry_class_id", "sei_industry_id"),
            ["partial", "paths", "products"],
        )
        # Mappings are wholly derived from the file and nothing points at them.
        stale = counts.pop("stale")
        SEIClassMapping.objects.filter(pk__in=[m.pk for m in stale]).delete()
        counts["deleted"] = len(stale)
        counts["classes"] = len({m["industry_class_id"] for m in mappings})
        counts["partial_classes"] = len({m["industry_class_id"] for m in mappings if m["partial"]})
        lap, counts["seconds"] = _lap(lap)
        result["SEIClassMapping"] = counts
    clear_industry_cache()
    return result
