"""A partnership lead is asked on "my work" to record a lesson once an outcome went off
track, records it and makes it public; a visitor filters the lessons page to failures in
Kenya and reads it, and not the lessons of elsewhere, of other kinds, or kept internal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from partnerships.codelists import OrganisationRole
from partnerships.models import MemberRole, Sector, Visibility
from scorecards import services
from scorecards.models import IndicatorMeasure, IndicatorTransition, LessonKind, TransitionKind
from tests.factories import (
    MemberFactory,
    OrganisationFactory,
    PartnerFactory,
    PartnershipFactory,
    UserFactory,
)

LEAD = "amina@example.org"
PASSWORD = "a long walk to Mnarani"
PARTNERSHIP = "Maize prices by SMS"
OUTCOME = "Middlemen keep buying from farmers who compare prices"
LESSON = "Two buyers turned away farmers who showed the SMS"
ELSEWHERE = "Clinic bookings by SMS were not answered"
SUCCESS = "Women farmers signed up in groups"
INTERNAL = "Our gateway bill was paid late"


@pytest.fixture
def lead():
    """Amina leads a public partnership in Kenya, whose unintended harm went off track:
    14 farmers turned away where none should be, as the recheck job recorded three days
    ago. Mawingu's Joseph reported it, Amina verified it."""
    today = timezone.localdate()
    amina = UserFactory(email=LEAD, full_name="Amina Mwangi", password=PASSWORD)
    tunza = OrganisationFactory(name="Tunza Women Farmers")
    MemberFactory(user=amina, organisation=tunza, role=MemberRole.ADMIN)
    mawingu = OrganisationFactory(name="Mawingu Networks")
    joseph = MemberFactory(organisation=mawingu).user
    maize = PartnershipFactory(
        title=PARTNERSHIP, visibility=Visibility.PUBLIC, recipient_countries=["KE"]
    )
    maize.sectors.set(Sector.objects.filter(code="31166"))
    PartnerFactory(
        partnership=maize, organisation=tunza, role=OrganisationRole.ACCOUNTABLE, is_lead=True
    )
    reporter = PartnerFactory(
        partnership=maize, organisation=mawingu, role=OrganisationRole.IMPLEMENTING
    )
    outcome = services.outcome_create(partnership=maize, by=amina, title=OUTCOME)
    turned_away = services.indicator_create(
        outcome=outcome,
        reporting_partner=reporter,
        title="Farmers turned away after comparing prices",
        measure=IndicatorMeasure.UNIT,
        higher_is_better=False,
        baseline_value=0,
        baseline_date=today - timedelta(days=200),
        targets=[{"date": today + timedelta(days=365), "value": 0}],
    )
    end = today - timedelta(days=10)
    reading = services.reading_create(
        indicator=turned_away,
        by=joseph,
        period_start=end - timedelta(days=60),
        period_end=end,
        value="14",
    )
    services.reading_submit(reading=reading, by=joseph)
    services.reading_verify(reading=reading, by=amina)
    IndicatorTransition.objects.create(
        indicator=turned_away,
        day=today - timedelta(days=3),
        kind=TransitionKind.STATUS,
        from_status="on_track",
        to_status="off_track",
    )
    services.lesson_create(
        partnership=maize,
        by=amina,
        kind=LessonKind.SUCCESS,
        title=SUCCESS,
        what_happened="Sign-ups doubled once the groups registered together.",
        is_public=True,
    )
    services.lesson_create(
        partnership=maize,
        by=amina,
        kind=LessonKind.FAILURE,
        title=INTERNAL,
        what_happened="The messages stopped for two days.",
    )
    return amina


@pytest.fixture
def elsewhere(db):
    """A public failure of a partnership in Ghana."""
    clinic = PartnershipFactory(visibility=Visibility.PUBLIC, recipient_countries=["GH"])
    services.lesson_create(
        partnership=clinic,
        by=None,
        kind=LessonKind.FAILURE,
        title=ELSEWHERE,
        what_happened="Nobody at the clinic read the messages.",
        is_public=True,
    )


def test_a_lead_records_a_lesson_after_an_outcome_goes_off_track_and_a_visitor_reads_it(
    journey, lead, elsewhere
):
    person = journey.person()
    person.open("/")
    person.sign_in(LEAD, PASSWORD)
    assert person.heading() == "My work"
    assert person.sees("Lessons to record")
    assert person.sees("Off track")

    person.click_link(f"Record a lesson about “{OUTCOME}”", within="main")
    assert person.heading() == "Record a lesson"
    assert person.chosen("Outcome") == OUTCOME
    assert person.field("What did not work").is_checked()
    person.fill("Title", LESSON)
    person.fill(
        "What happened", "Two buyers at Kilifi market refused farmers who showed them the SMS."
    )
    person.fill("Why", "They lose their margin when farmers know the price.")
    person.fill("What changed as a result", "Farmers now sell in groups, with the county officer.")
    person.tick("Public")
    person.click_button("Save", within="main")
    assert person.heading() == "Lessons"
    assert person.sees("Lesson recorded.")
    assert person.sees(LESSON)

    person.click_link("My work", within="header")
    assert not person.sees("Lessons to record")

    visitor = journey.person()
    visitor.open("/lessons/")
    assert visitor.heading() == "What worked and what did not"
    assert visitor.sees(ELSEWHERE)
    visitor.choose("Kind", "What did not work")
    visitor.choose("Country", "Kenya")
    visitor.click_button("Filter", within="main")
    assert visitor.chosen("Country") == "Kenya"
    assert visitor.sees(LESSON)
    assert visitor.sees("They lose their margin when farmers know the price.")
    assert not visitor.sees(ELSEWHERE)
    assert not visitor.sees(SUCCESS)
    assert not visitor.sees(INTERNAL)
    assert visitor.sees("1 lesson")
