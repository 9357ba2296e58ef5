"""Cell parsers: amounts, currencies, dates, agreement types, SEI and yes/no."""

import contextlib
import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from investpromo.core.errors import UserError
from investpromo.imports.values import (
    Amount,
    AmountUnit,
    ParseError,
    SEIChoice,
    format_amount,
    parse_agreement_type,
    parse_amount,
    parse_bool_like,
    parse_currency,
    parse_date,
    parse_sei,
    parse_unit,
)

D = Decimal

# --- parse_amount: accepted forms --------------------------------------------------------------

# (cell, value, currency, approximate, currency_from_cell)
ACCEPTED = [
    (12, D("12"), "CNY", False, False),
    (12.5, D("12.5"), "CNY", False, False),
    (D("12.50"), D("12.5"), "CNY", False, False),
    ("12.5", D("12.5"), "CNY", False, False),
    ("3,500", D("3500"), "CNY", False, False),
    ("１５．６", D("15.6"), "CNY", False, False),
    ("12.5亿元", D("1250000000"), "CNY", False, True),
    ("3000万元", D("30000000"), "CNY", False, True),
    ("3,000万", D("30000000"), "CNY", False, False),
    ("¥500,000,000", D("500000000"), "CNY", False, True),
    ("￥5亿", D("500000000"), "CNY", False, True),
    ("500000000元", D("500000000"), "CNY", False, True),
    ("人民币5亿元", D("500000000"), "CNY", False, True),
    ("2亿美元", D("200000000"), "USD", False, True),
    ("USD 30 million", D("30000000"), "USD", False, True),
    ("30 million USD", D("30000000"), "USD", False, True),
    ("US$ 30m", D("30000000"), "USD", False, True),
    ("1.2 billion yuan", D("1200000000"), "CNY", False, True),
    ("RMB 1.2 billion", D("1200000000"), "CNY", False, True),
    ("HK$ 5亿", D("500000000"), "HKD", False, True),
    ("5亿港元", D("500000000"), "HKD", False, True),
    ("EUR 20 million", D("20000000"), "EUR", False, True),
    ("五亿元", D("500000000"), "CNY", False, True),
    ("十二亿五千万元", D("1250000000"), "CNY", False, True),
    ("两亿", D("200000000"), "CNY", False, False),
    ("三千五百万元", D("35000000"), "CNY", False, True),
    ("1.5万亿元", D("1500000000000"), "CNY", False, True),
    ("约8亿元", D("800000000"), "CNY", True, True),
    ("大约8亿", D("800000000"), "CNY", True, False),
    ("8亿左右", D("800000000"), "CNY", True, False),
    ("approx. 800 million yuan", D("800000000"), "CNY", True, True),
    ("about 800 million", D("800000000"), "CNY", True, False),
    ("8亿+", D("800000000"), "CNY", True, False),
    ("3.456万元", D("34560"), "CNY", False, True),
    # Further forms that turn up in real lists.
    ("12亿5000万元", D("1250000000"), "CNY", False, True),
    ("8000余万元", D("80000000"), "CNY", True, True),
    ("十多亿", D("1000000000"), "CNY", True, False),
    ("超10亿元", D("1000000000"), "CNY", True, True),
    ("10亿元以上", D("1000000000"), "CNY", True, True),
    ("~8亿", D("800000000"), "CNY", True, False),
    ("一亿二", D("120000000"), "CNY", False, False),
    ("三千五万", D("35000000"), "CNY", False, False),
    ("两万零五元", D("20005"), "CNY", False, True),
    ("一点五亿", D("150000000"), "CNY", False, False),
    ("壹亿贰仟万元", D("120000000"), "CNY", False, True),
    ("5亿元人民币", D("500000000"), "CNY", False, True),
    ("1,234.5万", D("12345000"), "CNY", False, False),
    ("3千万", D("30000000"), "CNY", False, False),
    ("1 billion 200 million", D("1200000000"), "CNY", False, False),
    ("10k", D("10000"), "CNY", False, False),
    ("500万美元", D("5000000"), "USD", False, True),
    ("1000万欧元", D("10000000"), "EUR", False, True),
    ("2亿日元", D("200000000"), "JPY", False, True),
    ("€5m", D("5000000"), "EUR", False, True),
    ("HK$5亿元", D("500000000"), "HKD", False, True),
    ("$5 million", D("5000000"), "USD", False, True),
    ("１２．５亿元", D("1250000000"), "CNY", False, True),
    ("  12.5 亿元  ", D("1250000000"), "CNY", False, True),
    ("1.2e9", D("1200000000"), "CNY", False, False),
    ("0.05", D("0.05"), "CNY", False, False),
]


@pytest.mark.parametrize(("cell", "value", "currency", "approximate", "from_cell"), ACCEPTED)
def test_parse_amount_accepts(cell, value, currency, approximate, from_cell):
    amount = parse_amount(cell)
    assert amount.value == value
    assert amount.currency == currency
    assert amount.approximate is approximate
    assert amount.currency_from_cell is from_cell


def test_amount_value_is_canonical():
    assert str(parse_amount("12.5亿元").value) == "1250000000"
    assert str(parse_amount("3.456万元").value) == "34560"
    assert str(parse_amount(D("12.500")).value) == "12.5"


def test_amount_is_a_frozen_dataclass():
    amount = parse_amount("12.5亿元")
    assert amount == Amount(D("1250000000"), "CNY", "12.5亿元", False, True)
    with pytest.raises(AttributeError):
        amount.value = D(1)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("cell", "text"),
    [(12.5, "12.5"), (12, "12"), (0.1, "0.1"), (D("3.50"), "3.50"), ("１５．６", "１５．６")],
)
def test_amount_text_is_as_written(cell, text):
    assert parse_amount(cell).text == text


def test_excel_float_uses_shortest_repr_not_binary_value():
    # 0.1 is 0.1000000000000000055… in binary; the cell showed 0.1.
    assert parse_amount(0.1, header_unit="亿元").value == D("10000000")
    assert parse_amount(3.456, header_unit="万元").value == D("34560")


# --- parse_amount: header units and currencies -------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "unit", "value", "currency"),
    [
        (12.5, "亿元", D("1250000000"), "CNY"),
        ("12.5", "亿元", D("1250000000"), "CNY"),
        (3000, "万元", D("30000000"), "CNY"),
        (5, "元", D("5"), "CNY"),
        (5, "千元", D("5000"), "CNY"),
        (5, "百万元", D("5000000"), "CNY"),
        (5, "千万元", D("50000000"), "CNY"),
        (5, "美元", D("5"), "USD"),
        (5, "万美元", D("50000"), "USD"),
        (5, "亿美元", D("500000000"), "USD"),
        (5, "万港元", D("50000"), "HKD"),
        (5, "亿港元", D("500000000"), "HKD"),
        (5, "万欧元", D("50000"), "EUR"),
        (5, "万日元", D("50000"), "JPY"),
        (30, "USD million", D("30000000"), "USD"),
        (30, "million yuan", D("30000000"), "CNY"),
        (30, "10k yuan", D("300000"), "CNY"),
        (30, "RMB 10,000", D("300000"), "CNY"),
        (30, "US$ m", D("30000000"), "USD"),
        (30, "人民币万元", D("300000"), "CNY"),
        (30, "万元人民币", D("300000"), "CNY"),
        (30, "亿元, 人民币", D("3000000000"), "CNY"),
        (30, "单位:万元", D("300000"), "CNY"),
        (30, "", D("30"), "CNY"),
        (30, None, D("30"), "CNY"),
        # A unit or currency in the cell overrides the header's.
        ("3000万元", "亿元", D("30000000"), "CNY"),
        ("500000000元", "亿元", D("500000000"), "CNY"),
        ("2亿美元", "万元", D("200000000"), "USD"),
        ("USD 30", "USD million", D("30000000"), "USD"),
        ("HK$ 30", "万元", D("300000"), "HKD"),
        ("5百", "万元", D("5000000"), "CNY"),
    ],
)
def test_header_unit(cell, unit, value, currency):
    amount = parse_amount(cell, header_unit=unit)
    assert (amount.value, amount.currency) == (value, currency)


def test_header_currency_applies_when_the_cell_names_none():
    amount = parse_amount(500, header_unit="万元", header_currency="美元")
    assert (amount.value, amount.currency, amount.currency_from_cell) == (D(5000000), "USD", False)
    assert parse_amount(5, header_currency="HKD").currency == "HKD"


def test_cell_currency_overrides_header_currency():
    amount = parse_amount("5亿元", header_currency="USD")
    assert (amount.currency, amount.currency_from_cell) == ("CNY", True)


def test_named_header_currency_conflicting_with_currency_column_is_an_error():
    with pytest.raises(ParseError, match=r"USD.*CNY"):
        parse_amount(5, header_unit="万美元", header_currency="人民币")


def test_bad_header_unit_is_an_error_naming_it():
    with pytest.raises(ParseError, match="unit"):
        parse_amount(5, header_unit="%")
    with pytest.raises(ParseError):
        parse_amount(5, header_unit="约万元")


def test_bad_header_currency_is_an_error():
    with pytest.raises(ParseError, match="GBP"):
        parse_amount(5, header_currency="GBP")


@pytest.mark.parametrize(
    ("text", "multiplier", "currency", "explicit"),
    [
        ("亿元", D("1e8"), "CNY", False),
        ("万美元", D("1e4"), "USD", True),
        ("USD million", D("1e6"), "USD", True),
        ("10k yuan", D("1e4"), "CNY", False),
        ("万", D("1e4"), None, False),
        ("万亿元", D("1e12"), "CNY", False),
        ("", D(1), None, False),
    ],
)
def test_parse_unit(text, multiplier, currency, explicit):
    assert parse_unit(text) == AmountUnit(multiplier, currency, explicit)


# --- parse_amount: rejected forms --------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [
        (None, "empty"),
        ("", "empty"),
        ("   ", "empty"),
        ("待定", "placeholder"),
        ("—", "placeholder"),
        ("-", "placeholder"),
        ("N/A", "placeholder"),
        ("n/a", "placeholder"),
        ("面议", "placeholder"),
        ("TBD", "placeholder"),
        (0, "zero"),
        (0.0, "zero"),
        ("0", "zero"),
        ("0亿元", "zero"),
        ("零", "zero"),
        (-5, "negative"),
        (-2.5, "negative"),
        ("-5亿", "negative"),
        ("−5", "negative"),
        ("abc", "abc"),
        ("hello world", "hello"),
        ("5-8亿", "ranges are not accepted"),
        ("5亿-8亿", "ranges are not accepted"),
        ("5~8亿", "ranges are not accepted"),
        ("5至8亿元", "ranges are not accepted"),
        ("5到8亿", "ranges are not accepted"),
        ("5 to 8 million", "ranges are not accepted"),
        ("5 8", "two numbers"),
        ("5亿3亿", "single number"),
        ("5亿万", "no number before"),
        ("五十百", "out of order"),
        ("5亿元/3亿元", "more than one number"),
        (float("nan"), "finite"),
        (float("inf"), "finite"),
        (float("-inf"), "finite"),
        (D("NaN"), "finite"),
        (D("sNaN"), "finite"),
        (D("Infinity"), "finite"),
        ("8亿以下", "upper limit"),
        ("不超过8亿", "upper limit"),
        ("up to 800 million", "upper limit"),
        ("¥5亿美元", "more than one currency"),
        ("12,5", "unclear"),
        ("1,2345", "unclear"),
        ("1.2.3", "unclear"),
        ("万元", "no number"),
        ("元", "no number"),
        ("亿", "no number"),
        ("12亿5000", "ambiguous"),
        ("5%", "%"),
        (True, "true/false"),
        (datetime.date(2024, 9, 1), "date"),
        (datetime.datetime(2024, 9, 1, 8, 0), "date"),
        (1e16, "large"),
        ("99999999亿", "large"),
        (0.001, "less than 0.01"),
        ("5亿-", "out of place"),
        ("5亿 元 6", "more than one number"),
    ],
)
def test_parse_amount_rejects(cell, fragment):
    with pytest.raises(ParseError) as caught:
        parse_amount(cell)
    assert fragment in str(caught.value)
    assert isinstance(caught.value, UserError)
    assert caught.value.reason


@pytest.mark.parametrize("cell", ["5-8亿", "待定", "abc", "12,5"])
def test_error_quotes_the_cell(cell):
    with pytest.raises(ParseError) as caught:
        parse_amount(cell)
    assert f'"{cell}"' in str(caught.value)
    assert caught.value.value == cell


def test_float_error_quotes_its_repr():
    with pytest.raises(ParseError, match=r'"-2\.5"'):
        parse_amount(-2.5)


# --- format_amount -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "currency", "unit", "text"),
    [
        (D("1250000000"), "CNY", "元", "1250000000元"),
        (D("1250000000"), "CNY", "亿元", "12.5亿元"),
        (D("1250000000"), "CNY", "亿", "12.5亿元"),
        (D("34560"), "CNY", "万元", "3.456万元"),
        (D("30000000"), "USD", "万元", "3000万美元"),
        (D("30000000"), "USD", "万美元", "3000万美元"),
        (D("5000000"), "HKD", "百万元", "5百万港元"),
        (D("1.50"), "EUR", "元", "1.5欧元"),
        (D("100"), "JPY", "元", "100日元"),
        (D("1E+3"), "CNY", "元", "1000元"),
        (D("0.000001"), "CNY", "元", "0.000001元"),
    ],
)
def test_format_amount(value, currency, unit, text):
    assert format_amount(value, currency, unit=unit) == text


@pytest.mark.parametrize(
    ("currency", "unit"), [("GBP", "元"), ("CNY", "磅"), ("CNY", "万美元"), ("USD", "万港元")]
)
def test_format_amount_rejects_unknown_units(currency, unit):
    with pytest.raises(UserError):
        format_amount(D(5), currency, unit=unit)


@pytest.mark.parametrize("value", [D("NaN"), D("Infinity"), "abc", None])
def test_format_amount_rejects_non_numbers(value):
    with pytest.raises(UserError):
        format_amount(value)


money = st.decimals(
    min_value=D("0.01"), max_value=D("1e15"), places=6, allow_nan=False, allow_infinity=False
)


@given(
    money,
    st.sampled_from(["CNY", "USD", "HKD", "EUR", "JPY"]),
    st.sampled_from(["元", "千元", "万元", "百万元", "千万元", "亿元", "万亿元"]),
)
def test_format_amount_round_trips(value, currency, unit):
    text = format_amount(value, currency, unit=unit)
    amount = parse_amount(text)
    assert amount.value == value
    assert amount.currency == currency
    assert amount.currency_from_cell
    assert not amount.approximate
    # A header unit never changes a formatted value: it carries its own unit noun.
    assert parse_amount(text, header_unit="亿元", header_currency="JPY").value == value


@given(money, st.sampled_from(["", "万", "亿"]))
def test_scaled_numbers_round_trip_through_header_units(value, scale):
    shown = format_amount(value, unit=scale + "元").removesuffix("元").removesuffix(scale)
    assert parse_amount(shown, header_unit=scale + "元").value == value


# --- never crash -------------------------------------------------------------------------------

amount_alphabet = (
    "0123456789.,-~+ 亿万千百十元零一二两三四五六七八九约左右余多美港欧日币人民"
    "¥￥$€ＵＳＤ１２３４５．，mbkMBKusdhkyuanbilionmtoapx()（）%/、—–至到以上下"
)
cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.text(),
    st.text(alphabet=amount_alphabet, max_size=20),
    st.dates(),
    st.datetimes(),
    st.times(),
)


@settings(max_examples=500)
@given(cells, st.sampled_from([None, "", "亿元", "万美元", "USD million", "%", "万港元"]))
def test_parse_amount_never_crashes(cell, unit):
    try:
        amount = parse_amount(cell, header_unit=unit)
    except UserError:
        return
    assert isinstance(amount.value, Decimal)
    assert amount.value > 0
    assert amount.currency in {"CNY", "USD", "HKD", "EUR", "JPY"}


@settings(max_examples=300)
@given(st.text(alphabet=amount_alphabet, max_size=12))
def test_parse_unit_never_crashes(text):
    try:
        unit = parse_unit(text)
    except UserError:
        return
    assert unit.multiplier > 0


@settings(max_examples=300)
@given(cells)
def test_other_parsers_never_crash(cell):
    for parser in (
        parse_currency,
        parse_date,
        parse_agreement_type,
        parse_sei,
        parse_bool_like,
    ):
        with contextlib.suppress(UserError):
            parser(cell)


@settings(max_examples=300)
@given(
    st.text(
        alphabet="0123456789-/.年月日号 ０１２３：:T",
        max_size=22,
    )
)
def test_parse_date_never_crashes_on_date_like_text(text):
    with contextlib.suppress(UserError):
        parse_date(text)


# --- parse_currency ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "currency"),
    [
        ("人民币", "CNY"),
        ("元", "CNY"),
        ("CNY", "CNY"),
        ("cny", "CNY"),
        ("RMB", "CNY"),
        ("¥", "CNY"),
        ("￥", "CNY"),
        ("人民币元", "CNY"),
        ("美元", "USD"),
        ("USD", "USD"),
        ("US$", "USD"),
        ("$", "USD"),
        ("港元", "HKD"),
        ("港币", "HKD"),
        ("HKD", "HKD"),
        ("HK$", "HKD"),
        ("欧元", "EUR"),
        ("EUR", "EUR"),
        ("€", "EUR"),
        ("日元", "JPY"),
        ("JPY", "JPY"),
        ("円", "JPY"),
        (" ＵＳＤ ", "USD"),
        ("美元(USD)", "USD"),
    ],
)
def test_parse_currency(cell, currency):
    assert parse_currency(cell) == currency


@pytest.mark.parametrize("cell", [None, "", "  "])
def test_parse_currency_blank(cell):
    assert parse_currency(cell) is None


@pytest.mark.parametrize("cell", ["GBP", "英镑", "5", 5, 1.5, "美元人民币", "亿元", True])
def test_parse_currency_rejects(cell):
    with pytest.raises(ParseError):
        parse_currency(cell)


# --- parse_date --------------------------------------------------------------------------------

SEPT_1 = datetime.date(2024, 9, 1)


@pytest.mark.parametrize(
    "cell",
    [
        datetime.datetime(2024, 9, 1, 15, 30),
        datetime.date(2024, 9, 1),
        45536,
        45536.0,
        45536.75,
        D("45536"),
        "45536",
        20240901,
        20240901.0,
        "2024-09-01",
        "2024-9-1",
        "2024/9/1",
        "2024/09/01",
        "2024.9.1",
        "2024年9月1日",
        "2024年09月01日",
        "2024 年 9 月 1 日",
        "2024年9月1号",
        "20240901",
        "2024-09-01 00:00:00",
        "2024-09-01T08:30:00",
        "2024/9/1 8:30",
        "２０２４－０９－０１",
        "２０２４年９月１日",
        " 2024-09-01 ",
    ],
)
def test_parse_date(cell):
    assert parse_date(cell) == SEPT_1


@pytest.mark.parametrize("cell", [None, "", "   "])
def test_parse_date_blank(cell):
    assert parse_date(cell) is None


def test_excel_serial_boundaries():
    assert parse_date(18264) == datetime.date(1950, 1, 1)
    assert parse_date(73415) == datetime.date(2100, 12, 31)


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [
        ("2024-02-30", "29 days"),
        ("2023-02-29", "28 days"),
        ("2024-13-01", "no month 13"),
        ("2024年9月", "day is missing"),
        ("2024-09", "day is missing"),
        ("20241301", "no month"),
        ("24/9/1", "2024-09-01"),
        ("9/1/2024", "2024-09-01"),
        ("hello", "2024-09-01"),
        ("2024-9/1", "2024-09-01"),
        (1, "Excel date"),
        (61, "Excel date"),
        (5, "Excel date"),
        (-1, "Excel date"),
        (float("nan"), "finite"),
        (float("inf"), "finite"),
        (True, "true/false"),
        (datetime.time(8, 30), "time of day"),
        ("1900-01-01", "outside"),
        (datetime.date(1900, 1, 1), "outside"),
        ("2200-01-01", "outside"),
    ],
)
def test_parse_date_rejects(cell, fragment):
    with pytest.raises(ParseError) as caught:
        parse_date(cell)
    assert fragment in str(caught.value)


def test_date_error_quotes_the_cell():
    with pytest.raises(ParseError, match='"2024-02-30"'):
        parse_date("2024-02-30")


# --- parse_agreement_type ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("意向", "intent"),
        ("意向协议", "intent"),
        ("意向书", "intent"),
        ("intent", "intent"),
        ("Intent", "intent"),
        ("intent letter", "intent"),
        ("Letter of Intent", "intent"),
        ("LOI", "intent"),
        ("框架", "framework"),
        ("框架协议", "framework"),
        ("framework", "framework"),
        ("Framework Agreement", "framework"),
        ("合同", "contract"),
        ("正式合同", "contract"),
        ("投资合同", "contract"),
        ("contract", "contract"),
        ("formal contract", "contract"),
        ("Formal Contract", "contract"),
        (" 框架 协议 ", "framework"),
        (None, "unspecified"),
        ("", "unspecified"),
        ("  ", "unspecified"),
    ],
)
def test_parse_agreement_type(cell, kind):
    assert parse_agreement_type(cell) == kind


@pytest.mark.parametrize("cell", ["备忘录", "agreement", 1, 1.5, True])
def test_parse_agreement_type_rejects_listing_accepted_values(cell):
    with pytest.raises(ParseError) as caught:
        parse_agreement_type(cell)
    for accepted in ("意向", "框架", "合同"):
        assert accepted in str(caught.value)


# --- parse_sei ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        (1, 1),
        (9, 9),
        ("1", 1),
        ("1.0", 1),
        (1.0, 1),
        (D("3"), 3),
        ("新材料", 3),
        ("新材料产业", 3),
        ("新一代信息技术", 1),
        ("新一代信息技术产业", 1),
        ("高端装备制造", 2),
        ("高端装备制造产业", 2),
        ("生物产业", 4),
        ("新能源汽车", 5),
        ("新能源", 6),
        ("节能环保产业", 7),
        ("数字创意", 8),
        ("相关服务", 9),
        ("相关服务业", 9),
        ("New materials", 3),
        ("new materials", 3),
        ("NEW MATERIALS INDUSTRY", 3),
        ("new energy vehicles", 5),
        ("New energy vehicle industry", 5),
        ("New energy", 6),
        ("Biotechnology", 4),
        ("Biotech", 4),
        ("biotechnology industries", 4),
        ("New-generation information technology", 1),
        ("new generation information technology industry", 1),
        ("High-end equipment manufacturing", 2),
        ("Energy conservation and environmental protection", 7),
        ("Digital creative industries", 8),
        ("Related services", 9),
        ("3 新材料产业", 3),
        ("3-新材料", 3),
        ("3、新材料", 3),
        ("3.新材料", 3),
        ("(3)新材料", 3),
        ("３ 新材料", 3),
        ("3 New materials", 3),
        ("9 相关服务业", 9),
    ],
)
def test_parse_sei_industry(cell, code):
    assert parse_sei(cell) == SEIChoice("sei", code)


@pytest.mark.parametrize("cell", ["是", "Y", "y", "Yes", "YES", "True", "√", "✓", True])
def test_parse_sei_yes(cell):
    assert parse_sei(cell) == SEIChoice("sei_unspecified", None)


@pytest.mark.parametrize("cell", ["否", "N", "No", "False", "×", "-", "—", False, 0, "0"])
def test_parse_sei_no(cell):
    assert parse_sei(cell) == SEIChoice("not_sei", None)


@pytest.mark.parametrize("cell", [None, "", "  "])
def test_parse_sei_blank(cell):
    assert parse_sei(cell) == SEIChoice("blank", None)


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [
        ("3 新能源", "disagree"),
        ("3-生物产业", "disagree"),
        (10, "1 to 9"),
        ("10", "1 to 9"),
        (1.5, "1 to 9"),
        (-1, "1 to 9"),
        (float("nan"), "finite"),
        ("新材料料", "新材料产业"),
        ("foo", "相关服务业"),
        ("12 新材料", "新材料产业"),
        (datetime.date(2024, 1, 1), "是/否"),
    ],
)
def test_parse_sei_rejects(cell, fragment):
    with pytest.raises(ParseError) as caught:
        parse_sei(cell)
    assert fragment in str(caught.value)


def test_parse_sei_code_name_disagreement_names_both():
    with pytest.raises(ParseError) as caught:
        parse_sei("3 新能源")
    assert "3 新材料产业" in str(caught.value)
    assert "6 新能源产业" in str(caught.value)


# --- parse_bool_like ---------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["是", "Y", "yes", "TRUE", "√", "✓", 1, 1.0, "1", True])
def test_parse_bool_like_true(cell):
    assert parse_bool_like(cell) is True


@pytest.mark.parametrize("cell", ["否", "N", "no", "False", "×", "-", 0, 0.0, "0", False])
def test_parse_bool_like_false(cell):
    assert parse_bool_like(cell) is False


@pytest.mark.parametrize("cell", [None, "", " "])
def test_parse_bool_like_blank(cell):
    assert parse_bool_like(cell) is None


@pytest.mark.parametrize("cell", ["maybe", 2, 0.5, float("nan"), datetime.date(2024, 1, 1)])
def test_parse_bool_like_rejects(cell):
    with pytest.raises(ParseError, match="yes or no"):
        parse_bool_like(cell)
