"""Writing the reference industries: GB/T 4754-2017 classes, SEI industries and their mapping."""

import time
from pathlib import Path

from django.db import models, transaction

from investpromo.sectors.loader import INDUSTRY_FILE, read_industry_tree
from investpromo.sectors.models import IndustryCategory, SEIClassMapping, SEIIndustry
from investpromo.sectors.sei import SEI_INDUSTRIES
from investpromo.sectors.selectors import clear_industry_cache


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
