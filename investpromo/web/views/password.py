"""Changing one's own password; required first after signing in with a one-time password."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from investpromo.accounts.services import (
    LoginLocked,
    client_address,
    release_login_attempt,
    reserve_login_attempt,
)
from investpromo.accounts.services.users import change_own_password
from investpromo.accounts.sessions import forget_temporary_password, has_temporary_password
from investpromo.core.errors import UserError
from investpromo.web.access import page
from investpromo.web.account_forms import PasswordChangeForm
from investpromo.web.views.accounts import RateLimitedAuthenticationForm


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def password_change(request):
    """The current password and a new one; the session stays signed in."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # The current password is a password check like signing in: within the same
            # limits, or a stolen session could guess it without end.
            attempt = reserve_login_attempt(
                username=request.user.get_username(), address=client_address(request)
            )
            change_own_password(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
                via="web",
            )
        except LoginLocked as locked:
            form.add_error(
                None,
                RateLimitedAuthenticationForm.error_messages["locked"]
                % {"minutes": locked.minutes},
            )
        except UserError as error:
            if error.code != "wrong_password":
                # Only a wrong current password counts as a guess.
                release_login_attempt(attempt=attempt)
            form.add_service_error(error)
        else:
            release_login_attempt(attempt=attempt)
            # A new password ends every session of the user: this one continues under it.
            update_session_auth_hash(request, request.user)
            forget_temporary_password(request)
            messages.success(request, _("Your password was changed."))
            return redirect("web:dashboard")
    return page(
        request,
        "web/users/password_change.html",
        {"form": form, "required": has_temporary_password(request)},
    )
