"""The words of an amount: token kinds, Chinese numerals, currency and scale words, the tokenizer."""

import re
from dataclasses import dataclass
from decimal import Decimal

from investpromo.imports.values._common import _Reason, _words

# --- amounts: tokens ---------------------------------------------------------------------------

NUM, ZERO, SMALL, BIG, CUR, APPROX, INNER, PLUS, DASH, TILDE, CONN, UPPER, SEP, LABEL = _words(
    "num zero small big cur approx inner plus dash tilde conn upper sep label"
)
_RUN_KINDS = frozenset({NUM, ZERO, SMALL, BIG, INNER})


@dataclass(frozen=True)
class _Token:
    """One word of an amount: a number, a multiplier, a currency or a marker."""

    kind: str
    text: str
    value: Decimal | None = None
    # A single digit 1–9: colloquially "三千五" means 3500, so such a digit scales down.
    single: bool = False
    currency: str | None = None
    # 元 and $ give way to a named currency ("HK$ 5亿元" is HKD); named currencies conflict.
    weak: bool = False
    # A unit noun (元, 美元, yuan) says the number is in whole currency units.
    noun: bool = False


_CHINESE_DIGITS = {
    "一": 1, "壹": 1, "二": 2, "两": 2, "兩": 2, "贰": 2, "貳": 2, "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6, "七": 7, "柒": 7,
    "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_CHINESE_ZEROS = "零〇"
_CHINESE_DECIMAL_DIGITS = {**_CHINESE_DIGITS, "零": 0, "〇": 0}

# Currency words: (currency, weak, noun).
_CURRENCY_WORDS: dict[str, tuple[str, bool, bool]] = {
    "人民币": ("CNY", False, False),
    "rmb": ("CNY", False, False),
    "cny": ("CNY", False, False),
    "renminbi": ("CNY", False, False),
    "¥": ("CNY", False, False),
    "元": ("CNY", True, True),
    "圆": ("CNY", True, True),
    "yuan": ("CNY", True, True),
    "美元": ("USD", False, True),
    "美金": ("USD", False, True),
    "usd": ("USD", False, False),
    "us$": ("USD", False, False),
    "us dollars": ("USD", False, True),
    "us dollar": ("USD", False, True),
    "u.s. dollars": ("USD", False, True),
    "$": ("USD", True, False),
    "dollars": ("USD", True, True),
    "dollar": ("USD", True, True),
    "港元": ("HKD", False, True),
    "港币": ("HKD", False, True),
    "港幣": ("HKD", False, True),
    "hkd": ("HKD", False, False),
    "hk$": ("HKD", False, False),
    "hk dollars": ("HKD", False, True),
    "hk dollar": ("HKD", False, True),
    "hong kong dollars": ("HKD", False, True),
    "欧元": ("EUR", False, True),
    "eur": ("EUR", False, False),
    "€": ("EUR", False, False),
    "euros": ("EUR", False, True),
    "euro": ("EUR", False, True),
    "日元": ("JPY", False, True),
    "日圆": ("JPY", False, True),
    "円": ("JPY", False, True),
    "jpy": ("JPY", False, False),
    "yen": ("JPY", False, True),
}
_SMALL_WORDS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_WORDS = {
    "万亿": Decimal("1e12"),
    "萬億": Decimal("1e12"),
    "亿": Decimal("1e8"),
    "億": Decimal("1e8"),
    "万": Decimal("1e4"),
    "萬": Decimal("1e4"),
    "trillion": Decimal("1e12"),
    "tn": Decimal("1e12"),
    "billion": Decimal("1e9"),
    "bn": Decimal("1e9"),
    "b": Decimal("1e9"),
    "million": Decimal("1e6"),
    "mln": Decimal("1e6"),
    "mn": Decimal("1e6"),
    "mio": Decimal("1e6"),
    "m": Decimal("1e6"),
    "thousand": Decimal("1e3"),
    "k": Decimal("1e3"),
}
_OTHER_WORDS = {
    # "About", and lower bounds: recorded as the stated figure, flagged approximate.
    **dict.fromkeys(
        _words(
            "约 大约 约为 约合 大概 近 将近 接近 超 超过 逾 多于 高于 至少 不少于 不低于 以上 左右 上下 "
            "approx. approx approximately about around roughly nearly almost over circa ca. ≈ > ≥ >="
        ),
        APPROX,
    ),
    # "8000余万", "十多亿": inside the number, still a lower bound.
    **dict.fromkeys(_words("多 余 餘"), INNER),
    # Upper bounds are caps, not amounts.
    **dict.fromkeys(
        _words("以下 以内 不超过 不到 不足 低于 少于 最多 under below < ≤ <="),
        UPPER,
    ),
    "less than": UPPER,
    "up to": UPPER,
    "at most": UPPER,
    "more than": APPROX,
    "at least": APPROX,
    "+": PLUS,
    "-": DASH,
    "−": DASH,
    "–": DASH,
    "‐": DASH,
    "—": CONN,
    "——": CONN,
    "至": CONN,
    "到": CONN,
    "to": CONN,
    "~": TILDE,
    "〜": TILDE,
    **dict.fromkeys(_words(", ; / 、 : ( ) [ ] 【 】"), SEP),
    "单位": LABEL,
    "unit": LABEL,
}
_WORDS: dict[str, _Token] = {
    **{
        word: _Token(CUR, word, currency=currency, weak=weak, noun=noun)
        for word, (currency, weak, noun) in _CURRENCY_WORDS.items()
    },
    **{word: _Token(SMALL, word, value=Decimal(v)) for word, v in _SMALL_WORDS.items()},
    **{word: _Token(BIG, word, value=v) for word, v in _BIG_WORDS.items()},
    **{word: _Token(kind, word) for word, kind in _OTHER_WORDS.items()},
}


def _word_pattern(word: str) -> str:
    """A word as a regex; words ending in a Latin letter must not run on into another letter."""
    return re.escape(word) + ("(?![a-z])" if word[-1].isascii() and word[-1].isalpha() else "")


_TOKEN_RE = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<num>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?(?:e[+-]?[0-9]{1,3})?|\.[0-9]+)"
    rf"|(?P<cdec>[{''.join(_CHINESE_DECIMAL_DIGITS)}]点[{''.join(_CHINESE_DECIMAL_DIGITS)}]+)"
    rf"|(?P<cdigit>[{''.join(_CHINESE_DIGITS)}])"
    rf"|(?P<czero>[{_CHINESE_ZEROS}])"
    rf"|(?P<word>{'|'.join(_word_pattern(w) for w in sorted(_WORDS, key=len, reverse=True))})"
)


def _tokenize(text: str) -> list[_Token]:
    """Split cleaned, case-folded text into tokens; unknown characters are an error."""
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN_RE.match(text, position)
        if match is None:
            # Quote the whole unknown word ("abc"), not just its first letter.
            unknown = re.match(r"[a-z]+|.", text[position:])
            assert unknown is not None
            raise _Reason(f'"{unknown.group()}" is not part of an amount')
        kind, token_text = match.lastgroup, match.group()
        position = match.end()
        if kind == "ws":
            continue
        if kind == "num":
            following = text[position : position + 2]
            if following[:1].isdigit() or re.match(r"[.,][0-9]", following):
                raise _Reason(
                    "the thousands separators or decimal point are unclear (write 3,500 or 3500.5)"
                )
            value = Decimal(token_text.replace(",", ""))
            single = len(token_text) == 1
            tokens.append(_Token(NUM, token_text, value=value, single=single))
        elif kind == "cdec":
            whole, fraction = token_text.split("点")
            digits = "".join(str(_CHINESE_DECIMAL_DIGITS[c]) for c in fraction)
            value = Decimal(f"{_CHINESE_DECIMAL_DIGITS[whole]}.{digits}")
            tokens.append(_Token(NUM, token_text, value=value))
        elif kind == "cdigit":
            value = Decimal(_CHINESE_DIGITS[token_text])
            tokens.append(_Token(NUM, token_text, value=value, single=True))
        elif kind == "czero":
            tokens.append(_Token(ZERO, token_text, value=Decimal(0)))
        else:
            tokens.append(_WORDS[token_text])
    return tokens
