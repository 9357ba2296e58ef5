"""What the API's views share."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

# The change log's `source` for every write made through the API.
VIA = "api"
# Path segments a lookup accepts: anything but "/", so the view (not the URL resolver,
# whose 404 is an HTML page) answers for an unknown code, slug or id.
LOOKUP = "[^/]+"


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
def not_found(request, *args, **kwargs):
    """A JSON 404 for any other path under /api/."""
    raise NotFound("no such API endpoint")
