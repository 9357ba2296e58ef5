"""Login, roles and error mapping shared by every web view."""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from investpromo.accounts.permissions import Role, role_of, scope_prefixes
from investpromo.accounts.sessions import has_temporary_password
from investpromo.core.errors import NotFound, PermissionDenied


@dataclass(frozen=True)
class Abilities:
    """What the signed-in user may do, worked out once per request (two queries at most)."""

    role: str | None
    # None: everywhere (administrators); a list of GB/T 2260 code prefixes for officers.
    prefixes: list[str] | None

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def can_write_projects(self) -> bool:
        return self.role in (Role.ADMINISTRATOR, Role.OFFICER)

    can_import = can_write_projects

    def can_edit(self, project) -> bool:
        """Mirrors accounts.permissions without a query per project (the services still check)."""
        if self.role == Role.ADMINISTRATOR:
            return True
        if self.role != Role.OFFICER:
            return False
        return any(project.destination_region_id.startswith(p) for p in self.prefixes or ())


def abilities(request) -> Abilities:
    """The request user's abilities, cached on the request."""
    cached = getattr(request, "_investpromo_abilities", None)
    if cached is None:
        role = role_of(request.user)
        prefixes = scope_prefixes(request.user) if role == Role.OFFICER else None
        cached = Abilities(role=role, prefixes=prefixes)
        request._investpromo_abilities = cached
    return cached


def forbidden(request, message: str):
    """The 403 page, naming what was refused."""
    return render(
        request, "web/403.html", {"message": message, "abilities": abilities(request)}, status=403
    )


def web_view(view):
    """Require login (and a password of one's own); a service's PermissionDenied is a 403 and
    NotFound a 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if has_temporary_password(request):
            # Signed in with a one-time password: their own password comes first.
            return redirect("web:password_change")
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            return forbidden(request, error.message)
        except NotFound as error:
            raise Http404(error.message) from None

    return login_required(wrapper)


def page(request, template: str, context: dict, *, status: int = 200):
    """Render a page with what the layout needs (the user's abilities)."""
    return render(request, template, {**context, "abilities": abilities(request)}, status=status)
