"""Rate limit per client through Django's cache, so it holds across several app servers.

The counter is a fixed window: ``cache.add`` creates the key with the window's timeout (atomic:
only one of several servers creates it), ``cache.incr`` counts (atomic on Redis and Memcached).
The client address is hashed before it becomes part of a cache key; no address is stored.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

from django.core.cache import caches
from django.utils.crypto import salted_hmac

KEY_PREFIX = "kokreative:rate"


def client_ip(meta: Mapping[str, str], trusted_proxies: int = 0) -> str:
    """The client's address: ``REMOTE_ADDR``, or from ``X-Forwarded-For`` behind trusted proxies.

    ``X-Forwarded-For`` is written by the client first and appended to by each proxy, so only the
    entry the outermost trusted proxy added can be believed: with ``trusted_proxies`` = n that is
    the n-th entry from the right. Without trusted proxies the header is ignored entirely (a
    spoofable header as rate-limit key is no rate limit).
    """
    remote = (meta.get("REMOTE_ADDR") or "").strip()
    if trusted_proxies <= 0:
        return remote or "unknown"
    forwarded = [part.strip() for part in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) >= trusted_proxies:
        return forwarded[-trusted_proxies]
    return (forwarded[0] if forwarded else remote) or "unknown"


def cache_key(scope: str, client: str, window: int, now: float | None = None) -> str:
    now = time.time() if now is None else now
    digest = salted_hmac(KEY_PREFIX, client).hexdigest()[:32]
    return f"{KEY_PREFIX}:{scope}:{digest}:{int(now // window)}"


def retry_after(window: int, now: float | None = None) -> int:
    """Whole seconds until the current window ends and the count starts again (at least 1).

    The ``Retry-After`` of a 429: the windows are fixed, so this is when the client may send.
    """
    now = time.time() if now is None else now
    return max(1, math.ceil(window - now % window))


def hit(
    scope: str,
    client: str,
    *,
    limit: int,
    window: int,
    cache_alias: str = "default",
    now: float | None = None,
) -> bool:
    """Count one request of ``client``; ``False`` once it made more than ``limit`` in the window.

    ``limit`` 0 (or less) switches the limit off.
    """
    if limit <= 0:
        return True
    cache = caches[cache_alias]
    key = cache_key(scope, client, window, now)
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        count = 1
    return count <= limit
