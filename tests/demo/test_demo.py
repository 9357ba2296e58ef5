import json

import pytest
from django.core.management import call_command

from investpromo.core.audit import system_user
from investpromo.core.models import ChangeLog
from investpromo.demo.loader import DEMO_SLUG, NAMED_PARTICIPANTS, load_demo
from investpromo.orgs.models import Organisation
from investpromo.projects.models import Project

# The demo is loaded once for the run (tests/conftest.py): these tests read that load.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_database")]


def test_loading_into_a_ledger_without_the_demo_creates_it(shared_demo, demo_event):
    # The shared load ran on a database without the demo (other tests never see it).
    assert shared_demo.created is True
    assert demo_event.projects.count() == 172


def test_report_reproduces_the_published_figures(demo_event, capsys):
    call_command("report", "--event", DEMO_SLUG, "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert report["projects"] == 172
    assert report["total_value_cny"] == "256560000000.00"
    assert round(report["sei"]["share_by_value"], 3) == 0.694
    assert report["event"]["is_example_data"] is True
    assert "synthetic" in report["note"]
    call_command("report", "--event", DEMO_SLUG, "--format", "text", "--lang", "en")
    text = capsys.readouterr().out
    assert "172 projects" in text and "256.56 billion yuan" in text
    assert "about 36 billion U.S. dollars" in text and "69.4 percent" in text
    call_command("report", "--event", DEMO_SLUG, "--format", "text", "--lang", "zh")
    assert "签约总额2565.6亿元（约合360亿美元）" in capsys.readouterr().out


def test_named_organisations_are_participants_never_signatories(demo_event):
    named = {name for name, _, _ in NAMED_PARTICIPANTS}
    assert set(demo_event.participants.values_list("organisation__name", flat=True)) == named
    signatories = set(Project.objects.values_list("investor__name", flat=True))
    assert not signatories & named
    assert all(name.endswith("(示例)") for name in signatories)


def test_demo_is_labelled_and_idempotent(demo_event):
    assert demo_event.is_demo
    assert not Project.objects.filter(is_demo=False).exists()
    assert Project.objects.filter(currency="USD").exists()
    projects, orgs = Project.objects.count(), Organisation.objects.count()
    logs = ChangeLog.objects.count()
    event, created = load_demo(actor=system_user())
    assert not created and event == demo_event
    assert (Project.objects.count(), Organisation.objects.count()) == (projects, orgs)
    assert ChangeLog.objects.count() == logs


def test_demo_identities_are_unique_within_the_event(demo_event):
    pairs = list(Project.objects.values_list("investor_id", "normalized_name"))
    assert len(pairs) == len(set(pairs)) == 172


def test_each_project_class_fits_its_sei_industry(demo_event):
    from investpromo.sectors.models import SEIClassMapping

    mapped = set(SEIClassMapping.objects.values_list("industry_class_id", "sei_industry_id"))
    mapped_classes = {code for code, _ in mapped}
    for project in Project.objects.all():
        if project.sei_status == "sei":
            assert (project.industry_class_id, project.sei_industry_id) in mapped, project.name
        elif project.sei_status == "not_sei":
            assert project.industry_class_id not in mapped_classes, project.name


def test_demo_has_synthetic_progress_labelled_as_such(demo_event):
    import datetime as dt

    from investpromo.followup.models import ProgressStep
    from investpromo.reports.selectors import event_summary

    steps = ProgressStep.objects.filter(project__event=demo_event)
    assert steps.count() > 172
    assert all("example data" in note for note in steps.values_list("note", flat=True))
    ft = event_summary(demo_event, as_of=dt.date(2026, 10, 31))["followthrough"]
    assert 0 < ft["start_rate"]["rate"] < 1
    assert 0 < ft["funds_in_place_rate"]["rate"] < 1
    assert ft["stages"]["terminated"] >= 1
    assert sum(ft["stages"].values()) == 172
