"""Two organisations working with one community see each other's assessments, but never
a partnership that only one of them may see."""

import pytest
from django.urls import reverse

from partnerships.models import Partnership, Visibility
from tests.communities.factories import make_assessment
from tests.factories import MemberFactory, OrganisationFactory, PartnerFactory

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Unannounced merger with a telecom operator"


@pytest.fixture
def other_staff(community):
    """Staff of a second organisation that also works with the community."""
    other = OrganisationFactory(name="Neighbouring NGO")
    community.organisations.add(other)
    return MemberFactory(organisation=other).user


@pytest.fixture
def secret_assessment(community, organisation, staff, partnership):
    secret = Partnership.objects.create(
        slug="secret", title=SECRET_TITLE, problem="p", visibility=Visibility.DRAFT
    )
    PartnerFactory(partnership=secret, organisation=organisation, is_lead=True, role=2)
    return make_assessment(
        community=community, organisation=organisation, partnership=secret, by=staff
    )


def test_a_draft_partnership_linked_by_another_organisation_is_not_named(
    as_user, other_staff, secret_assessment
):
    response = as_user(other_staff).get(secret_assessment.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert SECRET_TITLE not in html
    assert 'href="/partnerships/secret/"' not in html


def test_staff_of_the_partnership_see_its_name(as_user, staff, secret_assessment):
    html = as_user(staff).get(secret_assessment.get_absolute_url()).content.decode()
    assert SECRET_TITLE in html


def test_editing_keeps_a_link_the_editor_cannot_see_and_does_not_offer_it(
    as_user, other_staff, secret_assessment
):
    url = reverse("communities:assessment_edit", args=[secret_assessment.pk])
    client = as_user(other_staff)
    assert SECRET_TITLE not in client.get(url).content.decode()
    data = {
        "title": "Renamed by the neighbour",
        "date": "2026-03-01",
        "method": "focus_group",
        "facilitating_organisation": secret_assessment.facilitating_organisation_id,
        "language": "sw",
        "consent_recorded": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    secret_assessment.refresh_from_db()
    assert secret_assessment.title == "Renamed by the neighbour"
    assert secret_assessment.partnership.title == SECRET_TITLE
