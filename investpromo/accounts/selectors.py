"""Reading accounts: the user list administrators manage, and one user."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from investpromo.accounts.models import Profile
from investpromo.accounts.permissions import Role
from investpromo.core.audit import SYSTEM_USERNAME
from investpromo.core.errors import NotFound
from investpromo.geo.models import Region


@dataclass(frozen=True)
class Account:
    """A user as the user list shows it."""

    user: object
    role: str
    regions: list

    @property
    def pk(self):
        return self.user.pk


def _accounts():
    regions = Region.objects.select_related("parent").order_by("code")
    return (
        get_user_model()
        .objects.exclude(username=SYSTEM_USERNAME)
        .select_related("profile")
        .prefetch_related(Prefetch("profile__regions", queryset=regions))
    )


def _account(user) -> Account:
    try:
        profile = user.profile
    except Profile.DoesNotExist:
        profile = None
    role = Role.ADMINISTRATOR if user.is_superuser else (profile.role if profile else Role.VIEWER)
    return Account(user=user, role=role, regions=list(profile.regions.all()) if profile else [])


def list_accounts() -> list[Account]:
    """Every account but the system's: active ones first, then by username (two queries)."""
    return [_account(user) for user in _accounts().order_by("-is_active", "username")]


def get_account(pk) -> Account:
    """One account by id, or NotFound."""
    user = _accounts().filter(pk=pk).first()
    if user is None:
        raise NotFound(_("No user with id %(id)s.") % {"id": pk}, field="user", code="no_user")
    return _account(user)


def get_account_by_username(username: str) -> Account:
    """One account by username, or NotFound naming it."""
    user = _accounts().filter(username=username).first()
    if user is None:
        raise NotFound(
            _("No user named %(username)s.") % {"username": username},
            field="username",
            code="no_user",
        )
    return _account(user)


def must_change_password(user) -> bool:
    """Whether the user still signs in with a password an administrator gave them."""
    return Profile.objects.filter(user=user, must_change_password=True).exists()
