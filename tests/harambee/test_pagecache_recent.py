"""The two shortcuts of ``harambee.pagecache``: the version read once per request, and the
values a process keeps besides the shared cache. Neither may ever serve anything stale."""

from __future__ import annotations

import datetime

import pytest
from django.core.signals import request_finished, request_started
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from harambee import pagecache
from partnerships import services
from partnerships.models import Visibility
from tests.factories import PartnershipFactory


@pytest.fixture
def in_request():
    """Between the signals a request sends at its start and at its end."""
    request_started.send(sender=None)
    yield
    request_finished.send(sender=None)


def bump_elsewhere() -> None:
    """What another process's bump does to the shared cache."""
    pagecache.page_cache().incr(pagecache.VERSION_KEY)


def test_a_request_reads_the_version_once_and_keeps_it_to_its_end(db):
    request_started.send(sender=None)
    first = pagecache.version()
    bump_elsewhere()
    assert pagecache.version() == first  # all the request shows comes from one version
    request_finished.send(sender=None)
    assert pagecache.version() != first
    request_started.send(sender=None)
    assert pagecache.version() != first  # the next request reads it anew
    request_finished.send(sender=None)


def test_outside_a_request_every_call_reads_the_version(db):
    first = pagecache.version()
    bump_elsewhere()
    assert pagecache.version() != first


def test_a_bump_made_by_the_request_itself_is_seen_at_once(db, in_request):
    first = pagecache.version()
    pagecache._bump_now()
    assert pagecache.version() != first


def test_a_remembered_value_is_kept_by_the_process_under_its_own_key(db):
    computed = []

    def compute():
        computed.append(1)
        return ("figures", len(computed))

    assert pagecache.remember("figures", compute) == ("figures", 1)
    # Gone from the shared cache (evicted, say): the process still has it, the same value.
    pagecache.page_cache().delete(pagecache.key("figures"))
    assert pagecache.remember("figures", compute) == ("figures", 1)
    assert computed == [1]


def test_a_bump_elsewhere_replaces_what_the_process_kept(db):
    values = iter(["before", "after"])
    assert pagecache.remember("figure", lambda: next(values)) == "before"
    bump_elsewhere()
    assert pagecache.remember("figure", lambda: next(values)) == "after"


def test_the_date_replaces_what_the_process_kept(db, monkeypatch):
    values = iter(["today", "tomorrow"])
    assert pagecache.remember("figure", lambda: next(values)) == "today"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(pagecache.timezone, "localdate", lambda: tomorrow)
    assert pagecache.remember("figure", lambda: next(values)) == "tomorrow"


def test_a_value_kept_by_another_process_is_read_from_the_shared_cache(db):
    pagecache.page_cache().set(pagecache.key("figure"), "shared", timeout=60)
    assert pagecache.remember("figure", lambda: "computed") == "shared"


def test_two_sites_sharing_a_process_never_mix_their_values(db, settings):
    pagecache.page_cache().set(pagecache.VERSION_KEY, 7, timeout=None)
    assert pagecache.remember("figure", lambda: "first site") == "first site"
    caches = {**settings.CACHES, "default": {**settings.CACHES["default"]}}
    caches["default"]["KEY_PREFIX"] = f"{caches['default'].get('KEY_PREFIX', '')}-other-site"
    settings.CACHES = caches
    pagecache.page_cache().set(pagecache.VERSION_KEY, 7, timeout=None)  # the same token
    assert pagecache.remember("figure", lambda: "second site") == "second site"


def test_get_many_completes_from_the_shared_cache_what_the_process_lacks(db):
    kept, shared = pagecache.key("a"), pagecache.key("b")
    pagecache.set_many({kept: "A"})
    pagecache.page_cache().set(shared, "B", timeout=60)
    assert pagecache.get_many([kept, shared, pagecache.key("c")]) == {kept: "A", shared: "B"}


def test_the_process_keeps_at_most_its_number_of_values():
    recent = pagecache._Recent(2)
    recent.set_many({("default", "a"): 1, ("default", "b"): 2})
    recent.get_many([("default", "a")])  # used: b is now the least recently used
    recent.set_many({("default", "c"): 3})
    assert recent.get_many([("default", "a"), ("default", "b"), ("default", "c")]) == {
        ("default", "a"): 1,
        ("default", "c"): 3,
    }


def test_a_change_shows_on_the_next_get_with_fragments_kept(
    db, settings, django_capture_on_commit_callbacks
):
    """The list's cards are kept by the process too; a change through a service still shows
    on the very next request (the page cache is off, as in the load benchmark's uncached
    mode, so the cards are what is kept)."""
    settings.HARAMBEE_CACHE_FRAGMENTS = True
    partnership = PartnershipFactory(title="Solar kiosks", visibility=Visibility.PUBLIC)
    client = Client()
    url = reverse("partnerships:list")
    assert "Solar kiosks" in client.get(url).content.decode()
    assert "Solar kiosks" in client.get(url).content.decode()  # from the kept card
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_update(partnership=partnership, title="Wind pumps")
    html = client.get(url).content.decode()
    assert "Wind pumps" in html
    assert "Solar kiosks" not in html


def test_a_request_that_fails_leaves_no_version_to_the_next(db, rf):
    from harambee.middleware import PageCacheMiddleware

    def failing_view(request):
        pagecache.version()
        raise RuntimeError("the view failed")

    request_started.send(sender=None)
    with pytest.raises(RuntimeError):
        PageCacheMiddleware(failing_view)(rf.get("/"))
    # No request_finished came (the handler would have sent it with the error page).
    first = pagecache.version()
    bump_elsewhere()
    assert pagecache.version() != first
