"""The admin site's sign-in page, under the same attempt limits as the login page and the API."""

from django.contrib.admin.forms import AdminAuthenticationForm

from investpromo.web.views.accounts import RateLimitedAuthenticationForm


class RateLimitedAdminAuthenticationForm(RateLimitedAuthenticationForm, AdminAuthenticationForm):
    """Django's admin sign-in form (staff accounts only), checking passwords within the limits.

    Without it /admin/login/ checked any number of passwords: a staff account could be guessed
    there however the login page and POST /api/auth/token/ were limited.
    """

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked": RateLimitedAuthenticationForm.error_messages["locked"],
    }
