"""Project names reduced to what two spellings of one project share, and their phase.

Lists write one project as 年产十万吨石墨负极材料项目（一期）, 年产10万吨石墨负极材料建设项目 or
石墨負極材料項目: after NFKC and traditional → simplified, Chinese numerals become digits
(十万 → 10万: 万 and 亿 stay, as both spellings keep them), the phase marker is taken out
(一期 is the project itself; 二期 and later are later phases, other projects), leading place
names and the endings 建设/项目/工程 go. What is left is compared with rapidfuzz.
"""

import re
from typing import NamedTuple

from rapidfuzz import fuzz

from investpromo.integrity.names import Places, to_simplified

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_DIGITS.update({"七": 7, "八": 8, "九": 9})
_UNITS = {"十": 10, "百": 100, "千": 1000}
# Alone, these are words more often than numbers: 零部件, 两岸, 千瓦, 百货.
_NOT_NUMBERS_ALONE = {"零", "〇", "两", "百", "千"}
_NUMERAL_RUN = re.compile(r"[零〇一二两三四五六七八九十百千]+")
# 第二期, 二期, 2期, (二期), phase marker anywhere; 期 after a date (2024年6期) is rare in names.
_PHASE = re.compile(r"第?(\d+)期(?:工程|项目)?")
_NOT_NAME = re.compile(r"[^0-9a-z\u3400-\u9fff]+")
_LEADING = ("新建", "建设", "投资建设", "投资")
_TRAILING = ("建设项目", "项目", "建设", "工程", "签约")


def chinese_to_digits(text: str) -> str:
    """Runs of Chinese numerals (below 万) as digits: 十 → 10, 二十三 → 23, 一五 → 15."""

    def value(match: re.Match) -> str:
        run = match.group(0)
        if run in _NOT_NUMBERS_ALONE:
            return run
        if not any(char in _UNITS for char in run):
            return "".join(str(_DIGITS[char]) for char in run)  # 一五 reads digit by digit
        total, digit = 0, None
        for char in run:
            if char in _UNITS:
                total += (1 if digit is None else digit) * _UNITS[char]
                digit = None
            else:
                digit = _DIGITS[char]
        return str(total + (digit or 0))

    return _NUMERAL_RUN.sub(value, text) if _NUMERAL_RUN.search(text) else text


class ProjectName(NamedTuple):
    """A project name as compared: its key and its phase (1 when none is written)."""

    key: str
    phase: int


def parse_project_name(name: str, places: Places) -> ProjectName:
    text = chinese_to_digits(to_simplified(name).casefold())
    phase = 1
    if "期" in text:
        phases = [int(found) for found in _PHASE.findall(text)]
        phase = max(phases, default=1)
        text = _PHASE.sub("", text)
    text = _NOT_NAME.sub("", text)
    text, _ = places.strip_leading(text)
    changed = True
    while changed:
        changed = False
        for word in _TRAILING:
            if text.endswith(word) and len(text) > len(word) + 1:
                text, changed = text[: -len(word)], True
        for word in _LEADING:
            if text.startswith(word) and len(text) > len(word) + 1:
                text, changed = text[len(word) :], True
    return ProjectName(key=text, phase=phase)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def name_similarity(a: str, b: str) -> float:
    """0–1: how far two project keys agree, allowing reordering and padding.

    The best of: edit similarity (rapidfuzz ratio); the shorter key found in the longer one
    (partial_ratio), discounted, for padded names (年产10万吨石墨负极材料 / 石墨负极材料), only when
    the shorter has at least 4 characters; the share of character pairs in common (Dice), for
    reordered ones.
    """
    if a == b:
        return 1.0
    ratio = fuzz.ratio(a, b) / 100
    if ratio >= 0.95:
        return ratio  # nothing below can matter
    shorter = min(len(a), len(b))
    partial = 0.95 * fuzz.partial_ratio(a, b) / 100 if shorter >= 4 else 0.0
    pairs_a, pairs_b = _bigrams(a), _bigrams(b)
    dice = 2 * len(pairs_a & pairs_b) / (len(pairs_a) + len(pairs_b))
    return max(ratio, partial, dice)
