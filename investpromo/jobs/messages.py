"""What a failed job says, by its error code: one line in the reader's language."""

from django.utils.translation import gettext_lazy as _

# The codes are stored on the job; the text is made where it is shown, so an English reader
# and a Chinese reader each see their own words for the same failure.
MESSAGES = {
    "refused": _("Nothing was written: %(detail)s"),
    "memory": _(
        "The file needs more memory than a job may use (%(limit)s); nothing was written. "
        "Split the file into smaller ones."
    ),
    "time": _(
        "The job took longer than its time limit (%(limit)s seconds) and was stopped; "
        "nothing was written. Split the file into smaller ones."
    ),
    "interrupted": _(
        "The worker stopped while this job was running, so nothing was written (the import "
        "is one transaction). Upload the file again."
    ),
    "internal": _("The job failed because of an internal error; nothing was written. %(detail)s"),
}


def job_error_text(code: str, params: dict | None) -> str:
    """The failure of a job as one line in the active language."""
    template = MESSAGES.get(code)
    if template is None:
        return (params or {}).get("detail", "") or code
    try:
        return str(template) % (params or {})
    except (KeyError, ValueError, TypeError):
        return str(template)
