"""Numbers as people read them in each language, reusing the bulletin's wording."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from investpromo.accounts.permissions import Role
from investpromo.orgs.models import Organisation
from investpromo.projects.selectors import (
    AGREEMENT_LABELS,
    AMOUNT_UNITS,
    SEI_STATUS_LABELS,
    STAGE_LABELS,
)
from investpromo.reports import bulletin

register = template.Library()


def is_chinese() -> bool:
    return (translation.get_language() or "").startswith("zh")


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def yuan(value) -> str:
    """2565.6亿元 in Chinese, 256.56 billion yuan in English."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    return bulletin.yuan_zh(amount) if is_chinese() else bulletin.yuan_en(amount)


@register.filter
def usd_about(value) -> str:
    """约 36亿美元 / about 36 billion U.S. dollars (two significant figures, as the bulletin)."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    return bulletin.usd_about_zh(amount) if is_chinese() else bulletin.usd_about_en(amount)


@register.filter
def percent(share) -> str:
    """A 0–1 share as 69.4%."""
    if share in (None, ""):
        return "—"
    return f"{bulletin.percent(share)}%"


@register.filter
def rate(value) -> str:
    """An exchange rate without trailing zeros: 7.100000 → 7.1."""
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{number.normalize():f}"


def amount_unit() -> tuple[Decimal, str]:
    """The unit tables and charts show values in: 万元 in Chinese, million yuan in English."""
    if is_chinese():
        return Decimal("10000"), "万元"
    return Decimal("1000000"), "million yuan"


@register.filter
def grouped(value) -> str:
    """A number as written in full with thousands separators: 230100000.000000 → 230,100,000."""
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{number.normalize():,f}"


# Each ledger unit (?unit=) as a column heading says it, in Chinese and in English.
UNIT_LABELS = {
    "yuan": ("元", "yuan"),
    "wan": ("万元", "10,000 yuan"),
    "million": ("百万元", "million yuan"),
    "yi": ("亿元", "100 million yuan"),
}


@register.filter
def amount(value, unit: str = "") -> str:
    """A value in the table unit (or the ledger unit named) with separators (12,345.67)."""
    number = _decimal(value)
    if number is None:
        return "—"
    divisor = AMOUNT_UNITS[unit][0] if unit in AMOUNT_UNITS else amount_unit()[0]
    return f"{(number / divisor).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


@register.simple_tag(takes_context=True)
def amount_unit_label(context) -> str:
    """The table's unit: the ledger's chosen one (context `unit`) or the language's."""
    unit = context.get("unit", "")
    if unit in UNIT_LABELS:
        return UNIT_LABELS[unit][0 if is_chinese() else 1]
    return amount_unit()[1]


@register.simple_tag(takes_context=True)
def table_amount(context, value) -> str:
    """amount() in the table's unit (see amount_unit_label)."""
    return amount(value, context.get("unit", ""))


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label, css_class: str = ""):
    """A column heading; on a sortable table (context `sort_columns`) a link that sorts by it."""
    columns = context.get("sort_columns") or {}
    class_attr = format_html(' class="{}"', css_class) if css_class else ""
    if key not in columns:
        return format_html('<th scope="col"{}>{}</th>', class_attr, label)
    column = columns[key]
    return format_html(
        '<th scope="col"{} aria-sort="{}"><a href="{}">{}</a></th>',
        class_attr,
        column["aria"],
        column["url"],
        label,
    )


@register.filter
def share_of(part, whole) -> str:
    """part / whole as a percentage, for the share columns of breakdown tables."""
    part, whole = _decimal(part), _decimal(whole)
    if part is None or not whole:
        return "—"
    return percent(part / whole)


@register.filter
def localized_name(obj) -> str:
    """name_en in English where there is one, else the Chinese name."""
    if isinstance(obj, dict):
        zh, en = obj.get("name_zh") or obj.get("name", ""), obj.get("name_en", "")
    else:
        zh = getattr(obj, "name_zh", None) or getattr(obj, "name", "")
        en = getattr(obj, "name_en", "")
    return zh if is_chinese() or not en else en


@register.simple_tag
def region_label(code) -> str:
    """A region's full name from its code, in the interface language (cached, no query)."""
    from investpromo.core.errors import UserError
    from investpromo.geo.resolver import resolve_region

    try:
        return localized_full_name(resolve_region(str(code)))
    except UserError:
        return ""


@register.filter
def localized_full_name(region) -> str:
    """黑龙江省哈尔滨市松北区, or in English Songbei District, Harbin, Heilongjiang."""
    return region.full_name if is_chinese() else region.full_name_en


ORGANISATION_KIND_LABELS = {
    Organisation.Kind.ENTERPRISE: _("enterprise"),
    Organisation.Kind.INVESTOR: _("investment institution"),
    Organisation.Kind.GOVERNMENT: _("government body"),
    Organisation.Kind.UNIVERSITY: _("university or research institute"),
    Organisation.Kind.ASSOCIATION: _("association or chamber"),
    Organisation.Kind.OTHER: _("other"),
}
ROLE_LABELS = {
    Role.ADMINISTRATOR: _("administrator"),
    Role.OFFICER: _("officer"),
    Role.VIEWER: _("viewer"),
}


@register.filter
def agreement_label(value) -> str:
    return AGREEMENT_LABELS.get(value, value)


@register.filter
def sei_status_label(value) -> str:
    return SEI_STATUS_LABELS.get(value, value)


@register.filter
def stage_label(value) -> str:
    return STAGE_LABELS.get(value, value)


@register.filter
def approval_label(value) -> str:
    # Imported here: the follow-through helpers import this module for is_chinese().
    from investpromo.web.followthrough import APPROVAL_LABELS

    return APPROVAL_LABELS.get(value, value)


@register.filter
def kind_label(value) -> str:
    return ORGANISATION_KIND_LABELS.get(value, value)


@register.filter
def role_label(value) -> str:
    return ROLE_LABELS.get(value, value or "")


@register.simple_tag
def can_edit(abilities, project) -> bool:
    return abilities.can_edit(project)
