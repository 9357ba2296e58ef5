"""The nine top-level strategic emerging industries (NBS, 战略性新兴产业分类(2018))."""

from typing import NamedTuple


class SEIDefinition(NamedTuple):
    code: int
    name_zh: str
    name_en: str


SEI_INDUSTRIES: tuple[SEIDefinition, ...] = (
    SEIDefinition(1, "新一代信息技术产业", "New-generation information technology"),
    SEIDefinition(2, "高端装备制造产业", "High-end equipment manufacturing"),
    SEIDefinition(3, "新材料产业", "New materials"),
    SEIDefinition(4, "生物产业", "Biotechnology"),
    SEIDefinition(5, "新能源汽车产业", "New energy vehicles"),
    SEIDefinition(6, "新能源产业", "New energy"),
    SEIDefinition(7, "节能环保产业", "Energy conservation and environmental protection"),
    SEIDefinition(8, "数字创意产业", "Digital creative"),
    SEIDefinition(9, "相关服务业", "Related services"),
)
