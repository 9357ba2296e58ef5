from decimal import Decimal

import pytest

from investpromo.reports.bulletin import (
    bulletin,
    percent,
    usd_about_en,
    usd_about_zh,
    yuan_en,
    yuan_zh,
)


def summary(**overrides):
    base = {
        "projects": 172,
        "total_value_cny": "256560000000.00",
        "total_value_usd": "36135211267.61",
        "sei": {
            "projects": 112,
            "value_cny": "178052640000.00",
            "share_by_value": 0.694,
            "share_by_count": 0.651163,
        },
    }
    base.update(overrides)
    return base


def test_english_bulletin_reads_like_the_press_release():
    text = bulletin(summary(), lang="en")
    assert text.startswith(
        "The event facilitated the signing of 172 projects, with a total contract value of "
        "256.56 billion yuan (about 36 billion U.S. dollars). Projects in strategic emerging "
        "sectors accounted for 69.4 percent of the total contract value"
    )
    assert "112 of the 172 projects (65.1 percent)" in text


def test_chinese_bulletin_reads_like_the_press_release():
    text = bulletin(summary(), lang="zh")
    assert text.startswith(
        "本次活动共签约项目172个，签约总额2565.6亿元（约合360亿美元），"
        "其中战略性新兴产业项目签约额占比69.4%。"
    )
    assert "按项目个数计" in text


def test_without_usd_rate_the_dollar_figure_is_left_out():
    assert "U.S. dollars" not in bulletin(summary(total_value_usd=None), lang="en")
    assert "美元" not in bulletin(summary(total_value_usd=None), lang="zh")


def test_example_data_is_labelled():
    marked = summary(event={"is_example_data": True})
    assert "Example data" in bulletin(marked, lang="en")
    assert "示例数据" in bulletin(marked, lang="zh")


def test_no_projects():
    empty = summary(projects=0, total_value_cny="0.00", total_value_usd=None)
    assert "No signed projects" in bulletin(empty, lang="en")


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        ("256560000000", "2565.6亿元", "256.56 billion yuan"),
        ("35000000", "3500万元", "35 million yuan"),
        ("1234567890", "12.35亿元", "1.23 billion yuan"),
        ("8000", "8000元", "8,000 yuan"),
    ],
)
def test_yuan_formats(value, zh, en):
    assert yuan_zh(Decimal(value)) == zh
    assert yuan_en(Decimal(value)) == en


def test_about_figures_use_two_significant_digits():
    assert usd_about_en(Decimal("36135211267.61")) == "36 billion U.S. dollars"
    assert usd_about_zh(Decimal("36135211267.61")) == "360亿美元"
    assert usd_about_en(Decimal("1480000")) == "1.5 million U.S. dollars"
    assert percent(0.6945) == "69.5" and percent(0.694) == "69.4"


def test_followthrough_sentence_in_both_languages():
    ft = {
        "as_of": "2025-06-30",
        "stages": {},
        "performance_rate": {"rate": 0.976744, "numerator": 168, "denominator": 172},
        "start_rate": {"rate": 0.488372, "numerator": 84, "denominator": 172},
        "production_rate": {"rate": 0.0, "numerator": 0, "denominator": 172},
        "funds_in_place_rate": {
            "rate": 0.116,
            "numerator": "29900000000.00",
            "denominator": "256560000000.00",
        },
    }
    en = bulletin(summary(followthrough=ft), lang="en")
    assert (
        "As of June 30, 2025, 84 projects had started construction (start rate 48.8 percent)" in en
    )
    assert "funds in place totalled 29.9 billion yuan (funds-in-place rate 11.7 percent)" in en
    zh = bulletin(summary(followthrough=ft), lang="zh")
    assert "截至2025年6月30日，已开工项目84个，开工率48.8%" in zh
    assert "履约率97.7%；资金到位299亿元，资金到位率11.7%。" in zh


def test_no_follow_through_figures_before_any_progress_is_reported():
    # A new event: every project still at 签约. Rates of zero would read as failure.
    ft = {
        "as_of": "2024-09-02",
        "stages": {"signed": 172, "registered": 0, "terminated": 0},
        "performance_rate": {"rate": 1.0, "numerator": 172, "denominator": 172},
        "start_rate": {"rate": 0.0, "numerator": 0, "denominator": 172},
        "production_rate": {"rate": 0.0, "numerator": 0, "denominator": 172},
        "funds_in_place_rate": {"rate": 0.0, "numerator": "0.00", "denominator": "1.00"},
    }
    zh = bulletin(summary(followthrough=ft), lang="zh")
    en = bulletin(summary(followthrough=ft), lang="en")
    assert zh.endswith("截至2024年9月2日，尚未报送项目进展。") and "开工率" not in zh
    assert en.endswith("As of September 2, 2024, no progress had been reported yet.")
    assert "start rate" not in en
    ft["stages"] = {"signed": 171, "registered": 1}
    assert "开工率0%" in bulletin(summary(followthrough=ft), lang="zh")


def test_followthrough_sentence_agrees_in_number():
    ft = {
        "as_of": "2025-01-31",
        "stages": {},
        "performance_rate": {"rate": 1.0, "numerator": 3, "denominator": 3},
        "start_rate": {"rate": 0.333333, "numerator": 1, "denominator": 3},
        "production_rate": {"rate": 0.333333, "numerator": 1, "denominator": 3},
        "funds_in_place_rate": {"rate": 0.1, "numerator": "1000.00", "denominator": "10000.00"},
    }
    text = bulletin(summary(followthrough=ft), lang="en")
    assert "1 project had started construction" in text and "and 1 was in production" in text


def test_published_percentages_are_rounded_once_from_exact_figures():
    """6,944,996 of 10,000,000 is 69.44996 %: 69.4, even though the 6-place share reads 0.6945."""
    exact = summary(
        projects=3,
        total_value_cny="10000000.00",
        total_value_usd=None,
        sei={
            "projects": 1,
            "value_cny": "6944996.00",
            "share_by_value": 0.6945,
            "share_by_count": 0.333333,
        },
    )
    assert "签约额占比69.4%" in bulletin(exact, lang="zh")
    assert "69.4 percent of the total contract value" in bulletin(exact, lang="en")
