"""A partnership lead starts a partnership and invites a partner, whose administrator
accepts from the emailed link; the lead records the partner's contribution and a
milestone and makes the partnership public, where a visitor reads it."""

import pytest

from partnerships.models import MemberRole
from tests.browser.harness import link_in_email
from tests.factories import MemberFactory, OrganisationFactory, UserFactory

LEAD = "amina@example.org"
PARTNER_ADMIN = "baraka@example.org"
PASSWORD = "a long walk to Mnarani"
LEAD_ORGANISATION = "Kilifi Digital Trust"
PARTNER_ORGANISATION = "Pwani Community Radio"
TITLE = "Solar chargers for Mnarani"
PROBLEM = "Phones die before the market closes: the nearest charger is 12 km away."


@pytest.fixture
def lead():
    """An administrator of an organisation with an IATI organisation identifier."""
    organisation = OrganisationFactory(name=LEAD_ORGANISATION, iati_identifier="KE-NGO-77")
    user = UserFactory(email=LEAD, full_name="Amina Odhiambo", password=PASSWORD)
    return MemberFactory(user=user, organisation=organisation, role=MemberRole.ADMIN).user


@pytest.fixture
def partner_admin():
    """The administrator of the organisation to be invited, with a verified account."""
    user = UserFactory(email=PARTNER_ADMIN, full_name="Baraka Mwangi", password=PASSWORD)
    organisation = OrganisationFactory(name=PARTNER_ORGANISATION, acronym="PCR")
    return MemberFactory(user=user, organisation=organisation, role=MemberRole.ADMIN).user


def test_a_lead_starts_a_partnership_a_partner_joins_and_a_visitor_reads_it_once_public(
    journey, lead, partner_admin, mailoutbox
):
    person = journey.person()
    person.open("/")
    person.sign_in(LEAD, PASSWORD)
    person.click_link("Start a partnership", within="main")
    assert person.heading() == "Start a partnership"
    assert person.chosen("Lead organisation") == LEAD_ORGANISATION
    person.fill("Title", TITLE)
    person.fill("Problem statement", PROBLEM)
    person.choose("Recipient countries", "Kenya")
    person.choose("Status", "Implementation")
    person.fill("Planned start", "2026-01-15")
    person.fill("IATI activity identifier", "KE-NGO-77-001")
    person.click_button("Save", within="main")
    assert person.heading() == TITLE

    person.click_link("Invite a partner")
    person.choose("Organisation", f"{PARTNER_ORGANISATION} (PCR)")
    person.choose("Role", "Implementing")
    person.fill("Responsibilities", "Announces the charging days on air.")
    person.click_button("Send invitation", within="main")
    assert person.sees(f"{PARTNER_ORGANISATION} is invited.")

    partner = journey.person()
    partner.follow(link_in_email(mailoutbox, PARTNER_ADMIN))
    partner.sign_in(PARTNER_ADMIN, PASSWORD)
    assert partner.heading() == f"Invitation to join “{TITLE}”"
    assert partner.sees(LEAD_ORGANISATION)
    assert partner.sees("Implementing")
    assert not partner.sees(PROBLEM)
    partner.click_button("Accept the invitation")
    assert partner.heading() == TITLE
    assert partner.sees(f"{PARTNER_ORGANISATION} is now a partner in “{TITLE}”.")

    person.click_link("Record a contribution")
    person.choose("Partner", f"{PARTNER_ORGANISATION} (PCR) · Implementing")
    person.choose("Kind", "In kind")
    person.fill("Description", "Airtime for the charging days")
    person.fill("Amount", "250000")
    person.fill("Currency", "Kenyan shilling")
    person.click_button("Save", within="main")
    assert person.heading() == TITLE
    assert person.sees("250,000")

    person.click_link("Add a milestone")
    person.fill("Title", "First charging kiosk open")
    person.fill("Date", "2026-06-01")
    person.click_button("Save", within="main")
    assert person.sees("First charging kiosk open")

    person.click_link("Make public")
    assert person.heading() == f"Make public: {TITLE}"
    person.click_button("Make public", within="main")
    assert person.sees(f"“{TITLE}” is now public")
    public_page = person.page.locator(".messages").get_by_role("link").get_attribute("href")

    visitor = journey.person()
    visitor.follow(public_page)
    assert visitor.heading() == TITLE
    costs = visitor.page.locator("section[aria-labelledby=costs]")
    assert f"{PARTNER_ORGANISATION} (PCR)" in costs.inner_text()
    assert "KES" in costs.inner_text()
    assert "250,000" in costs.inner_text()
