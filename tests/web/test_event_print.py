"""What the event page prints besides the screen's view: every project, or how many are left
out and where to get them; the time printed; the Word bulletin one click away."""

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


def test_the_print_lists_every_project_largest_first(admin_client, event):
    html = admin_client.get(reverse("web:event_detail", args=[event.slug])).content.decode()
    assert _printed_rows(html) == [f"打印项目{index}" for index in (4, 3, 2, 1, 0)]
    assert "全部 5 个项目，按签约额从大到小排列。" in html
    assert "未打印" not in html
    # Hidden on screen (the print stylesheet shows it), with the time printed.
    assert re.search(r'class="printonly print-projects" hidden', html)
    assert re.search(r"data-printed-at[^>]*>\d{4}-\d{2}-\d{2} \d{2}:\d{2}<", html)
    bulletin = reverse("web:event_bulletin", args=[event.slug])
    assert f'href="{bulletin}?lang=zh&amp;as_of=' in html


def test_a_long_event_prints_the_largest_and_says_where_the_rest_are(
    admin_client, event, monkeypatch
):
    monkeypatch.setattr(events, "PRINT_LIMIT", 3)
    html = admin_client.get(
        reverse("web:event_detail", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert _printed_rows(html) == ["打印项目4", "打印项目3", "打印项目2"]
    assert "2 more projects, the smallest by value, are not printed here." in html
    export = f"http://testserver{reverse('web:project_export')}?event={event.slug}"
    assert f"Every project is in the Excel export: {export}" in html
