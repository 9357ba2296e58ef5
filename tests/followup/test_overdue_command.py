"""`investpromo overdue`: a header, each row's event, value and days overdue; csv and json."""

import csv
import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import make_event, make_org, make_project

pytestmark = pytest.mark.django_db
D = dt.date
HEADER = (
    "level\tdays overdue\toverdue since\tevent\tproject id\tregion\tstage\tlast move\t"
    "value (CNY)\tproject\tinvestor\treasons"
)


def overdue(*args) -> str:
    out = StringIO()
    call_command("overdue", "--today", "2025-07-10", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_issue_18_7_overdue_has_a_header_the_event_value_and_days_overdue_as_table_csv_json():
    investor = make_org()
    summer = make_project(
        event=make_event(slug="summer-fair", start=D(2024, 8, 31)),
        name="同名项目",
        investor=investor,
        value="100000000",
    )
    # Signed on a month's last day: six months on is 1 July (30 June is short of it); the
    # defaults flag a project still at "signed" yellow after six months, red after nine.
    winter = make_project(
        event=make_event(slug="winter-fair", start=D(2024, 12, 31)),
        name="=1+1项目",
        investor=investor,
        value="50000000",
    )

    lines = overdue().splitlines()
    assert lines[0] == HEADER
    assert lines[1].split("\t")[:9] == [
        "red", "131", "2025-03-01", "summer-fair", str(summer.pk), "哈尔滨市", "signed",
        "2024-08-31", "100000000.00",
    ]  # fmt: skip
    assert lines[2].split("\t")[:9] == [
        "yellow", "9", "2025-07-01", "winter-fair", str(winter.pk), "哈尔滨市", "signed",
        "2024-12-31", "50000000.00",
    ]  # fmt: skip
    assert overdue("--event", "winter-fair").splitlines() == [HEADER, lines[2]]
    # The day before it is overdue, it is not listed.
    out = StringIO()
    call_command("overdue", "--today", "2025-06-30", "--event", "winter-fair", stdout=out)
    assert out.getvalue().splitlines() == [HEADER]

    header, *rows = csv.reader(StringIO(overdue("--format", "csv")))
    assert header == HEADER.split("\t")
    assert [(row[3], row[1], row[8]) for row in rows] == [
        ("summer-fair", "131", "100000000.00"),
        ("winter-fair", "9", "50000000.00"),
    ]
    # A project name is written so that a spreadsheet shows it, never runs it.
    assert rows[1][9] == "'=1+1项目"

    first, second = json.loads(overdue("--format", "json"))
    assert (second["event"], second["name"], second["value_cny"]) == (
        "winter-fair",
        "=1+1项目",
        "50000000.00",
    )
    assert (second["days_overdue"], second["overdue_since"], second["level"]) == (
        9,
        "2025-07-01",
        "yellow",
    )
    assert (first["event"], first["days_overdue"]) == ("summer-fair", 131)
    assert len(second["reasons"]) == 1  # the text, in the command's language
    assert second["reason_codes"] == [{"code": "idle", "params": {"months": 6, "stage": "signed"}}]
