"""Unified Social Credit Code (统一社会信用代码, GB 32100-2015): normalisation and validation."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from operator import mul

from investpromo.core.errors import UserError

# GB 32100 leaves out I, O, S, V and Z so they cannot be confused with 1, 0, 5, U and 2.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
# 3^(i-1) mod 31 for positions 1..17.
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# GB 11714 organisation-code weights for its 8 body characters.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# int(char, 36) for the characters an organisation-code body may hold.
_BASE36 = {char: int(char, 36) for char in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_LOOKALIKES = {"I": "1", "O": "0", "S": "5", "V": "U", "Z": "2"}
# Copy-pasted codes often carry zero-width characters that str.isspace() does not see.
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?E\+?\d+$")


def normalize_uscc(text: object) -> str:
    """Trim, NFKC (full-width → ASCII), drop all whitespace and upper-case; numbers become digits."""
    if text is None or isinstance(text, bool):
        return ""
    if isinstance(text, int):
        return str(text)
    if isinstance(text, float | Decimal):
        return _number_text(text)
    value = unicodedata.normalize("NFKC", str(text))
    return _INVISIBLE.sub("", value).upper()


def _number_text(value: float | Decimal) -> str:
    """The digits of a code that Excel stored as a number (its shortest repr, as Excel shows it)."""
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else value
        if not number.is_finite() or number != number.to_integral_value():
            return str(value).upper()
        return str(number.quantize(Decimal(1)))
    except (InvalidOperation, ValueError, OverflowError):
        return str(value).upper()


def org_code_check_char(body8: str) -> str:
    """The GB 11714 check character for an 8-character organisation-code body."""
    body = normalize_uscc(body8)
    if len(body) != 8 or not all(char.isascii() and char.isalnum() for char in body):
        raise UserError(f'"{body8}" is not an 8-character organisation-code body.', field="uscc")
    return _org_check(body)


def _org_check(body: str) -> str:
    """org_code_check_char of a body already normalised and checked."""
    total = sum(map(mul, map(_BASE36.__getitem__, body), _ORG_WEIGHTS))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character (position 18) for the first 17 characters of a code."""
    body = normalize_uscc(first17)
    if len(body) != 17 or any(char not in _VALUE for char in body):
        raise UserError(
            f'"{first17}" is not 17 characters from {ALPHABET}; cannot compute a check character.',
            field="uscc",
        )
    return _uscc_check(body)


def _uscc_check(body: str) -> str:
    """uscc_check_char of 17 characters already normalised and checked."""
    total = sum(map(mul, map(_VALUE.__getitem__, body), _USCC_WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(text: object) -> str:
    """The normalised code, or a UserError saying exactly what is wrong with it."""
    code = normalize_uscc(text)
    shown = _shown(text)
    if not code:
        raise UserError("The unified social credit code is empty.", field="uscc")
    if _SCIENTIFIC.match(code):
        raise UserError(
            f'Unified social credit code "{shown}" was stored by Excel as a number and has lost '
            "its last digits (Excel keeps only 15 significant digits). Format the column as text "
            "and enter the code again.",
            field="uscc",
        )
    bad = sorted({char for char in code if char not in _VALUE})
    if bad:
        hints = [
            f"{char} (never used; perhaps {_LOOKALIKES[char]}?)"
            for char in bad
            if char in _LOOKALIKES
        ]
        others = [char for char in bad if char not in _LOOKALIKES]
        listed = ", ".join([*(f'"{char}"' for char in others), *hints])
        raise UserError(
            f'Unified social credit code "{shown}" contains characters that are not allowed: '
            f"{listed}. A code uses only digits and the letters A–Y without I, O, S, V and Z.",
            field="uscc",
        )
    if len(code) != 18:
        raise UserError(
            f'Unified social credit code "{shown}" has {len(code)} characters; it must have 18.',
            field="uscc",
        )
    failures = []
    # The code is 18 characters of the alphabet here: no need to normalise it again (imports
    # validate tens of thousands).
    expected_org = _org_check(code[8:16])
    if code[16] != expected_org:
        failures.append(
            f"the organisation-code check character (position 17) should be {expected_org}, "
            f"not {code[16]}"
        )
    expected = _uscc_check(code[:17])
    if code[17] != expected:
        failures.append(f"the check character (position 18) should be {expected}, not {code[17]}")
    if not failures:
        return code
    if code.isdigit() and code.endswith("000"):
        raise UserError(
            f'Unified social credit code "{shown}" fails its check and ends in 000: it looks '
            "like Excel truncated it to 15 significant digits because the cell was stored as a "
            "number. Format the column as text and enter the code again.",
            field="uscc",
        )
    raise UserError(
        f'Unified social credit code "{shown}" is not valid: {"; ".join(failures)}. '
        "Check it for a mistyped character.",
        field="uscc",
    )


def _shown(text: object) -> str:
    """The input as the user would recognise it in a message."""
    shown = repr(text) if isinstance(text, float) else str(text).strip()
    return shown if len(shown) <= 60 else shown[:57] + "…"
