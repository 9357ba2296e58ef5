"""Synthetic participants for the matchmaking benchmark (invented; no real organisation named).

Shaped like a large promotion event: about a fifth hosts (departments, parks, counties of the
host province), the rest visitors; offers and seeks are short Chinese or English phrases built
from industry terms, industry classes spread over a few divisions so that many pairs share a
division and few a class, regions of interest at province, city and county level.
"""

import random

from investpromo.matchmaking.engine import Profile

_TERMS_ZH = [
    "石墨烯导热膜",
    "石墨深加工",
    "锂电池负极材料",
    "新能源汽车零部件",
    "光伏组件",
    "风电装备",
    "氢能储运",
    "生物医药",
    "中药材种植",
    "大豆深加工",
    "乳制品加工",
    "冷链物流",
    "跨境电商",
    "数据中心",
    "算力服务",
    "工业软件",
    "智能制造装备",
    "机器人",
    "无人机",
    "冰雪旅游",
    "森林食品",
    "有机水稻",
    "生物质发电",
    "石化新材料",
    "碳纤维",
    "半导体封装",
    "芯片设计",
    "医疗器械",
    "节能环保设备",
    "污水处理",
    "农业机械",
    "粮食仓储",
    "木材加工",
    "航空装备",
]
_TERMS_EN = [
    "graphene thermal film",
    "lithium battery materials",
    "solar modules",
    "wind turbines",
    "hydrogen storage",
    "pharmaceutical manufacturing",
    "soybean processing",
    "dairy products",
    "cold-chain logistics",
    "data centre",
    "cloud computing",
    "industrial software",
    "robotics",
    "drone manufacturing",
    "ice and snow tourism",
    "biomass power",
    "semiconductor packaging",
]
_OFFER_FRAMES_ZH = ("提供{}产业园用地", "拥有{}技术", "{}标准厂房出租", "{}项目落地政策支持")
_SEEK_FRAMES_ZH = ("寻求{}合作伙伴", "引进{}企业", "需要{}生产基地", "寻找{}项目投资")
_DIVISIONS = ("13", "14", "26", "27", "30", "34", "35", "36", "38", "39", "44", "65")
_PROVINCES = ("230000", "440000", "330000", "310000", "110000", "320000")
_MODES = ("独资", "合资", "合作", "技术转让", "并购")


def _region_path(rng: random.Random) -> tuple[str, ...]:
    province = rng.choice(_PROVINCES)
    city = province[:2] + f"{rng.randint(1, 12):02d}00"
    county = city[:4] + f"{rng.randint(1, 20):02d}"
    return (county, city, province)


def synthetic_profiles(count: int, *, seed: int = 4754) -> list[Profile]:
    """`count` invented participants (the same ones for the same seed)."""
    rng = random.Random(seed)
    profiles = []
    for number in range(1, count + 1):
        host = rng.random() < 0.2
        english = not host and rng.random() < 0.15
        if english:
            offers = rng.choice(_TERMS_EN)
            seeks = f"partners in {rng.choice(_TERMS_EN)}"
        else:
            offers = "，".join(
                rng.choice(_OFFER_FRAMES_ZH).format(rng.choice(_TERMS_ZH))
                for _ in range(rng.randint(1, 3))
            )
            seeks = "；".join(
                rng.choice(_SEEK_FRAMES_ZH).format(rng.choice(_TERMS_ZH))
                for _ in range(rng.randint(1, 2))
            )
        classes = frozenset(
            f"{rng.choice(_DIVISIONS)}{rng.randint(1, 9)}{rng.randint(1, 9)}"
            for _ in range(rng.randint(0, 3))
        )
        low = rng.choice((None, 1000, 5000, 10000, 50000))
        path = ("230100", "230000") if host else _region_path(rng)
        profiles.append(
            Profile(
                id=number,
                name=f"合成参会单位{number:05d}",
                host=host,
                offers=offers,
                seeks=seeks,
                sei=frozenset(rng.sample(range(1, 10), rng.randint(0, 2))),
                industry_classes=classes,
                region_path=_region_path(rng) if host and rng.random() < 0.5 else path,
                regions_of_interest=frozenset(
                    rng.choice(_region_path(rng)) for _ in range(rng.randint(0, 2))
                ),
                size_min=low,
                size_max=None if low is None else low * rng.choice((2, 5, 10)),
                cooperation_modes=frozenset(rng.sample(_MODES, rng.randint(0, 3))),
            )
        )
    return profiles


def synthetic_exclusions(profiles: list[Profile], *, share: float = 0.002, seed: int = 2260):
    """Pairs that met or declined already: about `share` of each participant's counterparts."""
    rng = random.Random(seed)
    ids = [profile.id for profile in profiles]
    per_participant = max(1, int(len(ids) * share))
    return [(a, rng.choice(ids)) for a in ids for _ in range(per_participant)]
