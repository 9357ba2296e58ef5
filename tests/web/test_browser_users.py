"""用户管理 in Debian's Chromium: an administrator adds an officer with the region picker, the
officer signs in with the one-time password, and is then deactivated. Screenshots go to
test-artifacts/screenshots/ for a person to look at."""

import re

import pytest

from tests.web.conftest import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_reference_data"),
]


@pytest.fixture
def site(live_server, settings):
    # Argon2 is slow on purpose; what is tested here is who may sign in, not the hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_user("chief-admin", superuser=True)
    return live_server.url


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
    yield context
    context.close()


def sign_in(page, site, username, password):
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{site}/")


def pick(page, field_id, typed, code):
    """Type into a region picker and choose the suggestion with this code."""
    page.fill(f"#{field_id}", typed)
    option = page.locator(f"#{field_id} ~ .picker__results [role=option][data-code='{code}']")
    option.wait_for()
    option.dispatch_event("mousedown")


def test_an_administrator_adds_an_officer_who_signs_in_and_is_deactivated(
    context, site, screenshot_dir
):
    from playwright.sync_api import expect

    page = context.new_page()
    page.set_default_timeout(20_000)
    refused = []
    # Every request of the page answered (the browser's own favicon.ico is no request of it),
    # and no script error.
    page.on(
        "response", lambda r: refused.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    page.on("pageerror", lambda error: refused.append(str(error)))
    sign_in(page, site, "chief-admin", PASSWORD)
    page.click("nav.mainnav >> text=用户管理")
    expect(page.locator("h1")).to_have_text("用户管理")
    page.click("text=添加用户")

    page.fill("#id_username", "mdj-officer")
    page.check("input[name=role][value=officer]")
    # By name, then by code: each choice becomes a chip; the box keeps the codes.
    page.fill("#id_regions", "牡丹江")
    page.locator(".picker__option[data-code='231000']").wait_for()
    page.screenshot(path=screenshot_dir / "users-01-region-picker-zh.png")
    pick(page, "id_regions", "牡丹江", "231000")
    pick(page, "id_regions", "230600", "230600")
    chips = page.locator(".picker__chip")
    expect(chips).to_have_count(2)
    expect(chips.first).to_contain_text("黑龙江省牡丹江市")
    assert page.input_value("#id_regions-codes") == "231000 230600"
    # A chip removed is a code removed; chosen again, it comes back once.
    page.click(".picker__chip[data-code='230600'] .picker__remove")
    pick(page, "id_regions", "大庆", "230600")
    pick(page, "id_regions", "大庆", "230600")
    expect(chips).to_have_count(2)
    page.fill("#id_email", "mdj@example.org")
    page.screenshot(path=screenshot_dir / "users-02-new-officer-zh.png", full_page=True)
    page.click("form.form button[type=submit]")

    expect(page.locator("h1")).to_have_text("用户已创建")
    password = page.locator("[data-one-time-password]").inner_text().strip()
    assert re.fullmatch(r"[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}", password)
    page.screenshot(path=screenshot_dir / "users-03-one-time-password-zh.png", full_page=True)
    page.click("text=完成")
    row = page.locator("tr", has_text="mdj-officer")
    expect(row).to_contain_text("招商专员")
    expect(row).to_contain_text("牡丹江市")
    expect(row).to_contain_text("大庆市")
    expect(row).to_contain_text("从未登录")
    page.screenshot(path=screenshot_dir / "users-04-list-zh.png", full_page=True)

    # The officer signs in with it, in another browser session, and must choose a password.
    officer = context.browser.new_context(locale="zh-CN").new_page()
    officer.goto(f"{site}/accounts/login/")
    officer.fill("#id_username", "mdj-officer")
    officer.fill("#id_password", password)
    officer.click("form.form button[type=submit]")
    officer.wait_for_url(f"{site}/accounts/password/")
    expect(officer.locator("[data-password-required]")).to_be_visible()
    officer.goto(f"{site}/projects/")
    officer.wait_for_url(f"{site}/accounts/password/")
    officer.fill("#id_old_password", password)
    officer.fill("#id_new_password", "mudanjiang-own-phrase")
    officer.fill("#id_new_password_again", "mudanjiang-own-phrase")
    officer.screenshot(path=screenshot_dir / "users-05-first-sign-in-zh.png", full_page=True)
    officer.click("form.form button[type=submit]")
    officer.wait_for_url(f"{site}/")
    expect(officer.locator(".messages")).to_contain_text("密码已修改")
    expect(officer.locator(".userbox")).to_contain_text("招商专员")
    officer.context.close()

    page.reload()
    expect(page.locator("tr", has_text="mdj-officer")).not_to_contain_text("从未登录")
    page.click("text=mdj-officer")
    page.click("button:has-text('停用')")
    expect(page.locator(".messages")).to_contain_text("mdj-officer 已不能登录")
    page.goto(f"{site}/users/")
    expect(page.locator("tr", has_text="mdj-officer")).to_contain_text("已停用")
    assert refused == []
