"""Header matching, header-row detection and totals-row labels."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from investpromo.imports.headers import (
    COLUMN_ALIASES,
    REQUIRED,
    HeaderMatch,
    HeaderRow,
    find_header_row,
    is_summary_label,
    match_header,
)
from investpromo.imports.values import parse_amount, parse_unit

ALL_ALIASES = [(key, alias) for key, aliases in COLUMN_ALIASES.items() for alias in aliases]


def test_required_columns():
    assert REQUIRED == ("project_name", "investor", "destination", "contract_value")
    assert set(REQUIRED) <= set(COLUMN_ALIASES)


def test_aliases_are_unambiguous():
    keys = [match_header(alias).key for _, alias in ALL_ALIASES]
    assert keys == [key for key, _ in ALL_ALIASES]


@pytest.mark.parametrize(("key", "alias"), ALL_ALIASES)
def test_every_alias_matches_its_column(key, alias):
    assert match_header(alias) == HeaderMatch(key, None, alias)


@pytest.mark.parametrize(
    ("cell", "key"),
    [
        ("项目名称", "project_name"),
        ("项目", "project_name"),
        ("Project Name", "project_name"),
        ("PROJECT", "project_name"),
        ("项目 名称", "project_name"),
        ("项\u3000目\u3000名\u3000称", "project_name"),
        ("  项目名称\n", "project_name"),
        ("*项目名称", "project_name"),
        ("项目名称：", "project_name"),
        ("投资方", "investor"),
        ("签约企业", "investor"),
        ("投资主体", "investor"),
        ("签约单位", "investor"),
        ("企业名称", "investor"),
        ("Investor", "investor"),
        ("company", "investor"),
        ("落地地区", "destination"),
        ("项目落地地", "destination"),
        ("落户地", "destination"),
        ("所在地区", "destination"),
        ("项目地点", "destination"),
        ("Destination", "destination"),
        ("location", "destination"),
        ("签约金额", "contract_value"),
        ("投资额", "contract_value"),
        ("总投资", "contract_value"),
        ("协议投资额", "contract_value"),
        ("合同金额", "contract_value"),
        ("Contract Value", "contract_value"),
        ("investment", "contract_value"),
        ("Amount", "contract_value"),
        ("序号", "serial"),
        ("No.", "serial"),
        ("NO.", "serial"),
        ("#", "serial"),
        ("统一社会信用代码", "uscc"),
        ("信用代码", "uscc"),
        ("USCC", "uscc"),
        ("Credit Code", "uscc"),
        ("投资方所在地", "origin"),
        ("企业所在地", "origin"),
        ("客商来源地", "origin"),
        ("来源地", "origin"),
        ("Origin", "origin"),
        ("币种", "currency"),
        ("Currency", "currency"),
        ("战略性新兴产业", "sei"),
        ("战新产业", "sei"),
        ("是否战略性新兴产业", "sei"),
        ("SEI", "sei"),
        ("Strategic Emerging Industry", "sei"),
        ("行业代码", "industry_code"),
        ("国民经济行业代码", "industry_code"),
        ("Industry Code", "industry_code"),
        ("所属行业", "industry_text"),
        ("行业", "industry_text"),
        ("产业类别", "industry_text"),
        ("Industry", "industry_text"),
        ("sector", "industry_text"),
        ("签约日期", "signing_date"),
        ("签约时间", "signing_date"),
        ("Date", "signing_date"),
        ("Signing Date", "signing_date"),
        ("签约类型", "agreement_type"),
        ("协议类型", "agreement_type"),
        ("合同类型", "agreement_type"),
        ("Agreement Type", "agreement_type"),
        ("备注", "notes"),
        ("说明", "notes"),
        ("Notes", "notes"),
    ],
)
def test_match_header(cell, key):
    match = match_header(cell)
    assert match is not None
    assert match.key == key
    assert match.unit is None
    assert match.text == cell


@pytest.mark.parametrize(
    ("cell", "key", "unit"),
    [
        ("签约金额（亿元）", "contract_value", "亿元"),
        ("签约金额(亿元)", "contract_value", "亿元"),
        ("投资额(万元)", "contract_value", "万元"),
        ("投资额 （ 万元 ）", "contract_value", "万元"),
        ("金额[万美元]", "contract_value", "万美元"),
        ("金额【万美元】", "contract_value", "万美元"),
        ("Investment (USD million)", "contract_value", "USD million"),
        ("Contract value (million yuan)", "contract_value", "million yuan"),
        ("Amount (10k yuan)", "contract_value", "10k yuan"),
        ("总投资（单位：万元）", "contract_value", "万元"),
        ("签约金额\n（亿元）", "contract_value", "亿元"),
        ("*签约金额（亿元）", "contract_value", "亿元"),
        ("签约时间(年/月/日)", "signing_date", "年/月/日"),
    ],
)
def test_match_header_with_unit(cell, key, unit):
    match = match_header(cell)
    assert match == HeaderMatch(key, unit, cell)


@pytest.mark.parametrize(
    "unit_header",
    [
        "签约金额（亿元）",
        "投资额(万元)",
        "金额[万美元]",
        "Investment (USD million)",
        "Contract value (million yuan)",
        "Amount (10k yuan)",
        "总投资（单位：万元）",
        "投资额（亿港元）",
        "投资额（万欧元）",
        "投资额（千万元）",
        "投资额（百万元）",
    ],
)
def test_header_units_are_accepted_by_parse_amount(unit_header):
    match = match_header(unit_header)
    assert match is not None and match.unit is not None
    parse_unit(match.unit)
    assert parse_amount(1, header_unit=match.unit).value > 1


@pytest.mark.parametrize(
    "cell",
    [
        None,
        "",
        "  ",
        "签约",
        "项目名称2",
        "date of signing",
        "signing",
        "金额合计",
        2024,
        1.5,
        True,
    ],
)
def test_match_header_rejects(cell):
    assert match_header(cell) is None


def test_matching_is_exact_not_substring():
    # "date" is an alias but only as a whole header.
    assert match_header("update") is None
    assert match_header("Signing Date").key == "signing_date"
    assert match_header("项目名称备注") is None


def test_bracket_with_unknown_name_is_no_match():
    assert match_header("其他(万元)") is None


# --- find_header_row ---------------------------------------------------------------------------

HEADER = [
    "序号",
    "项目名称",
    "投资方",
    "落地地区",
    "签约金额（亿元）",
    "签约日期",
    "联系人",
    None,
    "",
]


def test_find_header_row_after_title_rows():
    rows = [
        ["2024年第三季度重大项目签约清单", None, None],
        [None, None, None],
        ["填报单位：某市投资促进局", None, "", "单位：亿元"],
        HEADER,
        [1, "某项目", "某公司", "某区", 12.5, "2024-09-01", "张三"],
    ]
    found = find_header_row(rows)
    assert isinstance(found, HeaderRow)
    index, columns, unknown = found
    assert index == 3
    assert {i: m.key for i, m in columns.items()} == {
        0: "serial",
        1: "project_name",
        2: "investor",
        3: "destination",
        4: "contract_value",
        5: "signing_date",
    }
    assert columns[4].unit == "亿元"
    assert unknown == [(6, "联系人")]


def test_find_header_row_requires_all_required_columns():
    rows = [["项目名称", "投资方", "签约金额"], ["项目名称", "投资方", "落地地区"]]
    assert find_header_row(rows) is None


def test_find_header_row_only_looks_at_first_rows():
    rows = [["x"]] * 20 + [HEADER]
    assert find_header_row(rows) is None
    assert find_header_row(rows, max_rows=21).index == 20


def test_find_header_row_does_not_exhaust_an_endless_iterator():
    def rows():
        yield HEADER
        while True:
            yield ["x"]

    assert find_header_row(rows()).index == 0

    def no_header():
        while True:
            yield ["x"]

    assert find_header_row(no_header()) is None


def test_duplicate_columns_first_wins_second_is_unknown():
    rows = [["项目名称", "投资方", "落地地区", "投资额(万元)", "总投资(亿元)", "项目"]]
    found = find_header_row(rows)
    assert found.columns[3].key == "contract_value"
    assert found.columns[3].unit == "万元"
    assert 4 not in found.columns and 5 not in found.columns
    assert found.unknown == [(4, "总投资(亿元)"), (5, "项目")]


def test_find_header_row_ignores_non_text_cells():
    rows = [
        [1, 2.5, None, True],
        ["Project", "Investor", "Location", "Investment (USD million)", 7],
    ]
    found = find_header_row(rows)
    assert found.index == 1
    assert found.columns[3].unit == "USD million"
    assert found.unknown == [(4, "7")]


def test_find_header_row_empty():
    assert find_header_row([]) is None
    assert find_header_row([[], [None]]) is None


@given(st.lists(st.lists(st.one_of(st.none(), st.text(), st.integers(), st.floats()), max_size=8)))
def test_find_header_row_never_crashes(rows):
    found = find_header_row(rows)
    if found is not None:
        assert {m.key for m in found.columns.values()} >= set(REQUIRED)


@given(st.one_of(st.none(), st.text(), st.integers(), st.floats(), st.booleans()))
def test_match_header_never_crashes(cell):
    match = match_header(cell)
    assert match is None or match.key in COLUMN_ALIASES


# --- is_summary_label --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        "合计",
        "总计",
        "小计",
        "合 计",
        "合\u3000计",
        " 总 计 ",
        "合计：",
        "本页小计",
        "Total",
        "TOTAL",
        "total:",
        "Subtotal",
        "Sub-total",
        "Sub total",
        "Grand total",
        "Grand Total",
    ],
)
def test_is_summary_label(cell):
    assert is_summary_label(cell)


@pytest.mark.parametrize(
    "cell", [None, "", "项目", "合计项目", "Total Solar Ltd", "totally", 1, 12.5, True]
)
def test_is_not_summary_label(cell):
    assert not is_summary_label(cell)
