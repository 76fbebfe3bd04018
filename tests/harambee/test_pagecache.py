"""Anonymous public pages come from the shared page cache, and are never stale.

Services bump the public version when their transaction commits; pytest-django's test
transaction never commits, so each change below runs inside
``django_capture_on_commit_callbacks(execute=True)``, which runs the bump as a commit would.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities import services as community_services
from harambee import pagecache
from harambee.decorators import PUBLIC_PAGE
from harambee.middleware import PageCacheMiddleware
from harambee.translations import translation_save
from partnerships import services
from partnerships.codelists import OrganisationRole
from partnerships.models import ContributionKind, MemberRole, Visibility
from tests.communities.factories import CommunityFactory, add_needs, make_assessment
from tests.factories import (
    MemberFactory,
    OrganisationFactory,
    PartnerFactory,
    PartnershipFactory,
)

ROOT = Path(__file__).resolve().parents[2]
TITLE = "Solar kiosks for Kilifi"


@dataclass
class World:
    partnership: object
    lead_organisation: object
    lead: object
    other: object = None
    extra: dict = field(default_factory=dict)


@pytest.fixture
def world(db, cached_pages) -> World:
    organisation = OrganisationFactory(name="Kilifi Youth Network")
    lead = MemberFactory(organisation=organisation, role=MemberRole.ADMIN).user
    partnership = PartnershipFactory(title=TITLE, visibility=Visibility.PUBLIC)
    PartnerFactory(
        partnership=partnership,
        organisation=organisation,
        role=OrganisationRole.ACCOUNTABLE,
        is_lead=True,
    )
    return World(partnership=partnership, lead_organisation=organisation, lead=lead)


def read(client: Client, url: str, **headers):
    return client.get(url, headers={"Accept-Encoding": "identity", **headers})


def warm(client, url, django_assert_num_queries) -> str:
    """Read the page twice; the second time it must come from the cache."""
    first = read(client, url)
    with django_assert_num_queries(0):
        second = read(client, url)
    assert second.status_code == first.status_code == 200
    assert second.content == first.content
    return second.content.decode()


# --- served from the cache -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/partnerships/",
        "/partnerships/?q=solar&status=2",
        "/fr/partnerships/?page=1",
        "/organisations/",
        "/",
    ],
)
def test_the_second_anonymous_get_of_a_list_runs_no_query(
    client, world, url, django_assert_num_queries
):
    html = warm(client, url, django_assert_num_queries)
    assert "<html" in html


def test_the_pages_of_one_partnership_and_organisation_come_from_the_cache_too(
    client, world, django_assert_num_queries
):
    for url in (
        world.partnership.get_absolute_url(),
        world.lead_organisation.get_absolute_url(),
        reverse("communities:partnership_public", args=[world.partnership.slug]),
    ):
        warm(client, url, django_assert_num_queries)


def test_a_head_request_is_answered_from_the_cache(client, world, django_assert_num_queries):
    warm(client, "/partnerships/", django_assert_num_queries)
    with django_assert_num_queries(0):
        response = client.head("/partnerships/", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200


def test_a_client_that_holds_the_page_gets_a_bodyless_304(client, world, django_assert_num_queries):
    first = read(client, "/partnerships/")
    with django_assert_num_queries(0):
        again = read(client, "/partnerships/", **{"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_a_missing_page_is_not_cached(client, world, django_assert_num_queries):
    assert read(client, "/partnerships/no-such-partnership/").status_code == 404
    response = read(client, "/partnerships/no-such-partnership/")
    assert response.status_code == 404
    assert "ETag" not in response


def test_switched_off_the_cache_renders_every_page(client, world, settings):
    settings.HARAMBEE_CACHE_PAGES = False
    read(client, "/partnerships/")
    with CaptureQueriesContext(connection) as queries:
        read(client, "/partnerships/")
    assert len(queries) > 0


# --- a change through a service shows on the very next visit ---------------------------------


@dataclass(frozen=True)
class Change:
    """A change through a service, and what each page shows before and after it."""

    name: str
    prepare: object  # world -> None: what the change needs, before the pages are cached
    apply: object  # world -> None: the service call
    pages: object  # world -> [(url, text before, text after, status after)]


def _retitle(world):
    services.partnership_update(partnership=world.partnership, title="Community mesh network")


def _title_pages(world):
    return [
        (url, TITLE, "Community mesh network", 200)
        for url in (
            "/partnerships/",
            world.partnership.get_absolute_url(),
            world.lead_organisation.get_absolute_url(),
            "/",
        )
    ]


def _unpublish(world):
    services.partnership_set_visibility(
        partnership=world.partnership, visibility=Visibility.PRIVATE, by=world.lead
    )


def _unpublished_pages(world):
    return [
        ("/partnerships/", TITLE, None, 200),
        (world.partnership.get_absolute_url(), TITLE, None, 404),
        (world.lead_organisation.get_absolute_url(), TITLE, None, 200),
        ("/", TITLE, None, 200),
    ]


def _rename_organisation(world):
    services.organisation_update(organisation=world.lead_organisation, name="Pwani Tech Hub")


def _organisation_pages(world):
    return [
        (url, "Kilifi Youth Network", "Pwani Tech Hub", 200)
        for url in (
            "/organisations/",
            world.lead_organisation.get_absolute_url(),
            world.partnership.get_absolute_url(),
            "/partnerships/",
            "/",
        )
    ]


def _contribute(world):
    partner = world.partnership.partners.get()
    services.contribution_create(
        partner=partner, kind=ContributionKind.CASH, amount=123456, currency="kes"
    )


def _contribution_pages(world):
    return [(world.partnership.get_absolute_url(), "123,456", "123,456", 200)]


def _add_milestone(world):
    services.milestone_create(
        partnership=world.partnership, title="Kiosks installed", date=datetime.date(2026, 9, 1)
    )


def _milestone_pages(world):
    return [(world.partnership.get_absolute_url(), "Kiosks installed", "Kiosks installed", 200)]


def _invite_partner(world):
    organisation = OrganisationFactory(name="Coast Women in Tech")
    admin = MemberFactory(organisation=organisation, role=MemberRole.ADMIN).user
    invitation = services.partner_invite(
        partnership=world.partnership,
        organisation=organisation,
        role=OrganisationRole.IMPLEMENTING,
        by=world.lead,
    )
    world.extra.update(organisation=organisation, admin=admin, invitation=invitation)


def _accept_invitation(world):
    services.partner_invitation_accept(
        invitation=world.extra["invitation"], by=world.extra["admin"]
    )


def _partner_pages(world):
    return [
        (world.partnership.get_absolute_url(), "Coast Women in Tech", "Coast Women in Tech", 200),
        ("/partnerships/", "Coast Women in Tech", "Coast Women in Tech", 200),
        (world.extra["organisation"].get_absolute_url(), TITLE, TITLE, 200),
    ]


def _translate(world):
    translation_save(instance=world.partnership, language="fr", values={"title": "Kiosques"})


def _translated_pages(world):
    return [
        (url, "Kiosques", "Kiosques", 200)
        for url in ("/fr/partnerships/", f"/fr{world.partnership.get_absolute_url()}")
    ]


def _submit_assessment(world):
    community = CommunityFactory(organisations=[world.lead_organisation])
    assessment = make_assessment(
        community=community, organisation=world.lead_organisation, partnership=world.partnership
    )
    add_needs(assessment, 1)
    community_services.assessment_set_participants(assessment=assessment, total=40, counts={})
    community_services.assessment_submit(assessment=assessment)
    world.extra["assessment"] = assessment


def _validate_assessment(world):
    community_services.assessment_validate(assessment=world.extra["assessment"])


def _community_pages(world):
    slug = world.partnership.slug
    public = reverse("communities:partnership_public", args=[slug])
    return [
        (public, "Need 1", "Need 1", 200),
        (world.partnership.get_absolute_url(), public, public, 200),
    ]


def _nothing(world):
    pass


CHANGES = [
    Change("a new title", _nothing, _retitle, _title_pages),
    Change("made private", _nothing, _unpublish, _unpublished_pages),
    Change("an organisation renamed", _nothing, _rename_organisation, _organisation_pages),
    Change("a contribution", _nothing, _contribute, _contribution_pages),
    Change("a milestone", _nothing, _add_milestone, _milestone_pages),
    Change("a partner invitation accepted", _invite_partner, _accept_invitation, _partner_pages),
    Change("a translation", _nothing, _translate, _translated_pages),
    Change("an assessment validated", _submit_assessment, _validate_assessment, _community_pages),
]


@pytest.mark.parametrize("change", CHANGES, ids=[change.name for change in CHANGES])
def test_a_change_through_a_service_shows_on_the_very_next_anonymous_get(
    client, world, change, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Each page that shows the change is cached first; the first visit after the commit
    shows the change ("before" texts that are also "after" texts are absent before)."""
    with django_capture_on_commit_callbacks(execute=True):
        change.prepare(world)
    pages = change.pages(world)
    for url, before, after, _status in pages:
        html = warm(client, url, django_assert_num_queries)
        if before == after:
            assert before not in html, url
        else:
            assert before in html, url

    with django_capture_on_commit_callbacks(execute=True):
        change.apply(world)

    for url, before, after, status in pages:
        response = read(client, url)
        assert response.status_code == status, url
        html = response.content.decode()
        if after is not None and status == 200:
            assert after in html, url
        if before != after and status == 200:
            assert before not in html, url


def test_a_bump_waits_for_the_commit_and_happens_once(db, django_capture_on_commit_callbacks):
    before = pagecache.version()
    with django_capture_on_commit_callbacks() as callbacks:
        pagecache.bump()
        pagecache.bump()
        assert pagecache.version() == before
    assert len(callbacks) == 1
    callbacks[0]()
    assert pagecache.version() != before


def test_a_change_rolled_back_bumps_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                pagecache.bump()
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []


# --- never anyone else's page ----------------------------------------------------------------


def test_a_signed_in_user_never_gets_the_cached_page_and_a_visitor_never_gets_theirs(
    client, world, as_user, outsider, django_assert_num_queries
):
    url = world.partnership.get_absolute_url()
    edit = reverse("partnerships:edit", args=[world.partnership.slug])
    lead = as_user(world.lead)

    assert edit in read(lead, url).content.decode()  # the lead's page first
    visitor_html = warm(client, url, django_assert_num_queries)
    assert edit not in visitor_html
    assert reverse("account_login") in visitor_html

    lead_html = read(lead, url).content.decode()
    assert edit in lead_html
    assert reverse("account_logout") in lead_html
    outsider_html = read(as_user(outsider), url).content.decode()
    assert edit not in outsider_html
    assert reverse("account_logout") in outsider_html
    assert edit not in read(Client(), url).content.decode()


def test_a_signed_in_users_public_pages_are_private_to_their_browser(world, as_user):
    response = read(as_user(world.lead), "/partnerships/")
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response


# --- headers ---------------------------------------------------------------------------------


def _public_urls(world) -> list[str]:
    slug = world.partnership.slug
    return [
        "/",
        "/partnerships/",
        "/partnerships/?q=solar",
        world.partnership.get_absolute_url(),
        "/organisations/",
        world.lead_organisation.get_absolute_url(),
        reverse("communities:partnership_public", args=[slug]),
        "/fr/",
        f"/sw{world.partnership.get_absolute_url()}",
    ]


def test_anonymous_pages_set_no_cookie_and_vary_only_on_the_encoding(client, world):
    for url in _public_urls(world):
        for _ in range(2):  # rendered, then from the cache
            response = client.get(url, headers={"Accept-Encoding": "gzip"})
            assert response.status_code == 200, url
            assert not response.cookies, url
            assert "csrfmiddlewaretoken" not in response.content.decode(errors="replace"), url
            assert response["Vary"] == "Accept-Encoding", url
            assert response["Cache-Control"] == "no-cache", url
            assert response["ETag"], url
    assert not client.cookies


def test_the_language_comes_from_the_address_only(client, world, django_assert_num_queries):
    english = warm(client, "/partnerships/", django_assert_num_queries)
    french = warm(client, "/fr/partnerships/", django_assert_num_queries)
    assert '<html lang="en">' in english
    assert '<html lang="fr">' in french
    with django_assert_num_queries(0):
        asked = read(client, "/partnerships/", **{"Accept-Language": "fr"})
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "sw"
    with django_assert_num_queries(0):
        with_cookie = read(client, "/partnerships/")
    assert asked.content == with_cookie.content == english.encode()
    assert asked["Content-Language"] == "en"


# --- messages and dates ----------------------------------------------------------------------


def test_a_page_with_a_message_is_neither_cached_nor_served_from_the_cache(
    client, world, as_user, django_assert_num_queries
):
    warm(client, "/", django_assert_num_queries)
    leaving = as_user(world.lead)
    signed_out = leaving.post(reverse("account_logout"), follow=True)
    html = signed_out.content.decode()
    assert "You have signed out." in html
    assert "private" in signed_out["Cache-Control"]
    with django_assert_num_queries(0):
        assert "You have signed out." not in read(Client(), "/").content.decode()
    # The message is shown once: the same browser's next visit is an ordinary one.
    assert "You have signed out." not in read(leaving, "/").content.decode()


def test_the_date_rolls_the_key(client, world, monkeypatch, django_assert_num_queries):
    today = timezone.localdate()
    leaving = OrganisationFactory(name="Leaves Tomorrow Ltd")
    PartnerFactory(
        partnership=world.partnership,
        organisation=leaving,
        joined_on=datetime.date(2026, 1, 1),
        left_on=today + datetime.timedelta(days=1),
    )
    assert "Leaves Tomorrow Ltd" in warm(client, "/partnerships/", django_assert_num_queries)

    later = today + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    html = read(client, "/partnerships/").content.decode()
    assert "Leaves Tomorrow Ltd" not in html  # no longer a current partner
    assert pagecache.key("x").split(":")[3] == later.isoformat()


# --- what the middleware refuses to store ----------------------------------------------------


def _set_cookie(response):
    response.set_cookie("tracking", "1")


def _not_found(response):
    response.status_code = 404


SPOILERS = {
    "Cache-Control: private": lambda r: r.headers.__setitem__("Cache-Control", "private"),
    "Cache-Control: no-store": lambda r: r.headers.__setitem__("Cache-Control", "no-store"),
    "a cookie": _set_cookie,
    "Vary: User-Agent": lambda r: r.headers.__setitem__("Vary", "User-Agent"),
    "status 404": _not_found,
    "not marked public": lambda r: delattr(r, PUBLIC_PAGE),
}


@pytest.mark.parametrize("spoil", [None, *SPOILERS], ids=["a public page", *SPOILERS])
def test_only_a_response_for_everyone_is_stored(cached_pages, spoil):
    rendered = []

    def view(request):
        rendered.append(request)
        response = HttpResponse("<p>The same for everyone.</p>" * 20)
        setattr(response, PUBLIC_PAGE, True)
        if spoil:
            SPOILERS[spoil](response)
        return response

    middleware = PageCacheMiddleware(view)
    for _ in range(2):
        middleware(RequestFactory().get("/page/"))
    assert len(rendered) == (1 if spoil is None else 2)


def test_a_streamed_response_is_not_stored(cached_pages):
    rendered = []

    def view(request):
        rendered.append(request)
        response = StreamingHttpResponse(iter([b"a", b"b"]))
        setattr(response, PUBLIC_PAGE, True)
        return response

    middleware = PageCacheMiddleware(view)
    for _ in range(2):
        middleware(RequestFactory().get("/page/"))
    assert len(rendered) == 2


@pytest.mark.parametrize(
    "cookie", [django_settings.SESSION_COOKIE_NAME, "messages"], ids=["session", "message"]
)
def test_a_request_with_a_session_or_a_message_is_never_served_from_the_cache(cached_pages, cookie):
    rendered = []

    def view(request):
        rendered.append(request)
        response = HttpResponse("<p>The same for everyone.</p>" * 20)
        setattr(response, PUBLIC_PAGE, True)
        return response

    middleware = PageCacheMiddleware(view)
    middleware(RequestFactory().get("/page/"))
    request = RequestFactory().get("/page/")
    request.COOKIES[cookie] = "x"
    middleware(request)
    assert len(rendered) == 2


# --- the cache every process shares ----------------------------------------------------------


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "HARAMBEE_"))
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


PRINT_CACHE = "from django.conf import settings; c = settings.CACHES['default']; " + (
    "print(c['BACKEND'], c['LOCATION'])"
)


def test_without_redis_the_cache_is_a_folder_under_var(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", PRINT_CACHE],
        cwd=ROOT,
        env={**environment, "HARAMBEE_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.filebased.FileBasedCache",
        str(tmp_path / "cache"),
    ]


def test_with_redis_the_cache_is_redis():
    result = _manage(
        "shell", "--no-imports", "-c", PRINT_CACHE, REDIS_URL="redis://127.0.0.1:6379/5"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "harambee.cache.RedisCache",  # Django's, reusing its redis-py client
        "redis://127.0.0.1:6379/5",
    ]


def test_a_bump_in_another_process_reaches_this_one(settings, tmp_path):
    """What a Celery worker or another web process bumps, this process sees: the cache is
    the configured one (Redis in CI, a folder otherwise), never a per-process memory."""
    cache = settings.CACHES["default"]
    env = {"HARAMBEE_CACHE_PREFIX": cache["KEY_PREFIX"]}
    if cache["BACKEND"].endswith("FileBasedCache"):
        env["HARAMBEE_VAR_DIR"] = str(tmp_path)
        settings.CACHES = {"default": {**cache, "LOCATION": str(tmp_path / "cache")}}
    before = pagecache.version()
    # What a service's commit runs there (without a database this test could share).
    bump = "from harambee import pagecache; pagecache._bump_now(); print(pagecache.version())"
    result = _manage("shell", "--no-imports", "-c", bump, **env)
    assert result.returncode == 0, result.stderr
    assert pagecache.version() == result.stdout.strip() != before


@pytest.mark.parametrize(
    ("debug", "cached"), [("false", "True"), ("true", "False")], ids=["DEBUG off", "DEBUG on"]
)
def test_pages_are_cached_wherever_debug_is_off(debug, cached):
    show = "from django.conf import settings; print(settings.HARAMBEE_CACHE_PAGES)"
    result = _manage("shell", "--no-imports", "-c", show, DEBUG=debug)
    assert result.stdout.strip() == cached, result.stderr


def test_a_new_release_starts_with_an_empty_cache(settings, tmp_path):
    """A deploy must not serve pages the old templates rendered (linking stylesheets by
    hashed names the new release no longer has)."""
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "base.html"
    template.write_text("<p>old</p>")
    (tmp_path / "var").mkdir()
    settings.BASE_DIR = tmp_path
    pagecache.release.cache_clear()
    try:
        old = pagecache.release()
        (tmp_path / "var" / "scratch.html").write_text("not code")
        pagecache.release.cache_clear()
        assert pagecache.release() == old
        template.write_text("<p>new</p>")
        pagecache.release.cache_clear()
        assert pagecache.release() != old
    finally:
        pagecache.release.cache_clear()
