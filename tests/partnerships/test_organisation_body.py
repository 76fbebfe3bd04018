"""An organisation page's body is kept for visitors under the public version, per language
and page number: never stale, never shown to a signed-in reader (whose roles include their
own partnerships'), never holding a hidden partnership.

The page cache stays off (every GET runs the view); fragments are on, as with DEBUG off.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from harambee import pagecache
from harambee.translations import translation_save
from partnerships import services
from partnerships.models import MemberRole, Visibility
from tests.factories import MemberFactory, OrganisationFactory, PartnerFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

SHOWN, HIDDEN = "Announced venture", "Unannounced venture"


@pytest.fixture(autouse=True)
def fragments(settings):
    settings.HARAMBEE_CACHE_FRAGMENTS = True


@pytest.fixture
def organisation():
    organisation = OrganisationFactory(name="Kilifi Youth Network")
    for title, visibility in ((SHOWN, Visibility.PUBLIC), (HIDDEN, Visibility.PRIVATE)):
        partnership = PartnershipFactory(title=title, visibility=visibility)
        PartnerFactory(partnership=partnership, organisation=organisation, is_lead=True)
    return organisation


def get(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def test_a_visitors_second_get_reads_only_the_organisation(client, organisation):
    url = organisation.get_absolute_url()
    first, _ = get(client, url)
    again, warm = get(client, url)
    assert again == first
    assert SHOWN in again
    assert HIDDEN not in again
    assert warm == 1  # the organisation's row


def test_a_change_through_a_service_shows_on_the_very_next_get(
    client, organisation, django_capture_on_commit_callbacks
):
    url = organisation.get_absolute_url()
    get(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_update(organisation=organisation, description="Youth-led radio.")
    assert "Youth-led radio." in get(client, url)[0]
    shown = organisation.partner_roles.get(partnership__title=SHOWN).partnership
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_update(partnership=shown, title="Community radio for Kilifi")
    assert "Community radio for Kilifi" in get(client, url)[0]


def test_a_signed_in_partner_never_gets_the_visitors_body_nor_a_visitor_theirs(
    client, organisation, as_user
):
    staff = as_user(MemberFactory(organisation=organisation, role=MemberRole.STAFF).user)
    url = organisation.get_absolute_url()
    for _ in range(2):
        assert HIDDEN not in get(client, url)[0]
        assert HIDDEN in get(staff, url)[0]


def test_each_page_number_has_its_own_body_and_an_odd_one_is_not_kept(client, organisation):
    for n in range(25):
        partnership = PartnershipFactory(title=f"Venture {n:02}", visibility=Visibility.PUBLIC)
        PartnerFactory(partnership=partnership, organisation=organisation)
    url = organisation.get_absolute_url()
    first = get(client, url)[0]
    second = get(client, f"{url}?page=2")[0]
    assert first != second
    assert get(client, f"{url}?page=2") == (second, 1)
    assert get(client, url) == (first, 1)
    # Not a page number as the links write one: the paginator shows a page, never kept.
    for odd in ("first", "²", "01", "0", "9" * 7):
        assert get(client, f"{url}?page={odd}")[1] > 1
        assert get(client, f"{url}?page={odd}")[1] > 1


def test_each_language_has_its_own_body(client, organisation):
    services.organisation_update(organisation=organisation, description="Youth network.")
    translation_save(
        instance=organisation, language="fr", values={"description": "Réseau de jeunes."}
    )
    pagecache._bump_now()  # as the service's commit would
    english = organisation.get_absolute_url()
    with translation.override("fr"):
        french = organisation.get_absolute_url()
    for _ in range(2):
        assert "Réseau de jeunes." in get(client, french)[0]
        assert "Réseau de jeunes." not in get(client, english)[0]


def test_a_partnership_made_private_leaves_the_visitors_body_at_once(
    client, organisation, django_capture_on_commit_callbacks
):
    url = organisation.get_absolute_url()
    assert SHOWN in get(client, url)[0]
    shown = organisation.partner_roles.get(partnership__title=SHOWN).partnership
    lead = MemberFactory(organisation=organisation, role=MemberRole.ADMIN).user
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_set_visibility(
            partnership=shown, visibility=Visibility.PRIVATE, by=lead
        )
    assert SHOWN not in get(client, url)[0]
