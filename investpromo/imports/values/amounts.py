"""Amounts, units and currencies: evaluating tokens into exact Decimals, parsing and formatting."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, DecimalException, Inexact, InvalidOperation, localcontext

from investpromo.core.errors import UserError
from investpromo.imports.values._common import (
    CURRENCIES,
    MAX_AMOUNT,
    MIN_AMOUNT,
    ParseError,
    _cell_text,
    _clean,
    _number,
    _Reason,
    _shown,
    _squash,
    _words,
)
from investpromo.imports.values._tokens import (
    _RUN_KINDS,
    APPROX,
    BIG,
    CONN,
    CUR,
    DASH,
    INNER,
    LABEL,
    NUM,
    PLUS,
    SEP,
    SMALL,
    TILDE,
    UPPER,
    ZERO,
    _Token,
    _tokenize,
)
from investpromo.projects.money import CURRENCY_NOUNS, written_amount

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
_CURRENCY_NOUNS = CURRENCY_NOUNS


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


def amount_text(value: Decimal, currency: str, text: str, *, approximate: bool = False) -> str:
    """TEXT if it reads back to this amount (value, currency, approximate), else the amount written."""
    try:
        again = parse_amount(text)
        if (again.value, again.currency, again.approximate) == (value, currency, approximate):
            return text
    except ParseError:
        pass
    return written_amount(value, currency, approximate=approximate)


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
