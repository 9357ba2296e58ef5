"""The web application in Debian's Chromium: what a promotion officer actually does, with screenshots.

Screenshots go to test-artifacts/screenshots/ for a person to look at.
"""

import datetime as dt
import re

import pytest
from openpyxl import Workbook

from investpromo.core.audit import system_user
from investpromo.demo.loader import DEMO_SLUG, load_demo
from investpromo.projects.models import Project
from tests.web.conftest import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    # live_server: the browser's requests are served by another thread, which must see
    # committed data; the import itself runs in a third thread, as in production.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_reference_data"),
]

DEMO_LABEL = "示例数据 / example data"


def signing_list(path):
    """A small signing list as an officer would fill it in: two projects for 大庆 and 牡丹江."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "签约项目"
    sheet.append(
        ["序号", "项目名称", "投资方", "项目落地地", "签约金额（万元）", "签约日期", "联系人"]
    )
    sheet.append(
        [
            1,
            "浏览器测试储能项目",
            "深圳浏览器储能有限公司",
            "大庆市萨尔图区",
            5000,
            dt.date(2024, 9, 1),
            "赵工",
        ]
    )
    sheet.append(
        [
            2,
            "浏览器测试文旅项目",
            "宁波浏览器文旅有限公司",
            "牡丹江市",
            3000,
            dt.date(2024, 9, 1),
            "钱工",
        ]
    )
    workbook.save(path)
    return path


@pytest.fixture
def site(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo(actor=system_user())
    make_user("officer-admin", superuser=True)
    return live_server.url


@pytest.fixture
def page(browser, site):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    context.close()


def sign_in(page, site):
    page.goto(f"{site}/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "officer-admin")
    page.fill("#id_password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{site}/")


def charts_drawn(page, count=5):
    # Four breakdowns and the follow-through funnel.
    page.wait_for_selector(f"html[data-charts-ready='{count}']")


def test_officer_day(page, site, screenshot_dir, tmp_path):
    from playwright.sync_api import expect

    page.goto(f"{site}/accounts/login/")
    expect(page.locator("h1")).to_have_text("登录")
    page.screenshot(path=screenshot_dir / "01-login-zh.png")
    sign_in(page, site)

    # The dashboard shows the demo's published figures, labelled as example data.
    charts_drawn(page)
    expect(page.locator("h1")).to_have_text("总览")
    expect(page.locator("[data-figure=projects] .card__value")).to_have_text("172")
    expect(page.locator("[data-figure=value] .card__value")).to_have_text("2565.6亿元")
    expect(page.locator("[data-figure=sei-value] .card__value")).to_have_text("69.4%")
    expect(page.locator(".lede .badge--demo")).to_have_text(DEMO_LABEL)
    assert page.locator("#by-destination svg").count() == 1
    page.screenshot(path=screenshot_dir / "02-dashboard-zh.png", full_page=True)

    # A figure leads to the projects it counts: 哈尔滨市's row opens the filtered ledger.
    harbin_row = page.locator("#by-destination tbody tr", has_text="哈尔滨市")
    harbin_count = harbin_row.locator("td.num a").inner_text()
    harbin_row.locator("th a").click()
    page.wait_for_url(re.compile(r"/projects/\?destination=230100"))
    expect(page.locator("[data-totals]")).to_contain_text(f"{harbin_count} 个项目")
    page.screenshot(path=screenshot_dir / "03-ledger-harbin-zh.png", full_page=True)

    # Filter the ledger by hand: projects in 大庆 in a strategic emerging industry, largest first.
    page.goto(f"{site}/projects/")
    # The filters are folded to a line until opened.
    expect(page.locator("#id_destination")).to_be_hidden()
    page.click("details[data-filters] > summary")
    page.fill("#id_destination", "大庆")
    page.select_option("#id_sei", "any")
    page.select_option("#id_sort", "-value")
    page.click(".filters__actions button[type=submit]")
    page.wait_for_url(re.compile(r"destination=%E5%A4%A7%E5%BA%86"))
    daqing = Project.objects.filter(destination_region__code__startswith="2306").exclude(
        sei_status="not_sei"
    )
    expect(page.locator("[data-totals]")).to_contain_text(f"{daqing.count()} 个项目")
    first = page.locator("table.table--ledger tbody tr").first
    expect(first.locator("td").first).to_contain_text(daqing.order_by("-value_cny")[0].name)
    # Folded again after the search, the line names what is in force.
    expect(page.locator("details[data-filters] > summary")).to_contain_text("大庆")
    page.screenshot(path=screenshot_dir / "04-ledger-filtered-zh.png", full_page=True)

    # Upload a signing list: preview first (nothing written), then confirm.
    page.goto(f"{site}/imports/")
    page.select_option("#id_event", DEMO_SLUG)
    page.set_input_files("#id_file", str(signing_list(tmp_path / "签约清单.xlsx")))
    page.click("form[data-upload] button[type=submit]")
    page.wait_for_selector("[data-report-status=dry_run]")
    expect(page.locator("[data-count=created]")).to_have_text("2")
    expect(page.locator("[data-total=added]")).to_contain_text("8000万元")
    assert Project.objects.count() == 172
    page.screenshot(path=screenshot_dir / "05-import-preview-zh.png", full_page=True)
    page.click("form[data-confirm] button[type=submit]")
    page.wait_for_selector("[data-report-status=written]")
    expect(page.locator("[data-count=created]")).to_have_text("2")
    assert Project.objects.count() == 174
    page.screenshot(path=screenshot_dir / "06-import-written-zh.png", full_page=True)
    # An imported project's history names the import (one audit row for the whole file).
    imported = Project.objects.exclude(created_by_import=None).get(name="浏览器测试储能项目")
    tab = page.context.new_page()
    tab.goto(f"{site}/projects/{imported.pk}/")
    expect(tab.locator(".history__item--import")).to_contain_text("由导入创建")
    expect(tab.locator(".history__item--import")).to_contain_text("签约清单.xlsx")
    tab.screenshot(path=screenshot_dir / "06b-imported-project-zh.png", full_page=True)
    tab.close()

    # The event's page shows the new totals: 2565.6亿元 + 8000万元.
    page.click("text=查看活动的最新合计")
    charts_drawn(page)
    expect(page.locator("[data-figure=projects] .card__value")).to_have_text("174")
    expect(page.locator("[data-figure=value] .card__value")).to_have_text("2566.4亿元")
    expect(page.locator(".bulletin[data-lang=zh]")).to_contain_text("共签约项目174个")
    page.screenshot(path=screenshot_dir / "07-event-zh.png", full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=screenshot_dir / "08-event-print.png", full_page=True)
    page.emulate_media(media="screen")

    # Switch the interface to English: the same figures, in billions.
    page.goto(f"{site}/")
    page.click("button.langswitch__btn[value=en]")
    page.wait_for_load_state()
    charts_drawn(page)
    expect(page.locator("h1")).to_have_text("Dashboard")
    expect(page.locator("[data-figure=projects] .card__value")).to_have_text("174")
    expect(page.locator("[data-figure=value] .card__value")).to_have_text("256.64 billion yuan")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.screenshot(path=screenshot_dir / "09-dashboard-en.png", full_page=True)


def test_demo_figures_in_english_from_the_browser_language(browser, site, screenshot_dir):
    from playwright.sync_api import expect

    context = browser.new_context(locale="en-GB", viewport={"width": 1360, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(f"{site}/accounts/login/")
        expect(page.locator("h1")).to_have_text("Sign in")
        page.fill("#id_username", "officer-admin")
        page.fill("#id_password", PASSWORD)
        page.click("form.form button[type=submit]")
        page.wait_for_url(f"{site}/")
        charts_drawn(page)
        expect(page.locator("[data-figure=projects] .card__value")).to_have_text("172")
        expect(page.locator("[data-figure=value] .card__value")).to_have_text("256.56 billion yuan")
        expect(page.locator("[data-figure=sei-value] .card__value")).to_have_text("69.4%")
        page.goto(f"{site}/events/{DEMO_SLUG}/")
        charts_drawn(page)
        expect(page.locator(".bulletin[data-lang=en]")).to_contain_text("256.56 billion yuan")
        page.screenshot(path=screenshot_dir / "10-event-en.png", full_page=True)
    finally:
        context.close()


def test_import_errors_and_editing_a_project(page, site, screenshot_dir, tmp_path):
    from playwright.sync_api import expect

    sign_in(page, site)
    path = signing_list(tmp_path / "有错误的清单.xlsx")
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    workbook.active.append([3, "错误示例项目", "某公司", "火星", "abc", None, None])
    workbook.save(path)
    page.goto(f"{site}/imports/")
    page.set_input_files("#id_file", str(path))
    page.click("form[data-upload] button[type=submit]")
    page.wait_for_selector("[data-report-status=invalid]")
    expect(page.locator(".problems tr.issue--error").first).to_contain_text("火星")
    expect(page.locator("[data-count=rejected]")).to_have_text("1")
    page.screenshot(path=screenshot_dir / "11-import-errors-zh.png", full_page=True)
    assert Project.objects.count() == 172

    # Edit a project through its form; the history names the user and the web.
    project = Project.objects.filter(destination_region__code__startswith="2306").first()
    page.goto(f"{site}/projects/{project.pk}/")
    page.click("text=编辑")
    page.fill("#id_name", "大庆示例项目（已核对）")
    page.fill("#id_notes", "浏览器测试修改")
    page.screenshot(path=screenshot_dir / "12-project-edit-zh.png", full_page=True)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{site}/projects/{project.pk}/")
    expect(page.locator("h1")).to_have_text("大庆示例项目(已核对)")
    history = page.locator(".history__item").first
    expect(history).to_contain_text("officer-admin")
    expect(history).to_contain_text("web")
    page.screenshot(path=screenshot_dir / "13-project-detail-zh.png", full_page=True)


def test_followthrough_funnel_and_as_of_date(page, site, screenshot_dir):
    """The event page's follow-through: the rates and the funnel, then the same an earlier day."""
    from playwright.sync_api import expect

    from investpromo.followup.selectors import followthrough
    from investpromo.reports.bulletin import percent

    event_projects = Project.objects.filter(event__slug=DEMO_SLUG)
    today = followthrough(event_projects, dt.date.today())
    earlier = followthrough(event_projects, dt.date(2024, 12, 31))
    assert today["start_rate"]["numerator"] != earlier["start_rate"]["numerator"]

    sign_in(page, site)
    page.goto(f"{site}/events/{DEMO_SLUG}/")
    charts_drawn(page)
    section = page.locator("#followthrough")
    start = section.locator("[data-rate=start_rate]")
    expect(start.locator("[data-rate-value]")).to_have_text(
        f"{percent(today['start_rate']['rate'])}%"
    )
    expect(start.locator("[data-rate-parts]")).to_contain_text(
        f"172 个项目中 {today['start_rate']['numerator']} 个已开工"
    )
    # The funnel is drawn (ECharts' SVG) with a shape per stage, signed at the top.
    assert section.locator("[data-chart=funnel] svg").count() == 1
    expect(section.locator("[data-funnel=signed] td.num").first).to_have_text("172")
    section.scroll_into_view_if_needed()
    section.screenshot(path=screenshot_dir / "14-event-followthrough-zh.png")

    # Pick an earlier as-of date: the rates, the funnel and the bulletin follow it.
    page.fill("#id_as_of", "2024-12-31")
    page.click("form[data-asof] button[type=submit]")
    page.wait_for_url(re.compile(r"as_of=2024-12-31"))
    charts_drawn(page)
    expect(section).to_have_attribute("data-as-of", "2024-12-31")
    expect(start.locator("[data-rate-value]")).to_have_text(
        f"{percent(earlier['start_rate']['rate'])}%"
    )
    expect(page.locator(".bulletin[data-lang=zh]")).to_contain_text("截至2024年12月31日")
    section.screenshot(path=screenshot_dir / "15-event-followthrough-2024-zh.png")

    # A funnel figure opens the ledger filtered to those projects on that date.
    started_row = section.locator("[data-funnel=started]")
    count = started_row.locator("td.num a").inner_text()
    started_row.locator("th a").click()
    page.wait_for_url(re.compile(r"stage=from_started"))
    expect(page.locator("[data-totals]")).to_contain_text(f"{count} 个项目")

    # Freeze the figures as of that day: the snapshot page shows them, and what changed since.
    page.goto(f"{site}/events/{DEMO_SLUG}/?as_of=2024-12-31")
    page.fill("#id_snapshot-label", "2024年12月月报")
    page.click("form[data-snapshot-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/followup/snapshots/\d+/$"))
    charts_drawn(page, count=1)
    expect(page.locator("h1")).to_have_text("2024年12月月报")
    expect(page.locator("[data-rate=start_rate] [data-rate-value]")).to_have_text(
        f"{percent(earlier['start_rate']['rate'])}%"
    )
    expect(page.locator("[data-diff=moved] li").first).to_be_visible()
    page.screenshot(path=screenshot_dir / "20-snapshot-zh.png", full_page=True)

    # The same section in English.
    page.goto(f"{site}/events/{DEMO_SLUG}/?as_of=2024-12-31")
    page.click("button.langswitch__btn[value=en]")
    page.wait_for_load_state()
    charts_drawn(page)
    expect(section.locator("[data-rate=start_rate] .card__label")).to_have_text("Start rate")
    section.screenshot(path=screenshot_dir / "16-event-followthrough-en.png")
    page.click("button.langswitch__btn[value=zh-hans]")
    page.wait_for_load_state()

    # A project's timeline and the form to record a step; the overdue page.
    project = (
        Project.objects.filter(event__slug=DEMO_SLUG, progress_steps__stage="in_production")
        .order_by("id")
        .first()
    )
    page.goto(f"{site}/projects/{project.pk}/")
    page.click(".stepform summary")
    page.locator("#progress").screenshot(path=screenshot_dir / "17-project-progress-zh.png")
    page.goto(f"{site}/followup/overdue/?region=大庆")
    page.screenshot(path=screenshot_dir / "18-overdue-zh.png", full_page=False)
    page.goto(f"{site}/")
    charts_drawn(page)
    page.locator("#followthrough").screenshot(
        path=screenshot_dir / "19-dashboard-followthrough-zh.png"
    )
