"""Edits need the right membership: anonymous visitors are sent to sign in, others get 403."""

import pytest
from django.urls import reverse

from partnerships.models import Visibility
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def urls(partnership):
    slug = partnership.slug
    return {
        "edit": reverse("partnerships:edit", args=[slug]),
        "partner_add": reverse("partnerships:partner_add", args=[slug]),
        "contribution_add": reverse("partnerships:contribution_add", args=[slug]),
        "milestone_add": reverse("partnerships:milestone_add", args=[slug]),
    }


@pytest.mark.parametrize("name", ["edit", "partner_add", "contribution_add", "milestone_add"])
def test_visitors_are_sent_to_sign_in_before_editing(client, partnership, name):
    for method in (client.get, client.post):
        response = method(urls(partnership)[name])
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", ["edit", "partner_add", "contribution_add", "milestone_add"])
def test_staff_of_unrelated_organisations_cannot_edit_a_public_partnership(
    as_user, outsider, partnership, name
):
    client = as_user(outsider)
    assert client.get(urls(partnership)[name]).status_code == 403
    assert client.post(urls(partnership)[name], {"title": "Hijacked"}).status_code == 403
    partnership.refresh_from_db()
    assert partnership.title != "Hijacked"


def test_staff_of_unrelated_organisations_get_404_when_editing_a_private_partnership(
    as_user, outsider
):
    private = PartnershipFactory(visibility=Visibility.PRIVATE)
    assert as_user(outsider).get(urls(private)["edit"]).status_code == 404


def test_partner_staff_may_edit_the_partnership(as_user, partner_staff, partnership):
    assert as_user(partner_staff).get(urls(partnership)["edit"]).status_code == 200


def test_funders_may_record_contributions(as_user, funder, partnership):
    assert as_user(funder).get(urls(partnership)["contribution_add"]).status_code == 200


def test_only_the_lead_partner_manages_partners(as_user, lead, partner_staff, partnership):
    assert as_user(partner_staff).get(urls(partnership)["partner_add"]).status_code == 403
    assert as_user(lead).get(urls(partnership)["partner_add"]).status_code == 200


def test_users_without_an_organisation_cannot_start_a_partnership(
    as_user, user_without_organisation
):
    response = as_user(user_without_organisation).get(reverse("partnerships:create"))
    assert response.status_code == 403


def test_only_organisation_admins_manage_members(as_user, lead, partner_staff, partnership):
    lead_org = partnership.partners.get(is_lead=True).organisation
    url = reverse("partnerships:organisation_members", args=[lead_org.slug])
    assert as_user(lead).get(url).status_code == 200
    assert as_user(partner_staff).get(url).status_code == 403
    edit = reverse("partnerships:organisation_edit", args=[lead_org.slug])
    assert as_user(partner_staff).post(edit, {"name": "Renamed"}).status_code == 403


def test_edit_links_show_only_to_those_who_may_edit(client, as_user, partner_staff, partnership):
    edit = urls(partnership)["edit"]
    assert edit not in client.get(partnership.get_absolute_url()).content.decode()
    assert edit in as_user(partner_staff).get(partnership.get_absolute_url()).content.decode()


def test_only_the_lead_partner_decides_to_publish(as_user, lead, partner_staff, partnership):
    from partnerships.models import Partnership

    Partnership.objects.filter(pk=partnership.pk).update(visibility=Visibility.DRAFT)
    data = {"title": partnership.title, "problem": "p", "status": "2", "visibility": "public"}
    url = urls(partnership)["edit"]
    # The edit form no longer publishes, for anyone: publishing is its own action.
    assert as_user(partner_staff).post(url, data).status_code == 302
    partnership.refresh_from_db()
    assert partnership.visibility == Visibility.DRAFT
    assert as_user(lead).post(url, data).status_code == 302
    partnership.refresh_from_db()
    assert partnership.visibility == Visibility.DRAFT
    publish = reverse("partnerships:publish", args=[partnership.slug])
    assert as_user(partner_staff).post(publish).status_code == 403
    partnership.refresh_from_db()
    assert partnership.visibility == Visibility.DRAFT
    assert as_user(lead).post(publish).status_code == 302
    partnership.refresh_from_db()
    assert partnership.visibility == Visibility.PUBLIC


def test_partners_find_each_contribution_and_milestone_to_edit(
    as_user, client, funder, partnership
):
    from tests.factories import ContributionFactory, MilestoneFactory

    contribution = ContributionFactory(partner=partnership.partners.get(role=1))
    milestone = MilestoneFactory(partnership=partnership)
    links = [
        reverse("partnerships:contribution_edit", args=[partnership.slug, contribution.pk]),
        reverse("partnerships:milestone_edit", args=[partnership.slug, milestone.pk]),
    ]
    staff_html = as_user(funder).get(partnership.get_absolute_url()).content.decode()
    public_html = client.get(partnership.get_absolute_url()).content.decode()
    for link in links:
        assert link in staff_html
        assert link not in public_html
    response = as_user(funder).post(
        links[0],
        {
            "partner": contribution.partner_id,
            "kind": "cash",
            "amount": "900",
            "currency": "USD",
            "status": "delivered",
        },
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == "delivered"
