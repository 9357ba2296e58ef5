"""Why a project is flagged overdue: codes with parameters, put in the reader's language."""

from django.utils.translation import gettext, gettext_noop

REASONS = {
    "idle": gettext_noop("no step for %(months)s months or more in stage %(stage)s"),
    "not_started": gettext_noop("signed over %(months)s months ago and construction not started"),
    "low_funds": gettext_noop(
        "started over %(months)s months ago with under %(percent)s%% of funds in place"
    ),
}


def reason_text(reason: dict) -> str:
    """One reason ({"code", "params"}) in the active language."""
    from investpromo.projects.selectors import STAGE_LABELS

    params = dict(reason["params"])
    if "stage" in params:
        params["stage"] = str(STAGE_LABELS.get(params["stage"], params["stage"]))
    return gettext(REASONS[reason["code"]]) % params


def reason_texts(reasons: list[dict]) -> list[str]:
    """reason_text() of each."""
    return [reason_text(reason) for reason in reasons]
