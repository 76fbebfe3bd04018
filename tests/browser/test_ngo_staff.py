"""NGO staff add a community, hold a needs assessment there, record who took part and what
they need (by hand and from a spreadsheet, after one refused), submit it and mark it
validated with the community."""

import pytest

from tests.factories import MemberFactory, OrganisationFactory, UserFactory

STAFF = "zawadi@example.org"
PASSWORD = "a long walk to Mnarani"
ORGANISATION = "Kilifi Digital Trust"
COMMUNITY = "Mnarani village"
ASSESSMENT = "Village meeting on connectivity"

# One bad row (3): no rank and a severity nobody uses. Nothing of the file may be imported.
BAD_NEEDS = b"""title,priority_rank,severity,groups_affected
Solar charging kiosk,2,high,women;youth
Repair shop for phones,,urgent,youth
"""
GOOD_NEEDS = b"""title,priority_rank,severity,groups_affected,people_affected
Solar charging kiosk,2,high,women;youth,80
Repair shop for phones,3,moderate,youth,25
"""


@pytest.fixture
def staff():
    """Staff of one organisation, so it is preselected wherever one is asked for."""
    user = UserFactory(email=STAFF, full_name="Zawadi Kahindi", password=PASSWORD)
    MemberFactory(user=user, organisation=OrganisationFactory(name=ORGANISATION))
    return user


def test_staff_log_a_community_and_take_its_needs_assessment_to_validation(journey, staff):
    person = journey.person()
    person.open("/")
    person.sign_in(STAFF, PASSWORD)
    assert person.heading() == "My work"

    person.click_link("Add a community", within="main")
    assert person.heading() == "Add a community"
    assert person.chosen("Your organisation") == ORGANISATION
    person.fill("Name", COMMUNITY)
    person.choose("Country", "Kenya")
    person.fill("Administrative area", "Kilifi County")
    person.fill("Languages", "Swahili, Giryama")
    person.click_button("Save", within="main")
    assert person.heading() == COMMUNITY
    assert person.sees("Swahili, Giryama")

    person.click_link("Start a needs assessment")
    assert person.heading() == "Start a needs assessment"
    assert person.chosen("Facilitating organisation") == ORGANISATION
    assert person.field("Language", within="main").input_value() == "Swahili"
    person.fill("Title", ASSESSMENT)
    person.fill("Date", "2026-03-01")
    person.choose("Method", "Community meeting")
    person.click_button("Save", within="main")
    assert person.heading() == ASSESSMENT
    assert person.sees(ORGANISATION)

    participants = "form[action*='/participants/']"
    person.fill("People who took part", "40", within=participants)
    person.fill("Female", "22", within=participants)
    person.fill("Male", "18", within=participants)
    person.fill("Youth (15–24)", "15", within=participants)
    person.click_button("Save participants")
    assert person.sees("Participants saved.")

    need = "form[action*='/needs/add/']"
    person.fill("Title", "Affordable mobile data for the youth centre", within=need)
    person.fill("Priority rank", "1", within=need)
    person.choose("Severity", "Critical", within=need)
    person.tick("Youth", within=need)
    person.fill("People affected", "120", within=need)
    person.click_button("Add need")
    assert person.sees("Need added.")

    needs_import = "form[action*='/import/needs/']"
    person.attach("Spreadsheet", "needs.csv", BAD_NEEDS, within=needs_import)
    person.click_button("Import needs", status=400)
    assert person.sees("There is a problem")
    problems = person.page.locator("#import-errors tbody tr").all_inner_texts()
    assert len(problems) == 2, problems
    assert all(problem.startswith("3\t") for problem in problems), problems
    assert any("priority_rank" in problem for problem in problems), problems
    assert any("severity" in problem for problem in problems), problems
    assert not person.sees("Solar charging kiosk")

    person.attach("Spreadsheet", "needs.csv", GOOD_NEEDS, within=needs_import)
    person.click_button("Import needs")
    assert person.sees("Imported 2 needs.")
    assert person.sees("Solar charging kiosk")

    person.click_button("Submit assessment", status=400)
    assert person.sees("There is a problem")
    assert person.sees("Record the participants' consent before submitting")
    person.click_link("Edit", within="main")
    person.tick("Consent recorded")
    person.click_button("Save", within="main")
    person.click_button("Submit assessment")
    assert person.sees("Assessment submitted.")

    person.click_link("Mark as validated with the community")
    assert person.heading() == "Mark as validated with the community"
    person.tick("At a community meeting")
    person.fill("Date the community confirmed them", "2026-03-15")
    person.click_button("Mark as validated with the community", within="main")
    assert person.heading() == ASSESSMENT
    assert person.sees("Validated with the community at a meeting on 15 March 2026.")
