"""Loads GB/T 4754-2017 and the SEI 2018 mapping (reference_data/industry_tree_advanced.json)."""

import json
from pathlib import Path

from investpromo.sectors.models import IndustryCategory
from investpromo.sectors.sei import SEI_INDUSTRIES

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
