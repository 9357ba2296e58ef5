"""The bulletin as a Word document officials paste into their reports.

The text is the bulletin's (reports.bulletin), the figures those of the JSON report
(reports.selectors.event_summary): the same summary, rendered a third way. One function serves
`investpromo report --format docx` and /events/<slug>/bulletin.docx.
"""

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from investpromo.followup.models import Stage
from investpromo.geo.models import Region
from investpromo.reports.bulletin import bulletin, percent, percent_of, yuan_en, yuan_zh
from investpromo.reports.selectors import event_summary

YI = Decimal("100000000")
BILLION = Decimal("1000000000")
# Fonts Word finds on Chinese and Western systems alike.
_EAST_ASIAN_FONT = "SimSun"
_LATIN_FONT = "Times New Roman"


def event_bulletin_docx(event, *, as_of: dt.date | None = None, lang: str = "zh") -> bytes:
    """The event's bulletin, headline figures, breakdowns and follow-through as .docx bytes."""
    summary = event_summary(event, as_of=as_of)
    return bulletin_docx(summary, lang=lang)


def _amount(value, lang: str) -> str:
    """A value in 亿元 (zh) or billion yuan (en), two decimals: the unit the tables state."""
    divisor = YI if lang == "zh" else BILLION
    return f"{Decimal(value) / divisor:,.2f}"


def _region_names_en(codes) -> dict[str, str]:
    return dict(
        Region.objects.filter(code__in=[code for code in codes if code])
        .exclude(name_en="")
        .values_list("code", "name_en")
    )


def bulletin_docx(summary: dict, *, lang: str) -> bytes:
    """A summary (reports.selectors.event_summary) as a Word document in Chinese or English."""
    if lang not in ("zh", "en"):
        raise ValueError(f"unknown language {lang!r}")
    with translation.override("zh-hans" if lang == "zh" else "en"):
        document = _document()
        _write(document, summary, lang)
        stream = io.BytesIO()
        document.save(stream)
        return stream.getvalue()


def _document():
    document = Document()
    style = document.styles["Normal"]
    style.font.name = _LATIN_FONT
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), _EAST_ASIAN_FONT)
    return document


def _write(document, summary: dict, lang: str) -> None:
    event = summary["event"]
    name = event["name_en"] if lang == "en" and event.get("name_en") else event["name"]
    document.core_properties.title = f"{name} {_('bulletin')}"
    document.core_properties.author = "InvestPromo"
    heading = document.add_heading(name, level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ft = summary.get("followthrough")
    dates = _("Event dates: %(start)s to %(end)s") % {
        "start": event["start_date"],
        "end": event["end_date"],
    }
    if ft:
        dates += " · " + _("Follow-through as of %(date)s") % {"date": ft["as_of"]}
    document.add_paragraph(dates).alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_heading(_("Bulletin"), level=2)
    document.add_paragraph(bulletin(summary, lang=lang))

    document.add_heading(_("Headline figures"), level=2)
    _headline_table(document, summary, lang)

    unit = _("Value (亿元)") if lang == "zh" else _("Value (billion yuan)")
    document.add_heading(_("By strategic emerging industry"), level=2)
    industry_rows = [
        (
            row["name_zh"] if lang == "zh" else row["name_en"],
            row["projects"],
            _amount(row["value_cny"], lang),
            f"{percent_of(row['value_cny'], summary['total_value_cny'])}%",
        )
        for row in summary["by_sei_industry"]
        if row["projects"]
    ]
    _table(
        document,
        [_("Industry"), pgettext("count", "Projects"), unit, _("Share of value")],
        industry_rows,
    )

    names_en = (
        _region_names_en(
            [row["code"] for row in summary["by_destination"] + summary["by_origin_province"]]
        )
        if lang == "en"
        else {}
    )
    for title, rows, unknown in (
        (_("By destination"), summary["by_destination"], _("Destination not recorded")),
        (_("By origin province"), summary["by_origin_province"], _("Origin not recorded")),
    ):
        document.add_heading(title, level=2)
        _table(
            document,
            [_("Region"), pgettext("count", "Projects"), unit, _("Share of value")],
            [
                (
                    names_en.get(row["code"]) or row["name"] or unknown,
                    row["projects"],
                    _amount(row["value_cny"], lang),
                    f"{percent_of(row['value_cny'], summary['total_value_cny'])}%",
                )
                for row in rows
            ],
        )

    if ft:
        document.add_heading(_("Follow-through as of %(date)s") % {"date": ft["as_of"]}, level=2)
        _followthrough_table(document, ft, lang)

    note = summary.get("note")
    if note:
        document.add_paragraph(
            _(
                "Example data: the projects and investors are synthetic; the USD rate is "
                "illustrative."
            )
        ).runs[0].italic = True
    made = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = _("Made by InvestPromo on %(time)s") % {"time": made}


def _headline_table(document, summary: dict, lang: str) -> None:
    total = Decimal(summary["total_value_cny"])
    sei = summary["sei"]
    money = yuan_zh if lang == "zh" else yuan_en
    rows = [
        (_("Projects signed"), str(summary["projects"])),
        (_("Total contract value"), money(total)),
    ]
    if summary.get("total_value_usd"):
        usd = Decimal(summary["total_value_usd"])
        shown = (
            f"{usd / YI:,.2f}亿美元"
            if lang == "zh"
            else f"{usd / BILLION:,.2f} billion U.S. dollars"
        )
        rows.append(
            (
                _("In U.S. dollars"),
                _("%(amount)s at %(rate)s yuan per dollar (%(date)s)")
                % {
                    "amount": shown,
                    "rate": _rate_text(summary["usd_rate"]),
                    "date": summary["usd_rate_date"],
                },
            )
        )
    rows += [
        (_("Strategic emerging industry projects"), str(sei["projects"])),
        (_("SEI share by value"), f"{percent_of(sei['value_cny'], summary['total_value_cny'])}%"),
        (_("SEI share by number"), f"{percent(sei['share_by_count'])}%"),
    ]
    _table(document, [_("Figure"), pgettext("figure", "Value")], rows)


_STAGES = (
    Stage.SIGNED,
    Stage.REGISTERED,
    Stage.APPROVED,
    Stage.STARTED,
    Stage.COMPLETED,
    Stage.IN_PRODUCTION,
    Stage.FULL_CAPACITY,
    Stage.TERMINATED,
)


def _stage_names() -> dict[str, str]:
    return {
        Stage.SIGNED: _("Signed, no further step"),
        Stage.REGISTERED: _("Company registered"),
        Stage.APPROVED: _("Approvals obtained"),
        Stage.STARTED: _("Construction started"),
        Stage.COMPLETED: _("Completed"),
        Stage.IN_PRODUCTION: _("In production"),
        Stage.FULL_CAPACITY: _("At full capacity"),
        Stage.TERMINATED: _("Terminated"),
    }


def _followthrough_table(document, ft: dict, lang: str) -> None:
    def rate(name: str) -> str:
        entry = ft[name]
        return f"{percent_of(entry['numerator'], entry['denominator'])}%"

    funds = Decimal(ft["funds_in_place_rate"]["numerator"])
    money = yuan_zh if lang == "zh" else yuan_en
    _table(
        document,
        [_("Rate"), pgettext("figure", "Value")],
        [
            (_("Performance rate (not terminated)"), rate("performance_rate")),
            (_("Start rate (construction started or beyond)"), rate("start_rate")),
            (_("Production rate (in production or beyond)"), rate("production_rate")),
            (_("Funds in place"), money(funds)),
            (_("Funds-in-place rate"), rate("funds_in_place_rate")),
        ],
    )
    document.add_paragraph()
    names = _stage_names()
    _table(
        document,
        [_("Latest stage"), pgettext("count", "Projects")],
        [(names[stage], ft["stages"].get(stage, 0)) for stage in _STAGES],
    )


def _table(document, header: list[str], rows) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.text = str(value)
            if index:  # figures right-aligned, as in a printed table
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _rate_text(rate: str) -> str:
    """7.100000 → 7.1: the rate as a person writes it."""
    text = f"{Decimal(rate).normalize():f}"
    return text
