"""Cells that pick from a fixed set: agreement types, yes/no, strategic emerging industries."""

import re
from dataclasses import dataclass
from decimal import Decimal

from investpromo.imports.values._common import (
    _SPACES,
    ParseError,
    _cell_text,
    _clean,
    _number,
    _Reason,
    _shown,
    _squash,
    _words,
)
from investpromo.sectors.sei import SEI_INDUSTRIES

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
