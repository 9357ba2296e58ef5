"""Text normalisation shared by every place that matches names."""

import unicodedata

_is_normalized = unicodedata.is_normalized
_normalize = unicodedata.normalize


def normalize_text(value: str) -> str:
    """NFKC (full-width → half-width, （）→ ()), trimmed, whitespace runs collapsed to one space."""
    if not value:
        return ""
    if not _is_normalized("NFKC", value):
        value = _normalize("NFKC", value)
    # str.split() splits on the same whitespace as the regex \s, and drops it at both ends.
    return " ".join(value.split())


def normalize_key(value: str) -> str:
    """normalize_text, case-folded: the identity key for names of projects and organisations."""
    return normalize_text(value).casefold()
