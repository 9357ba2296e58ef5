"""Pure parsers for the cells of a signing list: amounts, currencies, dates, agreement types, SEI.

Every parser accepts whatever a spreadsheet reader hands over (str, int, float, Decimal,
datetime, None, bool) and either returns a value or raises ParseError quoting the cell; no
other exception escapes. Money is Decimal throughout: an Excel float is read through its
shortest repr (12.5 → Decimal('12.5')), never through float arithmetic.
"""

import calendar
import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, DecimalException, Inexact, InvalidOperation, localcontext

from investpromo.core.errors import UserError
from investpromo.sectors.sei import SEI_INDUSTRIES


class ParseError(UserError):
    """A cell that cannot be read as the value its column needs; `reason` omits the quoted cell."""

    def __init__(self, message: str, *, reason: str | None = None, value: str | None = None):
        super().__init__(message)
        self.reason = reason or message
        self.value = value


class _Reason(Exception):
    """Internal: why a cell failed, before the cell is quoted into a ParseError."""


CURRENCIES: tuple[str, ...] = ("CNY", "USD", "HKD", "EUR", "JPY")
# Nothing signed is worth more than this in any supported currency; larger means a unit mistake.
MAX_AMOUNT = Decimal("1e15")
# Less than one fen or cent: a unit mistake, not an investment.
MIN_AMOUNT = Decimal("0.01")
# Excel's 1900 date system: serial 61 is 1900-03-01, and the epoch absorbs its 1900-02-29 bug.
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Signing dates outside this window are typing mistakes (the PRC ledger starts after 1949).
MIN_DATE = datetime.date(1950, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)

_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")


def _words(text: str) -> list[str]:
    """The space-separated words of a literal: keeps long word lists on a few lines."""
    return text.split()


def _clean(text: str) -> str:
    """NFKC, zero-width characters removed, whitespace runs collapsed, trimmed."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))).strip()


def _squash(text: str) -> str:
    """_clean, case-folded, with every space removed: the key for matching words."""
    return _clean(text).casefold().replace(" ", "")


def _shown(cell: object) -> str:
    """The cell as the user typed it, shortened for a message."""
    text = repr(cell) if isinstance(cell, float) else str(cell).strip()
    return text if len(text) <= 60 else text[:57] + "…"


def _number(cell: float | int | Decimal) -> Decimal:
    """An Excel number as an exact Decimal (floats through their shortest repr)."""
    value = Decimal(repr(cell)) if isinstance(cell, float) else Decimal(cell)
    if not value.is_finite():
        raise _Reason("it is not a finite number")
    return value


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


# --- amounts: evaluation -----------------------------------------------------------------------


def _evaluate(run: list[_Token], *, bare: bool = False) -> Decimal:
    """The value of one number written with Arabic or Chinese digits, 万/亿 and English scales.

    With bare=True (header units) a scale word on its own counts as one of it: "万" is 10,000.
    """
    total = section = Decimal(0)
    pending: _Token | None = None
    # The multiplier written right before the pending digit, unless a 零 came between.
    pending_after: _Token | None = None
    previous: _Token | None = None
    last_small: Decimal | None = None
    last_big: Decimal | None = None
    saw_digit = False
    # Whether anything was written since the last 万/亿: "5亿万" has nothing before 万.
    section_written = False

    def close(at_end: bool) -> Decimal:
        if pending is None:
            return Decimal(0)
        value = pending.value
        assert value is not None
        after = pending_after
        if after is None or after.value is None or after.value <= 10:
            return value
        if after.kind == BIG and not at_end:
            return value  # "1 billion 200 million": the 200 belongs to the million
        if pending.single:
            return value * after.value / 10  # "三千五" is 3500, "一亿二" is 1.2亿
        if after.kind == SMALL and value == value.to_integral_value() and value < after.value:
            return value  # "3千500"
        raise _Reason(f'"{after.text}{pending.text}" is ambiguous; write the full number')

    for token in run:
        if token.kind == NUM:
            if pending is not None:
                raise _Reason("it contains two numbers side by side")
            pending, saw_digit, section_written = token, True, True
            pending_after = (
                previous if previous is not None and previous.kind in (SMALL, BIG) else None
            )
        elif token.kind == ZERO:
            if pending is not None:
                raise _Reason(f'"{pending.text}{token.text}" is not a number')
            saw_digit = section_written = True
        elif token.kind == SMALL:
            assert token.value is not None
            if last_small is not None and token.value >= last_small:
                raise _Reason(f'"{token.text}" is repeated or out of order')
            base = pending.value if pending is not None else Decimal(1)
            assert base is not None
            section += base * token.value
            pending, last_small, section_written = None, token.value, True
        elif token.kind == BIG:
            assert token.value is not None
            if last_big is not None and token.value >= last_big:
                raise _Reason(f'"{token.text}" is repeated or out of order; write a single number')
            if section_written:
                value = section + close(at_end=False)
            elif bare and last_big is None:
                value = Decimal(1)
            else:
                raise _Reason(f'there is no number before "{token.text}"')
            total += value * token.value
            section, pending, last_small, last_big = Decimal(0), None, None, token.value
            section_written = False
        previous = token if token.kind != INNER else previous
        if token.kind == ZERO:
            previous = None
    total += section + close(at_end=True)
    if not saw_digit and not bare and total == 0:
        raise _Reason("there is no number in it")
    return total


@dataclass(frozen=True)
class _Reading:
    """What the tokens of one amount say."""

    run: list[_Token]
    currency: str | None
    currency_explicit: bool
    approximate: bool
    has_noun: bool


def _currency_of(tokens: Iterable[_Token]) -> tuple[str | None, bool]:
    """The currency the tokens name, and whether a named (not generic 元/$) currency did."""
    strong = {t.currency for t in tokens if t.kind == CUR and not t.weak}
    weak = {t.currency for t in tokens if t.kind == CUR and t.weak}
    if len(strong) > 1 or (not strong and len(weak) > 1):
        names = ", ".join(sorted(c for c in strong or weak if c))
        raise _Reason(f"it names more than one currency ({names})")
    if strong:
        return strong.pop(), True
    return (weak.pop() if weak else None), False


def _read(tokens: list[_Token], *, unit: bool = False) -> _Reading:
    """Split tokens into the one number run and what surrounds it, rejecting ranges and bounds."""
    groups: list[list[_Token] | _Token] = []
    for token in tokens:
        if token.kind in _RUN_KINDS:
            if groups and isinstance(groups[-1], list):
                groups[-1].append(token)
            else:
                groups.append([token])
        else:
            groups.append(token)
    runs = [i for i, group in enumerate(groups) if isinstance(group, list)]
    if len(runs) > 1:
        between = groups[runs[0] + 1 : runs[1]]
        if any(isinstance(g, _Token) and g.kind in (DASH, TILDE, CONN) for g in between):
            raise _Reason("ranges are not accepted; enter one amount (e.g. the lower figure)")
        raise _Reason("it contains more than one number")
    approximate = False
    for index, group in enumerate(groups):
        if isinstance(group, list):
            approximate = approximate or any(t.kind == INNER for t in group)
            continue
        before = not runs or index < runs[0]
        kind = group.kind
        if kind == UPPER:
            raise _Reason(f'"{group.text}" gives an upper limit, not an amount')
        if unit and kind not in (CUR, SEP, LABEL):
            raise _Reason(f'"{group.text}" does not belong in a unit')
        if kind == LABEL and not unit:
            raise _Reason(f'"{group.text}" does not belong in an amount')
        if kind == APPROX or (kind == TILDE and before) or (kind == PLUS and not before):
            approximate = True
        elif kind == DASH and before and runs:
            raise _Reason("negative amounts are not accepted")
        elif kind in (DASH, TILDE, CONN):
            raise _Reason(f'"{group.text}" is out of place')
    run = groups[runs[0]] if runs else []
    assert isinstance(run, list)
    currency, explicit = _currency_of(tokens)
    has_noun = any(t.kind == CUR and t.noun for t in tokens)
    return _Reading(run, currency, explicit, approximate, has_noun)


# --- amounts: public API -----------------------------------------------------------------------


@dataclass(frozen=True)
class AmountUnit:
    """A column's unit: "亿元" is multiplier 1e8, currency CNY but not explicit (元 is generic)."""

    multiplier: Decimal
    currency: str | None
    # True when the unit names a currency (美元, USD, 人民币), not just the generic 元/$.
    currency_explicit: bool


@dataclass(frozen=True)
class Amount:
    """A parsed contract value: exact, in whole units of its currency."""

    # Exact, canonical (no exponent): 12.5亿元 is Decimal('1250000000').
    value: Decimal
    # ISO code: CNY, USD, HKD, EUR or JPY.
    currency: str
    # The cell as written; an Excel float as its shortest repr ('12.5').
    text: str
    # "约8亿", "8亿左右" and lower bounds such as "8亿+", "超10亿", "8000余万".
    approximate: bool
    # The cell itself named the currency (元, 美元, USD, ¥…) rather than the header or default.
    currency_from_cell: bool


def parse_unit(text: str | None) -> AmountUnit:
    """A header unit such as 亿元, 万美元, "USD million", "10k yuan"; blank means 元."""
    if text is None or not _clean(str(text)):
        return AmountUnit(Decimal(1), None, False)
    try:
        with localcontext() as context:
            context.prec, context.traps[Inexact] = 60, True
            reading = _read(_tokenize(_clean(str(text)).casefold()), unit=True)
            multiplier = _evaluate(reading.run, bare=True) if reading.run else Decimal(1)
    except (_Reason, DecimalException) as error:
        reason = str(error) if isinstance(error, _Reason) else "the number is out of range"
        raise ParseError(
            f'Cannot read "{_shown(text)}" as an amount unit: {reason}. '
            "Use a unit such as 元, 万元, 亿元, 万美元 or USD million.",
            reason=reason,
            value=str(text),
        ) from None
    if multiplier <= 0 or multiplier > MAX_AMOUNT:
        raise ParseError(
            f'Cannot read "{_shown(text)}" as an amount unit: its size is out of range.',
            reason="its size is out of range",
            value=str(text),
        )
    return AmountUnit(multiplier, reading.currency, reading.currency_explicit)


def parse_amount(
    cell: object, *, header_unit: str | None = None, header_currency: str | None = None
) -> Amount:
    """A contract value from a cell; a unit or currency written in the cell overrides the header's.

    Numbers without a scale word (万, 亿, million) or unit noun (元, 美元) are in header_unit;
    the currency is the cell's, else header_currency (a currency column), else the header
    unit's, else CNY. Approximate figures ("约8亿", "8亿左右") and lower bounds ("8亿+",
    "超10亿", "8000余万") are accepted at the stated figure with approximate=True; ranges,
    upper bounds, placeholders (待定, 面议, -), zero and negative amounts are ParseErrors.
    """
    unit = parse_unit(header_unit)
    default_currency = _default_currency(unit, header_currency)
    text = _cell_text(cell)
    try:
        with localcontext() as context:
            context.prec, context.traps[Inexact] = 60, True
            value, currency, approximate = _amount(cell, unit)
            value = _canonical(value)
    except _Reason as error:
        message = (
            f'Cannot read "{_shown(text)}" as an amount: {error}.'
            if text.strip()
            else "The amount is empty."
        )
        raise ParseError(message, reason=str(error), value=text) from None
    except DecimalException:
        reason = "the number is out of range"
        raise ParseError(
            f'Cannot read "{_shown(text)}" as an amount: {reason}.', reason=reason, value=text
        ) from None
    return Amount(
        value=value,
        currency=currency or default_currency,
        text=text,
        approximate=approximate,
        currency_from_cell=currency is not None,
    )


def _cell_text(cell: object) -> str:
    """The cell as written: its shortest repr for a float, str() otherwise."""
    return repr(cell) if isinstance(cell, float) else "" if cell is None else str(cell)


def _default_currency(unit: AmountUnit, header_currency: object) -> str:
    """The currency of a cell that names none; a currency column outranks the header's 元."""
    column = parse_currency(header_currency)
    if column and unit.currency_explicit and unit.currency != column:
        raise ParseError(
            f"The column unit is in {unit.currency} but the currency given is {column}; "
            "correct one of them.",
            reason="the currencies disagree",
        )
    return column or unit.currency or "CNY"


_PLACEHOLDERS = frozenset(
    _words(
        "待定 面议 另议 未定 暂无 无 不详 未知 保密 待确认 待核实 - -- --- — —— – / \\ ? ？ "
        "n/a na none null nil tbd tba tbc"
    )
)


def _amount(cell: object, unit: AmountUnit) -> tuple[Decimal, str | None, bool]:
    """Value, the currency the cell names (if any), and whether it is approximate."""
    if cell is None or (isinstance(cell, str) and not _clean(cell)):
        raise _Reason("the cell is empty")
    if isinstance(cell, bool):
        raise _Reason("a true/false value is not an amount")
    if isinstance(cell, datetime.date | datetime.time):
        raise _Reason("a date or time is not an amount")
    if isinstance(cell, int | float | Decimal):
        return _checked(_number(cell) * unit.multiplier), None, False
    if not isinstance(cell, str):
        raise _Reason(f"a {type(cell).__name__} is not an amount")
    if _squash(cell) in _PLACEHOLDERS:
        raise _Reason("it is a placeholder, not an amount; enter the amount or leave it empty")
    reading = _read(_tokenize(_clean(cell).casefold()))
    if not reading.run:
        raise _Reason("there is no number in it")
    value = _evaluate(reading.run)
    scaled = any(t.kind == BIG for t in reading.run) or reading.has_noun
    if not scaled:
        value *= unit.multiplier
    return _checked(value), reading.currency, reading.approximate


def _checked(value: Decimal) -> Decimal:
    """The value, if it is a plausible positive amount."""
    if value == 0:
        raise _Reason("zero is not a contract value")
    if value < 0:
        raise _Reason("negative amounts are not accepted")
    if value > MAX_AMOUNT:
        raise _Reason("it is implausibly large; check the unit")
    if value < MIN_AMOUNT:
        raise _Reason("it is less than 0.01; check the unit")
    return value


def _canonical(value: Decimal) -> Decimal:
    """Whole amounts without a fractional part or exponent (1250000000, not 1.25E+9)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


# Magnitude prefixes format_amount can write, and each currency's unit noun.
_FORMAT_SCALES = {"": 0, "千": 3, "万": 4, "十万": 5, "百万": 6, "千万": 7, "亿": 8, "十亿": 9,
                  "百亿": 10, "千亿": 11, "万亿": 12}  # fmt: skip
_CURRENCY_NOUNS = {"CNY": "元", "USD": "美元", "HKD": "港元", "EUR": "欧元", "JPY": "日元"}


def format_amount(value: Decimal, currency: str = "CNY", *, unit: str = "元") -> str:
    """Text such as "12.5亿元" or "3000万美元" that parse_amount reads back to the same value.

    `unit` is the magnitude with or without the noun (元, 万元, 亿, 百万元); the noun written
    is the currency's own (美元 for USD), so the text also carries the currency.
    """
    if currency not in _CURRENCY_NOUNS:
        raise UserError(f'"{currency}" is not a supported currency ({", ".join(CURRENCIES)}).')
    scale_text = _clean(unit or "")
    for noun in sorted({"元", *_CURRENCY_NOUNS.values()}, key=len, reverse=True):
        if scale_text.endswith(noun):
            if noun != "元" and noun != _CURRENCY_NOUNS[currency]:
                raise UserError(f'Unit "{unit}" does not match currency {currency}.')
            scale_text = scale_text.removesuffix(noun)
            break
    if scale_text not in _FORMAT_SCALES:
        raise UserError(f'"{unit}" is not a unit amounts can be written in (元, 万元, 亿元…).')
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise UserError(f'"{value}" is not a number.') from None
    if not number.is_finite():
        raise UserError(f'"{value}" is not a finite number.')
    text = format(number.scaleb(-_FORMAT_SCALES[scale_text]), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}{scale_text}{_CURRENCY_NOUNS[currency]}"


# --- currencies --------------------------------------------------------------------------------


def parse_currency(cell: object) -> str | None:
    """An ISO code from 人民币/RMB/¥, 美元/USD/$, 港元/HK$, 欧元/€, 日元/円…; blank is None."""
    if cell is None or (isinstance(cell, str) and not _clean(cell)):
        return None
    accepted = "人民币/CNY/RMB/¥, 美元/USD/US$/$, 港元/港币/HKD/HK$, 欧元/EUR/€, 日元/JPY/円"
    if not isinstance(cell, str):
        raise ParseError(
            f'"{_shown(cell)}" is not a currency; use one of {accepted}.',
            reason="not a currency",
            value=_cell_text(cell),
        )
    try:
        tokens = _tokenize(_clean(cell).casefold())
        if not tokens or any(t.kind not in (CUR, SEP) for t in tokens):
            raise _Reason("not a currency")
        currency, _ = _currency_of(tokens)
    except _Reason as error:
        raise ParseError(
            f'"{_shown(cell)}" is not a currency we know; use one of {accepted}.',
            reason=str(error),
            value=cell,
        ) from None
    if currency is None:
        raise ParseError(f'"{_shown(cell)}" is not a currency; use one of {accepted}.')
    return currency


# --- dates -------------------------------------------------------------------------------------

_DATE_SEPARATED = re.compile(
    r"^(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})"
    r"(?:(?:\s+|t)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?$"
)
_DATE_CHINESE = re.compile(
    r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_DATE_MONTH_ONLY = re.compile(r"^\d{4}\s*(?:年\s*\d{1,2}\s*月?|[-/.]\s*\d{1,2})$")


def parse_date(cell: object) -> datetime.date | None:
    """A date from an Excel date, serial number, YYYYMMDD, 2024-09-01, 2024/9/1 or 2024年9月1日."""
    try:
        if cell is None or (isinstance(cell, str) and not _clean(cell)):
            return None
        date = _date(cell)
    except _Reason as error:
        raise ParseError(
            f'Cannot read "{_shown(cell)}" as a date: {error}.',
            reason=str(error),
            value=_cell_text(cell),
        ) from None
    if not MIN_DATE <= date <= MAX_DATE:
        reason = f"{date.isoformat()} is outside {MIN_DATE.year}–{MAX_DATE.year}"
        raise ParseError(
            f'Cannot read "{_shown(cell)}" as a date: {reason}.',
            reason=reason,
            value=_cell_text(cell),
        )
    return date


def _date(cell: object) -> datetime.date:
    """The date a non-blank cell holds."""
    if isinstance(cell, bool):
        raise _Reason("a true/false value is not a date")
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    if isinstance(cell, datetime.time):
        raise _Reason("it is a time of day without a date")
    if isinstance(cell, int | float | Decimal):
        return _date_from_number(_number(cell))
    if not isinstance(cell, str):
        raise _Reason(f"a {type(cell).__name__} is not a date")
    text = _clean(cell).casefold()
    for pattern in (_DATE_SEPARATED, _DATE_CHINESE, _DATE_COMPACT):
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups() if g.isdigit())
            return _make_date(year, month, day)
    if _DATE_SERIAL.match(text):
        return _date_from_number(Decimal(text))
    if _DATE_MONTH_ONLY.match(text):
        raise _Reason("the day is missing")
    raise _Reason("use a date such as 2024-09-01, 2024/9/1 or 2024年9月1日")


def _make_date(year: int, month: int, day: int) -> datetime.date:
    """A date, or the reason those numbers are not one."""
    if not 1 <= month <= 12:
        raise _Reason(f"there is no month {month}")
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise _Reason(f"there is no year {year}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise _Reason(f"{year}-{month:02d} has {days} days, so day {day} does not exist")
    return datetime.date(year, month, day)


_SERIAL_MIN = (MIN_DATE - _EXCEL_EPOCH).days
_SERIAL_MAX = (MAX_DATE - _EXCEL_EPOCH).days


def _date_from_number(number: Decimal) -> datetime.date:
    """An Excel serial (days since 1899-12-30, time of day dropped) or a typed 20240901."""
    if number == number.to_integral_value() and 19000101 <= number <= 21001231:
        digits = str(int(number))
        return _make_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    if _SERIAL_MIN <= number < _SERIAL_MAX + 1:
        return _EXCEL_EPOCH + datetime.timedelta(days=int(number))
    raise _Reason(f"the number is neither an Excel date ({_SERIAL_MIN}–{_SERIAL_MAX}) nor YYYYMMDD")


# --- agreement types ---------------------------------------------------------------------------

AGREEMENT_TYPES: tuple[str, ...] = ("intent", "framework", "contract", "unspecified")
_AGREEMENT_WORDS = {
    **dict.fromkeys(
        _words(
            "意向 意向协议 意向书 投资意向书 合作意向书 意向性协议 签约意向 "
            "intent intention intentletter letterofintent loi"
        ),
        "intent",
    ),
    **dict.fromkeys(
        _words("框架 框架协议 合作框架协议 战略合作框架协议 框架合同 framework frameworkagreement"),
        "framework",
    ),
    **dict.fromkeys(
        _words(
            "合同 正式合同 投资合同 正式协议 投资协议 contract formalcontract investmentcontract"
        ),
        "contract",
    ),
    "unspecified": "unspecified",
}


def parse_agreement_type(cell: object) -> str:
    """intent (意向/意向书/LOI), framework (框架协议), contract (合同); blank is unspecified."""
    if cell is None or (isinstance(cell, str) and not _clean(cell)):
        return "unspecified"
    key = _squash(cell) if isinstance(cell, str) else None
    if key is not None and key in _AGREEMENT_WORDS:
        return _AGREEMENT_WORDS[key]
    reason = "use 意向 (intent, LOI), 框架 (framework) or 合同 (contract), or leave it empty"
    raise ParseError(
        f'"{_shown(cell)}" is not an agreement type: {reason}.',
        reason=reason,
        value=_cell_text(cell),
    )


# --- yes/no and strategic emerging industries --------------------------------------------------

_YES = frozenset(_words("是 是的 属于 y yes true t √ ✓ ✔ ☑ 1"))
_NO = frozenset(_words("否 不是 不属于 非 无 n no false f × ✗ ✘ ☐ - -- — —— – 0"))


def parse_bool_like(cell: object) -> bool | None:
    """是/Y/Yes/True/√/1 → True, 否/N/No/False/×/-/0 → False, blank → None."""
    if cell is None or (isinstance(cell, str) and not _clean(cell)):
        return None
    if isinstance(cell, bool):
        return cell
    key: str | None = None
    if isinstance(cell, int | float | Decimal):
        try:
            number = _number(cell)
        except _Reason:
            number = None
        key = str(int(number)) if number is not None and number in (0, 1) else None
    elif isinstance(cell, str):
        key = _squash(cell)
    if key in _YES:
        return True
    if key in _NO:
        return False
    reason = "use 是/否, Y/N, Yes/No, True/False, √/× or 1/0"
    raise ParseError(
        f'"{_shown(cell)}" is not yes or no: {reason}.', reason=reason, value=_cell_text(cell)
    )


SEI_STATUSES: tuple[str, ...] = ("sei", "sei_unspecified", "not_sei", "blank")


@dataclass(frozen=True)
class SEIChoice:
    """A strategic-emerging-industry cell: which of the nine, "yes" without one, "no", or blank."""

    status: str
    industry_code: int | None = None


def _english_key(text: str) -> str:
    """Case-folded English name without hyphens, "industry" or plural s ("new material")."""
    key = re.sub(r"[-_/]+", " ", _clean(text).casefold()).replace("&", " and ")
    key = re.sub(r"\s+(?:industry|industries|sector)$", "", _SPACES.sub(" ", key).strip())
    return key.removesuffix("s")


def _sei_names() -> dict[str, int]:
    """Every accepted spelling (squashed Chinese, keyed English) of the nine industries."""
    names: dict[str, int] = {}
    for definition in SEI_INDUSTRIES:
        zh = definition.name_zh
        short = zh.removesuffix("产业") if zh.endswith("产业") else zh.removesuffix("业")
        for name in (zh, short, short + "产业"):
            names[_squash(name)] = definition.code
        names[_english_key(definition.name_en)] = definition.code
    extra = {
        "next generation information technology": 1,
        "new generation it": 1,
        "high end equipment": 2,
        "biotech": 4,
        "bio": 4,
        "bioindustry": 4,
        "nev": 5,
        "energy saving and environmental protection": 7,
        "digital creativity": 8,
    }
    names.update({_english_key(k): v for k, v in extra.items()})
    return names


_SEI_NAMES = _sei_names()
_SEI_CODE_NAME = re.compile(r"^\(?([0-9]{1,2})\)?\s*[-、.:,)]?\s*(\D.*)$")


def parse_sei(cell: object) -> SEIChoice:
    """An SEI code 1–9, a name (Chinese or English), "3 新材料", yes/no, or blank."""
    if cell is None or (isinstance(cell, str) and not _clean(cell)):
        return SEIChoice("blank")
    if isinstance(cell, bool):
        return SEIChoice("sei_unspecified" if cell else "not_sei")
    try:
        code = _sei_code(cell)
        if code is not None:
            return SEIChoice("sei", code) if code else SEIChoice("not_sei")
        if isinstance(cell, str):
            key = _squash(cell)
            if key in _YES - {"1"}:
                return SEIChoice("sei_unspecified")
            if key in _NO - {"0"}:
                return SEIChoice("not_sei")
            code = _sei_by_name(cell)
            if code is not None:
                return SEIChoice("sei", code)
            match = _SEI_CODE_NAME.match(_clean(cell))
            if match:
                written, name = int(match.group(1)), match.group(2)
                named = _sei_by_name(name)
                if named is not None and 1 <= written <= 9:
                    if named != written:
                        raise _Reason(
                            f"the code and the name disagree: code {written} is "
                            f'{_sei_label(written)} but "{name}" is {_sei_label(named)}'
                        )
                    return SEIChoice("sei", written)
    except _Reason as error:
        raise ParseError(
            f'"{_shown(cell)}" is not a strategic emerging industry: {error}.',
            reason=str(error),
            value=_cell_text(cell),
        ) from None
    accepted = "; ".join(f"{d.code} {d.name_zh}" for d in SEI_INDUSTRIES)
    reason = f"use a code or name ({accepted}), 是/否, or leave it empty"
    raise ParseError(
        f'"{_shown(cell)}" is not a strategic emerging industry: {reason}.',
        reason=reason,
        value=_cell_text(cell),
    )


def _sei_code(cell: object) -> int | None:
    """0–9 when the cell is just a whole number (0 means no), else None."""
    if isinstance(cell, int | float | Decimal):
        number = _number(cell)
    elif isinstance(cell, str) and re.fullmatch(r"[0-9]{1,3}(?:\.0*)?", _clean(cell)):
        number = Decimal(_clean(cell))
    else:
        return None
    if number != number.to_integral_value() or not 0 <= number <= 9:
        raise _Reason("codes run from 1 to 9")
    return int(number)


def _sei_by_name(text: str) -> int | None:
    """The code an industry name (Chinese or English) stands for, if it is one."""
    return _SEI_NAMES.get(_squash(text)) or _SEI_NAMES.get(_english_key(text))


def _sei_label(code: int) -> str:
    """A code with its name, such as 3 新材料产业, for messages."""
    return next(f"{d.code} {d.name_zh}" for d in SEI_INDUSTRIES if d.code == code)
