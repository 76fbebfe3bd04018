"""A fixed-window counter in the cache (Redis in production), for limits on what users send."""

from django.core.cache import cache


def allow(key: str, limit: int, period: int) -> bool:
    """Count one more use of ``key`` in the current window; False once ``limit`` is passed."""
    cache_key = f"harambee:ratelimit:{key}"
    cache.add(cache_key, 0, timeout=period)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # the window expired between add and incr: start a new one
        cache.set(cache_key, 1, timeout=period)
        used = 1
    return used <= limit
