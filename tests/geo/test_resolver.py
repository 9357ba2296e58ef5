import pytest

from investpromo.core.errors import UserError
from investpromo.geo.models import Region
from investpromo.geo.resolver import (
    clear_region_cache,
    prefecture_of,
    province_of,
    resolve_region,
)

pytestmark = pytest.mark.django_db


def region(code: str) -> Region:
    return Region.objects.get(code=code)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # codes: 6 digits, or 12-digit statistical codes (their first six)
        ("230102", "230102"),
        ("230102000000", "230102"),
        ("230102001000", "230102"),
        (" 440300 ", "440300"),
        # full and short names
        ("大庆市", "230600"),
        ("大庆", "230600"),
        ("香港", "810000"),
        ("香港特别行政区", "810000"),
        ("延边", "222400"),
        ("吉林市", "220200"),
        ("仙桃", "429004"),
        # province + city (+ county), with or without suffixes, spaces or full-width forms
        ("浙江宁波", "330200"),
        ("广东省深圳市", "440300"),
        ("广东 深圳 南山", "440305"),
        ("黑龙江省哈尔滨市松北区", "230109"),
        ("黑龙江哈尔滨松北", "230109"),
        ("黑龙江松北区", "230109"),
        ("北京朝阳", "110105"),
        ("上海市浦东新区", "310115"),
        ("吉林吉林", "220200"),
        ("鹤岗向阳区", "230402"),
        ("鹤岗市向阳区", "230402"),
        ("佳木斯 向阳区", "230803"),
        # English province names and aliases, any case
        ("Guangdong", "440000"),
        ("guangdong province", "440000"),
        ("hong kong", "810000"),
        ("Hong Kong SAR", "810000"),
        ("HONGKONG", "810000"),
        ("Macao", "820000"),
        ("Macau", "820000"),
        ("Tibet", "540000"),
        ("Xizang", "540000"),
        ("Inner Mongolia Autonomous Region", "150000"),
        ("Guangxi Zhuang Autonomous Region", "450000"),
        ("Shaanxi", "610000"),
        ("Shanxi", "140000"),
        ("Beijing Municipality", "110000"),
    ],
)
def test_resolves(text, code):
    assert resolve_region(text).code == code


def test_full_width_input_is_normalised():
    assert resolve_region("２３０１０２").code == "230102"


def test_province_short_name_means_the_province():
    # 吉林 is both 吉林省 and 吉林市; 海南 is 海南省, 青海's 海南藏族自治州 and 乌海's 海南区.
    assert resolve_region("吉林").code == "220000"
    assert resolve_region("海南").code == "460000"


def test_within_prefers_subdivisions_of_the_context():
    assert resolve_region("吉林", within=region("220000")).code == "220200"
    assert resolve_region("海南", within=region("630000")).code == "632500"
    assert resolve_region("朝阳", within=region("110000")).code == "110105"
    assert resolve_region("朝阳区", within=region("220000")).code == "220104"


def test_within_the_region_itself():
    assert resolve_region("北京", within=region("110000")).code == "110000"
    assert resolve_region("黑龙江省", within=region("230000")).code == "230000"


def test_county_within_province():
    heilongjiang = region("230000")
    assert resolve_region("松北区", within=heilongjiang).code == "230109"
    assert resolve_region("松北", within=heilongjiang).code == "230109"


def test_unique_full_name_wins_over_the_context():
    assert resolve_region("大庆市", within=region("440000")).code == "230600"


def test_falls_back_to_the_country_when_nothing_matches_within():
    assert resolve_region("大庆", within=region("440000")).code == "230600"


def test_a_name_that_contains_the_other_candidates_wins():
    # 和田地区 contains 和田市 and 和田县; 通化市 contains 通化县.
    assert resolve_region("和田").code == "653200"
    assert resolve_region("通化").code == "220500"


def test_same_name_twice_in_one_province_is_ambiguous_even_within_it():
    with pytest.raises(UserError) as caught:
        resolve_region("向阳区", within=region("230000"))
    error = caught.value
    assert error.candidates == ["黑龙江省鹤岗市向阳区 (230402)", "黑龙江省佳木斯市向阳区 (230803)"]
    assert "Ambiguous" in error.message
    assert "黑龙江省鹤岗市向阳区 (230402)" in error.message
    assert "黑龙江省佳木斯市向阳区 (230803)" in error.message
    assert "不唯一" in error.message


@pytest.mark.parametrize(("text", "count"), [("朝阳", 4), ("伊宁", 2), ("城区", 3), ("南山区", 2)])
def test_ambiguous_names_list_every_candidate(text, count):
    with pytest.raises(UserError) as caught:
        resolve_region(text)
    assert len(caught.value.candidates) == count


@pytest.mark.parametrize(
    "text", ["不存在的地方", "Atlantis", "999999", "12345", "", "   ", "浙江大庆"]
)
def test_unknown_input_is_an_error(text):
    with pytest.raises(UserError) as caught:
        resolve_region(text)
    assert caught.value.candidates == []


def test_unknown_error_names_the_input_in_english_and_chinese():
    with pytest.raises(UserError, match=r'Unknown region "不存在的地方".*无法识别的地区'):
        resolve_region("不存在的地方")


def test_cached_errors_are_raised_again():
    for _ in range(2):
        with pytest.raises(UserError, match="Ambiguous"):
            resolve_region("向阳区")


def test_index_is_built_once_and_reused(django_assert_num_queries):
    clear_region_cache()
    resolve_region("大庆")
    with django_assert_num_queries(0):
        assert resolve_region("浙江宁波").full_name == "浙江省宁波市"
        assert resolve_region("松北", within=region_cached("230000")).code == "230109"


def region_cached(code: str) -> Region:
    return resolve_region(code)


def test_clear_region_cache_sees_new_rows():
    resolve_region("大庆")
    Region.objects.create(
        code="239999",
        name="测试新区",
        short_name="测试",
        level=Region.Level.COUNTY,
        parent_id="230100",
        province_id="230000",
        stat_prefecture_id="230100",
    )
    clear_region_cache()
    try:
        assert resolve_region("哈尔滨测试").code == "239999"
    finally:
        # The row goes with the test's transaction; the index must not outlive it.
        clear_region_cache()


def test_prefecture_of():
    assert prefecture_of(region("230109")).code == "230100"
    assert prefecture_of(region("230100")).code == "230100"
    assert prefecture_of(region("110105")).code == "110000"
    assert prefecture_of(region("110000")).code == "110000"
    assert prefecture_of(region("810000")).code == "810000"
    assert prefecture_of(region("429004")).code == "429004"
    assert prefecture_of(region("230000")) is None


def test_province_of():
    assert province_of(region("230109")).code == "230000"
    assert province_of(region("429004")).code == "420000"
    assert province_of(region("440000")).code == "440000"
