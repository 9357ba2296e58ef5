"""The scan's evidence as codes with parameters, worded where it is shown (zh or en).

A pair's evidence is a list of {"code": …, parameters…}: stored as is on its link, so the
review page can word it in the reader's language; the command prints it worded.
"""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "same_organisation": _("investor: same organisation"),
    "same_uscc": _("investor: same USCC %(uscc)s"),
    "same_name": _("investor: names agree after normalisation (%(core)s)"),
    "ambiguous_name": _("investor: %(core)s is the name of enterprises of several USCCs"),
    "short_name": _("investor: %(short)s abbreviates %(full)s"),
    "name": _("name: %(similarity).2f (%(earlier)s / %(later)s)"),
    "same_region": _("destination: same region"),
    "nested_region": _("destination: one region inside the other"),
    "same_prefecture": _("destination: other districts of one prefecture"),
    "amount_equal": _("amount: equal (%(earlier)s → %(later)s CNY)"),
    "amount_larger": _("amount: larger (%(earlier)s → %(later)s CNY)"),
    "amount_smaller": _("amount: smaller (%(earlier)s → %(later)s CNY)"),
    "amount_far": _("amount: more than ten times larger (%(earlier)s → %(later)s CNY)"),
    "amount_unit": _("amount: 10,000 times apart, 万元 read as 元? (%(earlier)s → %(later)s CNY)"),
    "amount_unknown": _("amount: not comparable (%(earlier)s → %(later)s CNY)"),
    "phase": _("phase: %(earlier)s → %(later)s"),
    "same_event": _("order: same event"),
    "agreement": _("agreement: %(earlier)s → %(later)s"),
    "signed_before": _("order: signed before the earlier event's record"),
}


def evidence_text(item: dict) -> str:
    """One piece of evidence worded in the active language."""
    params = {key: value for key, value in item.items() if key != "code"}
    return str(MESSAGES[item["code"]]) % params
