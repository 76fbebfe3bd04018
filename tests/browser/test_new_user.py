"""Someone new signs up, verifies their address, registers their organisation and invites
a colleague, who accepts from the emailed link and sees the organisation."""

import pytest

from tests.browser.harness import link_in_email
from tests.factories import UserFactory

NEWCOMER = "amina@example.org"
COLLEAGUE = "baraka@example.org"
PASSWORD = "a long walk to Mnarani"
ORGANISATION = "Pwani Community Radio"


@pytest.fixture
def colleague():
    """The colleague already has a verified account."""
    return UserFactory(email=COLLEAGUE, full_name="Baraka Mwangi", password=PASSWORD)


def test_a_newcomer_signs_up_registers_an_organisation_and_a_colleague_joins_by_invitation(
    journey, colleague, mailoutbox
):
    newcomer = journey.person()
    newcomer.open("/")
    newcomer.click_link("Sign up", within="header")
    newcomer.fill("Email", NEWCOMER)
    newcomer.fill("Full name", "Amina Odhiambo")
    newcomer.fill("Password", PASSWORD)
    newcomer.fill("Password (again)", PASSWORD)
    newcomer.click_button("Sign up", within="main")
    assert newcomer.heading() == "Verify your email address"

    newcomer.follow(link_in_email(mailoutbox, NEWCOMER))
    newcomer.click_button("Confirm", within="main")
    newcomer.sign_in(NEWCOMER, PASSWORD)
    assert newcomer.heading() == "My work"

    newcomer.click_link("Register your organisation")
    assert newcomer.heading() == "Register an organisation"
    newcomer.fill("Name", ORGANISATION)
    newcomer.choose("Type", "National NGO")
    newcomer.choose("Country", "Kenya")
    newcomer.click_button("Save", within="main")
    assert newcomer.heading() == ORGANISATION

    newcomer.click_link("Members", within="main")
    newcomer.fill("Email address", COLLEAGUE)
    newcomer.click_button("Send invitation")
    assert newcomer.sees(f"Invitation sent to {COLLEAGUE}.")

    colleague = journey.person()
    colleague.follow(link_in_email(mailoutbox, COLLEAGUE))
    colleague.sign_in(COLLEAGUE, PASSWORD)
    assert colleague.heading() == f"Join {ORGANISATION}"
    colleague.click_button("Accept the invitation")
    assert colleague.heading() == ORGANISATION
    assert colleague.sees(f"You are now a member of {ORGANISATION}.")
