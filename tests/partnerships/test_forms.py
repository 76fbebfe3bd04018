"""Bad input gets a clear message and saves nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partnerships.models import Contribution, Organisation, Partnership
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def partnership_data(**overrides):
    data = {
        "title": "Village phone charging",
        "problem": "Phones die and people miss market days.",
        "status": "2",
        "visibility": "draft",
        "planned_start": "2026-01-01",
        "planned_end": "2026-12-31",
        "sectors": ["22040"],
        "recipient_countries": ["KE"],
    }
    data.update(overrides)
    return data


@pytest.fixture
def lead_client(as_user, lead):
    return as_user(lead)


def lead_org_id(partnership):
    return partnership.partners.get(is_lead=True).organisation_id


def test_a_lead_starts_a_partnership_and_becomes_its_lead_partner(lead_client, partnership):
    data = partnership_data(lead_organisation=lead_org_id(partnership))
    response = lead_client.post(reverse("partnerships:create"), data)
    assert response.status_code == 302
    created = Partnership.objects.get(title="Village phone charging")
    lead = created.partners.get()
    assert lead.is_lead and lead.organisation_id == lead_org_id(partnership)
    assert list(created.sectors.values_list("code", flat=True)) == ["22040"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"planned_end": "2025-12-31"}, "planned_end", "cannot be before the planned start"),
        ({"sectors": ["99999"]}, "sectors", "Select a valid choice"),
        ({"problem": ""}, "problem", "This field is required"),
        ({"recipient_countries": ["XX"]}, "recipient_countries", "Select a valid choice"),
    ],
)
def test_bad_partnership_input_is_refused_and_nothing_is_saved(
    lead_client, partnership, overrides, field, message
):
    data = partnership_data(lead_organisation=lead_org_id(partnership), **overrides)
    before = Partnership.objects.count()
    response = lead_client.post(reverse("partnerships:create"), data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert Partnership.objects.count() == before


def test_a_duplicate_iati_identifier_is_refused(lead_client, partnership):
    # Identifiers live in the lead organisation's namespace (IATI's rule), so a clash can
    # only be with the lead's own partnerships, and no message says "already exists".
    Organisation.objects.filter(pk=lead_org_id(partnership)).update(iati_identifier="KE-NGO-1")
    PartnershipFactory(iati_identifier="KE-NGO-1-0001")
    data = partnership_data(
        lead_organisation=lead_org_id(partnership), iati_identifier="KE-NGO-1-0001"
    )
    before = Partnership.objects.count()
    response = lead_client.post(reverse("partnerships:create"), data)
    assert response.status_code == 400
    message = " ".join(response.context["form"].errors["iati_identifier"])
    assert "Another partnership already uses this IATI activity identifier" in message
    assert "already exists" not in response.content.decode()
    assert Partnership.objects.count() == before


def test_an_edit_with_end_before_start_changes_nothing(as_user, partner_staff, partnership):
    original = partnership.title
    data = partnership_data(title="Changed", actual_start="2026-05-01", actual_end="2026-04-01")
    response = as_user(partner_staff).post(
        reverse("partnerships:edit", args=[partnership.slug]), data
    )
    assert response.status_code == 400
    assert "actual_end" in response.context["form"].errors
    partnership.refresh_from_db()
    assert partnership.title == original


def contribution_data(partner, **overrides):
    data = {
        "partner": partner.pk,
        "kind": "cash",
        "amount": "2500",
        "currency": "KES",
        "status": "pledged",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"amount": "-10"}, "amount", "greater than or equal to 0"),
        ({"currency": "XYZ"}, "currency", "is not an ISO 4217 currency code"),
        ({"currency": "dollars"}, "currency", "could be several currencies"),
        ({"amount": "ten"}, "amount", "Enter a number"),
    ],
)
def test_bad_contribution_input_is_refused_and_nothing_is_saved(
    as_user, funder, partnership, overrides, field, message
):
    partner = partnership.partners.get(role=1)
    url = reverse("partnerships:contribution_add", args=[partnership.slug])
    response = as_user(funder).post(url, contribution_data(partner, **overrides))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Contribution.objects.exists()


def test_a_good_contribution_is_saved_with_an_upper_case_currency(as_user, funder, partnership):
    partner = partnership.partners.get(role=1)
    url = reverse("partnerships:contribution_add", args=[partnership.slug])
    response = as_user(funder).post(url, contribution_data(partner, currency="kes"))
    assert response.status_code == 302
    assert Contribution.objects.get().currency == "KES"


def test_a_contribution_cannot_name_a_partner_of_another_partnership(as_user, funder, partnership):
    from tests.factories import PartnerFactory

    stranger = PartnerFactory()
    url = reverse("partnerships:contribution_add", args=[partnership.slug])
    response = as_user(funder).post(url, contribution_data(stranger))
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_a_partner_cannot_leave_before_it_joined(as_user, lead, partnership):
    from tests.factories import MemberFactory, OrganisationFactory

    # Partners join by accepting an invitation (on the day they accept); their dates are
    # then corrected on the partner's own page, where the same rule holds.
    admin = MemberFactory(organisation=OrganisationFactory(), role="admin").user
    organisation = admin.memberships.get().organisation
    url = reverse("partnerships:partner_add", args=[partnership.slug])
    as_user(lead).post(url, {"organisation": organisation.pk, "role": "4"})
    invitation = organisation.partner_invitations.get()
    accept = reverse("partnerships:partner_invitation_accept", args=[invitation.pk])
    assert as_user(admin).post(accept).status_code == 302
    partner = partnership.partners.get(organisation=organisation)
    edit = reverse("partnerships:partner_edit", args=[partnership.slug, partner.pk])
    data = {"role": "4", "joined_on": "2026-05-01", "left_on": "2026-04-01"}
    response = as_user(lead).post(edit, data)
    assert response.status_code == 400
    assert "left_on" in response.context["form"].errors
    partner.refresh_from_db()
    assert partner.left_on is None
    assert partnership.partners.count() == 2


def test_the_same_organisation_cannot_take_the_same_role_twice(
    as_user, lead, partnership, partner_staff
):
    existing = partnership.partners.get(role=4)
    url = reverse("partnerships:partner_add", args=[partnership.slug])
    data = {"organisation": existing.organisation_id, "role": "4"}
    response = as_user(lead).post(url, data)
    assert response.status_code == 400
    assert "already a partner in this role" in response.content.decode()
    assert partnership.partners.count() == 2
    assert not partnership.partner_invitations.exists()


def test_a_milestone_needs_a_date(as_user, partner_staff, partnership):
    url = reverse("partnerships:milestone_add", args=[partnership.slug])
    response = as_user(partner_staff).post(url, {"title": "Launch", "date": "not a date"})
    assert response.status_code == 400
    assert not partnership.milestones.exists()


def test_an_organisation_with_a_duplicate_iati_identifier_is_refused(as_user, outsider):
    from tests.factories import OrganisationFactory

    OrganisationFactory(iati_identifier="GB-CHC-123")
    data = {"name": "Copycat", "type": "22", "iati_identifier": "GB-CHC-123"}
    response = as_user(outsider).post(reverse("partnerships:organisation_create"), data)
    assert response.status_code == 400
    assert "iati_identifier" in response.context["form"].errors


def test_the_last_administrator_cannot_be_removed(as_user, lead, partnership):
    org = partnership.partners.get(is_lead=True).organisation
    member = org.members.get()
    url = reverse("partnerships:organisation_member_remove", args=[org.slug, member.pk])
    response = as_user(lead).post(url, follow=True)
    assert "at least one administrator" in response.content.decode()
    assert org.members.count() == 1


def test_the_last_administrator_cannot_be_demoted_to_staff(as_user, lead, partnership):
    org = partnership.partners.get(is_lead=True).organisation
    member = org.members.get()
    url = reverse("partnerships:organisation_member_role", args=[org.slug, member.pk])
    response = as_user(lead).post(url, {"role": "staff"}, follow=True)
    assert "at least one administrator" in response.content.decode()
    assert org.members.get().role == "admin"


def test_the_lead_partner_cannot_leave(as_user, lead, partnership):
    partner = partnership.partners.get(is_lead=True)
    url = reverse("partnerships:partner_edit", args=[partnership.slug, partner.pk])
    data = {"role": "2", "joined_on": "2026-01-01", "left_on": "2026-02-01", "is_lead": "on"}
    response = as_user(lead).post(url, data)
    assert response.status_code == 400
    assert "first make another partner the lead" in response.content.decode()
    partner.refresh_from_db()
    assert partner.left_on is None


def test_the_lead_can_be_handed_to_another_partner(as_user, lead, partner_staff, partnership):
    old = partnership.partners.get(is_lead=True)
    new = partnership.partners.get(role=4)
    url = reverse("partnerships:partner_edit", args=[partnership.slug, new.pk])
    data = {"role": "4", "joined_on": "2026-01-01", "is_lead": "on"}
    assert as_user(lead).post(url, data).status_code == 302
    old.refresh_from_db()
    new.refresh_from_db()
    assert new.is_lead and not old.is_lead
    # The new lead's staff now manage partners; the old lead's no longer do.
    add = reverse("partnerships:partner_add", args=[partnership.slug])
    assert as_user(partner_staff).get(add).status_code == 200
    assert as_user(lead).get(add).status_code == 403


def test_the_lead_cannot_be_dropped_without_a_successor(as_user, lead, partnership):
    partner = partnership.partners.get(is_lead=True)
    url = reverse("partnerships:partner_edit", args=[partnership.slug, partner.pk])
    response = as_user(lead).post(url, {"role": "2", "joined_on": "2026-01-01"})
    assert response.status_code == 400
    partner.refresh_from_db()
    assert partner.is_lead


def test_a_partnership_called_new_gets_an_address_of_its_own(lead_client, partnership):
    data = partnership_data(title="New", lead_organisation=lead_org_id(partnership))
    assert lead_client.post(reverse("partnerships:create"), data).status_code == 302
    created = Partnership.objects.get(title="New")
    assert created.slug != "new"
    assert lead_client.get(created.get_absolute_url()).status_code == 200


def test_a_stale_form_cannot_leave_a_partnership_without_a_lead(
    as_user, lead, partnership, partner_staff
):
    """One person hands the lead to a partner while another saves that partner's older form."""
    from partnerships import services

    new = partnership.partners.get(role=4)
    stale = partnership.partners.get(role=4)
    services.partner_update(partner=new, is_lead=True)
    stale.is_lead = False  # what the older form posts
    with pytest.raises(ValidationError):
        services.partner_update(partner=stale, is_lead=False, responsibilities="Field work")
    assert list(partnership.partners.filter(is_lead=True)) == [new]
