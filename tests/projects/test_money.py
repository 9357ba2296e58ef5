import random
from decimal import Decimal

import pytest

from investpromo.core.errors import UserError
from investpromo.projects.models import Project
from investpromo.projects.money import SumCNY, significant_digits, yuan_from_fen
from investpromo.reports.selectors import summarise_projects
from tests.factories import make_org, make_project, region

pytestmark = pytest.mark.django_db


def test_sums_are_exact_to_the_fen_where_sqlite_floats_would_drift():
    """Float addition of these 3,000 amounts is off by whole fen; the ledger must not be."""
    rng = random.Random(7)
    values = [Decimal(rng.randint(10**12, 10**14)) / 100 for _ in range(3000)]
    float_total = sum(float(v) for v in values)
    assert Decimal(repr(float_total)).quantize(Decimal("0.01")) != sum(values)
    investor, destination = make_org(), region("230103")
    Project.objects.bulk_create(
        Project(
            name=f"p{i}",
            normalized_name=f"p{i}",
            investor=investor,
            destination_region=destination,
            contract_value=value,
            value_cny=value,
        )
        for i, value in enumerate(values)
    )
    total = Project.objects.aggregate(total=SumCNY())["total"]
    assert yuan_from_fen(total) == sum(values)
    summary = summarise_projects(Project.objects.all(), usd_on=None)
    assert summary["total_value_cny"] == str(sum(values))


def test_values_beyond_fifteen_significant_digits_are_refused():
    assert significant_digits(Decimal("1250000000")) == 3
    assert significant_digits(Decimal("123456789012345.6")) == 16
    with pytest.raises(UserError, match="significant"):
        make_project(value="123456789012.3456")
    with pytest.raises(UserError, match="too large"):
        make_project(value="20000000000000")
