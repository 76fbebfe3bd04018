"""A lead defines an outcome linked to a community need, and an indicator with its baseline
and target; partner staff record a reading with an evidence file (on a phone, in two of
the three runs); the lead returns it with a reason, then verifies the corrected one;
the lead revises the target with a reason; a visitor sees the scorecard, the revision
and the chart."""

import pytest

from communities import services as community_services
from communities.models import Severity
from partnerships.codelists import OrganisationRole
from partnerships.models import MemberRole, Visibility
from tests.communities.factories import make_assessment, make_community
from tests.factories import (
    MemberFactory,
    OrganisationFactory,
    PartnerFactory,
    PartnershipFactory,
    UserFactory,
)

LEAD = "amina@example.org"
STAFF = "baraka@example.org"
PASSWORD = "a long walk to Mnarani"
TITLE = "Market prices by SMS for Kilifi farmers"
NEED = "Farmers do not know the day's market prices"
OUTCOME = "Farmers sell at fair prices"
INDICATOR = "Farmers receiving daily prices"
PARTNER = "Pwani Community Radio (PCR)"
REASON = "The attendance sheet is not signed."
REVISION = "The county connected fewer villages than planned."
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def partnership():
    """A public partnership led by Kilifi Digital Trust, with Pwani Community Radio as its
    implementing partner, and a needs assessment validated with Mnarani village."""
    partnership = PartnershipFactory(title=TITLE, visibility=Visibility.PUBLIC)
    lead_org = OrganisationFactory(name="Kilifi Digital Trust")
    partner_org = OrganisationFactory(name="Pwani Community Radio", acronym="PCR")
    PartnerFactory(
        partnership=partnership,
        organisation=lead_org,
        role=OrganisationRole.ACCOUNTABLE,
        is_lead=True,
    )
    PartnerFactory(
        partnership=partnership, organisation=partner_org, role=OrganisationRole.IMPLEMENTING
    )
    lead = UserFactory(email=LEAD, full_name="Amina Odhiambo", password=PASSWORD)
    MemberFactory(user=lead, organisation=lead_org, role=MemberRole.ADMIN)
    staff = UserFactory(email=STAFF, full_name="Baraka Mwangi", password=PASSWORD)
    MemberFactory(user=staff, organisation=partner_org)

    community = make_community(by=lead, organisation=lead_org, name="Mnarani village")
    assessment = make_assessment(
        community=community, organisation=lead_org, partnership=partnership, by=lead
    )
    community_services.assessment_set_participants(
        assessment=assessment, total=40, counts={("sex", "female"): 22, ("sex", "male"): 18}
    )
    community_services.need_add(
        assessment=assessment, title=NEED, severity=Severity.HIGH, people_affected=300
    )
    community_services.assessment_submit(assessment=assessment)
    community_services.assessment_validate(assessment=assessment)
    return partnership


def test_a_lead_defines_partners_report_the_lead_checks_and_visitors_see_it(journey, partnership):
    # (a) The lead defines an outcome linked to the community's need, and an indicator.
    lead = journey.person()
    lead.open("/")
    lead.sign_in(LEAD, PASSWORD)
    assert lead.heading() == "My work"
    lead.click_link(f"Outcomes and indicators {TITLE}")
    assert lead.heading() == "Outcomes and indicators"
    lead.click_link("Add an outcome")
    lead.fill("Title", OUTCOME)
    lead.fill("Description", "Farmers who know the price do not sell below it.")
    lead.choose("Level", "Outcome")
    lead.tick("Intended")
    lead.tick(f"{PARTNER} · Implementing")
    lead.tick(f"{NEED} · Mnarani village")
    lead.click_button("Save", within="main")
    assert lead.sees("Outcome added.")
    assert lead.sees(f"{NEED} (Mnarani village)")

    lead.click_link(f"Add an indicator to “{OUTCOME}”")
    assert lead.heading() == "Add an indicator"
    lead.fill("Title", INDICATOR)
    lead.choose("Measure", "Unit")
    lead.fill("Unit", "farmers")
    lead.fill("Baseline value", "0")
    lead.fill("Baseline date", "2026-01-01")
    lead.fill("Target value", "200")
    lead.fill("Target date", "2027-06-30")
    lead.choose("Reporting cadence", "Quarterly")
    lead.choose("Partner responsible for reporting", f"{PARTNER} · Implementing")
    lead.click_button("Save", within="main")
    assert lead.heading() == INDICATOR
    assert lead.sees("Indicator added.")

    # (b) Partner staff record a reading with an evidence file; "N/A" is refused first.
    staff = journey.person()
    staff.open("/")
    staff.sign_in(STAFF, PASSWORD)
    staff.click_link(INDICATOR, within="section[aria-labelledby=readings-due]")
    assert staff.heading() == "Record a reading"
    staff.fill("Period start", "2026-07-01")
    staff.fill("Period end", "2026-09-30")
    staff.fill("Value", "N/A")
    staff.click_button("Save draft", status=400)
    assert staff.sees("There is a problem")
    assert staff.sees("“N/A” is not a number.")
    staff.fill("Value", "140")
    staff.attach("Evidence file", "attendance.pdf", PDF, "application/pdf")
    staff.click_button("Save draft")
    assert staff.sees("Reading saved as a draft.")
    assert staff.sees("attendance.pdf")
    staff.click_button("Submit for verification")
    assert staff.sees("Submitted for verification.")

    # (c) The lead returns it with a reason (a reason is required), then verifies the
    # corrected one.
    lead.click_link("My work", within="header")
    lead.click_link(INDICATOR, within="section[aria-labelledby=readings-to-verify]")
    lead.click_button("Return to the reporter", status=400)
    assert lead.sees("Say why the reading goes back")
    lead.fill("Reason for returning", REASON)
    lead.click_button("Return to the reporter")
    assert lead.sees("Reading returned to the reporter with your reason.")

    staff.click_link("My work", within="header")
    staff.click_link(INDICATOR, within="section[aria-labelledby=readings-returned]")
    assert staff.sees(REASON)
    staff.click_link("Edit the reading or add evidence")
    staff.fill("Value", "130")
    staff.attach("Evidence file", "attendance-signed.pdf", PDF, "application/pdf")
    staff.click_button("Save draft")
    staff.click_button("Submit for verification")
    assert staff.sees("Submitted for verification.")

    lead.click_link("My work", within="header")
    lead.click_link(INDICATOR, within="section[aria-labelledby=readings-to-verify]")
    assert lead.sees(REASON)  # the return stays in the reading's history
    lead.click_button("Verify")
    assert lead.sees("Reading verified.")

    # (d) The lead revises the target, with a reason: readings exist.
    lead.click_link(INDICATOR, within=".crumbs")
    lead.click_link("Change the target", exact=False)
    assert lead.heading() == "Change a target"
    lead.fill("Target value", "150")
    lead.click_button("Save", within="main", status=400)
    assert lead.sees("choose a reason from the list")
    lead.choose("Reason for the change", "Change in context")
    lead.fill("Explanation", REVISION)
    lead.click_button("Save", within="main")
    assert lead.sees("Target changed.")
    assert lead.sees(REVISION)

    # (e) A visitor sees the scorecard, the revision and the chart.
    visitor = journey.person()
    visitor.open(f"/partnerships/{partnership.slug}/scorecard/")
    assert visitor.heading() == "Outcomes scorecard"
    assert visitor.sees(OUTCOME)
    assert visitor.sees(INDICATOR)
    assert visitor.sees(REVISION)
    chart = visitor.page.locator("section.sc-indicator svg[role=img]")
    assert chart.count() == 1
    assert "130" in visitor.page.locator("section.sc-indicator").inner_text()
