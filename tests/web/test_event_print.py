"""What the event page prints: its print version (?print=1) every project, or how many are
left out and where to get them; the screen version its page with a note saying so; the time
printed; the Word bulletin one click away."""

import re

import pytest
from django.urls import reverse

from investpromo.web.views import events
from tests.factories import make_event, make_org, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = make_event(slug="print-event")
    investor = make_org()
    for index in range(5):
        make_project(
            event=event, investor=investor, name=f"打印项目{index}", value=str(10**8 + index)
        )
    return event


def _printed_rows(html: str) -> list[str]:
    block = html.split("data-print-projects", 1)[1].split("</table>", 1)[0]
    return re.findall(r"<td>(打印项目\d)</td>", block)


def test_the_print_version_lists_every_project_largest_first(admin_client, event):
    url = reverse("web:event_detail", args=[event.slug])
    html = admin_client.get(url, {"print": "1"}).content.decode()
    assert _printed_rows(html) == [f"打印项目{index}" for index in (4, 3, 2, 1, 0)]
    assert "全部 5 个项目，按签约额从大到小排列。" in html
    assert "未打印" not in html
    # Hidden on screen (the print stylesheet shows it), with the time printed.
    assert re.search(r'class="printonly print-projects" hidden', html)
    assert re.search(r"data-printed-at[^>]*>\d{4}-\d{2}-\d{2} \d{2}:\d{2}<", html)
    bulletin = reverse("web:event_bulletin", args=[event.slug])
    assert f'href="{bulletin}?lang=zh&amp;as_of=' in html
    assert "data-print-on-load" in html


def test_the_screen_version_prints_its_page_and_says_where_the_rest_is(
    admin_client, event, monkeypatch
):
    monkeypatch.setattr(events, "PAGE_SIZE", 2)
    url = reverse("web:event_detail", args=[event.slug])
    html = admin_client.get(url).content.decode()
    assert "data-print-projects" not in html and "data-print-on-load" not in html
    assert "本打印件列出 5 个项目中的 2 个。" in html
    assert f"打印全部项目请打开 http://testserver{url}?print=1" in html
    assert f'href="{url}?print=1"' in html  # the Print button opens the print version


def test_a_long_event_prints_the_largest_and_says_where_the_rest_are(
    admin_client, event, monkeypatch
):
    monkeypatch.setattr(events, "PRINT_LIMIT", 3)
    html = admin_client.get(
        reverse("web:event_detail", args=[event.slug]), {"print": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert _printed_rows(html) == ["打印项目4", "打印项目3", "打印项目2"]
    assert "2 more projects, the smallest by value, are not printed here." in html
    export = f"http://testserver{reverse('web:project_export')}?event={event.slug}"
    assert f"Every project is in the Excel export: {export}" in html
