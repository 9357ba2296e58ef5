"""Recognising the header row of a signing list and the column each header names."""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import NamedTuple

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "project_name": ("项目名称", "项目", "项目名", "project", "project name"),
    "investor": (
        "投资方",
        "签约企业",
        "投资主体",
        "签约单位",
        "企业名称",
        "签约方",
        "投资企业",
        "投资商",
        "investor",
        "company",
    ),
    "destination": (
        "落地地区",
        "项目落地地",
        "落户地",
        "所在地区",
        "项目地点",
        "项目所在地",
        "落户地区",
        "destination",
        "location",
    ),
    "contract_value": (
        "签约金额",
        "投资额",
        "总投资",
        "协议投资额",
        "合同金额",
        "金额",
        "签约额",
        "协议金额",
        "投资金额",
        "投资总额",
        "总投资额",
        "计划总投资",
        "contract value",
        "investment",
        "amount",
    ),
    "serial": ("序号", "序", "No.", "No", "#"),
    "uscc": ("统一社会信用代码", "信用代码", "USCC", "credit code"),
    "origin": ("投资方所在地", "企业所在地", "客商来源地", "来源地", "origin"),
    "currency": ("币种", "currency"),
    "sei": (
        "战略性新兴产业",
        "战新产业",
        "是否战略性新兴产业",
        "SEI",
        "strategic emerging industry",
    ),
    "industry_code": ("行业代码", "国民经济行业代码", "industry code"),
    "industry_text": ("所属行业", "行业", "产业类别", "industry", "sector"),
    "signing_date": ("签约日期", "签约时间", "date", "signing date"),
    "agreement_type": ("签约类型", "协议类型", "合同类型", "agreement type"),
    "notes": ("备注", "说明", "notes"),
    # The amount as written, beside a numeric value column (an InvestPromo export writes one).
    "value_text": ("金额原文", "签约金额原文", "amount as written"),
}
REQUIRED: tuple[str, ...] = ("project_name", "investor", "destination", "contract_value")

_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
# Required-field markers and trailing colons that templates put around header text.
_DECORATION = "*※:："
# A trailing bracketed part: "签约金额（亿元）", "Investment (USD million)", "金额【万美元】".
_BRACKETED = re.compile(
    r"^(.*?)\s*[(\[【〔<《]([^()\[\]【】〔〕<>《》]*)[)\]】〕>》]\s*$", re.DOTALL
)
_UNIT_LABEL = re.compile(r"^(?:单位|unit)\s*[:：]?\s*", re.IGNORECASE)


def _key(text: str) -> str:
    """NFKC, case-folded, without any whitespace or required-field markers: how headers compare."""
    value = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold()
    return value.strip(_DECORATION)


class Vocabulary:
    """The columns one kind of spreadsheet may have, and which of them make a header row."""

    def __init__(self, aliases: dict[str, tuple[str, ...]], required: tuple[str, ...]):
        self.aliases = aliases
        self.required = required
        self.index = {_key(alias): column for column, names in aliases.items() for alias in names}


SIGNING_LIST = Vocabulary(COLUMN_ALIASES, REQUIRED)


@dataclass(frozen=True)
class HeaderMatch:
    """A header cell that names a known column, with the unit written after it, if any."""

    key: str
    unit: str | None
    text: str


class HeaderRow(NamedTuple):
    """The header row: its index, the recognised columns and the unrecognised header cells."""

    index: int
    columns: dict[int, HeaderMatch]
    # (column index, header text) of non-empty headers that name no known column, plus the
    # later of two headers naming the same column: the importer keeps these as extra attributes.
    unknown: list[tuple[int, str]]


def match_header(cell: object, vocabulary: Vocabulary = SIGNING_LIST) -> HeaderMatch | None:
    """The column a header cell names ("签约金额（亿元）" → contract_value, unit 亿元), or None."""
    if cell is None or isinstance(cell, bool):
        return None
    text = str(cell)
    key = _key(text)
    if not key:
        return None
    if key in vocabulary.index:
        return HeaderMatch(vocabulary.index[key], None, text)
    match = _BRACKETED.match(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        return None
    column = vocabulary.index.get(_key(match.group(1)))
    if column is None:
        return None
    unit = _UNIT_LABEL.sub("", " ".join(match.group(2).split()))
    return HeaderMatch(column, unit or None, text)


def find_header_row(
    rows: Iterable[Sequence[object]], max_rows: int = 20, vocabulary: Vocabulary = SIGNING_LIST
) -> HeaderRow | None:
    """The first of the first max_rows rows that names every required column, or None.

    When two cells name the same column the first wins; the second is listed as unknown.
    """
    for index, row in enumerate(islice(rows, max_rows)):
        columns: dict[int, HeaderMatch] = {}
        unknown: list[tuple[int, str]] = []
        seen: set[str] = set()
        for position, cell in enumerate(row):
            match = match_header(cell, vocabulary)
            if match is not None and match.key not in seen:
                columns[position] = match
                seen.add(match.key)
            elif cell is not None and str(cell).strip():
                unknown.append((position, str(cell).strip()))
        if seen.issuperset(vocabulary.required):
            return HeaderRow(index, columns, unknown)
    return None


_SUMMARY_LABELS = frozenset({"total", "subtotal", "sub-total", "grandtotal"})
_SUMMARY_CHINESE = re.compile(
    r"^(?:本页|本表|全市|全区|全县|全省|全部|以上)?(?:合计|总计|小计|共计)$"
)


def is_summary_label(cell: object) -> bool:
    """True for a totals-row label: 合计, 总计, 小计, Total, Subtotal, Grand total (spaces ignored)."""
    if not isinstance(cell, str):
        return False
    key = _key(cell)
    return key in _SUMMARY_LABELS or bool(_SUMMARY_CHINESE.match(key))
