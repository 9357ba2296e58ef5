"""The Word bulletin: its text, headline figures and tables are the JSON report's figures."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document

from investpromo.reports.bulletin import bulletin
from investpromo.reports.docx import bulletin_docx, event_bulletin_docx
from investpromo.reports.selectors import event_summary
from tests.factories import make_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_database")]
AS_OF = dt.date(2025, 6, 30)


def _tables(document) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def _figures(table) -> dict[str, str]:
    return {row[0]: row[1] for row in table[1:]}


def test_the_chinese_bulletin_carries_the_reports_figures(demo_event):
    summary = event_summary(demo_event, as_of=AS_OF)
    document = Document(io.BytesIO(event_bulletin_docx(demo_event, as_of=AS_OF, lang="zh")))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert bulletin(summary, lang="zh") in text
    assert "共签约项目172个，签约总额2565.6亿元" in text and "占比69.4%" in text
    headline, industries, destinations, origins, rates, stages = _tables(document)
    assert _figures(headline)["签约项目"] == "172" == str(summary["projects"])
    assert _figures(headline)["签约总额"] == "2565.6亿元"
    assert _figures(headline)["战略性新兴产业签约额占比"] == "69.4%"
    # Every destination of the report, in its order, with its count and value in 亿元.
    assert [(row[1], row[2]) for row in destinations[1:]] == [
        (str(row["projects"]), f"{Decimal(row['value_cny']) / Decimal('1e8'):,.2f}")
        for row in summary["by_destination"]
    ]
    assert sum(int(row[1]) for row in origins[1:]) == 172
    assert sum(int(row[1]) for row in industries[1:]) == summary["sei"]["projects"] == 112
    ft = summary["followthrough"]
    assert ft["as_of"] == "2025-06-30" and "截至2025年6月30日" in text
    start = ft["start_rate"]
    assert (
        f"{Decimal(start['numerator']) / Decimal(start['denominator']) * 100:.1f}%"
        in (_figures(rates)["开工率（已开工及以后阶段）"])
    )
    assert sum(int(row[1]) for row in stages[1:]) == 172


def test_the_english_bulletin_uses_english_names_and_units(demo_event):
    document = Document(io.BytesIO(event_bulletin_docx(demo_event, as_of=AS_OF, lang="en")))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "172 projects, with a total contract value of 256.56 billion yuan" in text
    assert "69.4 percent" in text and "As of June 30, 2025" in text
    headline, _industries, destinations, *_ = _tables(document)
    assert _figures(headline)["Total contract value"] == "256.56 billion yuan"
    assert destinations[0][2] == "Value (billion yuan)"
    assert destinations[1][0] == "Harbin"
    assert not any("哈尔滨" in row[0] for row in destinations)


def test_an_event_without_projects_gives_a_short_document():
    event = make_event(slug="empty-bulletin")
    summary = event_summary(event, as_of=AS_OF)
    document = Document(io.BytesIO(bulletin_docx(summary, lang="zh")))
    assert "本次活动尚无签约项目记录。" in [p.text for p in document.paragraphs]
    assert _figures(_tables(document)[0])["签约项目"] == "0"


def test_the_web_and_the_command_give_the_same_document(demo_event, admin_client, tmp_path):
    url = reverse("web:event_bulletin", args=[demo_event.slug])
    response = admin_client.get(url, {"lang": "en", "as_of": "2025-06-30"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "bulletin-en-20250630.docx" in response["Content-Disposition"]
    path = tmp_path / "bulletin.docx"
    call_command(
        "report", "--event", demo_event.slug, "--format", "docx", "--lang", "en",
        "--as-of", "2025-06-30", "--out", str(path), stdout=io.StringIO(),
    )  # fmt: skip
    from_web, from_cli = (Document(io.BytesIO(response.content)), Document(path))
    assert _tables(from_web) == _tables(from_cli)
    assert [p.text for p in from_web.paragraphs] == [p.text for p in from_cli.paragraphs]
    assert admin_client.get(url, {"lang": "fr"}).status_code == 400


def test_the_command_refuses_a_docx_without_a_docx_file(demo_event, tmp_path):
    with pytest.raises(CommandError, match="--out"):
        call_command("report", "--event", demo_event.slug, "--format", "docx")
    with pytest.raises(CommandError, match=r"\.docx"):
        call_command(
            "report", "--event", demo_event.slug, "--format", "docx", "--out",
            str(tmp_path / "b.txt"),
        )  # fmt: skip
    assert not (tmp_path / "b.txt").exists()
