"""Enterprise and project names as signing lists write them, reduced to what identifies them."""

import pytest

from investpromo.integrity.names import is_short_name, parse_enterprise_name, region_places
from investpromo.integrity.projectnames import (
    chinese_to_digits,
    name_similarity,
    parse_project_name,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    region_places.cache_clear()
    return region_places()


# One enterprise (synthetic) as lists, licences and letters spell it.
SAME_ENTERPRISE = [
    "深圳市澜拓新材料科技有限公司",
    "澜拓新材料科技（深圳）有限公司",
    "澜拓新材料科技(深圳)有限公司",
    "澜拓新材料科技 （深圳） 有限公司",
    "广东省深圳市澜拓新材料科技有限公司",
    "广东深圳澜拓新材料科技有限公司",
    "深圳澜拓新材料科技股份有限公司",
    "澜拓新材料科技有限责任公司",
    "澜拓新材料科技集团有限公司",
    "澜拓新材料科技（集团）有限公司",
    "中国澜拓新材料科技有限公司",
    "澜拓新材料科技（中国）有限公司",
    "深圳市瀾拓新材料科技有限公司",  # traditional 瀾
    "深圳市澜拓新材料科技有限公司哈尔滨分公司",
    "ＳＨＥＮＺＨＥＮ澜拓新材料科技有限公司".replace("ＳＨＥＮＺＨＥＮ", "深圳市"),
    "澜拓新材料科技有限公司",
]


@pytest.mark.parametrize("name", SAME_ENTERPRISE)
def test_spellings_of_one_enterprise_share_the_core(places, name):
    assert parse_enterprise_name(name, places).core == "澜拓新材料科技"


def test_what_was_taken_off_is_kept(places):
    parsed = parse_enterprise_name("广东省深圳市澜拓新材料科技股份有限公司", places)
    assert parsed.places == ("广东省", "深圳市")
    assert parsed.legal_form == "股份有限公司"
    bracketed = parse_enterprise_name("澜拓新材料科技（深圳）有限公司", places)
    assert bracketed.places == ("深圳",)
    branch = parse_enterprise_name("澜拓新材料科技有限公司哈尔滨分公司", places)
    assert branch.branch == "哈尔滨分公司"


@pytest.mark.parametrize(
    ("name", "core"),
    [
        # A bare place name stays when too little would be left: 东方 is also a city.
        ("东方电气股份有限公司", "东方电气"),
        ("哈尔滨市松北区棠翊实业有限公司", "棠翊实业"),
        ("Lantuo Materials Co., Ltd.", "lantuomaterials"),
        ("LANTUO MATERIALS CO.,LTD", "lantuomaterials"),
        ("Lantuo Materials Limited", "lantuomaterials"),
        ("宁波骁昀能源合伙企业（有限合伙）", "骁昀能源"),
    ],
)
def test_cores_of_other_shapes(places, name, core):
    assert parse_enterprise_name(name, places).core == core


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("澜拓新材料科技有限公司", "澜拓能源有限公司"),  # same trade name, other business
        ("深圳市澜拓新材料科技有限公司", "深圳市翊拓新材料科技有限公司"),
        ("澜拓新材料科技（深圳）有限公司", "澜拓新材料科技（宁波）化工有限公司"),
    ],
)
def test_other_enterprises_differ(places, a, b):
    assert parse_enterprise_name(a, places).core != parse_enterprise_name(b, places).core


@pytest.mark.parametrize(
    ("short", "full", "expected"),
    [
        ("澜拓新材", "澜拓新材料科技", True),
        ("澜拓科技", "澜拓新材料科技", True),
        ("澜拓能源", "澜拓新材料科技", False),
        ("拓澜新材", "澜拓新材料科技", False),
        ("澜", "澜拓新材料科技", False),
        ("澜拓新材料科技", "澜拓新材料科技", False),
    ],
)
def test_short_names(short, full, expected):
    assert is_short_name(short, full) is expected


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("年产十万吨", "年产10万吨"),
        ("二十三", "23"),
        ("三百五十", "350"),
        ("一五", "15"),
        ("两千", "2000"),
        ("零部件", "零部件"),
        ("第二期", "第2期"),
    ],
)
def test_chinese_numerals(text, digits):
    assert chinese_to_digits(text) == digits


@pytest.mark.parametrize(
    "name",
    [
        "年产10万吨石墨负极材料项目",
        "年产十万吨石墨负极材料建设项目",
        "年产10万吨石墨负极材料项目（一期）",
        "年产１０万吨石墨负极材料一期工程",
        "哈尔滨年产10万吨石墨负极材料项目",
        "新建年产10万吨石墨负极材料项目",
        "年產十萬噸石墨負極材料項目",
        "年产10万吨 石墨负极材料 项目",
    ],
)
def test_spellings_of_one_project_share_the_key(places, name):
    assert parse_project_name(name, places) == ("年产10万吨石墨负极材料", 1)


@pytest.mark.parametrize(
    ("name", "phase"),
    [("智能算力中心二期项目", 2), ("智能算力中心（第三期）", 3), ("智能算力中心2期工程", 2)],
)
def test_later_phases(places, name, phase):
    parsed = parse_project_name(name, places)
    assert parsed == ("智能算力中心", phase)


def test_similarity_allows_padding_and_reordering_but_not_other_products():
    assert name_similarity("年产10万吨石墨负极材料", "石墨负极材料") >= 0.9
    assert name_similarity("新能源汽车零部件生产基地", "生产基地新能源汽车零部件") >= 0.9
    assert name_similarity("石墨负极材料", "碳纤维复合材料") < 0.5
    assert name_similarity("智能算力中心", "智能算力中心") == 1.0
