"""Who may do what: one set of rules for the command line, the web and the API."""

from investpromo.accounts.models import Profile
from investpromo.core.audit import SYSTEM_USERNAME
from investpromo.core.errors import PermissionDenied

Role = Profile.Role


def role_of(user) -> str | None:
    """The user's role; superusers and the system account are administrators."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser or user.get_username() == SYSTEM_USERNAME:
        return Role.ADMINISTRATOR
    profile = getattr(user, "profile", None)
    try:
        return profile.role if profile is not None else Role.VIEWER
    except Profile.DoesNotExist:
        return Role.VIEWER


def _prefix(region) -> str:
    # GB/T 2260 codes nest: a province owns its 2-digit prefix, a prefecture its 4-digit one.
    return region.code[: {1: 2, 2: 4}.get(region.level, 6)]


def scope_prefixes(user) -> list[str] | None:
    """Code prefixes an officer may write in; None means everywhere (administrators)."""
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return None
    if role != Role.OFFICER:
        return []
    return [_prefix(region) for region in user.profile.regions.all()]


def region_in_scope(user, region) -> bool:
    prefixes = scope_prefixes(user)
    return prefixes is None or any(region.code.startswith(p) for p in prefixes)


def ensure_can_write_projects_in(user, *regions) -> None:
    """Raise PermissionDenied unless the user may create, change or delete projects there."""
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return
    if role != Role.OFFICER:
        raise PermissionDenied("your account is read-only: you cannot change projects")
    for region in regions:
        if region is not None and not region_in_scope(user, region):
            raise PermissionDenied(
                f"you may only change projects in your own regions; {region.full_name} is not one of them"
            )


def ensure_can_write_organisations(user) -> None:
    if role_of(user) not in (Role.ADMINISTRATOR, Role.OFFICER):
        raise PermissionDenied("your account is read-only: you cannot change organisations")


def ensure_administrator(user, what: str) -> None:
    if role_of(user) != Role.ADMINISTRATOR:
        raise PermissionDenied(f"only administrators can change {what}")
