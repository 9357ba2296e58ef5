"""A new event in Debian's Chromium: the host region chosen with the picker, then the empty
event's page inviting the import. Screenshots go to test-artifacts/screenshots/."""

import pytest

from investpromo.events.models import Event
from tests.web.conftest import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_reference_data"),
]


@pytest.fixture
def page(browser, live_server):
    make_user("event-admin", superuser=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    tab.goto(f"{live_server.url}/accounts/login/")
    tab.fill("#id_username", "event-admin")
    tab.fill("#id_password", PASSWORD)
    tab.click("form.form button[type=submit]")
    tab.wait_for_url(f"{live_server.url}/")
    yield tab
    context.close()


def test_an_administrator_creates_an_event_with_the_host_region_picker(
    page, live_server, screenshot_dir
):
    from playwright.sync_api import expect

    page.click("nav.mainnav >> text=活动")
    page.click("text=新建活动")
    page.fill("#id_name", "2025中国·哈尔滨国际经济贸易洽谈会")
    page.fill("#id_name_en", "Harbin Trade Fair")
    page.fill("#id_start_date", "2025-05-17")
    page.fill("#id_end_date", "2025-05-21")
    page.fill("#id_host_region", "哈尔滨")
    option = page.locator(".picker__option[data-code='230100']")
    option.wait_for()
    page.screenshot(path=screenshot_dir / "events-01-new-event-picker-zh.png")
    page.keyboard.press("Enter")  # the first suggestion is the city itself
    expect(page.locator("#id_host_region")).to_have_value("230100")
    expect(page.locator(".picker__chosen")).to_have_text("黑龙江省哈尔滨市")
    page.click("form.form button[type=submit]")

    page.wait_for_url(f"{live_server.url}/events/harbin-trade-fair-2025/")
    expect(page.locator("[data-invite-import]")).to_contain_text("导入签约清单")
    page.screenshot(path=screenshot_dir / "events-02-empty-event-zh.png", full_page=True)
    event = Event.objects.get(slug="harbin-trade-fair-2025")
    assert event.host_region_id == "230100"
    page.click("[data-invite-import] >> text=导入签约清单")
    page.wait_for_url(f"{live_server.url}/imports/?event=harbin-trade-fair-2025")
