"""What a failed schedule run says, by its error code: one line in the reader's language."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "refused": _("Nothing was scheduled: %(detail)s"),
    "interrupted": _("The worker stopped while this schedule was being made; nothing was stored."),
    "internal": _(
        "The schedule failed because of an internal error; nothing was stored. %(detail)s"
    ),
}


def run_error_text(code: str, params: dict | None) -> str:
    template = MESSAGES.get(code)
    if template is None:
        return (params or {}).get("detail", "") or code
    try:
        return str(template) % (params or {})
    except (KeyError, ValueError, TypeError):
        return str(template)
