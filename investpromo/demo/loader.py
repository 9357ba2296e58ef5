"""The example event: synthetic projects calibrated to the figures Xinhua published.

Xinhua (2024-09-05) reported the Heilongjiang industry transfer promotion event in Harbin,
2024-08-31 to 2024-09-01: 172 projects signed, 256.56 billion yuan, 69.4 % of the value in
strategic emerging industries. The projects and investors below are invented (a fixed seed
makes them the same on every machine); only their totals match the report. Organisations the
article names appear as participants, never as signatories.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from investpromo.demo.progress import load_demo_progress
from investpromo.events.models import Event
from investpromo.events.services import add_participant, create_event
from investpromo.geo.resolver import resolve_region
from investpromo.orgs.models import Organisation
from investpromo.orgs.services import create_organisation
from investpromo.projects.models import ExchangeRate
from investpromo.projects.rates import RateBook, set_exchange_rate
from investpromo.projects.services import create_project
from investpromo.sectors.models import IndustryCategory, SEIIndustry

DEMO_SLUG = "hlj-industry-transfer-2024"
DEMO_SEED = 20240831
DEMO_PROJECTS = 172
DEMO_TOTAL_WAN = 25_656_000  # 256.56 billion yuan, in 万元
DEMO_SEI_WAN = 17_805_264  # exactly 69.4 % of the total
DEMO_USD_RATE = Decimal("7.10")
DEMO_MARK = "(示例)"  # as stored: names are NFKC-normalised
SOURCE = (
    "Xinhua, 2024-09-05: the Heilongjiang industry transfer promotion event (Harbin, "
    "2024-08-31 to 2024-09-01) signed 172 projects worth 256.56 billion yuan (about 36 billion "
    "U.S. dollars); strategic emerging industries accounted for 69.4 percent. The projects in "
    "this example event are synthetic and only reproduce those totals."
)

# Organisations the report names: participants of the event, never signatories here.
NAMED_PARTICIPANTS = [
    ("金蝶国际软件集团", "广东省深圳市", Organisation.Kind.ENTERPRISE),
    ("深圳数据交易所", "广东省深圳市", Organisation.Kind.OTHER),
    ("科大讯飞股份有限公司", "安徽省合肥市", Organisation.Kind.ENTERPRISE),
    ("国家石墨烯创新中心", "浙江省宁波市", Organisation.Kind.UNIVERSITY),
    ("哈尔滨工业大学", "黑龙江省哈尔滨市", Organisation.Kind.UNIVERSITY),
]

ORIGINS = [  # (region, weight)
    ("广东省深圳市", 30),
    ("浙江省宁波市", 18),
    ("上海市", 12),
    ("北京市", 10),
    ("江苏省苏州市", 8),
    ("广东省广州市", 6),
    ("浙江省杭州市", 6),
    ("山东省青岛市", 4),
    ("福建省厦门市", 3),
    ("香港特别行政区", 3),
]
DESTINATIONS = [
    ("哈尔滨市", 30),
    ("黑龙江省哈尔滨市松北区", 8),
    ("黑龙江省哈尔滨市平房区", 6),
    ("大庆市", 14),
    ("齐齐哈尔市", 9),
    ("牡丹江市", 7),
    ("佳木斯市", 6),
    ("绥化市", 6),
    ("鸡西市", 3),
    ("双鸭山市", 3),
    ("黑河市", 3),
    ("伊春市", 2),
    ("七台河市", 2),
    ("鹤岗市", 2),
    ("大兴安岭地区", 1),
]
# Products with the GB/T 4754 class each belongs to (the SEI list maps the class to the industry).
SEI_PRODUCTS = {
    1: [
        ("工业互联网平台", "6431"),
        ("智能算力中心", "6550"),
        ("信创软件研发基地", "6513"),
        ("集成电路设计中心", "6520"),
        ("智能传感器", "3983"),
    ],
    2: [
        ("工业机器人", "3491"),
        ("航空零部件", "3744"),
        ("高端数控机床", "3421"),
        ("增材制造装备", "3493"),
        ("北斗导航终端", "4023"),
    ],
    3: [
        ("石墨新材料", "3091"),
        ("碳纤维复合材料", "3062"),
        ("高性能铝合金", "3240"),
        ("特种陶瓷", "3073"),
        ("新材料中试基地", "7513"),
    ],
    4: [
        ("生物发酵", "1495"),
        ("生物医药产业园", "2761"),
        ("动物疫苗", "2762"),
        ("北药中成药", "2740"),
        ("医疗器械", "3584"),
    ],
    5: [
        ("新能源汽车整车", "3612"),
        ("新能源汽车零部件", "3670"),
        ("动力电池", "3841"),
        ("充电设施", "5267"),
    ],
    6: [("风电场", "4415"), ("光伏电站", "4416"), ("生物质发电", "4417"), ("光伏组件", "3825")],
    7: [
        ("秸秆综合利用", "0519"),
        ("环保装备制造", "3591"),
        ("水处理药剂", "2666"),
        ("畜禽粪污资源化", "0532"),
    ],
    8: [
        ("数字文创园", "6579"),
        ("动漫游戏研发", "6572"),
        ("数字出版", "8626"),
        ("影视制作基地", "8730"),
    ],
}
SEI_WEIGHTS = {1: 26, 2: 18, 3: 16, 4: 12, 5: 8, 6: 10, 7: 6, 8: 4}
OTHER_PRODUCTS = [
    ("冰雪文旅综合体", "7861"),
    ("森林康养旅游", "7862"),
    ("寒地黑土大米加工", "1311"),
    ("玉米淀粉加工", "1391"),
    ("乳制品加工", "1441"),
    ("粮食仓储物流园", "5951"),
    ("现代农业示范园", "0111"),
    ("大豆精深加工", "1331"),
    ("肉牛养殖", "0311"),
    ("休闲观光农业", "9030"),
]
NAME_PARTS_A = "澜拓启衡砺曜棠翊骁昀璟珩岚湛沐峤煜翀霁澄"
NAME_PARTS_B = "科创源泽远航汇达盛通"
NAME_SUFFIX = {
    1: "智能科技有限公司",
    2: "装备制造有限公司",
    3: "新材料有限公司",
    4: "生物科技有限公司",
    5: "新能源汽车科技有限公司",
    6: "新能源有限公司",
    7: "环保科技有限公司",
    8: "文化传媒有限公司",
    0: "实业有限公司",
}
# USD signings with values that convert exactly at the illustrative rate.
USD_VALUES = [
    (Decimal("50000000"), True),
    (Decimal("120000000"), True),
    (Decimal("30000000"), False),
]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([name for name, _ in weighted], weights=[w for _, w in weighted])[0]


def _split(rng: random.Random, total_wan: int, count: int) -> list[int]:
    """`count` positive values in 万元 summing exactly to `total_wan`, mostly round figures."""
    weights = [rng.lognormvariate(0, 0.9) for _ in range(count)]
    scale = total_wan / sum(weights)
    values = [max(1000, round(w * scale / 1000) * 1000) for w in weights]
    largest = values.index(max(values))
    values[largest] += total_wan - sum(values)
    if values[largest] <= 0:
        raise RuntimeError("demo calibration failed")
    return values


def _value_text(wan: int) -> str:
    if wan >= 10000:
        text = f"{Decimal(wan) / 10000:f}".rstrip("0").rstrip(".")
        return f"{text}亿元"
    return f"{wan}万元"


@transaction.atomic
def load_demo(*, actor) -> tuple[Event, bool]:
    """Load the example event (idempotent: an existing demo event is left as it is)."""
    existing = Event.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return existing, False
    rng = random.Random(DEMO_SEED)
    harbin = resolve_region("哈尔滨市")
    start = dt.date(2024, 8, 31)
    if not ExchangeRate.objects.filter(currency="USD", date__lte=start).exists():
        set_exchange_rate(
            actor=actor,
            currency="USD",
            cny_per_unit=DEMO_USD_RATE,
            date=start,
            source="illustrative rate for the example data, not an official fixing",
            via="demo",
        )
    event = create_event(
        actor=actor,
        slug=DEMO_SLUG,
        name="黑龙江省产业转移推介活动（示例数据）",
        name_en="Heilongjiang industry transfer promotion event (example data)",
        start_date=start,
        end_date=dt.date(2024, 9, 1),
        host_region=harbin,
        organiser="黑龙江省（据新华社 2024-09-05 报道）",
        description=(
            "示例数据：哈尔滨，2024年8月31日至9月1日，深圳、宁波等地企业家考察黑龙江数字经济、"
            "高端装备、新材料、文化旅游、现代农业等产业。项目与投资方均为虚构，仅总数与公开报道一致。"
        ),
        source=SOURCE,
        is_demo=True,
        via="demo",
    )
    for name, home, kind in NAMED_PARTICIPANTS:
        organisation = Organisation.objects.filter(name=name).first() or create_organisation(
            actor=actor,
            name=name,
            home_region=resolve_region(home),
            kind=kind,
            is_demo=True,
            via="demo",
        )
        add_participant(
            actor=actor,
            event=event,
            organisation=organisation,
            role="participant named in the Xinhua report",
            via="demo",
        )

    industries = {i.code: i for i in SEIIndustry.objects.all()}
    classes = {
        c.code: c for c in IndustryCategory.objects.filter(level=IndustryCategory.Level.CLASS)
    }

    usd_sei = [v for v, sei in USD_VALUES if sei]
    usd_other = [v for v, sei in USD_VALUES if not sei]
    sei_count, unspecified = 112, 4
    sei_wan = _split(
        rng,
        DEMO_SEI_WAN - sum(int(v * DEMO_USD_RATE / 10000) for v in usd_sei),
        sei_count - len(usd_sei),
    )
    other_wan = _split(
        rng,
        DEMO_TOTAL_WAN - DEMO_SEI_WAN - sum(int(v * DEMO_USD_RATE / 10000) for v in usd_other),
        DEMO_PROJECTS - sei_count - len(usd_other),
    )
    plans = [(True, ("CNY", w)) for w in sei_wan] + [(True, ("USD", v)) for v in usd_sei]
    plans += [(False, ("CNY", w)) for w in other_wan] + [(False, ("USD", v)) for v in usd_other]
    rng.shuffle(plans)

    rates = RateBook()
    investors: dict[int, list[Organisation]] = {}
    used_names: set[str] = set()
    used_projects: set[tuple[int, str]] = set()
    unspecified_left = unspecified
    for index, (is_sei, (currency, amount)) in enumerate(plans, start=1):
        sei_code = _pick(rng, [(str(c), w) for c, w in SEI_WEIGHTS.items()]) if is_sei else "0"
        sei_code = int(sei_code)
        origin = resolve_region(_pick(rng, ORIGINS))
        if investors.get(sei_code) and rng.random() < 0.12:
            investor = rng.choice(investors[sei_code])
        else:
            while True:
                short = origin.short_name
                name = (
                    f"{short}{rng.choice(NAME_PARTS_A)}{rng.choice(NAME_PARTS_B)}"
                    f"{NAME_SUFFIX[sei_code]}{DEMO_MARK}"
                )
                if name not in used_names:
                    used_names.add(name)
                    break
            investor = create_organisation(
                actor=actor, name=name, home_region=origin, is_demo=True, via="demo"
            )
            investors.setdefault(sei_code, []).append(investor)
        if is_sei:
            product, class_code = rng.choice(SEI_PRODUCTS[sei_code])
            if unspecified_left and rng.random() < 0.05:
                status, sei_industry, unspecified_left = (
                    "sei_unspecified",
                    None,
                    unspecified_left - 1,
                )
            else:
                status, sei_industry = "sei", industries[sei_code]
        else:
            product, class_code = rng.choice(OTHER_PRODUCTS)
            status, sei_industry = "not_sei", None
        home = investor.home_region
        project_name = (
            f"{investor.name.removesuffix(DEMO_MARK)[len(home.short_name) :][:2]}{product}项目"
        )
        while (investor.pk, project_name) in used_projects:
            project_name = project_name.removesuffix("项目") + "二期项目"
        used_projects.add((investor.pk, project_name))
        if currency == "USD":
            value, text = amount, f"{amount / 10000:f}万美元".replace(".0", "")
        else:
            value, text = Decimal(amount) * 10000, _value_text(amount)
        create_project(
            actor=actor,
            event=event,
            name=project_name,
            investor=investor,
            origin_region=home,
            destination_region=resolve_region(_pick(rng, DESTINATIONS)),
            signing_date=start if rng.random() < 0.8 else dt.date(2024, 9, 1),
            agreement_type=rng.choices(["contract", "framework", "intent"], weights=[60, 25, 15])[
                0
            ],
            contract_value=value,
            currency=currency,
            value_text=text,
            sei_status=status,
            sei_industry=sei_industry,
            industry_class=classes[class_code],
            notes="示例数据 / example data",
            source_ref=f"demo#{index}",
            is_demo=True,
            via="demo",
            rates=rates,
        )
    load_demo_progress(actor=actor, projects=event.projects.all())
    return event, True
