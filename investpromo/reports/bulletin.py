"""The bulletin a press office publishes, written from a summary in Chinese or English."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

YI = Decimal("100000000")
WAN = Decimal("10000")
BILLION = Decimal("1000000000")
MILLION = Decimal("1000000")


def _trim(value: Decimal, places: int) -> str:
    """Round half up to at most `places` decimals, dropping trailing zeros (2565.60 → 2565.6)."""
    text = f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _significant(value: Decimal, digits: int = 2) -> Decimal:
    """Round to `digits` significant figures, for 'about' figures (36.135 → 36)."""
    if value == 0:
        return value
    exponent = value.adjusted() - digits + 1
    return value.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)


def yuan_zh(value: Decimal) -> str:
    """2565.6亿元, 3500万元 or 8000元."""
    if value >= YI:
        return f"{_trim(value / YI, 2)}亿元"
    if value >= WAN:
        return f"{_trim(value / WAN, 2)}万元"
    return f"{_trim(value, 2)}元"


def yuan_en(value: Decimal) -> str:
    """256.56 billion yuan, 35 million yuan or 8,000 yuan."""
    if value >= BILLION:
        return f"{_trim(value / BILLION, 2)} billion yuan"
    if value >= MILLION:
        return f"{_trim(value / MILLION, 2)} million yuan"
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f} yuan".replace(
        ".00 ", " "
    )


def usd_about_zh(value: Decimal) -> str:
    value = _significant(value)
    if value >= YI:
        return f"{_trim(value / YI, 2)}亿美元"
    if value >= WAN:
        return f"{_trim(value / WAN, 2)}万美元"
    return f"{_trim(value, 0)}美元"


def usd_about_en(value: Decimal) -> str:
    value = _significant(value)
    if value >= BILLION:
        return f"{_trim(value / BILLION, 2)} billion U.S. dollars"
    if value >= MILLION:
        return f"{_trim(value / MILLION, 2)} million U.S. dollars"
    return f"{value:,.0f} U.S. dollars"


def percent_of(part, whole) -> str:
    """part/whole as a percentage with one decimal, rounded once from the exact figures."""
    if not Decimal(str(whole)):
        return "0"
    return _trim(Decimal(str(part)) / Decimal(str(whole)) * 100, 1)


def _rate_percent(rate: dict) -> str:
    return percent_of(rate["numerator"], rate["denominator"])


def percent(share: float | Decimal) -> str:
    """A 0–1 share as a percentage with one decimal: 0.694 → 69.4."""
    return _trim(Decimal(str(share)) * 100, 1)


def _counts(ft: dict) -> tuple[int, int]:
    started, producing = ft["start_rate"]["numerator"], ft["production_rate"]["numerator"]
    return started, producing


def _nothing_reported(ft: dict) -> bool:
    """No project has a step yet: rates of zero would read as failure, not as early days."""
    stages = ft.get("stages") or {}
    return bool(stages) and sum(stages.values()) == stages.get("signed", 0)


def followthrough_zh(ft: dict) -> str:
    """截至…，已开工项目N个，开工率x%；… — the follow-through sentence."""
    day = dt.date.fromisoformat(ft["as_of"])
    if _nothing_reported(ft):
        return f"截至{day.year}年{day.month}月{day.day}日，尚未报送项目进展。"
    started, producing = _counts(ft)
    funds = Decimal(ft["funds_in_place_rate"]["numerator"])
    return (
        f"截至{day.year}年{day.month}月{day.day}日，已开工项目{started}个，"
        f"开工率{_rate_percent(ft['start_rate'])}%；投产项目{producing}个，"
        f"投产率{_rate_percent(ft['production_rate'])}%；"
        f"履约率{_rate_percent(ft['performance_rate'])}%；资金到位{yuan_zh(funds)}，"
        f"资金到位率{_rate_percent(ft['funds_in_place_rate'])}%。"
    )


def followthrough_en(ft: dict) -> str:
    """As of …, N projects had started construction … — the follow-through sentence."""
    day = dt.date.fromisoformat(ft["as_of"])
    if _nothing_reported(ft):
        return f"As of {day:%B} {day.day}, {day.year}, no progress had been reported yet."
    started, producing = _counts(ft)
    funds = Decimal(ft["funds_in_place_rate"]["numerator"])
    return (
        f"As of {day:%B} {day.day}, {day.year}, {started} {'project' if started == 1 else 'projects'}"
        f" had started construction (start rate {_rate_percent(ft['start_rate'])} percent) and "
        f"{producing} {'was' if producing == 1 else 'were'} in "
        f"production (production rate {_rate_percent(ft['production_rate'])} percent); the "
        f"performance rate was {_rate_percent(ft['performance_rate'])} percent, and funds in "
        f"place totalled {yuan_en(funds)} (funds-in-place rate "
        f"{_rate_percent(ft['funds_in_place_rate'])} percent)."
    )


def bulletin(summary: dict, *, lang: str) -> str:
    """The press-office text for a summary (see reports.selectors.summarise_projects)."""
    count = summary["projects"]
    total = Decimal(summary["total_value_cny"])
    usd = summary["total_value_usd"]
    sei = summary["sei"]
    demo = summary.get("event", {}).get("is_example_data", False)
    if lang == "zh":
        if count == 0:
            text = "本次活动尚无签约项目记录。"
        else:
            usd_part = f"（约合{usd_about_zh(Decimal(usd))}）" if usd else ""
            text = (
                f"本次活动共签约项目{count}个，签约总额{yuan_zh(total)}{usd_part}，"
                f"其中战略性新兴产业项目签约额占比{percent_of(sei['value_cny'], summary['total_value_cny'])}%。"
                f"按项目个数计，战略性新兴产业项目{sei['projects']}个，"
                f"占项目总数的{percent_of(sei['projects'], count)}%。"
            )
        if count and summary.get("followthrough"):
            text += followthrough_zh(summary["followthrough"])
        if demo:
            text += "（示例数据：项目与投资方均为虚构，美元汇率仅作示意。）"
        return text
    if lang == "en":
        if count == 0:
            text = "No signed projects have been recorded for the event yet."
        else:
            usd_part = f" (about {usd_about_en(Decimal(usd))})" if usd else ""
            noun = "project" if count == 1 else "projects"
            text = (
                f"The event facilitated the signing of {count} {noun}, with a total contract value "
                f"of {yuan_en(total)}{usd_part}. Projects in strategic emerging sectors accounted "
                f"for {percent_of(sei['value_cny'], summary['total_value_cny'])} percent of the total contract value; by number, "
                f"{sei['projects']} of the {count} {noun} ({percent_of(sei['projects'], count)} percent) "
                "were in strategic emerging sectors."
            )
        if count and summary.get("followthrough"):
            text += " " + followthrough_en(summary["followthrough"])
        if demo:
            text += (
                " (Example data: the projects and investors are fictional and the U.S. dollar rate "
                "is illustrative.)"
            )
        return text
    raise ValueError(f"unknown language {lang!r}")
