"""Fixed-window counters in Django's cache, for throttling by address or person.

Shared by every process when the cache is Redis; per process with the local-memory
cache of development, which is good enough there.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def _key(scope: str, ident: str, window: int) -> str:
    return f"ratelimit:{scope}:{ident}:{int(time.time()) // window}"


def is_limited(scope: str, ident: str, limit: int, window: int) -> bool:
    """True once `limit` hits were counted for `ident` in the current window."""
    return int(cache.get(_key(scope, ident, window), 0)) >= limit


def hit(scope: str, ident: str, window: int) -> int:
    """Count one hit and return how many the current window holds."""
    key = _key(scope, ident, window)
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, window)
        return 1
