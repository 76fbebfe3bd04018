"""What an access grant opens of a partnership's communities, and what it never opens."""

import pytest
from django.urls import reverse

from partnerships import services
from partnerships.models import GrantCapacity, Visibility
from tests.communities.conftest import REPRESENTATIVE_NAME, REPRESENTATIVE_PHONE
from tests.communities.factories import LATITUDE, LONGITUDE, SECRET_NOTE, make_validated

pytestmark = pytest.mark.django_db


@pytest.fixture
def private(partnership):
    partnership.visibility = Visibility.PRIVATE
    partnership.save(update_fields=["visibility"])
    return partnership


def grant(partnership, *, by, user):
    return services.grant_create(
        partnership=partnership, capacity=GrantCapacity.OBSERVER, granted_by=by, user=user
    )


def test_a_grant_never_shows_community_contacts_coordinates_or_internal_notes(
    private, lead, panel_member, as_user, community, organisation
):
    published = make_validated(
        community=community,
        organisation=organisation,
        partnership=private,
        total=40,
        counts={("sex", "female"): 22, ("sex", "male"): 18},
    )
    grant(private, by=lead, user=panel_member)
    client = as_user(panel_member)

    # The published side of the partnership's communities opens to the grant holder ...
    response = client.get(reverse("communities:partnership_public", args=[private.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert community.name in html
    for secret in (REPRESENTATIVE_NAME, REPRESENTATIVE_PHONE, SECRET_NOTE, LATITUDE, LONGITUDE):
        assert secret not in html
    # ... and the staff pages, where contacts, coordinates and notes live, do not.
    assert client.get(community.get_absolute_url()).status_code == 404
    assert client.get(published.get_absolute_url()).status_code == 404
    assert client.get(reverse("communities:list")).content.decode().count(community.name) == 0


def test_without_a_grant_the_community_side_of_a_private_partnership_is_hidden(
    private, panel_member, as_user, community, organisation
):
    make_validated(
        community=community,
        organisation=organisation,
        partnership=private,
        total=40,
        counts={("sex", "female"): 22, ("sex", "male"): 18},
    )
    url = reverse("communities:partnership_public", args=[private.slug])

    assert as_user(panel_member).get(url).status_code == 404
