"""A small event of participants whose profiles overlap as real ones do (names invented)."""

from decimal import Decimal

import pytest

from investpromo.participants.models import Participant
from tests.factories import make_event, make_org, region


def _participant(event, name, *, side, sei=(), classes=(), interests=(), **fields):
    # Direct writes: the participants' services are another part of #14; these tests read.
    participant = Participant.objects.create(
        event=event,
        organisation=make_org(name=name),
        name=name,
        side=side,
        status=fields.pop("status", Participant.Status.APPROVED),
        **fields,
    )
    participant.sei_industries.set(sei)
    participant.industry_classes.set(classes)
    participant.regions_of_interest.set([region(code) for code in interests])
    return participant


@pytest.fixture
def event():
    event = make_event(slug="harbin-2026")
    visitor, host = Participant.Side.VISITOR, Participant.Side.HOST
    event.seeker = _participant(
        event,
        "深圳示例导热材料有限公司",
        side=visitor,
        seeks="寻求石墨烯导热膜生产基地",
        offers="石墨烯导热膜量产技术",
        sei=[3],
        classes=["3985"],
        interests=["230100"],
        region=region("440305"),
        investment_min=Decimal("10000"),
        investment_max=Decimal("50000"),
        cooperation_modes=["sole", "joint_venture"],
    )
    event.park = _participant(
        event,
        "哈尔滨示例新材料产业园",
        side=host,
        kind=Participant.Kind.PARK,
        offers="提供石墨烯产业园用地和标准厂房",
        seeks="引进石墨烯下游应用企业",
        sei=[3],
        classes=["3089"],
        region=region("230109"),
        investment_min=Decimal("5000"),
        cooperation_modes=["joint_venture"],
    )
    event.bureau = _participant(
        event,
        "示例县农业农村局",
        side=host,
        kind=Participant.Kind.BUREAU,
        offers="大豆种植基地和粮食仓储",
        seeks="大豆深加工企业",
        classes=["1331"],
        region=region("230183"),
    )
    event.battery = _participant(
        event,
        "宁波示例电池材料有限公司",
        side=visitor,
        offers="锂电池负极材料",
        seeks="石墨矿产资源和生产用地",
        sei=[3, 5],
        classes=["3985"],
        region=region("330203"),
    )
    event.exchange = _participant(
        event,
        "示例数据交易所",
        side=visitor,
        kind=Participant.Kind.DATA_EXCHANGE,
        offers="数据产品挂牌交易",
        seeks="数据中心算力",
        classes=["6450"],
        region=region("310115"),
    )
    event.pending = _participant(
        event,
        "待审核的石墨烯公司",
        side=visitor,
        status=Participant.Status.PENDING,
        offers="石墨烯导热膜",
        seeks="石墨烯产业园用地",
    )
    return event
