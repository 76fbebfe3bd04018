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

Two shortcuts save round trips to it, neither of which can serve anything stale:

- A request reads the version once (the first time it needs it) and keeps it to its end,
  so all it shows comes from one version; a bump made by the request itself is seen at
  once.
- What was read or computed under a key is also kept in the process (``_recent``, the
  most recently used ``RECENT_ENTRIES``). A key names the version, the release and the
  date, so its value never changes: after a bump the process asks for new keys, and the
  old ones fall out of use. Values are shared by the requests of a process, so callers
  treat what ``remember`` returns as read-only.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.utils import timezone

T = TypeVar("T")

VERSION_KEY = "harambee:public-version"
# Values live until their version is replaced; this only bounds the space they take.
TIMEOUT = 24 * 60 * 60
# How many values a process keeps besides the shared cache (figures, cards, rows: a few
# megabytes at most).
RECENT_ENTRIES = 4096


def page_cache() -> BaseCache:
    return caches[getattr(settings, "HARAMBEE_PAGE_CACHE", "default")]


def pages_enabled() -> bool:
    """Whether anonymous pages are cached whole (``HARAMBEE_CACHE_PAGES``; the load
    benchmark switches it off to measure the pages themselves)."""
    return getattr(settings, "HARAMBEE_CACHE_PAGES", True)


class _Request(threading.local):
    within = False  # between request_started and request_finished
    version: str | None = None


_request = _Request()


def _request_started(**kwargs) -> None:
    _request.within, _request.version = True, None


def _request_finished(**kwargs) -> None:
    _request.within, _request.version = False, None


def end_request() -> None:
    """Forget the request's version (``PageCacheMiddleware`` calls it as the request
    leaves, whatever happened: a request that failed before ``request_finished`` must not
    leave its version to the next one)."""
    _request_finished()


request_started.connect(_request_started, dispatch_uid="harambee.pagecache.started")
request_finished.connect(_request_finished, dispatch_uid="harambee.pagecache.finished")


def fragments_enabled() -> bool:
    """Whether parts of pages that every reader sees alike are kept under the version
    (``HARAMBEE_CACHE_FRAGMENTS``: the cards and rows of the list pages, their filters, a
    public partnership's page body). On with DEBUG off; off with DEBUG on, so that an
    edited template shows at once."""
    return getattr(settings, "HARAMBEE_CACHE_FRAGMENTS", False)


def version() -> str:
    """The current public version (created on first use, or after the cache was flushed;
    a new token never repeats an old one, so a flushed cache serves nothing stale). Read
    once per request; outside a request (a job, a shell), on every call."""
    if _request.version is not None:
        return _request.version
    cache = page_cache()
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        current = cache.get(VERSION_KEY)
    if _request.within:
        _request.version = str(current)
    return str(current)


def _bump_now() -> None:
    _request.version = None  # this request shows what it changed
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


class _Recent:
    """The values this process read or stored under keys of ``key()``, most recently used
    last, at most ``size`` of them (a lock, for servers that run threads)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Any]:
        found = {}
        with self._lock:
            for k in keys:
                if k in self._values:
                    self._values.move_to_end(k)
                    found[k] = self._values[k]
        return found

    def set_many(self, values: dict[tuple[str, str], Any]) -> None:
        with self._lock:
            self._values.update(values)
            for k in values:
                self._values.move_to_end(k)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


_recent = _Recent(RECENT_ENTRIES)


def _local(cache: BaseCache, cache_key: str) -> tuple[str, str]:
    # The cache's own prefix too: two sites (or two tests) sharing a process never mix.
    return (getattr(settings, "HARAMBEE_PAGE_CACHE", "default"), cache.make_key(cache_key))


def get_many(keys: Iterable[str]) -> dict[str, Any]:
    """The values kept under these keys (of ``key()``): from the process where it has
    them, the others in one round trip to the shared cache."""
    cache = page_cache()
    local = {cache_key: _local(cache, cache_key) for cache_key in keys}
    recent = _recent.get_many(local.values())
    found = {k: recent[local[k]] for k in local if local[k] in recent}
    wanted = [k for k in local if k not in found]
    if wanted:
        shared = cache.get_many(wanted)
        _recent.set_many({local[k]: value for k, value in shared.items()})
        found.update(shared)
    return found


def set_many(values: dict[str, Any]) -> None:
    """Keep these values (under keys of ``key()``) in the shared cache and the process."""
    cache = page_cache()
    cache.set_many(values, timeout=TIMEOUT)
    _recent.set_many({_local(cache, k): value for k, value in values.items()})


def remember(name: str, compute: Callable[[], T]) -> T:
    """The value of ``compute()`` for the current public version and date, computed once
    (and shared by the requests of a process: read it, never change it)."""
    cache_key = key(name)
    found = get_many([cache_key])
    if cache_key in found:
        return found[cache_key]
    value = compute()
    set_many({cache_key: value})
    return value


def page_key(*, url: str, language: str, encoding: str) -> str:
    """The key of one anonymous page: its full address (scheme, host, path with the
    language prefix, query string), its language and its content encoding, under the
    current version and date. The address is hashed to keep keys short."""
    digest = hashlib.sha256(url.encode()).hexdigest()
    return key(f"page:{language}:{encoding}:{digest}")
