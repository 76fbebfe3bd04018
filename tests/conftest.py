"""The fixed cast for permission tests, and shared fixtures.

One partnership (``partnership``, public unless a test changes it) with:
- ``lead``: staff of the lead (accountable) organisation,
- ``partner_staff``: staff of an implementing partner,
- ``funder``: staff of a funding partner,
- ``panel_member``: an independent reviewer with an organisation unrelated to it,
- ``outsider``: staff of an unrelated organisation,
- ``visitor``: nobody signed in (use ``client``).
"""

import copy
import uuid

import pytest
from django.core.cache import caches as django_caches
from django.test import Client

from harambee.celery import app as celery_app
from partnerships.codelists import OrganisationRole
from partnerships.models import MemberRole, Visibility
from tests.factories import (
    MemberFactory,
    OrganisationFactory,
    PartnerFactory,
    PartnershipFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fast_and_english(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Celery reads its configuration once; say it to the app too. Tasks run in the test's
    # process, except in tests/harambee/test_celery.py, which uses the real broker.
    celery_app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _files_in_a_temporary_directory(settings, tmp_path_factory):
    """Uploads (media and private evidence) go to a folder of the test's own."""
    root = tmp_path_factory.mktemp("files")
    settings.MEDIA_ROOT = str(root / "media")
    settings.HARAMBEE_EVIDENCE_ROOT = str(root / "evidence")


@pytest.fixture(autouse=True)
def _own_cache(settings, tmp_path_factory):
    """Each test gets its own part of the real cache (Redis in CI, a folder otherwise), so
    rate limits, the public version and cached pages of another test, another xdist
    worker or an earlier run never leak in; a test's Redis keys go when it ends."""
    prefix = f"test-{uuid.uuid4().hex}"
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = prefix
    if caches["default"]["BACKEND"].endswith("FileBasedCache"):
        # Created on first write; a folder per test, so culling never touches another's.
        caches["default"]["LOCATION"] = str(tmp_path_factory.getbasetemp() / "cache" / prefix)
    settings.CACHES = caches
    # Pages are rendered for every request: a test that reads a page, changes data with a
    # factory (or a service whose transaction the test never commits, so its bump never
    # runs) and reads it again sees the change. tests/harambee/test_pagecache.py switches
    # the cache on (the ``cached_pages`` fixture) and commits through the services.
    settings.HARAMBEE_CACHE_PAGES = False
    # Fragments likewise, whatever the environment says; the tests of fragments switch
    # them on.
    settings.HARAMBEE_CACHE_FRAGMENTS = False
    yield
    if caches["default"]["BACKEND"].endswith("RedisCache"):
        client = django_caches["default"]._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)


@pytest.fixture
def cached_pages(settings):
    """Anonymous public pages served from the page cache, as outside the tests."""
    settings.HARAMBEE_CACHE_PAGES = True


@pytest.fixture
def partnership(db):
    return PartnershipFactory(visibility=Visibility.PUBLIC)


def _staff_of_partner(partnership, role, *, is_lead=False, member_role=MemberRole.STAFF):
    organisation = OrganisationFactory()
    PartnerFactory(partnership=partnership, organisation=organisation, role=role, is_lead=is_lead)
    return MemberFactory(organisation=organisation, role=member_role).user


@pytest.fixture
def lead(partnership):
    return _staff_of_partner(
        partnership, OrganisationRole.ACCOUNTABLE, is_lead=True, member_role=MemberRole.ADMIN
    )


@pytest.fixture
def partner_staff(partnership):
    return _staff_of_partner(partnership, OrganisationRole.IMPLEMENTING)


@pytest.fixture
def funder(partnership):
    return _staff_of_partner(partnership, OrganisationRole.FUNDING)


@pytest.fixture
def panel_member(db):
    return MemberFactory(organisation=OrganisationFactory(name="University reviewer")).user


@pytest.fixture
def outsider(db):
    return MemberFactory().user


@pytest.fixture
def user_without_organisation(db):
    return UserFactory()


@pytest.fixture
def as_user():
    """A logged-in test client for the given user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
