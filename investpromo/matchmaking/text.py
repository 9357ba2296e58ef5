"""What a participant offers or seeks, as features for text similarity (no model, no download).

Chinese has no spaces, so a run of Chinese characters becomes its character bigrams (石墨烯导热膜
→ 石墨 墨烯 烯导 导热 热膜): two texts naming the same thing share them whatever words surround
it. Latin text becomes lower-case words. A short glossary puts the Chinese term beside common
English industry words, so that "graphene" in an English profile meets 石墨烯 in a Chinese one.
Words every profile uses (提供, 合作, seeking…) are dropped: they would make everyone similar.
"""

import re
import unicodedata
from functools import lru_cache

_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:[-'][a-z0-9]+)*")

# Bigrams that say how a profile is written, not what it is about.
_GENERIC_BIGRAMS = frozenset(
    """提供 寻求 寻找 需求 需要 希望 意向 合作 项目 企业 公司 有限 集团 相关 以及 我们 进行 引进
    开展 具有 拥有 欢迎 对接 洽谈 投资 优质 优势 发展 建设 产业 行业 领域 方面 服务 资源""".split()  # noqa: SIM905 — easier to read and extend as prose
)
_GENERIC_WORDS = re.compile("|".join(sorted(_GENERIC_BIGRAMS)))
_ENGLISH_STOP = frozenset(
    """a an and are as at be by for from in into is it its of on or our the to we with
    seek seeks seeking offer offers offering looking need needs want partner partners
    cooperation project projects company companies investment investors investor our us
    provide provides providing related industry industries development""".split()  # noqa: SIM905 — easier to read and extend as prose
)

# English industry words and the Chinese term they stand for (lower case, singular).
GLOSSARY = {
    "graphene": "石墨烯",
    "graphite": "石墨",
    "thermal": "导热",
    "film": "薄膜",
    "land": "用地",
    "plant": "厂房",
    "factory": "厂房",
    "battery": "电池",
    "batteries": "电池",
    "lithium": "锂",
    "hydrogen": "氢能",
    "solar": "光伏",
    "photovoltaic": "光伏",
    "wind": "风电",
    "semiconductor": "半导体",
    "chip": "芯片",
    "chips": "芯片",
    "robot": "机器人",
    "robotics": "机器人",
    "drone": "无人机",
    "vehicle": "汽车",
    "vehicles": "汽车",
    "biomass": "生物质",
    "pharmaceutical": "医药",
    "medicine": "医药",
    "soybean": "大豆",
    "rice": "水稻",
    "dairy": "乳制品",
    "data": "数据",
    "computing": "算力",
    "cloud": "云计算",
    "logistics": "物流",
    "tourism": "旅游",
    "ice": "冰雪",
    "snow": "冰雪",
    "steel": "钢铁",
    "petrochemical": "石化",
    "software": "软件",
    "agriculture": "农业",
    "equipment": "装备",
}


def text_features(text: str) -> list[str]:
    """The features of one text: Chinese character bigrams and English words (with glossary)."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    features: list[str] = []
    for run in _RUN.findall(text):
        if run[0].isascii():
            if run in _ENGLISH_STOP or len(run) < 2:
                continue
            features.append(run)
            chinese = GLOSSARY.get(run) or GLOSSARY.get(run.removesuffix("s"))
            if chinese:
                features.extend(_bigrams(chinese))
        else:
            features.extend(_bigrams(run))
    return features


def _bigrams(run: str) -> list[str]:
    """Bigrams of the pieces between generic words (寻求石墨烯 gives 石墨 墨烯, not 求石)."""
    grams = []
    for piece in _GENERIC_WORDS.split(run):
        if len(piece) == 1 and piece == run:  # 锂 alone; not the 园 left of 产业园
            grams.append(piece)
        grams.extend(piece[i : i + 2] for i in range(len(piece) - 1))
    return grams


@lru_cache(maxsize=50_000)
def _runs(text: str) -> tuple[str, ...]:
    return tuple(_RUN.findall(unicodedata.normalize("NFKC", text or "").lower()))


@lru_cache(maxsize=50_000)
def _vocabulary(text: str) -> tuple[frozenset[str], frozenset[str], str]:
    """The Chinese bigrams and the English words of a text, and the text normalised."""
    runs = _runs(text)
    words = frozenset(run for run in runs if run[0].isascii())
    bigrams = frozenset(
        run[i : i + 2] for run in runs if not run[0].isascii() for i in range(len(run) - 1)
    )
    return bigrams, words, unicodedata.normalize("NFKC", text or "").lower()


def shared_phrase(seeks: str, offers: str) -> str:
    """The longest piece of text both say (e.g. 石墨烯), or a shared word: the reason's words.

    Called for every kept pair of a run, so it walks the shorter text once against the other's
    cached bigrams instead of searching every substring.
    """
    bigrams, words, right = _vocabulary(offers)
    best = ""
    for run in _runs(seeks):
        if run[0].isascii():
            if run in words and run not in _ENGLISH_STOP and len(run) >= 3 and len(run) > len(best):
                best = run
            continue
        start = 0
        while start < len(run) - 1:
            end = start
            while end < len(run) - 1 and run[end : end + 2] in bigrams:
                end += 1
            piece = run[start : end + 1]
            if end > start and len(piece) > len(best) and not _generic(piece):
                # Consecutive shared bigrams are nearly always one shared piece; check it.
                while len(piece) > len(best) and piece not in right:
                    piece = piece[:-1]
                if len(piece) > max(1, len(best)) and not _generic(piece):
                    best = piece
            start = max(end, start + 1)
    if best:
        return best
    # Matched through the glossary only: name the English word and its Chinese term.
    left = unicodedata.normalize("NFKC", seeks or "").lower()
    for run in (*_runs(seeks), *_runs(offers)):
        chinese = GLOSSARY.get(run) or GLOSSARY.get(run.removesuffix("s"))
        if chinese and (chinese in left or chinese in right):
            return f"{run} / {chinese}"
    return ""


def _generic(piece: str) -> bool:
    return len(piece) == 2 and piece in _GENERIC_BIGRAMS
