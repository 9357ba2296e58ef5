import csv

import pytest

from investpromo.core.models import ChangeLog
from investpromo.geo.loader import PROVINCE_NAMES_EN, short_name_of
from investpromo.geo.models import Region
from investpromo.geo.services import load_divisions

pytestmark = pytest.mark.django_db


def test_loads_every_official_division():
    levels = Region.Level
    assert Region.objects.filter(level=levels.PROVINCE).count() == 34
    assert Region.objects.filter(level=levels.PREFECTURE).count() == 333
    assert Region.objects.filter(level=levels.COUNTY).count() == 2847


def test_loading_again_changes_nothing_and_writes_no_change_log():
    counts = load_divisions()["Region"]
    assert counts["created"] == counts["updated"] == counts["obsolete"] == 0
    assert counts["unchanged"] == counts["total"] == 3214
    assert (counts["provinces"], counts["prefectures"], counts["counties"]) == (34, 333, 2847)
    assert Region.objects.count() == 3214
    assert not ChangeLog.objects.exists()


def test_loading_repairs_an_edited_row():
    Region.objects.filter(code="230600").update(short_name="x", parent=None)
    counts = load_divisions()["Region"]
    assert (counts["created"], counts["updated"]) == (0, 1)
    daqing = Region.objects.get(code="230600")
    assert (daqing.short_name, daqing.parent_id) == ("大庆", "230000")


def test_ordinary_prefecture_and_county():
    province = Region.objects.get(code="230000")
    assert province.parent_id is None
    assert province.province_id == "230000"
    assert province.stat_prefecture_id is None
    assert not province.acts_as_prefecture
    city = Region.objects.get(code="230100")
    assert (city.parent_id, city.province_id, city.stat_prefecture_id) == ("230000",) * 2 + (
        "230100",
    )
    county = Region.objects.get(code="230109")
    assert (county.name, county.parent_id, county.province_id, county.stat_prefecture_id) == (
        "松北区",
        "230100",
        "230000",
        "230100",
    )
    assert county.full_name == "黑龙江省哈尔滨市松北区"


@pytest.mark.parametrize("code", ["110000", "120000", "310000", "500000"])
def test_municipality_is_its_own_prefecture_and_its_districts_count_under_it(code):
    city = Region.objects.get(code=code)
    assert city.acts_as_prefecture
    assert city.stat_prefecture_id == code
    districts = Region.objects.filter(parent=city)
    assert districts.exists()
    assert {(d.level, d.stat_prefecture_id, d.province_id) for d in districts} == {
        (Region.Level.COUNTY, code, code)
    }


def test_beijing_district_counts_under_beijing():
    chaoyang = Region.objects.get(code="110105")
    assert chaoyang.stat_prefecture_id == "110000"
    assert chaoyang.full_name == "北京市朝阳区"


@pytest.mark.parametrize(
    ("code", "name_en"), [("810000", "Hong Kong"), ("820000", "Macao"), ("710000", "Taiwan")]
)
def test_sar_and_taiwan_act_as_their_own_prefecture(code, name_en):
    region = Region.objects.get(code=code)
    assert region.level == Region.Level.PROVINCE
    assert region.acts_as_prefecture
    assert region.stat_prefecture_id == code
    assert region.name_en == name_en
    assert not Region.objects.filter(parent=region).exists()


@pytest.mark.parametrize(
    ("code", "province"), [("429004", "420000"), ("659001", "650000"), ("419001", "410000")]
)
def test_province_administered_county_is_its_own_statistical_unit(code, province):
    region = Region.objects.get(code=code)  # 仙桃市, 石河子市, 济源市
    assert region.level == Region.Level.COUNTY
    assert (region.parent_id, region.province_id, region.stat_prefecture_id) == (
        province,
        province,
        code,
    )
    assert not region.acts_as_prefecture


def test_prefecture_level_city_without_counties():
    dongguan = Region.objects.get(code="441900")
    assert dongguan.stat_prefecture_id == "441900"
    assert not Region.objects.filter(parent=dongguan).exists()


def test_every_province_has_its_english_name():
    provinces = Region.objects.filter(level=Region.Level.PROVINCE)
    assert {p.code: p.name_en for p in provinces} == PROVINCE_NAMES_EN
    assert Region.objects.get(code="540000").name_en == "Tibet"
    assert Region.objects.get(code="150000").name_en == "Inner Mongolia"


def test_every_region_has_an_english_name():
    assert not Region.objects.filter(name_en="").exists()


@pytest.mark.parametrize(
    ("code", "name_en"),
    [
        # Official spellings of names from other languages, not the characters' pinyin.
        ("230100", "Harbin"),
        ("230200", "Qiqihar"),
        ("150100", "Hohhot"),
        ("650100", "Urumqi"),
        ("540100", "Lhasa"),
        ("230624", "Dorbod Mongol Autonomous County"),
        ("150522", "Horqin Left Rear Banner"),
        ("152200", "Hinggan League"),
        ("230405", "Xing'an District"),  # Hegang's 兴安区 is not the league's Hinggan
        # Pinyin, with the place-name readings pypinyin does not choose by itself.
        ("230600", "Daqing"),
        ("230109", "Songbei District"),
        ("230183", "Shangzhi City"),
        ("140400", "Changzhi"),
        ("140428", "Zhangzi County"),
        ("211300", "Chaoyang"),
        ("371722", "Shan County"),
        ("411100", "Luohe"),
        ("510117", "Pidu District"),
        ("610100", "Xi'an"),
        ("341500", "Lu'an"),
        ("350200", "Xiamen"),
        ("440300", "Shenzhen"),
        ("330200", "Ningbo"),
        # Nationalities (GB/T 3304) and kinds of unit.
        ("522600", "Qiandongnan Miao and Dong Autonomous Prefecture"),
        ("530428", "Yuanjiang Hani, Yi and Dai Autonomous County"),
        ("232700", "Da Hinggan Ling Prefecture"),
        ("429021", "Shennongjia Forestry District"),
        ("610103", "Beilin District"),  # 碑林区 is a district named 碑林, not a 林区
    ],
)
def test_english_names_of_prefectures_and_counties(code, name_en):
    assert Region.objects.get(code=code).name_en == name_en


def test_english_names_file_says_where_each_came_from():
    from investpromo.geo.english_names import ENGLISH_NAMES_FILE

    with ENGLISH_NAMES_FILE.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert {row["source"] for row in rows} == {"pinyin", "official", "table"}
    assert {row["code"] for row in rows} == set(Region.objects.values_list("code", flat=True))


def test_english_names_file_is_what_the_generator_writes():
    # The shipped file is generated; a hand edit or a changed rule shows here.
    pytest.importorskip("pypinyin", reason="pypinyin comes with the dev extra")
    from investpromo.geo.english_names import ENGLISH_NAMES_FILE
    from investpromo.geo.romanise import generate, render

    assert render(generate()) == ENGLISH_NAMES_FILE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("大庆市", "大庆"),
        ("黑龙江省", "黑龙江"),
        ("内蒙古自治区", "内蒙古"),
        ("广西壮族自治区", "广西"),
        ("宁夏回族自治区", "宁夏"),
        ("新疆维吾尔自治区", "新疆"),
        ("香港特别行政区", "香港"),
        ("延边朝鲜族自治州", "延边"),
        ("黔东南苗族侗族自治州", "黔东南"),
        ("伊犁哈萨克自治州", "伊犁"),
        ("双江拉祜族佤族布朗族傣族自治县", "双江"),
        ("龙胜各族自治县", "龙胜"),
        ("鄂温克族自治旗", "鄂温克"),
        ("鄂伦春自治旗", "鄂伦春"),
        ("莫力达瓦达斡尔族自治旗", "莫力达瓦"),
        ("阿里地区", "阿里"),
        ("兴安盟", "兴安"),
        ("科尔沁右翼前旗", "科尔沁右翼前"),
        ("神农架林区", "神农架"),
        ("碑林区", "碑林"),
        ("六枝特区", "六枝"),
        ("浦东新区", "浦东"),
        ("清新区", "清新"),
        ("峰峰矿区", "峰峰"),
        ("松北区", "松北"),
        ("正定县", "正定"),
        ("城区", "城区"),
        ("矿区", "矿区"),
        ("赵县", "赵县"),
        ("芒市", "芒市"),
    ],
)
def test_short_name_drops_the_administrative_suffix_but_keeps_two_characters(name, short):
    assert short_name_of(name) == short


def test_short_names_are_stored():
    assert Region.objects.get(code="222400").short_name == "延边"
    assert Region.objects.get(code="810000").short_name == "香港"
    assert not Region.objects.filter(short_name__regex=r"^.$").exists()
