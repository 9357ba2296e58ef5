"""Labelled signing lists for the integrity benchmark (synthetic: no real enterprise is named).

Three yearly events in Heilongjiang. Each base project is signed once and may come back the
way real lists vary: signed again at a later event, upgraded from an intent or framework to a
contract, increased, or reported twice in one event (a city and its district both list it).
Every record spells the investor its own way (with or without the city, a bracketed place,
another legal form, traditional characters, full-width brackets, the short name, a USCC or
not) and the project too (Chinese or Arabic numerals, 建设/项目 endings, 一期, the place in
front, a padded name). Hard negatives: the same enterprise with another product (some close:
风电装备制造 / 光伏装备制造), a second phase at a later event, the same product by another
enterprise, and by a namesake (same trade name, other business: 澜拓能源 / 澜拓新材料科技).

Each record carries `truth`, the id of the project it belongs to, and `phase`.
"""

import datetime as dt
import json
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import opencc

from investpromo.integrity.names import Places
from investpromo.integrity.scan import Record, region_tree

DIVISIONS = Path(__file__).resolve().parent.parent / "investpromo/reference_data/divisions_v1.json"
_S2T = opencc.OpenCC("s2t")
# Uncommon characters for invented trade names (字号).
TRADE_CHARS = (
    "澜拓启衡砺曜棠翊骁昀璟珩岚湛沐峤煜翀霁澄瀚琮淇琰璞铎骞禹桉朔珂琛韬岱锴奕霆翎"
    "晔烨暄熠炜舜湃濠澍渲沅珉瑄璇瑜瑾璐瑗琦琪瑶"
)
INDUSTRIES = [
    "新材料科技",
    "能源",
    "智能装备",
    "生物科技",
    "数字科技",
    "农业发展",
    "实业",
    "新能源",
]
LEGAL = ["有限公司", "有限责任公司", "股份有限公司", "集团有限公司"]
HOMES = [("深圳市", "440300", "深圳"), ("宁波市", "330200", "宁波"), ("苏州市", "320500", "苏州")]
HOMES += [("杭州市", "330100", "杭州"), ("青岛市", "370200", "青岛"), ("厦门市", "350200", "厦门")]
PRODUCTS = [
    "石墨负极材料",
    "碳纤维复合材料",
    "智能算力中心",
    "工业机器人",
    "生物医药产业园",
    "新能源汽车零部件",
    "风电装备制造",
    "秸秆综合利用",
    "乳制品加工",
    "冰雪文旅综合体",
    "粮食仓储物流园",
    "光伏组件",
    "氢能储运装备",
    "智慧农业示范园",
    "数据中心",
    "医疗器械生产线",
    # Near neighbours of products above: one enterprise may sign both (hard negatives).
    "光伏装备制造",
    "智能制造中心",
    "石墨烯负极材料",
]
CN_NUMBERS = {5: "五", 10: "十", 20: "二十", 30: "三十", 50: "五十", 100: "一百"}
# (destination city, its districts) in Heilongjiang.
DESTINATIONS = [
    ("230100", "哈尔滨", ["230109", "230108", "230103"]),
    ("230600", "大庆", ["230602", "230604"]),
    ("230200", "齐齐哈尔", ["230202", "230203"]),
    ("231000", "牡丹江", ["231002"]),
]
EVENTS = [
    (1, "hlj-2023", dt.date(2023, 6, 15)),
    (2, "hlj-2024", dt.date(2024, 6, 15)),
    (3, "hlj-2025", dt.date(2025, 6, 15)),
]


def places_and_tree() -> tuple[Places, dict, dict]:
    """Place names and the region tree read straight from the divisions file (no database)."""
    data = json.loads(DIVISIONS.read_text(encoding="utf-8"))
    names, rows = [], []

    def short(name):
        for suffix in ("省", "市", "区", "县"):
            if name.endswith(suffix) and len(name) - 1 >= 2:
                return name[:-1]
        return name

    for province_name, province in data["provinces"].items():
        pcode = province["code"][:6]
        names.append((province_name, short(province_name)))
        rows.append((pcode, None, None))
        for city_name, city in (province.get("cities") or {}).items():
            ccode = city.get("code", "")[:6] if city_name else None
            if city_name:
                names.append((city_name, short(city_name)))
                rows.append((ccode, pcode, ccode))
            for county_name, county_code in (city.get("counties") or {}).items():
                names.append((county_name, short(county_name)))
                rows.append((county_code[:6], ccode or pcode, ccode or pcode))
    chains, prefectures = region_tree(rows)
    return Places.of(names), chains, prefectures


@dataclass
class Enterprise:
    trade: str
    industry: str
    legal: str
    home: tuple
    uscc: str


def _uscc(rng) -> str:
    return "91" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(16))


def _spell_investor(rng, e: Enterprise) -> str:
    city, _, short_city = e.home
    variants = [
        f"{city}{e.trade}{e.industry}{e.legal}",
        f"{e.trade}{e.industry}（{short_city}）{e.legal}",
        f"{e.trade}{e.industry}({short_city}){e.legal}",
        f"{e.trade}{e.industry}{e.legal}",
        _S2T.convert(f"{city}{e.trade}{e.industry}{e.legal}"),
        f"{e.trade}{e.industry}有限公司",
        f"{e.trade}{e.industry} （{short_city}） 有限公司",
        f"{e.trade}{e.industry[:2]}",  # the short name
    ]
    return rng.choice(variants)


def _spell_project(rng, product: str, size: int, city_short: str, phase: int = 1) -> str:
    number = CN_NUMBERS.get(size, str(size)) if rng.random() < 0.5 else str(size)
    base = f"年产{number}万吨{product}" if rng.random() < 0.6 else product
    marker = {
        1: rng.choice(["", "（一期）", "一期"]),
        2: rng.choice(["二期", "（二期）", "第二期"]),
    }
    name = rng.choice(
        [
            f"{base}{marker[phase]}项目",
            f"{base}{marker[phase]}建设项目",
            f"{city_short}{base}{marker[phase]}项目",
            f"新建{base}项目{marker[phase]}",
        ]
    )
    if rng.random() < 0.1:
        name = _S2T.convert(name)
    return name


def generate(
    *,
    seed: int = 7,
    enterprises: int = 300,
    trade_length: int = 2,
    limit: int | None = None,
    wide_sizes: bool = False,
):
    """(records, truth: record id → project id, places): a labelled set of up to limit."""
    rng = random.Random(seed)
    places, chains, prefectures = places_and_tree()
    if len(TRADE_CHARS) ** trade_length < 2 * enterprises:
        raise ValueError(f"{enterprises} trade names of {trade_length} characters: too few left")
    trades = set()
    while len(trades) < enterprises:
        trades.add("".join(rng.choice(TRADE_CHARS) for _ in range(trade_length)))
    firms = [
        Enterprise(t, rng.choice(INDUSTRIES), rng.choice(LEGAL), rng.choice(HOMES), _uscc(rng))
        for t in sorted(trades)
    ]
    records, truth = [], {}
    orgs: dict[tuple, int] = {}

    def add(firm, product, size, phase, event, value, agreement, destination, city_short, uid):
        name = _spell_investor(rng, firm)
        with_uscc = rng.random() < 0.5
        org_key = ("uscc", firm.uscc) if with_uscc else ("name", name)
        org_id = orgs.setdefault(org_key, len(orgs) + 1)
        pk = len(records) + 1
        records.append(
            Record(
                id=pk,
                event_id=event[0],
                event_slug=event[1],
                event_start=event[2],
                signing_date=event[2],
                name=_spell_project(rng, product, size, city_short, phase),
                investor_id=org_id,
                investor_name=name,
                investor_uscc=firm.uscc if with_uscc else None,
                investor_province=firm.home[1][:2] if rng.random() < 0.7 else None,
                destination=destination,
                destination_chain=chains[destination],
                prefecture=prefectures[destination],
                agreement=agreement,
                value_cny=value,
            )
        )
        truth[pk] = uid

    uid = 0
    # Drawn for every firm first: "another enterprise's same product" must be one it lacks.
    products_of = {firm.trade: rng.sample(PRODUCTS, rng.choice([1, 1, 2, 3])) for firm in firms}
    for firm in firms:
        if limit is not None and len(records) >= limit:
            break
        products = products_of[firm.trade]
        for product in products:
            uid += 1
            # Sizes beyond the few written in Chinese make most names distinct in a large set.
            size = rng.randrange(1, 999) if wide_sizes else rng.choice(list(CN_NUMBERS))
            city, city_short, districts = rng.choice(DESTINATIONS)
            destination = rng.choice([city, *districts])
            value = Decimal(rng.randrange(50, 2000)) * Decimal(1_000_000)
            first = rng.choice(EVENTS[:2])
            agreement = rng.choice(["contract", "intent", "framework", "contract"])
            add(firm, product, size, 1, first, value, agreement, destination, city_short, uid)
            later_events = [e for e in EVENTS if e[0] > first[0]]
            what = rng.random()
            if what < 0.15:  # reported twice in one event: city and district both list it
                other = city if destination != city else rng.choice(districts)
                add(firm, product, size, 1, first, value, agreement, other, city_short, uid)
            elif what < 0.35:  # signed again
                add(firm, product, size, 1, rng.choice(later_events), value, agreement,
                    destination, city_short, uid)  # fmt: skip
            elif what < 0.47 and agreement != "contract":  # upgraded to a contract
                more = value * rng.choice([Decimal(1), Decimal("1.5")])
                add(firm, product, size, 1, rng.choice(later_events), more, "contract",
                    destination, city_short, uid)  # fmt: skip
            elif what < 0.57:  # capital increase
                more = (value * Decimal(rng.choice(["1.3", "2", "2.5"]))).quantize(Decimal(1))
                add(firm, product, size, 1, rng.choice(later_events), more, "contract",
                    destination, city_short, uid)  # fmt: skip
            elif what < 0.58:  # 万元 typed into a 元 column: a true pair only a person can see
                add(firm, product, size, 1, rng.choice(later_events), value / 10_000,
                    agreement, destination, city_short, uid)  # fmt: skip
            elif what < 0.70:  # a second phase at a later event: another project
                uid += 1
                add(firm, product, size, 2, rng.choice(later_events), value, "contract",
                    destination, city_short, uid)  # fmt: skip
            elif what < 0.74:  # a namesake: same trade name, other business, no USCC shared
                uid += 1
                namesake = Enterprise(
                    firm.trade,
                    next(i for i in INDUSTRIES if i != firm.industry),
                    firm.legal,
                    firm.home,
                    _uscc(rng),
                )
                add(namesake, product, size, 1, rng.choice(later_events), value, agreement,
                    destination, city_short, uid)  # fmt: skip
            elif what < 0.80:  # the same product by another enterprise
                uid += 1
                other_firm = rng.choice(firms)
                if other_firm is not firm and product not in products_of[other_firm.trade]:
                    add(other_firm, product, size, 1, rng.choice(later_events), value,
                        agreement, destination, city_short, uid)  # fmt: skip
    return records, truth, places
