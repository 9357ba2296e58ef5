"""Top-level URL routes."""

from django.contrib import admin
from django.urls import include, path

from investpromo.web.admin_login import RateLimitedAdminAuthenticationForm

# The admin's own sign-in page checks passwords too: it counts against the same limits.
admin.site.login_form = RateLimitedAdminAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("investpromo.api.urls")),
    path("", include("investpromo.web.urls")),
]
