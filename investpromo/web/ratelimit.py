"""Failed-login limiting: after 5 failures for one username from one address, 15 minutes' lock.

Kept in Django's cache. The default local-memory cache is per process: a deployment with
several worker processes should configure a shared cache (database or Redis) in CACHES.
"""

import hashlib
import time

from django.core.cache import cache

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60


def now() -> float:
    # A function so tests can move the clock.
    return time.time()


def _key(username: str, address: str) -> str:
    raw = f"{(username or '').strip().casefold()}|{address or ''}"
    return "investpromo:login-failures:" + hashlib.sha256(raw.encode()).hexdigest()


def locked_for(username: str, address: str) -> int:
    """Seconds until this username may try again from this address (0: not locked)."""
    state = cache.get(_key(username, address))
    if not state or state["failures"] < MAX_FAILURES:
        return 0
    return max(0, int(state["since"] + LOCK_SECONDS - now()))


def record_failure(username: str, address: str) -> None:
    key = _key(username, address)
    state = cache.get(key)
    if not state or now() - state["since"] > LOCK_SECONDS:
        state = {"failures": 0, "since": now()}
    state["failures"] += 1
    if state["failures"] >= MAX_FAILURES:
        # The lock runs from the failure that triggered it.
        state["since"] = now()
    cache.set(key, state, LOCK_SECONDS * 2)


def reset(username: str, address: str) -> None:
    cache.delete(_key(username, address))
