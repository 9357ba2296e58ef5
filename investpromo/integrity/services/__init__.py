"""Writing integrity records: organisation merges and project links, each change audited."""

from investpromo.integrity.services.links import (
    apply_scan,
    create_link,
    decide_link,
)
from investpromo.integrity.services.merges import merge_organisations, unmerge_organisations

__all__ = [
    "apply_scan",
    "create_link",
    "decide_link",
    "merge_organisations",
    "unmerge_organisations",
]
