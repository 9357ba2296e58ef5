"""A constructed ledger: one enterprise under several names across two events (synthetic)."""

import datetime as dt

import pytest

from investpromo.integrity.names import region_places
from tests.factories import make_event, make_org, make_project

JUNE_2023, JUNE_2024 = dt.date(2023, 6, 15), dt.date(2024, 6, 15)


def make_uscc(first16: str) -> str:
    """An invented code with both check characters right (GB 11714 and GB 32100)."""
    from investpromo.orgs.uscc import org_code_check_char, uscc_check_char

    first17 = first16 + org_code_check_char(first16[8:16])
    return first17 + uscc_check_char(first17)


USCC_LANTUO = make_uscc("91440300MA5FXXXX")
USCC_OTHER_LANTUO = make_uscc("91330200MA2XXXXX")


@pytest.fixture
def ledger(db):
    """Projects by name: p1…p12, each a record of the kind its comment says."""
    region_places.cache_clear()
    e1 = make_event(slug="fair-2023", start=JUNE_2023)
    e2 = make_event(slug="fair-2024", start=JUNE_2024)
    lantuo = make_org("深圳市澜拓新材料科技有限公司", uscc=USCC_LANTUO)
    lantuo_written = make_org("澜拓新材料科技（深圳）有限公司")
    other_firm = make_org("深圳市翊拓新材料科技有限公司")

    def project(event, investor, name, value, dest="230100", agreement="contract"):
        return make_project(
            event=event,
            investor=investor,
            name=name,
            value=value,
            dest=dest,
            signing_date=event.start_date,
            agreement_type=agreement,
        )

    p = {}
    p["p1"] = project(e1, lantuo, "年产10万吨石墨负极材料项目", "500000000")
    # Signed again a year later under the other spelling, at a district of the same city.
    p["p2"] = project(
        e2, lantuo_written, "年产十万吨石墨负极材料建设项目（一期）", "500000000", "230109"
    )
    p["p3"] = project(e1, lantuo, "碳纤维复合材料项目", "500000000")  # other product
    p["p4"] = project(e2, lantuo, "年产10万吨石墨负极材料二期项目", "500000000")  # later phase
    p["p5"] = project(e1, lantuo, "智能算力中心项目", "300000000", agreement="intent")
    p["p6"] = project(e2, lantuo, "智能算力中心", "400000000")  # upgrade to a contract
    p["p7"] = project(e2, other_firm, "年产10万吨石墨负极材料项目", "500000000")  # other firm
    p["p9"] = project(e1, lantuo, "工业机器人项目", "200000000")
    p["p10"] = project(e1, lantuo_written, "工业机器人生产基地项目", "200000000", "230108")
    p["p12"] = project(e1, lantuo, "风电装备制造项目", "100000000")
    p["p11"] = project(e2, lantuo, "风电装备制造", "250000000")  # capital increase
    return {"events": (e1, e2), "orgs": (lantuo, lantuo_written, other_firm), **p}
