"""The role check made before a write is parsed; the services decide again when they write."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from investpromo.core.errors import PermissionDenied


class RoleWritePermission(BasePermission):
    """Refuse a write early when the view's role rule (from accounts.permissions) refuses it.

    Answering 403 before the body is parsed tells a read-only caller the real reason rather
    than a validation error; region scope is left to the services, which see the record.
    """

    message = "you may not change this"

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        check = getattr(view, "write_check", None)
        if check is None:
            return True
        try:
            check(request.user)
        except PermissionDenied as error:
            self.message = error.message
            return False
        return True
