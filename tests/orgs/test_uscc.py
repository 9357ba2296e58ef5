"""Unified Social Credit Code normalisation and both of its checksums."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from investpromo.core.errors import UserError
from investpromo.orgs.uscc import (
    ALPHABET,
    normalize_uscc,
    org_code_check_char,
    uscc_check_char,
    validate_uscc,
)

# Published codes of real enterprises (Shenzhen registrations).
REAL_CODES = ["914403001922038216", "9144030071526726XG"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_validate(code):
    assert validate_uscc(code) == code


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_check_chars_are_recomputed(code):
    assert uscc_check_char(code[:17]) == code[17]
    assert org_code_check_char(code[8:16]) == code[16]


@pytest.mark.parametrize("code", REAL_CODES)
def test_changing_the_last_character_of_a_real_code_fails(code):
    for char in ALPHABET:
        if char != code[17]:
            with pytest.raises(UserError, match="position 18"):
                validate_uscc(code[:17] + char)


def test_weights_are_powers_of_three_mod_31():
    from investpromo.orgs.uscc import _USCC_WEIGHTS

    assert _USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_org_check_char_special_values():
    # 71526726 sums to 1 mod 11, so C9 = 10 → X.
    assert org_code_check_char("71526726") == "X"
    # A body summing to 0 mod 11 gives C9 = 11 → 0.
    assert org_code_check_char("00000000") == "0"


@pytest.mark.parametrize(
    "text",
    [
        " 914403001922038216 ",
        "９１４４０３００１９２２０３８２１６",
        "9144 0300 1922 0382 16",
        "9144030071526726xg",
        "\u3000914403001922038216\t\n",
        "91440300\u200b1922038216",
    ],
)
def test_normalisation(text):
    assert validate_uscc(text) in REAL_CODES


def test_normalize_uscc_upper_cases_and_strips():
    assert normalize_uscc(" 9144030071526726xg\u3000") == "9144030071526726XG"
    assert normalize_uscc(None) == ""
    assert normalize_uscc(914403001922038216) == "914403001922038216"


def test_wrong_position_18_is_named():
    with pytest.raises(UserError) as caught:
        validate_uscc("914403001922038217")
    assert "position 18" in str(caught.value)
    assert "should be 6" in str(caught.value)
    assert "914403001922038217" in str(caught.value)
    assert caught.value.field == "uscc"


def test_wrong_position_17_names_the_organisation_code_check():
    # Keep position 18 consistent with the new position 17 so only the GB 11714 check fails.
    first17 = "9144030019220382" + "5"
    code = first17 + uscc_check_char(first17)
    with pytest.raises(UserError) as caught:
        validate_uscc(code)
    assert "organisation-code" in str(caught.value)
    assert "position 17" in str(caught.value)
    assert "position 18" not in str(caught.value)


def test_excel_truncated_string_is_explained():
    with pytest.raises(UserError, match="Excel") as caught:
        validate_uscc("914403001922038000")
    assert "text" in str(caught.value)


def test_excel_float_is_explained():
    with pytest.raises(UserError, match="15 significant digits"):
        validate_uscc(9.14403001922038e17)


def test_excel_scientific_display_is_explained():
    with pytest.raises(UserError, match="Excel"):
        validate_uscc("9.14403E+17")


def test_a_valid_code_ending_in_000_is_accepted():
    # The truncation hint applies only when a check fails; search for a genuine "...000" code.
    for serial in range(100_000):
        first16 = f"91440300{serial:07d}0"
        first17 = first16 + org_code_check_char(first16[8:16])
        code = first17 + uscc_check_char(first17)
        if code.endswith("000"):
            assert validate_uscc(code) == code
            return
    pytest.fail("no valid code ending in 000 found")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("91440300192203821O", "O"),
        ("91440300I92203821", "I"),
        ("9144030019220382-6", '"-"'),
        ("9144030019220382Z6", "perhaps 2"),
    ],
)
def test_bad_characters_are_named(text, fragment):
    with pytest.raises(UserError, match="not allowed") as caught:
        validate_uscc(text)
    assert fragment in str(caught.value)


@pytest.mark.parametrize("text", ["91440300192203821", "9144030019220382160", "1"])
def test_wrong_length(text):
    with pytest.raises(UserError, match=f"{len(text)} characters"):
        validate_uscc(text)


@pytest.mark.parametrize("text", [None, "", "   ", "\u3000"])
def test_empty(text):
    with pytest.raises(UserError, match="empty"):
        validate_uscc(text)


def test_check_char_helper_rejects_bad_input():
    with pytest.raises(UserError):
        uscc_check_char("123")
    with pytest.raises(UserError):
        uscc_check_char("9144030019220382O")
    with pytest.raises(UserError):
        org_code_check_char("1234")


# --- properties --------------------------------------------------------------------------------

bodies = st.text(alphabet=ALPHABET, min_size=16, max_size=16)


def make_code(first16: str) -> str:
    """A valid code from any 16 characters: add both check characters."""
    first17 = first16 + org_code_check_char(first16[8:16])
    return first17 + uscc_check_char(first17)


@given(bodies)
def test_generated_codes_validate(first16):
    code = make_code(first16)
    assert validate_uscc(code) == code
    assert validate_uscc(code.lower()) == code


@given(bodies, st.integers(0, 17), st.sampled_from(ALPHABET))
def test_any_single_character_change_is_rejected(first16, position, replacement):
    # Every weight 3^k is a unit mod 31 (prime), so any one changed character shifts the
    # position-18 sum by a nonzero amount: the change is always caught.
    code = make_code(first16)
    if code[position] == replacement:
        replacement = ALPHABET[(ALPHABET.index(replacement) + 1) % len(ALPHABET)]
    changed = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(UserError):
        validate_uscc(changed)


@given(bodies, st.integers(0, 16))
def test_adjacent_transposition_is_rejected(first16, position):
    code = make_code(first16)
    if code[position] == code[position + 1]:
        return
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    with pytest.raises(UserError):
        validate_uscc(swapped)


anything = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet=ALPHABET + "IOSVZ ０１２３ＡＢ\u3000-", max_size=25),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.datetimes(),
    st.booleans(),
)


@given(anything)
def test_validate_never_crashes(value):
    try:
        result = validate_uscc(value)
    except UserError:
        return
    assert len(result) == 18
    assert set(result) <= set(ALPHABET)


def test_validate_of_non_text_objects():
    with pytest.raises(UserError):
        validate_uscc(datetime.date(2024, 9, 1))
    with pytest.raises(UserError):
        validate_uscc(Decimal("NaN"))
