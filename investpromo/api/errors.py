"""Service errors as HTTP statuses, and every error body as a JSON object.

Bodies are `{"detail": "message"}` or, when a field is at fault, `{"field": ["message"]}`.
"""

from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from investpromo.core import errors


class PreconditionFailed(exceptions.APIException):
    """The record changed since the caller read it (stale If-Match or version)."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The record was changed by someone else: reload and try again.")
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    """An update must say which version it edits."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _("Send the version you edited: an If-Match header or a `version` field.")
    default_code = "precondition_required"


class ConflictError(exceptions.APIException):
    """The change clashes with other records (e.g. one still refers to this one)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def translate(exc: Exception) -> Exception:
    """The DRF exception a service or database error stands for (others unchanged)."""
    # Subclasses before UserError, which they all extend.
    if isinstance(exc, errors.PermissionDenied):
        return exceptions.PermissionDenied(exc.message, code=exc.code or "permission_denied")
    if isinstance(exc, errors.NotFound):
        return exceptions.NotFound(exc.message)
    if isinstance(exc, errors.Conflict):
        return PreconditionFailed(exc.message)
    if isinstance(exc, errors.UserError):
        code = exc.code or "invalid"
        if exc.field:
            return exceptions.ValidationError({exc.field: [exc.message]}, code=code)
        return exceptions.ValidationError({"detail": exc.message}, code=code)
    if isinstance(exc, ProtectedError | RestrictedError):
        related = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
        names = ", ".join(sorted({str(obj) for obj in related})[:5])
        return ConflictError(f"other records still refer to this one: {names}")
    if isinstance(exc, IntegrityError):
        # A concurrent write got there first (e.g. the same USCC); the service rolled back.
        return ConflictError("the change conflicts with data saved meanwhile: reload and try again")
    return exc


def exception_handler(exc, context):
    """DRF's handler after translation; a bare list body becomes {"detail": ...}."""
    response = drf_exception_handler(translate(exc), context)
    if response is not None and isinstance(response.data, list):
        response.data = {"detail": " ".join(str(item) for item in response.data)}
    return response
