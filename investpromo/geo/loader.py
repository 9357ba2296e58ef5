"""Loads the official administrative divisions (reference_data/divisions_v1.json) into Region."""

import json
from pathlib import Path

from investpromo.geo.english_names import english_names
from investpromo.geo.models import Region

DIVISIONS_FILE = Path(__file__).resolve().parent.parent / "reference_data" / "divisions_v1.json"

# Municipalities: the file hangs their districts under a "" city; statistics count the
# municipality itself as the prefecture-level unit.
MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})

# English names as the State Council and NBS publish them; keyed by code.
PROVINCE_NAMES_EN = {
    "110000": "Beijing",
    "120000": "Tianjin",
    "130000": "Hebei",
    "140000": "Shanxi",
    "150000": "Inner Mongolia",
    "210000": "Liaoning",
    "220000": "Jilin",
    "230000": "Heilongjiang",
    "310000": "Shanghai",
    "320000": "Jiangsu",
    "330000": "Zhejiang",
    "340000": "Anhui",
    "350000": "Fujian",
    "360000": "Jiangxi",
    "370000": "Shandong",
    "410000": "Henan",
    "420000": "Hubei",
    "430000": "Hunan",
    "440000": "Guangdong",
    "450000": "Guangxi",
    "460000": "Hainan",
    "500000": "Chongqing",
    "510000": "Sichuan",
    "520000": "Guizhou",
    "530000": "Yunnan",
    "540000": "Tibet",
    "610000": "Shaanxi",
    "620000": "Gansu",
    "630000": "Qinghai",
    "640000": "Ningxia",
    "650000": "Xinjiang",
    "710000": "Taiwan",
    "810000": "Hong Kong",
    "820000": "Macao",
}

# The 55 minority nationalities, as they appear in the names of autonomous units.
ETHNIC_GROUPS = (
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
)
_ETHNIC_SUFFIXES = sorted(
    # A one-character name without 族 would eat real place names (…水, …白), so those need 族;
    # 各族 is 龙胜各族自治县 and 隆林各族自治县.
    [g + "族" for g in ETHNIC_GROUPS] + [g for g in ETHNIC_GROUPS if len(g) > 1] + ["各族"],
    key=len,
    reverse=True,
)
_AUTONOMOUS_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗")
# Tried in order; a suffix is only taken off if at least two characters remain, so 清新区
# becomes 清新 (not 清), and 城区, 矿区 and 赵县 keep their names.
_PLAIN_SUFFIXES = ("地区", "新区", "矿区", "特区", "省", "市", "区", "县", "旗", "盟")
# 神农架 is the only 林区 (forestry district); 碑林区, 万柏林区 … are districts named 碑林, 万柏林.
_SHORT_NAME_EXCEPTIONS = {"神农架林区": "神农架"}


def short_name_of(name: str) -> str:
    """The name without its administrative suffix, never shorter than two characters."""
    if name in _SHORT_NAME_EXCEPTIONS:
        return _SHORT_NAME_EXCEPTIONS[name]
    for suffix in _AUTONOMOUS_SUFFIXES:
        if name.endswith(suffix):
            rest = _strip_ethnic_groups(name[: -len(suffix)])
            return rest if len(rest) >= 2 else name
    for suffix in _PLAIN_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _strip_ethnic_groups(rest: str) -> str:
    # 黔东南苗族侗族 → 黔东南; a name that is only a nationality (鄂温克族自治旗) keeps it: 鄂温克.
    while True:
        for group in _ETHNIC_SUFFIXES:
            if rest.endswith(group) and len(rest) > len(group):
                remaining = rest[: -len(group)]
                if len(remaining) >= 2:
                    rest = remaining
                    break
        else:
            return rest.removesuffix("族") if rest[:-1] in ETHNIC_GROUPS else rest


def _code6(code: str) -> str:
    return code[:6]


def read_divisions(*, path: Path = DIVISIONS_FILE) -> list[dict]:
    """The divisions file as Region field values, parents before children."""
    data = json.loads(path.read_text(encoding="utf-8"))
    english = english_names()
    rows: list[dict] = []
    for province_name, province in data["provinces"].items():
        province_code = _code6(province["code"])
        cities = province.get("cities") or {}
        # Municipalities, and Hong Kong, Macao and Taiwan (listed without subdivisions), count
        # as their own prefecture-level unit.
        own_prefecture = province_code in MUNICIPALITIES or not cities
        rows.append(
            {
                "code": province_code,
                "name": province_name,
                "level": Region.Level.PROVINCE,
                "parent_id": None,
                "province_id": province_code,
                "stat_prefecture_id": province_code if own_prefecture else None,
                "acts_as_prefecture": own_prefecture,
                "name_en": PROVINCE_NAMES_EN.get(province_code, ""),
            }
        )
        for city_name, city in cities.items():
            if city_name:
                city_code = _code6(city["code"])
                rows.append(
                    {
                        "code": city_code,
                        "name": city_name,
                        "level": Region.Level.PREFECTURE,
                        "parent_id": province_code,
                        "province_id": province_code,
                        "stat_prefecture_id": city_code,
                        "acts_as_prefecture": False,
                        "name_en": english.get(city_code, ""),
                    }
                )
            for county_name, county_code in (city.get("counties") or {}).items():
                code = _code6(county_code)
                if city_name:
                    parent, prefecture = city_code, city_code
                elif province_code in MUNICIPALITIES:
                    parent, prefecture = province_code, province_code
                else:
                    # 省直辖县级行政单位 (仙桃, 石河子 …): statistics count each as its own unit.
                    parent, prefecture = province_code, code
                rows.append(
                    {
                        "code": code,
                        "name": county_name,
                        "level": Region.Level.COUNTY,
                        "parent_id": parent,
                        "province_id": province_code,
                        "stat_prefecture_id": prefecture,
                        "acts_as_prefecture": False,
                        "name_en": english.get(code, ""),
                    }
                )
    for row in rows:
        row["short_name"] = short_name_of(row["name"])
    return rows
