"""Token authentication that refuses tokens past their days or older than the password."""

from django.utils import formats
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from investpromo.accounts.services import TokenProblem, token_expires_at, token_problem


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's `Authorization: Token …`, with expiry and revocation on a password change."""

    model = Token

    def authenticate_credentials(self, key):
        token = Token.objects.select_related("user", "seal").filter(key=key).first()
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        problem = token_problem(token)
        if problem == TokenProblem.EXPIRED:
            raise AuthenticationFailed(
                _(
                    "Your API token expired on %(date)s: ask for a new one with POST "
                    "/api/auth/token/."
                )
                % {"date": formats.date_format(token_expires_at(token), "Y-m-d")},
                code="token_expired",
            )
        if problem == TokenProblem.PASSWORD_CHANGED:
            raise AuthenticationFailed(
                _(
                    "Your API token was revoked because your password changed: ask for a new "
                    "one with POST /api/auth/token/."
                ),
                code="token_revoked",
            )
        return token.user, token
