"""Writing the reference regions: `investpromo setup` loads them from the shipped divisions file."""

import time
from pathlib import Path

from django.db import transaction

from investpromo.geo.loader import DIVISIONS_FILE, read_divisions
from investpromo.geo.models import Region
from investpromo.geo.resolver import clear_region_cache

_FIELDS = (
    "name",
    "short_name",
    "name_en",
    "level",
    "parent_id",
    "province_id",
    "stat_prefecture_id",
    "acts_as_prefecture",
)


def load_divisions(*, path: Path = DIVISIONS_FILE) -> dict:
    """Create or update Region rows from the divisions file; returns counts per table."""
    started = time.perf_counter()
    rows = read_divisions(path=path)
    with transaction.atomic():
        existing = {region.code: region for region in Region.objects.all()}
        to_create, to_update = [], []
        for row in rows:
            region = existing.get(row["code"])
            if region is None:
                to_create.append(Region(**row))
            elif any(getattr(region, field) != row[field] for field in _FIELDS):
                for field in _FIELDS:
                    setattr(region, field, row[field])
                to_update.append(region)
        # Parents come first in `rows`; foreign keys are checked at commit in any case.
        Region.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Region.objects.bulk_update(
                to_update, [f.removesuffix("_id") for f in _FIELDS], batch_size=500
            )
    clear_region_cache()
    codes = {row["code"] for row in rows}
    levels = [row["level"] for row in rows]
    return {
        "Region": {
            "total": len(rows),
            "created": len(to_create),
            "updated": len(to_update),
            "unchanged": len(rows) - len(to_create) - len(to_update),
            # Codes no longer in the file are kept: projects may still point at them.
            "obsolete": len(set(existing) - codes),
            "provinces": levels.count(Region.Level.PROVINCE),
            "prefectures": levels.count(Region.Level.PREFECTURE),
            "counties": levels.count(Region.Level.COUNTY),
            "seconds": round(time.perf_counter() - started, 3),
        }
    }
