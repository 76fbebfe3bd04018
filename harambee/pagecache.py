"""The version of public content, and values cached under it.

Everything a visitor may see is cached under one *public version*: a token that the
services bump, on commit, whenever public content changes (a publish, an edit of a
public partnership, a reading verified...). A cached value is keyed by the version, by
the release (a digest of the code, templates and catalogues, so a deploy never serves
pages rendered by the code it replaced) and by today's date, so nothing shown waits for
a timeout, and what changes with the date (current partners, past milestones, scorecard
status) cannot go stale overnight: the first request after midnight computes under a
new key. No daily job is needed for that.

Two kinds of values live here: site-wide figures (``remember``) and whole anonymous
pages (``page_key``, used by ``harambee.middleware.PageCacheMiddleware``).

The cache is ``settings.HARAMBEE_PAGE_CACHE`` (an alias of ``CACHES``), shared by every
web and worker process: Redis in production, a file cache under ``var/`` otherwise. (A
per-process cache would never see a bump made by a Celery worker or another web process.)
"""

from __future__ import annotations

import functools
import hashlib
import os
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


def pages_enabled() -> bool:
    """Whether anonymous pages are cached whole (``HARAMBEE_CACHE_PAGES``; the load
    benchmark switches it off to measure the pages themselves)."""
    return getattr(settings, "HARAMBEE_CACHE_PAGES", True)


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
    is replaced on its next request. Call it from the service that made the change.

    A transaction that bumps many times (an import, the demo world) bumps once at its
    commit; one rolled back bumps nothing.
    """
    connection = transaction.get_connection()
    due = getattr(connection, "harambee_bump_due", None)
    # Still waiting for this commit? (A savepoint rolled back takes its callbacks with it.)
    if due is not None and any(
        callback is due for _ids, callback, _robust in connection.run_on_commit
    ):
        return

    def bump_at_commit() -> None:
        connection.harambee_bump_due = None
        _bump_now()

    connection.harambee_bump_due = bump_at_commit
    transaction.on_commit(bump_at_commit, robust=True)


# What the pages are rendered from; folders that hold none of it are skipped.
_RELEASE_SUFFIXES = (".py", ".html", ".txt", ".xml", ".mo", ".css", ".js", ".svg")
_NOT_RELEASE = {"var", "media", "node_modules", "__pycache__", "tests"}


@functools.cache
def release() -> str:
    """A digest of the code, templates, catalogues, stylesheets and pinned requirements
    this process renders with, computed once per process (a few milliseconds). Every
    process of one release gets the same digest, so they share the cache; a new release
    starts afresh instead of serving pages that link stylesheets it no longer has."""
    digest = hashlib.sha256()
    for folder, subfolders, files in os.walk(settings.BASE_DIR):
        subfolders[:] = sorted(
            name for name in subfolders if not name.startswith(".") and name not in _NOT_RELEASE
        )
        for name in sorted(files):
            if name.endswith(_RELEASE_SUFFIXES):
                path = os.path.join(folder, name)
                digest.update(os.path.relpath(path, settings.BASE_DIR).encode())
                with open(path, "rb") as file:
                    digest.update(hashlib.sha256(file.read()).digest())
    return digest.hexdigest()[:16]


def key(name: str) -> str:
    """The cache key of ``name`` under the current version, release and today's date."""
    day = timezone.localdate().isoformat()
    return f"harambee:{version()}:{release()}:{day}:{name}"


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


def page_key(*, url: str, language: str, encoding: str) -> str:
    """The key of one anonymous page: its full address (scheme, host, path with the
    language prefix, query string), its language and its content encoding, under the
    current version and date. The address is hashed to keep keys short."""
    digest = hashlib.sha256(url.encode()).hexdigest()
    return key(f"page:{language}:{encoding}:{digest}")
