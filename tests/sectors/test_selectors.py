import pytest

from investpromo.core.errors import UserError
from investpromo.sectors.selectors import (
    clear_industry_cache,
    derive_sei_industry,
    resolve_industry_class,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["3562", "C3562", "c3562", "c 3562", " C 3562 ", "３５６２"])
def test_resolves_class_codes(text):
    category = resolve_industry_class(text)
    assert (category.code, category.name, category.section) == (
        "3562",
        "半导体器件专用设备制造",
        "C",
    )


def test_section_letter_must_match():
    with pytest.raises(UserError, match="section C, not A"):
        resolve_industry_class("A3562")


@pytest.mark.parametrize("text", ["356", "35", "C"])
def test_only_classes(text):
    with pytest.raises(UserError, match="4-digit"):
        resolve_industry_class(text)


@pytest.mark.parametrize("text", ["9999", "0000", "半导体", "", "C35621"])
def test_unknown_class(text):
    with pytest.raises(UserError):
        resolve_industry_class(text)


def test_sei_industry_for_a_whole_class_with_one_industry():
    assert derive_sei_industry("7461").name_zh == "节能环保产业"
    assert derive_sei_industry("2530").code == 6  # 核燃料加工 → 新能源产业
    assert derive_sei_industry("N7461").code == 7


def test_no_sei_industry_for_a_partial_class():
    assert derive_sei_industry("0539") is None  # starred, one industry only


def test_no_sei_industry_for_a_class_feeding_several():
    assert derive_sei_industry("0519") is None  # 生物产业 and 节能环保产业
    assert derive_sei_industry("3562") is None


def test_no_sei_industry_for_an_unmapped_or_unknown_class():
    assert derive_sei_industry("0111") is None
    assert derive_sei_industry("9999") is None
    assert derive_sei_industry("x") is None


def test_lookups_are_cached(django_assert_num_queries):
    clear_industry_cache()
    resolve_industry_class("3562")
    with django_assert_num_queries(0):
        resolve_industry_class("C2530")
        derive_sei_industry("2530")
