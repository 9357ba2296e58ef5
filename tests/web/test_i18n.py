"""The interface speaks Chinese and English: from the browser's language or the switch."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from investpromo.web.templatetags.investpromo_web import amount, percent, yuan
from tests.factories import make_event, make_project

pytestmark = pytest.mark.django_db


def test_browser_language_chooses_the_interface(admin_client):
    chinese = admin_client.get(
        reverse("web:project_list"), HTTP_ACCEPT_LANGUAGE="zh-CN"
    ).content.decode()
    english = admin_client.get(
        reverse("web:project_list"), HTTP_ACCEPT_LANGUAGE="en-GB"
    ).content.decode()
    assert "项目台账" in chinese and "Project ledger" not in chinese
    assert "Project ledger" in english and "项目台账" not in english
    assert '<html lang="zh-Hans">' in chinese and '<html lang="en">' in english


def test_the_switch_sets_the_language_for_later_pages(admin_client):
    response = admin_client.post(
        reverse("web:set_language"),
        {"language": "en", "next": reverse("web:event_list")},
        HTTP_ACCEPT_LANGUAGE="zh-CN",
    )
    assert response.status_code == 302 and response["Location"] == reverse("web:event_list")
    page = admin_client.get(
        reverse("web:event_list"), HTTP_ACCEPT_LANGUAGE="zh-CN"
    ).content.decode()
    assert "There are no events yet." in page


def test_the_switch_is_on_the_login_page(client):
    html = client.get(reverse("web:login")).content.decode()
    assert reverse("web:set_language") in html and 'value="en"' in html


def test_numbers_follow_the_language():
    with translation.override("zh-hans"):
        assert yuan(Decimal("256560000000")) == "2565.6亿元"
        assert amount(Decimal("35000000")) == "3,500.00"
    with translation.override("en"):
        assert yuan("256560000000.00") == "256.56 billion yuan"
        assert amount(Decimal("35000000")) == "35.00"
    assert percent(0.694) == "69.4%"
    assert yuan(None) == "—"


def test_ledger_values_are_shown_in_each_languages_unit(admin_client):
    make_project(event=make_event(), value="35000000")
    chinese = admin_client.get(
        reverse("web:project_list"), HTTP_ACCEPT_LANGUAGE="zh"
    ).content.decode()
    english = admin_client.get(
        reverse("web:project_list"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "3500万元" in chinese and "万元" in chinese
    assert "35 million yuan" in english


def _po_entries(path):
    """(msgid, msgstr) pairs of a .po file, multi-line strings joined; plural forms skipped.

    A message with a context (msgctxt) comes as "context\x04msgid", as gettext keys it.
    """
    import ast

    entries, key, parts = [], None, {}
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgctxt ", "msgid ", "msgstr ", "msgid_plural ", "msgstr[")):
            key, _, value = line.partition(" ")
            parts[key] = ast.literal_eval(value)
        elif line.startswith('"') and key:
            parts[key] += ast.literal_eval(line)
        elif not line.strip():
            if parts.get("msgid") and "msgid_plural" not in parts:
                msgid = parts["msgid"]
                if "msgctxt" in parts:
                    msgid = f"{parts['msgctxt']}\x04{msgid}"
                entries.append((msgid, parts.get("msgstr", "")))
            key, parts = None, {}
    return entries


def _translated(msgid: str) -> str:
    context, separator, text = msgid.partition("\x04")
    return translation.pgettext(context, text) if separator else translation.gettext(msgid)


def test_every_interface_string_is_translated_and_compiled():
    from pathlib import Path

    import investpromo

    po = Path(investpromo.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    entries = _po_entries(po)
    assert len(entries) > 200
    assert [msgid for msgid, msgstr in entries if not msgstr] == []
    # The committed .mo is what Django reads: it must say what the .po says.
    with translation.override("zh-hans"):
        stale = [m for m, s in entries if _translated(m) != s]
    assert stale == []


def test_regions_and_events_are_named_in_the_interface_language(admin_client):
    event = make_event(name="测试推介会", name_en="Test Promotion Fair", host="230600")
    project = make_project(event=event, dest="230109", origin="440300")
    pages = [
        reverse("web:project_list"),
        reverse("web:project_detail", args=[project.pk]),
        reverse("web:event_detail", args=[event.slug]),
        reverse("web:region_detail", args=["230100"]),
    ]
    for url in pages:
        english = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        chinese = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="zh").content.decode()
        assert "Songbei District" in english, url
        assert "松北区" in chinese and "Songbei District" not in chinese, url
    detail = admin_client.get(pages[1], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Songbei District, Harbin, Heilongjiang" in detail and "Shenzhen" in detail
    assert "Test Promotion Fair" in detail and "测试推介会" not in detail
    event_page = admin_client.get(pages[2], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Daqing, Heilongjiang" in event_page
