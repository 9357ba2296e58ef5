"""Roles: what a user may see and change, and for officers, where."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """A user's role and, for officers, the regions whose projects they may write."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", _("administrator")
        OFFICER = "officer", _("officer")
        VIEWER = "viewer", _("viewer")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    regions = models.ManyToManyField(
        "geo.Region", blank=True, related_name="+", verbose_name=_("regions")
    )
    # Set when an administrator gave the password (a new account, a reset): the web asks the
    # user to choose their own before anything else.
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class LoginThrottle(models.Model):
    """Sign-in attempts counted for one scope (a username at an address, or an address)."""

    # SHA-256 of the scope: one fixed length whatever the username (not a secret: an address is
    # easily guessed back from its hash).
    key = models.CharField(max_length=64, unique=True)
    window_start = models.DateTimeField(db_index=True)
    # Attempts reserved in this window: failures, and attempts still checking a password.
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sign-in limit")
        verbose_name_plural = _("sign-in limits")

    def __str__(self) -> str:
        return f"{self.key[:12]}… {self.failures} since {self.window_start:%Y-%m-%d %H:%M}"


class TokenSeal(models.Model):
    """What an API token was issued against: a fingerprint of its user's password at the time."""

    token = models.OneToOneField(
        "authtoken.Token", primary_key=True, on_delete=models.CASCADE, related_name="seal"
    )
    # SHA-256 of the stored password hash: a new password (or a new salt) changes it, however
    # the password was set, so a token issued before the change is no longer accepted.
    password_fingerprint = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("API token seal")
        verbose_name_plural = _("API token seals")

    def __str__(self) -> str:
        return f"seal of {self.token.user}'s token"
