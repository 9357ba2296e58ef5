"""Checking a participant's profile values; shared by the services and the import pipeline.

Each function takes what a caller supplied and returns the value to store, or raises a
UserError with a code, the field and a message in the user's language. Nothing here writes.
"""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from investpromo.core.errors import UserError
from investpromo.core.text import normalize_text
from investpromo.participants.models import (
    CooperationMode,
    Language,
    ParticipantKind,
    Session,
    Side,
)
from investpromo.projects.rates import normalize_currency

MAX_PROFILE_TEXT = 4000
# The Chinese words signing lists and registration forms use for the cooperation modes.
COOPERATION_WORDS = {
    "独资": CooperationMode.SOLE,
    "合资": CooperationMode.JOINT_VENTURE,
    "合作": CooperationMode.COOPERATION,
    "技术转让": CooperationMode.TECHNOLOGY_TRANSFER,
    "并购": CooperationMode.MERGER,
}


def _choice(value, allowed, *, field: str, what: str) -> str:
    text = normalize_text(str(value or ""))
    if text not in allowed:
        raise UserError(
            _("Unknown %(what)s %(value)r: use one of %(allowed)s.")
            % {"what": what, "value": text, "allowed": ", ".join(allowed)},
            field=field,
            code=f"unknown_{field}",
        )
    return text


def clean_kind(value) -> str:
    return _choice(value, ParticipantKind.values, field="kind", what=_("participant type"))


def clean_side(value) -> str:
    return _choice(value, Side.values, field="side", what=_("side"))


def clean_language(value, *, field: str = "language") -> str:
    return _choice(value, Language.values, field=field, what=_("language"))


def clean_name(value, *, field: str = "name", limit: int = 200) -> str:
    name = normalize_text(str(value or ""))
    if not name:
        raise UserError(_("A name is required."), field=field, code="name_required")
    if len(name) > limit:
        raise UserError(
            _("A name may have at most %(limit)s characters.") % {"limit": limit},
            field=field,
            code="name_too_long",
        )
    return name


def clean_profile_text(value, *, field: str) -> str:
    text = str(value or "").strip()
    if len(text) > MAX_PROFILE_TEXT:
        raise UserError(
            _("%(field)s may have at most %(limit)s characters.")
            % {"field": field, "limit": MAX_PROFILE_TEXT},
            field=field,
            code="text_too_long",
        )
    return text


def clean_cooperation_modes(values) -> list[str]:
    """Mode codes (or their Chinese words), each once, in the enumeration's order."""
    chosen = set()
    for value in values or []:
        text = normalize_text(str(value))
        code = COOPERATION_WORDS.get(text, text)
        if code not in CooperationMode.values:
            raise UserError(
                _("Unknown cooperation mode %(value)r: use 独资, 合资, 合作, 技术转让 or 并购.")
                % {"value": text},
                field="cooperation_modes",
                code="unknown_cooperation_mode",
            )
        chosen.add(code)
    return [code for code in CooperationMode.values if code in chosen]


def clean_investment(minimum, maximum, currency) -> tuple[Decimal | None, Decimal | None, str]:
    """An ordered, non-negative Decimal range (either end open) and its currency code."""
    for field, value in (("investment_min", minimum), ("investment_max", maximum)):
        if value is None:
            continue
        if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
            raise UserError(
                _("The investment size must be a non-negative exact amount, not %(value)s.")
                % {"value": value},
                field=field,
                code="invalid_amount",
            )
    if minimum is not None and maximum is not None and minimum > maximum:
        raise UserError(
            _("The investment size range starts above its end (%(min)s > %(max)s).")
            % {"min": minimum, "max": maximum},
            field="investment_max",
            code="range_reversed",
        )
    return minimum, maximum, normalize_currency(currency or "CNY")


def clean_attendance(attendance, event) -> dict[str, list[str]]:
    """{ISO day within the event: [session codes] (empty: the whole day)}, days in order."""
    if attendance in (None, ""):
        return {}
    if not isinstance(attendance, dict):
        raise UserError(
            _("Attendance must map days to sessions."),
            field="attendance",
            code="invalid_attendance",
        )
    cleaned = {}
    for day_text, sessions in attendance.items():
        try:
            day = dt.date.fromisoformat(str(day_text))
        except ValueError:
            raise UserError(
                _("%(value)r is not a date (YYYY-MM-DD).") % {"value": day_text},
                field="attendance",
                code="invalid_date",
            ) from None
        if not event.start_date <= day <= event.end_date:
            raise UserError(
                _("%(day)s is not a day of the event (%(start)s to %(end)s).")
                % {"day": day, "start": event.start_date, "end": event.end_date},
                field="attendance",
                code="day_outside_event",
            )
        if not isinstance(sessions, list | tuple) or any(s not in Session.values for s in sessions):
            raise UserError(
                _("Sessions of %(day)s must be among %(allowed)s.")
                % {"day": day, "allowed": ", ".join(Session.values)},
                field="attendance",
                code="unknown_session",
            )
        cleaned[day.isoformat()] = [s for s in Session.values if s in sessions]
    return dict(sorted(cleaned.items()))
