"""#12.11 in Chromium: under the Content-Security-Policy the pages still work and break no rule.

The policy is only as good as the pages that live with it: a blocked script or stylesheet shows
up as a console error, and a page missing its charts or its documentation.
"""

import datetime as dt

import pytest

from investpromo.core.audit import system_user
from investpromo.followup.services import record_progress
from tests.factories import make_event, make_project
from tests.web.conftest import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_reference_data"),
]


@pytest.fixture
def site(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    event = make_event()
    project = make_project(event=event)
    record_progress(
        actor=system_user(),
        project=project,
        stage="registered",
        date=dt.date(2024, 9, 10),
        no_evidence_reason="测试",
    )
    make_user("csp-admin", superuser=True)
    return live_server.url


def test_security_headers_break_no_page_in_chromium(browser, site, screenshot_dir):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", "csp-admin")
    page.fill("#id_password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{site}/")
    # The charts script ran (it marks the page when they are drawn) and the stylesheet applied.
    page.wait_for_selector("html[data-charts-ready]")
    assert page.evaluate("getComputedStyle(document.querySelector('.topbar')).display") != "inline"
    page.locator("#by-destination canvas, #by-destination svg").first.hover()
    page.goto(f"{site}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock")
    page.screenshot(path=screenshot_dir / "csp-api-docs.png")
    page.goto(f"{site}/api/redoc/")
    page.wait_for_selector("[role=search], .menu-content")
    page.screenshot(path=screenshot_dir / "csp-api-redoc.png")
    page.goto(f"{site}/admin/projects/project/")
    page.wait_for_selector("#result_list")
    context.close()
    # ReDoc's menu shows Redocly's logo from their CDN; it hides the image when it cannot load.
    assert [text for text in refused if "cdn.redoc.ly/redoc/logo-mini.svg" not in text] == []
