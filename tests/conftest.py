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
def _own_cache_keys(settings):
    """Each test gets its own key prefix in the real cache (Redis in CI), so rate limits
    and cached values from another test or an earlier run never leak in."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches


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
