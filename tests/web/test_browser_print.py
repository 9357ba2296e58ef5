"""Printing the event page (A4 portrait) through Chromium: every project on paper, each chart
inside its box, page numbers and the time printed in the margins.

The PDF is Chromium's own (Playwright's page.pdf, as "Save as PDF" makes it); its text is read
back with pypdf. The first page is kept as a PNG beside the other screenshots.
"""

import io
import re
import unicodedata

import pytest

from investpromo.core.audit import system_user
from investpromo.demo.loader import DEMO_SLUG, load_demo
from investpromo.projects.models import Project
from tests.web.conftest import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_reference_data"),
]
_SPACE = re.compile(r"\s+")
PRINT_LABEL = {"zh-CN": "打印报告", "en-US": "Print report"}
# Chromium's PDF maps some glyphs to the Kangxi radicals (⽬ for 目), which NFKC turns back into
# ideographs, and a few to CJK radical supplements (⻰ for 龙), which have no such mapping.
_RADICAL_SUPPLEMENT = "[\u2e80-\u2eff]"


def _readable(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def _pattern(name: str) -> str:
    """NAME as printed: each character itself, or a radical-supplement glyph in its place."""
    return "".join(f"(?:{re.escape(c)}|{_RADICAL_SUPPLEMENT})" for c in _readable(name))


@pytest.fixture
def site(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo(actor=system_user())
    make_user("printer", superuser=True)
    return live_server.url


def _signed_in_page(browser, site, locale):
    context = browser.new_context(locale=locale, viewport={"width": 1360, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", "printer")
    page.fill("#id_password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{site}/")
    return context, page


def _charts_outside_their_boxes(page) -> list[str]:
    """Charts whose drawing reaches past their box, or whose box reaches past the page."""
    return page.evaluate(
        """() => {
          const wrong = [];
          const pageWidth = document.documentElement.clientWidth;
          document.querySelectorAll("[data-chart]").forEach((box) => {
            const outer = box.getBoundingClientRect();
            const panel = (box.closest(".panel") || box.parentElement).getBoundingClientRect();
            if (outer.width < 50 || outer.height < 50) { wrong.push(box.dataset.chart + ": no size"); }
            if (outer.left < panel.left - 1 || outer.right > panel.right + 1 ||
                outer.right > pageWidth + 1) { wrong.push(box.dataset.chart + ": box"); }
            box.querySelectorAll("svg, canvas").forEach((drawing) => {
              const inner = drawing.getBoundingClientRect();
              if (inner.width < outer.width * 0.9 || inner.height < 100) {
                wrong.push(box.dataset.chart + ": drawn " + inner.width + "x" + inner.height +
                           " in a box of " + outer.width + "x" + outer.height);
              }
              if (inner.left < outer.left - 1 || inner.right > outer.right + 1 ||
                  inner.top < outer.top - 1 || inner.bottom > outer.bottom + 1) {
                wrong.push(box.dataset.chart + ": drawing " + inner.width + "x" + inner.height +
                           " in " + outer.width + "x" + outer.height);
              }
            });
          });
          return wrong;
        }"""
    )


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_printed_event_page_lists_every_project_and_fits_the_paper(
    browser, site, screenshot_dir, locale
):
    from pypdf import PdfReader

    context, page = _signed_in_page(browser, site, locale)
    try:
        # The Print button opens the print version, which opens the print dialog itself: here
        # the dialog is replaced by a note that it was asked for, and page.pdf prints.
        page.add_init_script("window.print = () => { window.printAsked = true; };")
        page.goto(f"{site}/events/{DEMO_SLUG}/")
        page.locator(".pagehead__actions a", has_text=PRINT_LABEL[locale]).click()
        page.wait_for_url(re.compile(r"[?&]print=1"))
        page.wait_for_selector("html[data-charts-ready='5']")
        page.wait_for_function("window.printAsked === true")
        page.emulate_media(media="print")
        # A4 portrait at 96 px per inch, less the margins: the width the charts must fit.
        page.set_viewport_size({"width": 703, "height": 1000})
        page.wait_for_timeout(300)
        assert _charts_outside_their_boxes(page) == []
        rows = page.locator("[data-print-projects] tbody tr")
        assert rows.count() == 172
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        name = "p1-event-print-zh" if locale == "zh-CN" else "p2-event-print-en"
        (screenshot_dir / f"{name}.pdf").write_bytes(pdf)
        page.screenshot(path=screenshot_dir / f"{name}.png", full_page=True)
        # The top of the report and its charts, at the paper's width, for a look by eye.
        page.screenshot(
            path=screenshot_dir / f"{name}-top.png",
            full_page=True,
            clip={"x": 0, "y": 0, "width": 703, "height": 2600},
        )
    finally:
        context.close()

    reader = PdfReader(io.BytesIO(pdf))
    pages = [page_.extract_text() or "" for page_ in reader.pages]
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points
    text = _readable("".join(pages))
    missing = [
        name
        for name in Project.objects.filter(event__slug=DEMO_SLUG).values_list("name", flat=True)
        if not re.search(_pattern(name), text)
    ]
    assert missing == []
    # Page numbers "n / total" on every page, the time printed in the margin.
    total = len(pages)
    assert total >= 4
    for number, page_text in enumerate(pages, start=1):
        assert re.search(rf"(?<!\d){number}\s*/\s*{total}(?!\d)", page_text), page_text[:200]
    label = "打印时间" if locale == "zh-CN" else "Printed"
    stamp = rf"{label}:\s*\d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}}"
    assert all(re.search(stamp, page_text) for page_text in pages)
