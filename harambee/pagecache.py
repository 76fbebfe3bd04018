"""The version of public content, and values cached under it.

Everything a visitor may see is cached under one *public version*: a token that the
services bump, on commit, whenever public content changes (a publish, an edit of a
public partnership, a reading verified...). A cached value is keyed by the version and
by today's date, so nothing shown waits for a timeout, and what changes with the date
(current partners, past milestones, scorecard status) cannot go stale overnight.

The cache is ``settings.HARAMBEE_PAGE_CACHE`` (an alias of ``CACHES``), shared by every
web and worker process: Redis in production, a file cache under ``var/`` otherwise.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.utils import timezone

T = TypeVar("T")

VERSION_KEY = "harambee:public-version"
# Values live until their version is replaced; this only bounds the space they take.
TIMEOUT = 24 * 60 * 60


def page_cache() -> BaseCache:
    return caches[getattr(settings, "HARAMBEE_PAGE_CACHE", "default")]


def version() -> str:
    """The current public version (created on first use, or after the cache was flushed;
    a new token never repeats an old one, so a flushed cache serves nothing stale)."""
    cache = page_cache()
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        current = cache.get(VERSION_KEY)
    return str(current)


def _bump_now() -> None:
    cache = page_cache()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: any new token is newer than everything cached
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)


def bump() -> None:
    """Public content changed: once the transaction commits, every cached public value
    is replaced on its next request. Call it from the service that made the change."""
    transaction.on_commit(_bump_now, robust=True)


def key(name: str) -> str:
    """The cache key of ``name`` under the current version and today's date."""
    return f"harambee:{version()}:{timezone.localdate().isoformat()}:{name}"


def remember(name: str, compute: Callable[[], T]) -> T:
    """The value of ``compute()`` for the current public version and date, computed once."""
    cache = page_cache()
    cache_key = key(name)
    missing = object()
    value = cache.get(cache_key, missing)
    if value is missing:
        value = compute()
        cache.set(cache_key, value, timeout=TIMEOUT)
    return value
