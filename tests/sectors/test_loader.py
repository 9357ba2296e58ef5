import pytest

from investpromo.core.models import ChangeLog
from investpromo.sectors.models import IndustryCategory, SEIClassMapping, SEIIndustry
from investpromo.sectors.sei import SEI_INDUSTRIES
from investpromo.sectors.services import load_industries

pytestmark = pytest.mark.django_db


def test_loads_the_whole_gb_t_4754_tree():
    level = IndustryCategory.Level
    counts = [IndustryCategory.objects.filter(level=lv).count() for lv in level]
    assert counts == [20, 97, 473, 1382]


def test_parents_and_sections():
    cls = IndustryCategory.objects.get(code="3562")
    assert (cls.name, cls.level, cls.section) == ("半导体器件专用设备制造", 4, "C")
    assert cls.parent_id == "356"
    assert cls.parent.parent_id == "35"
    assert cls.parent.parent.parent_id == "C"
    assert cls.parent.parent.parent.parent_id is None
    assert not IndustryCategory.objects.filter(level=1, parent__isnull=False).exists()
    assert not IndustryCategory.objects.filter(level__gt=1, parent__isnull=True).exists()
    assert IndustryCategory.objects.filter(level=1).get(code="T").section == "T"


def test_trailing_spaces_in_names_are_dropped():
    assert IndustryCategory.objects.get(code="5182").name == "一般物品拍卖"
    assert not IndustryCategory.objects.filter(name__endswith=" ").exists()


def test_nine_sei_industries():
    assert list(SEIIndustry.objects.values_list("code", "name_zh", "name_en")) == [
        tuple(sei) for sei in SEI_INDUSTRIES
    ]


def test_sei_mapping_counts():
    # SOURCES.md: 469 classes tagged, 351 of them starred (partial).
    mappings = SEIClassMapping.objects.all()
    assert mappings.values("industry_class").distinct().count() == 469
    assert mappings.filter(partial=True).values("industry_class").distinct().count() == 351
    # 118 whole classes with one industry each, plus 538 (class, industry) pairs for the starred.
    assert mappings.count() == 656
    assert mappings.filter(partial=False).count() == 118
    assert not mappings.exclude(industry_class__level=IndustryCategory.Level.CLASS).exists()


def test_a_class_feeding_several_industries_gets_one_row_per_industry():
    rows = {m.sei_industry_id: m for m in SEIClassMapping.objects.filter(industry_class="0519")}
    assert set(rows) == {4, 7}  # 生物产业, 节能环保产业
    assert rows[4].partial and rows[7].partial
    assert rows[4].paths == ["生物产业 > 生物质能产业 > 生物相关原料供应体系活动"]
    assert rows[7].products == ["农业废弃物综合利用", "农村沼气综合利用"]


def test_paths_and_products_are_aggregated_per_industry():
    rows = {m.sei_industry_id: m for m in SEIClassMapping.objects.filter(industry_class="3562")}
    assert set(rows) == {1, 6, 7}
    assert rows[1].paths == [
        "新一代信息技术产业 > 电子核心产业 > 新型电子元器件及设备制造",
        "新一代信息技术产业 > 电子核心产业 > 集成电路制造",
    ]


def test_whole_class_without_products():
    mapping = SEIClassMapping.objects.get(industry_class="7461")
    assert (mapping.sei_industry_id, mapping.partial, mapping.products) == (7, False, [])
    assert mapping.paths == ["节能环保产业 > 先进环保产业 > 环境评估与监测服务"]


def test_loading_again_changes_nothing():
    counts = load_industries()
    assert {table: c["created"] + c["updated"] for table, c in counts.items()} == {
        "IndustryCategory": 0,
        "SEIIndustry": 0,
        "SEIClassMapping": 0,
    }
    assert counts["IndustryCategory"]["unchanged"] == 1972
    assert (counts["IndustryCategory"]["classes"], counts["IndustryCategory"]["sections"]) == (
        1382,
        20,
    )
    assert counts["SEIClassMapping"]["unchanged"] == 656
    assert counts["SEIClassMapping"]["classes"] == 469
    assert counts["SEIClassMapping"]["partial_classes"] == 351
    assert not ChangeLog.objects.exists()


def test_loading_repairs_edits_and_removes_mappings_not_in_the_file():
    IndustryCategory.objects.filter(code="3562").update(name="x")
    SEIClassMapping.objects.filter(industry_class="0519", sei_industry=4).update(partial=False)
    SEIClassMapping.objects.create(industry_class_id="0111", sei_industry_id=1, partial=False)
    counts = load_industries()
    assert counts["IndustryCategory"]["updated"] == 1
    assert counts["SEIClassMapping"]["updated"] == 1
    assert counts["SEIClassMapping"]["deleted"] == 1
    assert IndustryCategory.objects.get(code="3562").name == "半导体器件专用设备制造"
    assert not SEIClassMapping.objects.filter(industry_class="0111").exists()
    assert SEIClassMapping.objects.count() == 656
