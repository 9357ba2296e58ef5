"""Coded import problems: English where they are made, the reader's language where shown.

A problem with a code keeps its parameters in the job's summary, so the web page and the API
put it in each reader's language; the command line prints the English text.
"""

from django.utils.translation import gettext, gettext_noop

from investpromo.imports.report import Problem

MESSAGES = {
    "signing_date_before_event": gettext_noop(
        "signing date %(date)s is %(days)s days before the event (%(start)s – %(end)s), "
        "more than the %(limit)s days allowed: is the row from another event?"
    ),
    "signing_date_after_event": gettext_noop(
        "signing date %(date)s is %(days)s days after the event (%(start)s – %(end)s), "
        "more than the %(limit)s days allowed: is the row from another event?"
    ),
}


def english(code: str, params: dict) -> str:
    """The problem's text as stored: English, whatever language is active."""
    return MESSAGES[code] % params


def localized(problem: dict) -> dict:
    """A problem as the summary stores it, its message in the active language when coded."""
    template = MESSAGES.get(problem.get("code") or "")
    if template is None:
        return problem
    try:
        message = gettext(template) % problem.get("params", {})
    except (KeyError, TypeError, ValueError):
        return problem
    located = Problem(problem["sheet"], problem.get("row"), problem.get("column"), message)
    return {**problem, "message": message, "text": str(located)}


def localized_problems(problems: list[dict]) -> list[dict]:
    """localized() of each problem."""
    return [localized(problem) for problem in problems]
