"""A project's identity in its event: (event, normalised name, investor key), held by the database."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from investpromo.core.audit import system_user
from investpromo.core.errors import UserError
from investpromo.orgs.services import update_organisation
from investpromo.projects.models import Project
from investpromo.projects.services import update_project
from tests.factories import make_event, make_org, make_project
from tests.imports.files import HEADER, USCC_A, USCC_B, run, xlsx

pytestmark = pytest.mark.django_db
USCC_C = "91230100MA7E333306"


@pytest.fixture
def event():
    return make_event(start=dt.date(2024, 8, 31))


def test_the_investor_key_is_the_investors_normalised_name(event):
    project = make_project(event=event, investor=make_org("Ｎｉｎｇｂｏ  Materials Co."))
    assert project.investor_key == "ningbo materials co."


def test_a_second_project_of_the_same_name_and_investor_name_is_refused(event):
    first = make_project(event=event, name="石墨项目", investor=make_org("甲公司", uscc=USCC_A))
    namesake = make_org("甲公司", uscc=USCC_B)
    with pytest.raises(
        UserError, match=rf"already has the project 石墨项目 of 甲公司 \(#{first.pk}\)"
    ):
        make_project(event=event, name=" 石墨项目 ", investor=namesake)
    # Elsewhere, or outside any event, the same name is another project.
    make_project(event=make_event(slug="other"), name="石墨项目", investor=namesake)
    make_project(name="石墨项目", investor=namesake)
    make_project(name="石墨项目", investor=namesake)


def test_the_database_refuses_what_the_services_refuse(event):
    make_project(event=event, name="石墨项目", investor=make_org("甲公司"))
    other = make_project(event=event, name="别的项目", investor=make_org("乙公司"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=other.pk).update(
            normalized_name="石墨项目", investor_key="甲公司"
        )


def test_changing_investor_or_name_keeps_the_key_and_refuses_a_clash(event):
    jia, yi = make_org("甲公司"), make_org("乙公司")
    make_project(event=event, name="石墨项目", investor=jia)
    other = make_project(event=event, name="石墨项目", investor=yi)
    moved = update_project(actor=system_user(), project=other, name="石墨二期")
    moved = update_project(actor=system_user(), project=moved, investor=jia)
    assert Project.objects.get(pk=other.pk).investor_key == "甲公司"
    with pytest.raises(UserError, match="already has the project 石墨项目 of 甲公司"):
        update_project(actor=system_user(), project=moved, name="石墨项目")


def test_renaming_an_organisation_rekeys_its_projects_or_refuses_a_clash(event):
    jia, yi = make_org("甲公司"), make_org("乙公司")
    make_project(event=event, name="石墨项目", investor=jia)
    make_project(event=event, name="石墨项目", investor=yi)
    make_project(event=event, name="碳纤维项目", investor=yi)
    with pytest.raises(UserError, match="with the new name they would be the same project"):
        update_organisation(actor=system_user(), organisation=yi, name="甲公司")
    update_organisation(actor=system_user(), organisation=yi, name="乙科技公司")
    assert set(Project.objects.filter(investor=yi).values_list("investor_key", flat=True)) == {
        "乙科技公司"
    }
    update_organisation(actor=system_user(), organisation=yi, name="乙科技公司 ")  # same key


def test_an_import_row_that_would_repeat_a_project_is_a_row_problem(tmp_path, event):
    existing = make_project(event=event, name="石墨项目", investor=make_org("甲公司", uscc=USCC_A))
    rows = [
        [*HEADER, "统一社会信用代码"],
        [1, "石墨项目", "甲公司", "松北区", 100, USCC_B],  # another 甲公司: not the same investor
        [2, "碳纤维项目", "丙公司", "松北区", 100, USCC_C],  # new, under a new 丙公司
        [3, "碳纤维项目", "丙公司", "松北区", 100, ""],  # by name: the project of row 2
    ]
    report = run(xlsx(tmp_path / "i.xlsx", {"S": rows}), event, skip_invalid=True)
    assert [str(error) for error in report.errors] == [
        f"S!2: 项目名称: the event already has the project 石墨项目 of 甲公司 (#{existing.pk}, "
        f"USCC {USCC_A}): an event holds one project of a name per investor name; check the "
        "USCC, or rename one of the projects",
        "S!4: 项目名称: this row and S!3 are the same project (same project name, investors of "
        "the same name): it is imported once",
    ]
    assert report.created == 1 and Project.objects.filter(event=event).count() == 2
