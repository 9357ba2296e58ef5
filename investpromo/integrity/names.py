"""Enterprise names reduced to what identifies the enterprise, and place names to strip.

企业名称登记管理规定 (2021) art. 6: a name is 行政区划 + 字号 + 行业 + 组织形式, and the region
may follow the 字号 in brackets (腾讯科技（深圳）有限公司). So a name is read as: a leading place
(深圳市…), bracketed places ((深圳), (中国)), a legal-form ending (有限公司, Co., Ltd.) and a
branch ending (…哈尔滨分公司); what remains is the core (字号 + 行业) two spellings of one
enterprise share. Text is NFKC-normalised (full-width brackets and digits become ASCII) and
traditional characters become simplified (OpenCC t2s, bundled dictionaries, nothing fetched).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")

# Longest first: 集团股份有限公司 must go whole, not leave 集团股份.
LEGAL_FORMS = sorted(
    [
        "集团股份有限公司",
        "集团有限责任公司",
        "集团有限公司",
        "股份有限公司",
        "有限责任公司",
        "股份合作公司",
        "有限合伙企业",
        "有限合伙",
        "合伙企业",
        "有限公司",
        "股份公司",
        "总公司",
        "公司",
        "集团",
        "coltd",
        "companylimited",
        "limited",
        "ltd",
        "co",
        "incorporated",
        "inc",
        "corporation",
        "corp",
        "group",
        "llc",
        "gmbh",
        "plc",
        "sa",
        "ag",
    ],
    key=len,
    reverse=True,
)
# A branch is named as its parent plus a place and one of these (企业名称登记管理规定实施办法).
_BRANCH = re.compile(r"(分公司|分厂|办事处|分部|分店|分行|分支机构)$")
_BRACKETED = re.compile(r"\(([^()]*)\)")
# Kept: letters, digits and CJK; dropped: spaces, punctuation, dots of "Co., Ltd.".
_NOT_NAME = re.compile(r"[^0-9a-z\u3400-\u9fff]+")
# A bare place name (without 市/省/县…) is taken off the front only when this much is left:
# 东方电气 keeps 东方 (东方市 is a city), 深圳华创新材料科技 loses 深圳.
_MIN_REST_AFTER_SHORT_PLACE = 4
_MIN_REST = 2
# Country names that lead or bracket enterprise names (中国…, (中国)) beside geo's regions.
_COUNTRY_FULL, _COUNTRY_SHORT = "中华人民共和国", "中国"


def to_simplified(text: str) -> str:
    """NFKC, then traditional → simplified characters."""
    if not text:
        return ""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _T2S.convert(text)


class Places:
    """Place names to strip: full names (with 市/省/县…) and bare short names.

    Indexed by their first two characters (every name has two), longest first, so finding the
    place a text starts with looks at a handful of names, not all 3,000 regions.
    """

    def __init__(self, full, short):
        self.full = self._index(full)
        self.short = self._index(short)

    @staticmethod
    def _index(names) -> dict[str, tuple[str, ...]]:
        by_first: dict[str, list[str]] = {}
        for name in set(names):
            by_first.setdefault(name[:2], []).append(name)
        return {
            first: tuple(sorted(group, key=len, reverse=True)) for first, group in by_first.items()
        }

    @classmethod
    def of(cls, pairs) -> "Places":
        """From (name, short_name) pairs such as geo's regions."""
        full, short = {_COUNTRY_FULL}, {_COUNTRY_SHORT}
        for name, short_name in pairs:
            if name:
                full.add(name)
            if short_name and len(short_name) >= 2 and short_name != name:
                short.add(short_name)
        return cls(full, short)

    def is_place(self, text: str) -> bool:
        rest = text
        while rest:
            head = self.leading(rest, min_rest=0)
            if head is None:
                return False
            rest = rest[len(head) :]
        return True

    def leading(self, text: str, *, min_rest: int = _MIN_REST) -> str | None:
        """The longest place name that text starts with, if enough is left after it.

        min_rest=0 asks whether text is made of places (nothing need be left)."""
        head = text[:2]
        for name in self.full.get(head, ()):
            if len(name) <= len(text) - min_rest and text.startswith(name):
                return name
        short_rest = max(min_rest, _MIN_REST_AFTER_SHORT_PLACE) if min_rest else 0
        for name in self.short.get(head, ()):
            if len(name) <= len(text) - short_rest and text.startswith(name):
                return name
        return None

    def strip_leading(self, text: str) -> tuple[str, list[str]]:
        """Text without its leading place names (广东省深圳市…), and those names."""
        taken = []
        while (head := self.leading(text)) is not None:
            taken.append(head)
            text = text[len(head) :]
        return text, taken


@dataclass(frozen=True, slots=True)
class EnterpriseName:
    """An enterprise name taken apart: its core and what was taken off it."""

    raw: str
    core: str
    places: tuple[str, ...]
    legal_form: str
    branch: str


_LEGAL_FORM_AT_END = re.compile("(?:" + "|".join(LEGAL_FORMS) + ")$")


def _take_legal_forms(text: str) -> tuple[str, str]:
    """Text without its legal-form endings (集团 + 有限公司…), and those endings."""
    taken = []
    while (found := _LEGAL_FORM_AT_END.search(text)) and found.start() >= _MIN_REST:
        taken.insert(0, found.group(0))
        text = text[: found.start()]
    return text, "".join(taken)


def parse_enterprise_name(name: str, places: Places) -> EnterpriseName:
    """Take a name apart into core, places, legal form and branch (see the module docstring)."""
    text = to_simplified(name).casefold()
    found_places: list[str] = []
    branch = ""
    # A branch: the parent's full name, then a place, then 分公司 ("…有限公司哈尔滨分公司").
    match = _BRANCH.search(text)
    if match:
        for form in ("有限公司", "公司", "集团"):
            cut = text.rfind(form, 0, match.start())
            if cut > 0:
                branch = text[cut + len(form) :]
                text = text[: cut + len(form)]
                break

    def bracketed(found: re.Match) -> str:
        inside = _NOT_NAME.sub("", found.group(1))
        if places.is_place(inside):
            found_places.append(inside)
            return ""
        if inside in LEGAL_FORMS:
            return ""
        return inside

    text = _BRACKETED.sub(bracketed, text)
    text = _NOT_NAME.sub("", text)
    text, legal_form = _take_legal_forms(text)
    text, leading = places.strip_leading(text)
    # A bracketed place can stand before the legal form once that is gone: 华创(深圳)科技.
    return EnterpriseName(
        raw=name, core=text, places=(*leading, *found_places), legal_form=legal_form, branch=branch
    )


def is_short_name(short: str, full: str) -> bool:
    """Whether `short` abbreviates `full`: same first two characters, its characters in order.

    华创新材 abbreviates 华创新材料科技; 华创能源 does not. A short name is only a hint: the
    scan asks that the rest agree (region, destination, project) before it trusts one.
    """
    if len(short) >= len(full) or len(short) < 2 or short[:2] != full[:2]:
        return False
    position = 2
    for char in short[2:]:
        position = full.find(char, position)
        if position < 0:
            return False
        position += 1
    return True


@lru_cache(maxsize=1)
def region_places() -> Places:
    """Places from geo's regions (read once per process; call region_places.cache_clear() after
    loading regions)."""
    from investpromo.geo.models import Region

    return Places.of(Region.objects.values_list("name", "short_name"))
