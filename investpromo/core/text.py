"""Text normalisation shared by every place that matches names."""

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def normalize_text(value: str) -> str:
    """NFKC (full-width → half-width, （）→ ()), trimmed, whitespace runs collapsed to one space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", value or "")).strip()


def normalize_key(value: str) -> str:
    """normalize_text, case-folded: the identity key for names of projects and organisations."""
    return normalize_text(value).casefold()
