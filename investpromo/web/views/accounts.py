"""Signing in (rate-limited) and out."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import ngettext_lazy

from investpromo.accounts.services import (
    LoginLocked,
    client_address,
    release_login_attempt,
    reserve_login_attempt,
)


class RateLimitedAuthenticationForm(AuthenticationForm):
    """Django's login form, checking a password only within the sign-in attempt limits."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": ngettext_lazy(
            "Too many failed sign-ins. Try again in %(minutes)s minute, or ask an administrator.",
            "Too many failed sign-ins. Try again in %(minutes)s minutes, or ask an administrator.",
            "minutes",
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            # No password will be checked: the missing field's own error is the answer.
            return super().clean()
        try:
            # Reserved before the password is checked, so parallel requests cannot outrun it.
            attempt = reserve_login_attempt(username=username, address=client_address(self.request))
        except LoginLocked as locked:
            raise forms.ValidationError(
                self.error_messages["locked"], code="locked", params={"minutes": locked.minutes}
            ) from None
        # A wrong password (or a disabled account) raises here and the attempt stays counted.
        cleaned = super().clean()
        release_login_attempt(attempt=attempt)
        return cleaned


class LoginView(auth_views.LoginView):
    """The only page open without signing in."""

    template_name = "registration/login.html"
    authentication_form = RateLimitedAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    next_page = "web:login"
