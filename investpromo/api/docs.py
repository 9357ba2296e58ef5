"""The API's schema and its documentation pages: the app's own files only, a login by default."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.permissions import AllowAny, IsAuthenticated


def docs_require_login() -> bool:
    """Whether the schema and documentation are for signed-in users only (the default)."""
    return bool(getattr(settings, "INVESTPROMO_API_DOCS_REQUIRE_LOGIN", True))


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema; anonymous callers get a 401 unless the docs are public."""

    def get_permissions(self):
        return [IsAuthenticated()] if docs_require_login() else [AllowAny()]


class _SignInFirst:
    # A person reads these pages: send them to the sign-in page rather than a JSON 401.
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if docs_require_login() and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().get(request, *args, **kwargs)


# Swagger UI and ReDoc build their styles at run time (<style> elements) and ReDoc searches in a
# worker it makes from a blob; their scripts are still only the sidecar's files.
_THIRD_PARTY_UI = method_decorator(
    csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}), name="dispatch"
)


@_THIRD_PARTY_UI
class SwaggerView(_SignInFirst, SpectacularSwaggerSplitView):
    """Swagger UI, its start-up script served as a file (no inline script)."""

    template_name = "api/swagger_ui.html"


@_THIRD_PARTY_UI
class RedocView(_SignInFirst, SpectacularRedocView):
    """ReDoc with the system's fonts (its stock page loads Google Fonts).

    Its menu shows Redocly's logo from their CDN: the policy blocks it and ReDoc then hides it.
    """

    template_name = "api/redoc.html"
