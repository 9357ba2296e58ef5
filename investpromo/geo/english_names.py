"""English names of regions, from reference_data/region_names_en.csv (made by geo.romanise)."""

import csv
from functools import cache
from pathlib import Path

ENGLISH_NAMES_FILE = (
    Path(__file__).resolve().parent.parent / "reference_data" / "region_names_en.csv"
)


@cache
def english_names() -> dict[str, str]:
    """Code → English name for every region the file names."""
    if not ENGLISH_NAMES_FILE.exists():
        return {}
    with ENGLISH_NAMES_FILE.open(encoding="utf-8", newline="") as file:
        return {row["code"]: row["name_en"] for row in csv.DictReader(file) if row["name_en"]}
