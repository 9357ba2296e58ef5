"""Sign-in attempt limits, kept in the database so every app server and process shares them.

An attempt is reserved before its password is checked, by one conditional UPDATE per scope, so
requests sent in parallel (to one server or several) can never check more passwords than the
limit allows. Three scopes are counted: a username at a client address (5 per 15 minutes: one
guesser is stopped early, and no one at another address is held up by it), the address alone (20
per 15 minutes across usernames, against trying one password on many accounts) and the username
alone (50 per 15 minutes from all addresses together, against guessing one account's password
from many addresses; set high, so that locking a user out takes ten addresses at once). A window
starts with the first attempt of its scope; a refused attempt waits for that window's end.

The client address is REMOTE_ADDR. X-Forwarded-For is believed only when REMOTE_ADDR is listed
in the setting INVESTPROMO_TRUSTED_PROXIES (addresses or networks, a list or a comma-separated
string; empty by default): a client can write any X-Forwarded-For it likes.

API tokens are issued here too. A token lasts INVESTPROMO_TOKEN_DAYS days and is sealed with a
fingerprint of its user's password: a new password revokes it at once (when set through
Django, audited), and a token whose seal no longer matches is refused however the password
was written.
"""

import datetime as dt
import enum
import hashlib
import ipaddress
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import Case, F, PositiveIntegerField, Q, Value, When
from django.utils import timezone

from investpromo.accounts.models import LoginThrottle, TokenSeal
from investpromo.core.audit import record_change
from investpromo.core.models import ChangeLog

WINDOW = dt.timedelta(minutes=15)
USER_LIMIT = 5
ADDRESS_LIMIT = 20
USERNAME_LIMIT = 50
# Expired rows removed per new row: enough to keep the table to the scopes seen in one window.
_CLEANUP_BATCH = 100


def now() -> dt.datetime:
    # A function so tests can move the clock.
    return timezone.now()


class LoginLocked(Exception):
    """Too many sign-in attempts: none may be made for `seconds` more."""

    def __init__(self, seconds: int):
        super().__init__(f"too many failed sign-ins: try again in {seconds} seconds")
        self.seconds = seconds

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))


@dataclass(frozen=True)
class LoginAttempt:
    """A reserved attempt: the keys it counts against and the windows it was counted in."""

    user_key: str
    address_key: str | None
    address_window: dt.datetime | None
    username_key: str
    username_window: dt.datetime


def _key(scope: str) -> str:
    return hashlib.sha256(scope.encode()).hexdigest()


def client_network(address: str) -> str:
    """The unit a client is counted by: its IPv4 address, or its IPv6 /64.

    One IPv6 customer usually holds a whole /64 (2^64 addresses): counted per address, every
    guess could come from a fresh one.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def _scopes(username: str, address: str) -> list[tuple[str, int]]:
    """(key, limit) of the address, the username at the address and the username, in that order."""
    address = client_network(address) if address else address
    name = (username or "").strip().casefold()
    scopes = [(_key(f"user:{name}|{address}"), USER_LIMIT), (_key(f"name:{name}"), USERNAME_LIMIT)]
    # No address (a Unix-socket server with no proxy header): one shared counter for every
    # request would let 20 typos lock everyone out, so only the username's limits apply.
    if address:
        scopes.insert(0, (_key(f"addr:{address}"), ADDRESS_LIMIT))
    return scopes


def _take(key: str, limit: int, moment: dt.datetime) -> dt.datetime | None:
    """Count one attempt against `key` if its window has room (or has ended): the window's start.

    None when the window is full.
    """
    expired = Q(window_start__lte=moment - WINDOW)
    for _ in range(3):
        # One statement: PostgreSQL re-checks the WHERE on the newest row version after waiting
        # for a concurrent update, and SQLite runs one writer at a time, so the count never
        # passes the limit however many requests arrive together.
        updated = LoginThrottle.objects.filter(
            Q(key=key) & (expired | Q(failures__lt=limit))
        ).update(
            failures=Case(
                When(expired, then=Value(1)),
                default=F("failures") + 1,
                output_field=PositiveIntegerField(),
            ),
            window_start=Case(When(expired, then=Value(moment)), default=F("window_start")),
        )
        if updated:
            # The row stays locked by this transaction until it ends, so this is the window
            # just counted in.
            return LoginThrottle.objects.values_list("window_start", flat=True).get(key=key)
        if LoginThrottle.objects.filter(key=key).exists():
            return None
        try:
            # A savepoint: on PostgreSQL a failed INSERT would otherwise abort the transaction.
            with transaction.atomic():
                LoginThrottle.objects.create(key=key, window_start=moment, failures=1)
        except IntegrityError:
            continue  # another request inserted it first: count against its row
        return moment
    return None


def _forget_expired(moment: dt.datetime) -> None:
    # An ended window counts as no row at all. SKIP LOCKED: never wait for (or deadlock with) a
    # request that is counting against one of these rows right now.
    stale = list(
        LoginThrottle.objects.select_for_update(skip_locked=True)
        .filter(window_start__lte=moment - WINDOW)
        .values_list("pk", flat=True)[:_CLEANUP_BATCH]
    )
    if stale:
        LoginThrottle.objects.filter(pk__in=stale).delete()


def _wait(keys: dict[str, int], moment: dt.datetime) -> int:
    ends = [
        row.window_start + WINDOW
        for row in LoginThrottle.objects.filter(key__in=keys)
        if row.failures >= keys[row.key] and row.window_start + WINDOW > moment
    ]
    return max(1, math.ceil((max(ends, default=moment) - moment).total_seconds()))


def reserve_login_attempt(*, username: str, address: str) -> LoginAttempt:
    """Count a sign-in attempt before its password is checked; LoginLocked if over a limit."""
    # The address, the username there, then the username, in every request (and in release):
    # rows are always locked in the same order, so two requests never wait in a cycle.
    scopes = _scopes(username, address)
    (user_key, _), (username_key, _) = scopes[-2:]
    address_key = scopes[0][0] if len(scopes) == 3 else None
    moment = now()
    windows = {}
    with transaction.atomic():
        for position, (key, limit) in enumerate(scopes):
            windows[key] = _take(key, limit, moment)
            if windows[key] is None:
                # The wait is the longest of this scope and those not yet counted (an address
                # counted just now is not full: it is undone as the exception leaves the block).
                raise LoginLocked(_wait(dict(scopes[position:]), moment))
        if moment in windows.values():
            # A window began (a new row, or an ended one restarted): sweep ended ones, last so
            # that no lock is taken while this request could still wait for another.
            _forget_expired(moment)
    return LoginAttempt(
        user_key=user_key,
        address_key=address_key,
        address_window=windows.get(address_key),
        username_key=username_key,
        username_window=windows[username_key],
    )


def release_login_attempt(*, attempt: LoginAttempt) -> None:
    """After a successful sign-in: forget the failures there, give back the address's and the
    username's try (others' guesses at the username stay counted)."""
    with transaction.atomic():
        if attempt.address_key is not None:
            _give_back(attempt.address_key, attempt.address_window)
        LoginThrottle.objects.filter(key=attempt.user_key).delete()
        _give_back(attempt.username_key, attempt.username_window)


def _give_back(key: str, window: dt.datetime) -> None:
    # Only within the window it was counted in: a newer window owes this attempt nothing.
    LoginThrottle.objects.filter(key=key, window_start=window, failures__gt=0).update(
        failures=F("failures") - 1
    )


def client_address(request) -> str:
    """The address a request came from: REMOTE_ADDR, or the forwarded one behind a trusted proxy."""
    meta = getattr(request, "META", None) or {}
    peer = meta.get("REMOTE_ADDR", "") or ""
    proxies = _trusted_proxies()
    if not proxies or not _listed(peer, proxies):
        return peer
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    # Each proxy appends the address it was called from: the last hop not a trusted proxy is the
    # client; anything left of it was written by the client and proves nothing.
    for hop in reversed(hops):
        if not _listed(hop, proxies):
            return hop
    return hops[0] if hops else peer


def _trusted_proxies() -> list:
    listed = getattr(settings, "INVESTPROMO_TRUSTED_PROXIES", ()) or ()
    if isinstance(listed, str):
        listed = listed.split(",")
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in listed if entry.strip()]


def _listed(address: str, networks: list) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


class TokenProblem(enum.StrEnum):
    """Why an API token may no longer be used."""

    EXPIRED = "expired"
    PASSWORD_CHANGED = "password changed"


def password_fingerprint(user) -> str:
    """A fingerprint of the user's stored password: it changes whenever the password does."""
    # Of the hash, which is salted: setting even the same password again changes it, and it
    # reveals nothing the hash beside it in the database would not.
    return hashlib.sha256((user.password or "").encode()).hexdigest()


def token_expires_at(token) -> dt.datetime:
    """When the token stops being accepted (INVESTPROMO_TOKEN_DAYS after it was issued)."""
    return token.created + dt.timedelta(days=settings.INVESTPROMO_TOKEN_DAYS)


def token_problem(token) -> TokenProblem | None:
    """Why this token may no longer be used, or None while it may."""
    try:
        fingerprint = token.seal.password_fingerprint
    except ObjectDoesNotExist:
        fingerprint = None  # issued before its user's password was known to it: not trusted
    if fingerprint != password_fingerprint(token.user):
        return TokenProblem.PASSWORD_CHANGED
    if token_expires_at(token) <= now():
        return TokenProblem.EXPIRED
    return None


def issue_api_token(*, user) -> str:
    """The user's API token, created (and audited) on first request or once the old one lapsed."""
    from rest_framework.authtoken.models import Token

    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        if token is not None:
            problem = token_problem(token)
            if problem is None:
                return token.key
            _revoke(actor=user, user=user, reason=problem)
        # TokenSeal is written by seal_new_token, whatever path creates a token.
        token = Token.objects.create(user=user)
        # The audit names the user, never the token itself (it is a password).
        record_change(
            actor=user,
            instance=user,
            action=ChangeLog.Action.UPDATE,
            before={"api_token": None},
            after={"api_token": "issued", "expires": token_expires_at(token).isoformat()},
            source="api token",
        )
    return token.key


def revoke_api_tokens(*, actor, user) -> int:
    """Revoke the user's API token (their own, or anyone's by an administrator); audited."""
    with transaction.atomic():
        return _revoke(actor=actor, user=user)


def _revoke(*, actor, user, reason: TokenProblem | None = None) -> int:
    from rest_framework.authtoken.models import Token

    _, deleted = Token.objects.filter(user=user).delete()
    count = deleted.get(Token._meta.label, 0)
    if count:
        after = {"api_token": None} if reason is None else {"api_token": None, "reason": reason}
        record_change(
            actor=actor,
            instance=user,
            action=ChangeLog.Action.UPDATE,
            before={"api_token": "issued"},
            after=after,
            source="api token revoked" if reason is None else f"api token revoked: {reason}",
        )
    return count


def seal_new_token(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save of Token: remember the password the new token was issued under."""
    if created and not raw:
        TokenSeal.objects.create(
            token=instance, password_fingerprint=password_fingerprint(instance.user)
        )


def revoke_tokens_on_password_change(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save of a user: a new password revokes their token (audited) at once."""
    if created or raw:
        return
    # set_password() leaves the new password in _password until save() has run (this signal
    # comes first): the service, the admin, `changepassword` and Django's password forms.
    if getattr(instance, "_password", None) is not None:
        with transaction.atomic():
            _revoke(actor=instance, user=instance, reason=TokenProblem.PASSWORD_CHANGED)
    elif kwargs.get("update_fields") == frozenset({"password"}):
        # check_password() rehashing the same password (stronger hasher settings): the token
        # stays valid, under the new hash.
        TokenSeal.objects.filter(token__user=instance).update(
            password_fingerprint=password_fingerprint(instance)
        )
    # Any other way of writing a password (a raw UPDATE) is caught when the token is next used:
    # its seal no longer matches.
