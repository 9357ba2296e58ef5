"""The dashboard, event, project, organisation and region pages show the right figures, linked."""

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse

from investpromo.demo.loader import DEMO_SLUG
from investpromo.projects.services import update_project
from tests.factories import make_event, make_org, make_project

# Every test here finds the demo in the database, loaded once for the run (tests/conftest.py);
# the others build their own data outside the demo's months and regions.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_database")]
DEMO_LABEL = "示例数据 / example data"


@pytest.fixture
def demo(demo_event):
    return demo_event


def hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', html)]


def ledger_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["totals"]["projects"]


def test_dashboard_shows_the_demo_figures_in_chinese(admin_client, demo):
    html = admin_client.get(reverse("web:dashboard")).content.decode()
    assert ">172<" in html
    assert "2565.6亿元" in html
    assert "69.4%" in html
    assert "≈ 360亿美元" in html
    assert DEMO_LABEL in html


def test_dashboard_in_english(admin_client, demo):
    html = admin_client.get(reverse("web:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "256.56 billion yuan" in html
    assert "≈ 36 billion U.S. dollars" in html
    assert "69.4%" in html
    assert DEMO_LABEL in html


def test_every_figure_links_to_the_projects_it_counts(admin_client, demo):
    response = admin_client.get(f"{reverse('web:dashboard')}?event={DEMO_SLUG}")
    context = response.context
    assert context["links"]["all"] == f"/projects/?event={DEMO_SLUG}"
    assert ledger_count(admin_client, context["links"]["all"]) == 172
    assert (
        ledger_count(admin_client, context["links"]["sei"]) == context["summary"]["sei"]["projects"]
    )
    for key in ("sei_rows", "destination_rows", "origin_rows", "time_rows"):
        for row in context[key]:
            assert ledger_count(admin_client, row["url"]) == row["projects"], (key, row)
    harbin = next(r for r in context["destination_rows"] if r["code"] == "230100")
    assert harbin["url"] == f"/projects/?event={DEMO_SLUG}&destination=230100"
    assert harbin["url"].replace("&", "&amp;") in response.content.decode()


def test_dashboard_period_scope(admin_client):
    # A year after the demo's signings (2024-08-31 and 09-01), which the period leaves out.
    event = make_event(start=dt.date(2025, 8, 31))
    make_project(event=event, name="八月", signing_date=dt.date(2025, 8, 31), value="100000000")
    make_project(event=event, name="九月", signing_date=dt.date(2025, 9, 20), value="50000000")
    response = admin_client.get(
        f"{reverse('web:dashboard')}?signed_from=2025-09-01&signed_to=2025-09-30"
    )
    assert response.context["summary"]["projects"] == 1
    assert (
        response.context["links"]["all"] == "/projects/?signed_from=2025-09-01&signed_to=2025-09-30"
    )
    assert DEMO_LABEL not in response.content.decode()
    bad = admin_client.get(
        f"{reverse('web:dashboard')}?signed_from=2025-09-30&signed_to=2025-09-01"
    )
    assert bad.context["form"].errors and bad.context["summary"]["projects"] == 0


def test_event_page_has_both_bulletins_export_and_print_styles(admin_client, demo):
    response = admin_client.get(reverse("web:event_detail", args=[DEMO_SLUG]))
    html = response.content.decode()
    assert "本次活动共签约项目172个，签约总额2565.6亿元（约合360亿美元）" in html
    assert "The event facilitated the signing of 172 projects" in html
    assert "256.56 billion yuan" in html
    assert f"/projects/export.xlsx?event={DEMO_SLUG}" in html
    assert 'media="print"' in html and "web/print.css" in html
    assert DEMO_LABEL in html
    assert len(response.context["page_obj"].object_list) == 50
    assert response.context["page_obj"].paginator.num_pages == 4


def test_event_list_links_to_event_and_its_projects(admin_client, demo):
    html = admin_client.get(reverse("web:event_list")).content.decode()
    assert f"/events/{DEMO_SLUG}/" in hrefs(html)
    assert f"/projects/?event={DEMO_SLUG}" in hrefs(html)
    assert "2565.6亿元" in html and DEMO_LABEL in html


def test_unknown_event_is_404(admin_client):
    assert admin_client.get(reverse("web:event_detail", args=["nope"])).status_code == 404


def test_project_page_shows_stored_fields_extra_and_history(admin_client, admin_user):
    project = make_project(
        event=make_event(),
        name="石墨烯项目",
        value="50000000",
        value_text="伍仟万元",
        extra={"联系人": "张三", "备注2": "二期"},
        source_ref="list.xlsx!Sheet1!7",
    )
    update_project(actor=admin_user, project=project, notes="已开工", via="web")
    html = admin_client.get(reverse("web:project_detail", args=[project.pk])).content.decode()
    assert "伍仟万元" in html
    assert "联系人" in html and "张三" in html
    assert "list.xlsx!Sheet1!7" in html
    assert "已开工" in html
    history = admin_client.get(reverse("web:project_detail", args=[project.pk])).context["history"]
    assert [h["entry"].action for h in history] == ["update", "create"]
    assert history[0]["entry"].actor_label == "admin"
    assert history[0]["changes"] == [{"field": "notes", "before": "", "after": "已开工"}]


def test_organisation_and_region_pages_total_their_projects(admin_client):
    # Regions the demo has no projects in: 长春 and 吉林 receive, 四川 invests.
    event = make_event()
    investor = make_org("总计测试公司", "510100")
    make_project(event=event, name="甲", investor=investor, dest="220104", value="100000000")
    make_project(event=event, name="乙", investor=investor, dest="220204", value="200000000")
    other = make_org("总计测试另一公司", "510107")
    make_project(event=event, name="丙", investor=other, dest="220104", value="50000000")
    org = admin_client.get(reverse("web:organisation_detail", args=[investor.pk]))
    assert org.context["totals"]["projects"] == 2
    assert "3亿元" in org.content.decode()
    changchun = admin_client.get(reverse("web:region_detail", args=["220100"]))
    assert changchun.context["incoming"]["projects"] == 2
    assert "1.5亿元" in changchun.content.decode()
    assert changchun.context["incoming_url"] == "/projects/?destination=220100"
    sichuan = admin_client.get(reverse("web:region_detail", args=["510000"]))
    # The third project's investor is from 成都 (武侯区) as well.
    assert sichuan.context["outgoing"]["projects"] == 3
    assert admin_client.get(reverse("web:region_detail", args=["999999"])).status_code == 404


def test_missing_pages_get_the_translated_404_page(admin_client, settings):
    settings.DEBUG = False
    response = admin_client.get("/projects/999999/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_industry_table_is_sorted_by_value_with_empty_industries_folded(admin_client, demo):
    context = admin_client.get(reverse("web:event_detail", args=[DEMO_SLUG])).context
    rows = context["sei_rows"]
    named = [row for row in rows[:-2]]
    values = [float(row["value_cny"]) for row in named]
    assert values == sorted(values, reverse=True) and named[0]["name"] == "新一代信息技术产业"
    # SEI with the industry unspecified, then not SEI, stay last whatever their value.
    assert [row["url"].rsplit("sei=", 1)[1] for row in rows[-2:]] == ["unspecified", "none"]
    assert all(row["projects"] for row in rows)
    assert [row["name"] for row in context["sei_zero_rows"]] == ["相关服务业"]
    html = admin_client.get(reverse("web:event_detail", args=[DEMO_SLUG])).content.decode()
    assert "相关服务业" in html and 'class="row--folded"' in html
    english = admin_client.get(
        reverse("web:event_detail", args=[DEMO_SLUG]), HTTP_ACCEPT_LANGUAGE="en"
    ).context
    assert english["destination_rows"][0]["name"] == "Harbin"
