"""The region pickers' suggestions: by code prefix, by name anywhere, by a chain of names."""

import pytest

from investpromo.geo.lookup import suggest_regions

pytestmark = pytest.mark.django_db


def codes(text, **kwargs):
    return [region.code for region in suggest_regions(text, **kwargs)]


def test_digits_match_the_start_of_a_code_broadest_first():
    found = codes("2306")
    assert found[0] == "230600" and all(code.startswith("2306") for code in found)
    assert "230602" in found


def test_a_name_finds_the_exact_name_first_then_names_containing_it():
    found = codes("大庆")
    assert found[0] == "230600"
    assert codes("哈尔滨市")[0] == "230100"
    # 南岗 is in Harbin: its full name is found from the short one.
    assert "230103" in codes("南岗")


def test_a_chain_of_names_is_read_by_the_resolver():
    assert codes("黑龙江哈尔滨南岗")[0] == "230103"


def test_nothing_typed_or_nonsense_finds_nothing_and_the_limit_holds():
    assert codes("") == [] and codes("   ") == [] and codes("不存在的地方") == []
    assert codes("x" * 61) == []
    assert len(codes("23", limit=5)) == 5


def test_suggestions_carry_their_full_names_without_a_query_each(django_assert_num_queries):
    with django_assert_num_queries(1):
        names = [region.full_name for region in suggest_regions("23")]
    assert "黑龙江省" in names


def test_a_place_named_exactly_is_followed_by_its_divisions():
    found = codes("哈尔滨")
    assert found[0] == "230100"
    assert {"230102", "230103"} <= set(found)  # 道里区, 南岗区: no 哈尔滨 in their names
    assert codes("大庆")[:2] == ["230600", "230602"]
