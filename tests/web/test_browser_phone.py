"""The ledger and the overdue list on a phone (390 px): readable cards, no page kilometres long."""

import pytest

from investpromo.core.audit import system_user
from investpromo.demo.loader import load_demo
from tests.web.conftest import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_reference_data"),
]


@pytest.fixture
def phone(browser, live_server):
    load_demo(actor=system_user())
    make_user("phone-admin", superuser=True)
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    tab.goto(f"{live_server.url}/accounts/login/")
    tab.fill("#id_username", "phone-admin")
    tab.fill("#id_password", PASSWORD)
    tab.click("form.form button[type=submit]")
    tab.wait_for_url(f"{live_server.url}/")
    yield tab, live_server.url
    context.close()


def _layout(page) -> dict:
    return page.evaluate(
        """() => {
          const names = [...document.querySelectorAll('td.cell--name')];
          return {
            height: document.documentElement.scrollHeight,
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            // A name squeezed to one character per line is taller than it is wide.
            narrowest: Math.min(...names.map(n => n.getBoundingClientRect().width)),
            cards: names.length,
            filtersOpen: !!document.querySelector('details[data-filters][open]'),
          };
        }"""
    )


def test_ledger_and_overdue_list_on_a_phone(phone, screenshot_dir):
    page, site = phone
    page.goto(f"{site}/projects/?event=hlj-industry-transfer-2024")
    ledger = _layout(page)
    page.screenshot(path=screenshot_dir / "40-ledger-phone-zh.png", full_page=False)
    assert ledger["cards"] == 50 and ledger["narrowest"] > 250, ledger
    assert ledger["overflow"] <= 1 and not ledger["filtersOpen"], ledger
    # Fifty projects as cards: a long page, but nowhere near the 41,000 px of one-character
    # columns.
    assert ledger["height"] < 25_000, ledger

    page.goto(f"{site}/followup/overdue/?region=大庆")
    overdue = _layout(page)
    page.screenshot(path=screenshot_dir / "41-overdue-phone-zh.png", full_page=False)
    assert overdue["cards"] > 0 and overdue["narrowest"] > 250, overdue
    assert overdue["overflow"] <= 1, overdue
