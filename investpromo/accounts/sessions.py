"""A session signed in with a password an administrator gave: the web asks for a new one first.

Noted in the session at sign-in (one query then), so the pages need no query to know it; the
password change page clears it.
"""

from investpromo.accounts.selectors import must_change_password

TEMPORARY_PASSWORD = "investpromo_temporary_password"


def note_temporary_password(sender, request, user, **kwargs) -> None:
    """user_logged_in: remember in the session that this password is a one-time password."""
    session = getattr(request, "session", None)
    if session is not None and must_change_password(user):
        session[TEMPORARY_PASSWORD] = True


def has_temporary_password(request) -> bool:
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(TEMPORARY_PASSWORD))


def forget_temporary_password(request) -> None:
    request.session.pop(TEMPORARY_PASSWORD, None)
