"""Name normalisation: what NFKC plus whitespace collapsing means, for any text."""

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from investpromo.core.text import normalize_key, normalize_text

_WHITESPACE = re.compile(r"\s+")


def test_full_width_and_whitespace():
    assert normalize_text("  深圳甲科技（集团）\u3000有限公司 \n") == "深圳甲科技(集团) 有限公司"
    assert normalize_text("ＡＢＣ\xa0 Ltd.") == "ABC Ltd."
    assert normalize_key("ＡＢＣ\tLtd.") == "abc ltd."
    assert normalize_text("") == "" and normalize_text(None) == ""


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_same_as_the_definition(text):
    expected = _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    assert normalize_text(text) == expected
    assert normalize_text(normalize_text(text)) == normalize_text(text)
