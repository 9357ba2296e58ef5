import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from investpromo.core.reference import load_reference_data
from investpromo.geo.models import Region
from investpromo.sectors.models import IndustryCategory, SEIClassMapping, SEIIndustry

TABLES = {Region: 3214, IndustryCategory: 1972, SEIIndustry: 9, SEIClassMapping: 656}


@pytest.mark.django_db
def test_load_reference_data_reports_every_table():
    counts = load_reference_data()
    assert list(counts) == ["Region", "IndustryCategory", "SEIIndustry", "SEIClassMapping"]
    assert {table: c["total"] for table, c in counts.items()} == {
        model.__name__: n for model, n in TABLES.items()
    }


@pytest.mark.django_db
def test_setup_is_idempotent():
    for _ in range(2):
        out = StringIO()
        call_command("setup", stdout=out)
        assert {model: model.objects.count() for model in TABLES} == TABLES
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("migrate: done in")
    assert "Region: 3214 rows (0 created, 0 updated, 3214 unchanged) in" in lines[1]
    assert "SEIClassMapping: 656 rows (0 created, 0 updated, 656 unchanged) in" in lines[4]


def test_setup_on_a_new_database(tmp_path):
    # The real command in a fresh process: creates the database, then finds nothing to do.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env["INVESTPROMO_DATA_DIR"] = str(tmp_path)
    runs = [
        subprocess.run(
            [sys.executable, "-m", "investpromo", "setup"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        for _ in range(2)
    ]
    assert "Region: 3214 rows (3214 created, 0 updated, 0 unchanged)" in runs[0]
    assert "IndustryCategory: 1972 rows (1972 created, 0 updated, 0 unchanged)" in runs[0]
    assert "SEIIndustry: 9 rows (9 created" in runs[0]
    assert "SEIClassMapping: 656 rows (656 created" in runs[0]
    assert "Region: 3214 rows (0 created, 0 updated, 3214 unchanged)" in runs[1]
    assert "SEIClassMapping: 656 rows (0 created, 0 updated, 656 unchanged)" in runs[1]
