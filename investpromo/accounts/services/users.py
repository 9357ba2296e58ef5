"""Managing accounts: create, change role and regions, deactivate, reset a password.

Only administrators manage accounts. Every change is one transaction with one change-log row on
the user (its account as before and after: never a password or its hash). The role decides
Django's flags too: an administrator is staff and superuser (the admin site needs both), an
officer or viewer neither, so `role_of` and the admin always agree. Regions are kept only for
officers, who need at least one; they mean nothing for the other roles.

Two refusals keep the site manageable: the last active administrator can be neither
deactivated nor demoted, and no one deactivates or demotes themselves (another administrator
must do it, so a slip of the mouse cannot lock its author out).
"""

import re
import secrets

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from investpromo.accounts.models import Profile
from investpromo.accounts.permissions import Role, ensure_administrator
from investpromo.core.audit import SYSTEM_USERNAME, record_change
from investpromo.core.errors import PermissionDenied, UserError
from investpromo.core.models import ChangeLog

# No 0/O, 1/l/I: a password read aloud or copied from a screen is typed right the first time.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
_PASSWORD_GROUPS = 4
_PASSWORD_GROUP_LENGTH = 4
_USERNAME_MAX = 150


def one_time_password() -> str:
    """A random password to hand over once: four groups of four (about 91 bits)."""
    return "-".join(
        "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(_PASSWORD_GROUP_LENGTH))
        for _ in range(_PASSWORD_GROUPS)
    )


def account_state(user) -> dict:
    """What the change log keeps of an account: never the password."""
    profile = _profile(user)
    return {
        "username": user.get_username(),
        "email": user.email,
        "is_active": user.is_active,
        "role": _role(user, profile),
        "regions": sorted(region.code for region in profile.regions.all()) if profile else [],
    }


def _profile(user) -> Profile | None:
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def _role(user, profile) -> str:
    if user.is_superuser:
        return Role.ADMINISTRATOR
    return profile.role if profile is not None else Role.VIEWER


def _active_administrators():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(profile__role=Role.ADMINISTRATOR))
        .exclude(username=SYSTEM_USERNAME)
    )


def _ensure_not_last_administrator(user, *, code: str) -> None:
    others = _active_administrators().exclude(pk=user.pk)
    if user.is_active and _role(user, _profile(user)) == Role.ADMINISTRATOR and not others.exists():
        raise UserError(
            _(
                "%(username)s is the last active administrator: make another user an "
                "administrator first."
            )
            % {"username": user.get_username()},
            code=code,
        )


def _ensure_not_self(actor, user, *, code: str, message: str) -> None:
    if actor is not None and actor.pk == user.pk:
        raise PermissionDenied(message, code=code)


def _check_role(role: str) -> str:
    if role not in Role.values:
        raise UserError(
            _("%(role)s is not a role: use administrator, officer or viewer.") % {"role": role},
            field="role",
            code="unknown_role",
        )
    return role


def _check_regions(role: str, regions) -> list:
    regions = list(dict.fromkeys(regions or ()))  # once each, in the order given
    if role == Role.OFFICER and not regions:
        raise UserError(
            _("An officer needs at least one region: the projects they may change are there."),
            field="regions",
            code="officer_without_region",
        )
    return regions if role == Role.OFFICER else []


def _check_email(email: str) -> str:
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise UserError(
                _("%(email)s is not an email address.") % {"email": email},
                field="email",
                code="invalid_email",
            ) from None
    return email


def _check_username(username: str) -> str:
    username = (username or "").strip()
    try:
        if not username or len(username) > _USERNAME_MAX:
            raise ValidationError("length")
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise UserError(
            _(
                "%(username)s is not a valid username: up to 150 letters, digits and @ . + - _ "
                "(no spaces)."
            )
            % {"username": username or '""'},
            field="username",
            code="invalid_username",
        ) from None
    if username == SYSTEM_USERNAME or (
        get_user_model().objects.filter(username__iexact=username).exists()
    ):
        raise UserError(
            _("A user named %(username)s already exists.") % {"username": username},
            field="username",
            code="username_taken",
        )
    return username


def _apply_role(user, profile: Profile, role: str, regions: list) -> None:
    is_administrator = role == Role.ADMINISTRATOR
    user.is_staff = user.is_superuser = is_administrator
    user.save(update_fields=["is_staff", "is_superuser"])
    profile.role = role
    profile.save(update_fields=["role"])
    profile.regions.set(regions)


def _lock(user):
    """The user's row, locked until the transaction ends (two administrators at once)."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.get_username() == SYSTEM_USERNAME:
        raise UserError(
            _("The system account records command-line work; it cannot be changed."),
            code="system_account",
        )
    return user


def _record(actor, user, before: dict | None, *, via: str, what: str) -> None:
    record_change(
        actor=actor,
        instance=user,
        action=ChangeLog.Action.CREATE if before is None else ChangeLog.Action.UPDATE,
        before=before,
        after=account_state(user),
        source=f"{via}: {what}" if via else what,
    )


def create_user(
    *, actor, username: str, role: str, regions=(), email: str = "", via: str = ""
) -> tuple:
    """A new active account with a one-time password: (user, password), the password shown once."""
    ensure_administrator(actor, _("users"))
    role = _check_role(role)
    regions = _check_regions(role, regions)
    email = _check_email(email)
    password = one_time_password()
    with transaction.atomic():
        username = _check_username(username)
        try:
            # A savepoint: the same name created at this moment by another administrator.
            with transaction.atomic():
                user = get_user_model().objects.create_user(
                    username=username, email=email, password=password
                )
        except IntegrityError:
            raise UserError(
                _("A user named %(username)s already exists.") % {"username": username},
                field="username",
                code="username_taken",
            ) from None
        profile = Profile.objects.create(user=user, role=role, must_change_password=True)
        _apply_role(user, profile, role, regions)
        _record(actor, user, None, via=via, what="user created")
    return user, password


def change_user(
    *, actor, user, role: str | None = None, regions=None, email: str | None = None, via: str = ""
):
    """Change an account's role, regions or email (None leaves it as it is)."""
    ensure_administrator(actor, _("users"))
    with transaction.atomic():
        user = _lock(user)
        if _profile(user) is None:
            # Accounts made before roles were managed here (a superuser from createsuperuser).
            Profile.objects.create(user=user, role=_role(user, None))
        profile = user.profile
        before = account_state(user)
        new_role = _check_role(role) if role is not None else before["role"]
        if new_role != before["role"] and before["role"] == Role.ADMINISTRATOR:
            _ensure_not_self(
                actor,
                user,
                code="demote_self",
                message=_("You cannot take away your own administrator role."),
            )
            _ensure_not_last_administrator(user, code="last_administrator")
        if regions is None:
            regions = list(profile.regions.all()) if new_role == Role.OFFICER else []
        _apply_role(user, profile, new_role, _check_regions(new_role, regions))
        if email is not None:
            user.email = _check_email(email)
            user.save(update_fields=["email"])
        # Nothing changed (the same role and regions again): no row.
        _record(actor, user, before, via=via, what="user changed")
    return user


def deactivate_user(*, actor, user, via: str = ""):
    """Stop an account from signing in (its history stays); its API token ends with it."""
    ensure_administrator(actor, _("users"))
    with transaction.atomic():
        user = _lock(user)
        _ensure_not_self(
            actor, user, code="deactivate_self", message=_("You cannot deactivate yourself.")
        )
        _ensure_not_last_administrator(user, code="last_administrator")
        if not user.is_active:
            return user
        before = account_state(user)
        user.is_active = False
        user.save(update_fields=["is_active"])
        _record(actor, user, before, via=via, what="user deactivated")
        # Sessions and tokens: Django refuses an inactive user's session at its next request;
        # the token is revoked outright (audited by the token service).
        from investpromo.accounts.services import revoke_api_tokens

        revoke_api_tokens(actor=actor, user=user)
    return user


def reactivate_user(*, actor, user, via: str = ""):
    """Let a deactivated account sign in again."""
    ensure_administrator(actor, _("users"))
    with transaction.atomic():
        user = _lock(user)
        if user.is_active:
            return user
        before = account_state(user)
        user.is_active = True
        user.save(update_fields=["is_active"])
        _record(actor, user, before, via=via, what="user reactivated")
    return user


def reset_password(*, actor, user, via: str = "") -> str:
    """Give an account a new one-time password (returned once, never stored in clear)."""
    ensure_administrator(actor, _("users"))
    password = one_time_password()
    with transaction.atomic():
        user = _lock(user)
        # The password-change signal revokes the user's API token (audited there).
        user.set_password(password)
        user.save(update_fields=["password"])
        Profile.objects.update_or_create(
            user=user,
            defaults={"must_change_password": True},
            create_defaults={"role": _role(user, None), "must_change_password": True},
        )
        record_change(
            actor=actor,
            instance=user,
            action=ChangeLog.Action.UPDATE,
            before={"password": "set"},
            after={"password": "reset"},
            source=f"{via}: password reset" if via else "password reset",
        )
    return password


def change_own_password(*, actor, old_password: str, new_password: str, via: str = "") -> None:
    """A user replaces their password (the one-time one, or any) with one they chose."""
    with transaction.atomic():
        user = _lock(actor)
        if not user.check_password(old_password):
            raise UserError(
                _("The current password is not right."),
                field="old_password",
                code="wrong_password",
            )
        if new_password == old_password:
            raise UserError(
                _("Choose a new password, not the current one again."),
                field="new_password",
                code="same_password",
            )
        try:
            password_validation.validate_password(new_password, user)
        except ValidationError as error:
            raise UserError(
                " ".join(error.messages), field="new_password", code="weak_password"
            ) from None
        user.set_password(new_password)
        user.save(update_fields=["password"])
        Profile.objects.filter(user=user).update(must_change_password=False)
        record_change(
            actor=user,
            instance=user,
            action=ChangeLog.Action.UPDATE,
            before={"password": "set"},
            after={"password": "changed by its user"},
            source=f"{via}: password changed" if via else "password changed",
        )
    actor.password = user.password  # the caller's copy, for its session's hash


def parse_region_list(text: str) -> list[str]:
    """Region codes or names as typed in one box: split at commas, semicolons, 、 and spaces."""
    return [part for part in re.split(r"[\s,，;；、]+", text or "") if part]
