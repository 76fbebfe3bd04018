"""Each signed-in person has a page of their own work, and signing in lands there."""

import pytest
from django.urls import reverse

from communities import services as community_services
from partnerships import services
from partnerships.codelists import OrganisationRole
from partnerships.models import MemberRole, Visibility
from tests.communities.factories import add_needs, make_assessment, make_community
from tests.factories import MemberFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def my_work(client) -> str:
    response = client.get(reverse("my_work"))
    assert response.status_code == 200
    return response.content.decode()


def test_signing_in_lands_on_my_work_in_the_preferred_language(client):
    UserFactory(email="amina@example.org", preferred_language="sw")

    response = client.post(
        reverse("account_login"),
        {"login": "amina@example.org", "password": "correct horse battery staple"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/sw/my-work/"


def test_visitors_are_asked_to_sign_in(client):
    response = client.get(reverse("my_work"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_my_work_lists_organisations_partnerships_with_drafts_communities_and_waiting_work(
    lead, partnership, as_user
):
    organisation = lead.memberships.get().organisation
    draft = services.partnership_create(
        by=lead, lead_organisation=organisation, title="Solar kiosks", problem="No power"
    )
    community = make_community(by=lead, organisation=organisation, name="Mnarani")
    to_submit = make_assessment(community=community, organisation=organisation, by=lead)
    to_validate = make_assessment(
        community=community, organisation=organisation, by=lead, title="Follow-up meeting"
    )
    add_needs(to_validate, 1)
    community_services.assessment_submit(assessment=to_validate)
    others = PartnershipFactory(title="Someone else's partnership", visibility=Visibility.PUBLIC)

    html = my_work(as_user(lead))

    assert organisation.name in html
    assert draft.title in html and partnership.title in html
    assert "Your organisation leads it" in html
    assert community.name in html
    assert to_submit.get_absolute_url() in html and to_validate.get_absolute_url() in html
    assert others.title not in html


def test_invitations_waiting_for_me_are_listed(lead, as_user):
    organisation = lead.memberships.get().organisation
    invited = UserFactory(email="juma@example.org")
    invitation = services.invitation_send(
        organisation=organisation, email="Juma@Example.org", role=MemberRole.STAFF, by=lead
    )

    html = my_work(as_user(invited))

    assert invitation.get_absolute_url() in html
    assert f"Join {organisation.name}" in html
    assert invitation.get_absolute_url() not in my_work(as_user(UserFactory()))


def test_partnership_invitations_waiting_for_an_administrator_are_listed(
    lead, partnership, as_user
):
    invited = MemberFactory(role=MemberRole.ADMIN)
    invitation = services.partner_invite(
        partnership=partnership,
        organisation=invited.organisation,
        role=OrganisationRole.FUNDING,
        by=lead,
    )

    html = my_work(as_user(invited.user))

    assert invitation.get_absolute_url() in html
    assert partnership.title in html
    colleague = MemberFactory(organisation=invited.organisation, role=MemberRole.STAFF)
    assert invitation.get_absolute_url() not in my_work(as_user(colleague.user))


def test_someone_without_an_organisation_is_shown_how_to_get_one(
    user_without_organisation, as_user
):
    html = my_work(as_user(user_without_organisation))

    assert reverse("partnerships:organisation_create") in html


@pytest.mark.parametrize("size", [1, 6])
def test_my_work_runs_a_fixed_number_of_queries(lead, as_user, size, django_assert_num_queries):
    organisation = lead.memberships.get().organisation
    for n in range(size):
        services.partnership_create(
            by=lead, lead_organisation=organisation, title=f"Partnership {n}", problem="A problem"
        )
        community = make_community(by=lead, organisation=organisation, name=f"Community {n}")
        make_assessment(community=community, organisation=organisation, by=lead)
    client = as_user(lead)

    # session, user, memberships, partnerships, communities, assessments, invitations to
    # organisations and to partnerships (one query each; the user's addresses are a
    # subquery), and the readings due (the indicators they report: none here), to verify
    # and returned (tests/scorecards/test_my_work_due.py counts them with readings), and
    # the indicators of the partnerships they lead, for the lessons wanted (none here),
    # whatever their number
    with django_assert_num_queries(12):
        my_work(client)
