"""The official reference data every installation needs: divisions and industry classifications."""

from django.db import transaction

from investpromo.geo.services import load_divisions
from investpromo.sectors.services import load_industries


def load_reference_data() -> dict:
    """Load or refresh regions, industries and SEI mappings in one transaction; counts per table."""
    # Reference data is not a user's change, so nothing is written to the change log.
    with transaction.atomic():
        counts = load_divisions()
        counts.update(load_industries())
    return counts
