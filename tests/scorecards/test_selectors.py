"""The read models: status facts, the scorecard, the due list and the verification queue,
each in a fixed number of queries however much there is."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnerships.codelists import ActivityStatus
from scorecards import selectors, services, status
from scorecards.models import (
    EvidenceStrength,
    Indicator,
    IndicatorMeasure,
    ReadingStatus,
    RevisionReason,
)
from tests.scorecards.factories import (
    FINAL_DAY,
    draft,
    make_indicator,
    make_ordinal,
    make_outcome,
    submitted,
    verified,
)

pytestmark = pytest.mark.django_db

MARCH, JUNE, SEPTEMBER = date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30)


def count_queries(call) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return len(queries), result


# --- facts -----------------------------------------------------------------------------------


def test_the_facts_are_the_indicators_rows(indicator, outcome, implementer, partner_staff, lead):
    first = verified(indicator, partner_staff, lead, MARCH, "20")
    correction = services.reading_correct(reading=first, by=partner_staff, value="25")
    services.reading_submit(reading=correction, by=partner_staff)
    services.reading_verify(reading=correction, by=lead)
    missing = draft(indicator, partner_staff, JUNE, value=None, value_missing=True, comment="Lost")
    services.reading_submit(reading=missing, by=partner_staff)
    services.reading_verify(reading=missing, by=lead)
    submitted(indicator, partner_staff, SEPTEMBER, "70")
    draft(indicator, partner_staff, date(2026, 11, 30), "90", period_start=date(2026, 10, 1))
    ordinal = make_ordinal(outcome, implementer)
    verified(ordinal, partner_staff, lead, JUNE, None, level=3)
    today = timezone.localdate()

    facts = selectors.facts_for(indicator.outcome.indicators.all())

    unit = facts[indicator.pk]
    assert unit.measure == status.Measure.UNIT
    assert (unit.baseline, unit.targets) == (
        status.Point(date(2026, 1, 1), Decimal(0)),
        (status.Point(FINAL_DAY, Decimal(100)),),
    )
    assert (unit.band, unit.cadence_months, unit.has_rubric) == (Decimal("0.10"), 3, False)
    assert [(f.period_end, f.value, f.superseded_on) for f in unit.verified] == [
        (MARCH, Decimal(20), today),
        (MARCH, Decimal(25), None),
        (JUNE, None, None),
    ]
    assert all(f.verified_on == today for f in unit.verified)
    assert unit.last_reported_end == SEPTEMBER  # the submitted one stops the clock
    rubric = facts[ordinal.pk]
    assert (rubric.measure, rubric.has_rubric) == (status.Measure.ORDINAL, True)
    assert [f.value for f in rubric.verified] == [Decimal(3)]
    assert rubric.baseline.value == Decimal(2)


def build(partnership, lead, partner, reporter, *, outcomes: int, indicators: int, readings: int):
    """Outcomes with indicators of every kind, each with verified readings carrying links,
    disaggregated values, a revision, and a submitted reading on top."""
    ends = [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]
    for o in range(outcomes):
        outcome = make_outcome(partnership, lead, title=f"Outcome {o}", partners=[partner])
        for i in range(indicators):
            kind = i % 3
            if kind == 2:
                indicator = make_ordinal(outcome, partner, title=f"I{o}.{i}", cadence_months=1)
            else:
                indicator = make_indicator(
                    outcome,
                    partner,
                    title=f"I{o}.{i}",
                    cadence_months=1,
                    dimensions=["sex"],
                    cumulative=kind == 1,
                )
            for r in range(readings):
                fields = {"period_start": ends[r].replace(day=1)}
                if kind == 2:
                    fields.update(value=None, level=3)
                else:
                    fields.update(
                        value="10",
                        people=10,
                        disaggregations=[
                            {"dimension": "sex", "category": "female", "value": 6, "people": 6}
                        ],
                    )
                reading = draft(indicator, reporter, ends[r], **fields)
                services.evidence_add(
                    reading=reading, by=reporter, url=f"https://example.org/{o}/{i}/{r}"
                )
                services.reading_submit(reading=reading, by=reporter)
                services.reading_verify(reading=reading, by=lead)
            services.target_change(
                target=indicator.targets.get(),
                by=lead,
                date=FINAL_DAY,
                value=5 if kind == 2 else 120,
                reason=RevisionReason.CONTEXT_CHANGE,
            )
            submitted(indicator, reporter, date(2026, 5, 31), **{
                "period_start": date(2026, 5, 1), **({"value": None, "level": 4} if kind == 2
                                                     else {"value": "3"})})  # fmt: skip


@pytest.fixture
def sized(partnership, lead, implementer, partner_staff):
    def make(size: int):
        build(
            partnership,
            lead,
            implementer,
            partner_staff,
            outcomes=size,
            indicators=size,
            readings=min(size, 4),
        )

    return make


@pytest.mark.parametrize("size", [1, 3])
def test_the_facts_take_three_queries_however_many_indicators(sized, partnership, size):
    sized(size)

    # indicators (with whether each has a rubric), targets, readings
    queries, facts = count_queries(lambda: selectors.facts_for(Indicator.objects.all()))

    assert queries == 3
    assert len(facts) == size * size


# --- the scorecard ---------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["visitor", "lead", "partner_staff"])
def test_the_scorecard_takes_a_fixed_number_of_queries(request, sized, partnership, viewer):
    user = AnonymousUser() if viewer == "visitor" else request.getfixturevalue(viewer)
    sized(1)
    small, card = count_queries(lambda: selectors.scorecard(partnership, user=user))
    assert len(card.indicators) == 1
    sized(3)

    # 14 for a visitor: outcomes, their needs and partners; indicators, their targets,
    # levels and revisions; the three queries of the facts; readings, their evidence and
    # disaggregated values; the needs no outcome addresses. Signed in, one or two more:
    # whether the viewer is a partner, else whether a grant opens the inside.
    large, card = count_queries(lambda: selectors.scorecard(partnership, user=user))

    assert len(card.indicators) == 1 + 9
    assert large == small
    assert large <= 16


def test_everyone_sees_the_same_status_and_visitors_only_verified_readings(
    indicator, partner_staff, lead
):
    verified(indicator, partner_staff, lead, MARCH, "20")
    submitted(indicator, partner_staff, JUNE, "45")
    partnership = indicator.outcome.partnership

    public = selectors.scorecard(partnership, user=AnonymousUser())
    inside = selectors.scorecard(partnership, user=lead)

    [public_card], [inside_card] = public.indicators, inside.indicators
    assert public_card.status == inside_card.status
    assert [r.status for r in public_card.readings] == [ReadingStatus.VERIFIED]
    assert [r.status for r in inside_card.readings] == [
        ReadingStatus.VERIFIED,
        ReadingStatus.SUBMITTED,
    ]
    assert public_card.latest.value == inside_card.latest.value == Decimal(20)
    assert (public.inside, inside.inside) == (False, True)


def test_a_corrected_reading_shows_as_superseded_and_the_correction_counts(
    indicator, partner_staff, lead
):
    first = verified(indicator, partner_staff, lead, JUNE, "60")
    correction = services.reading_correct(reading=first, by=partner_staff, value="40")
    services.reading_submit(reading=correction, by=partner_staff)
    services.reading_verify(reading=correction, by=lead)

    [card] = selectors.scorecard(indicator.outcome.partnership, user=AnonymousUser()).indicators

    assert [(r.status, r.value) for r in card.readings] == [
        (ReadingStatus.SUPERSEDED, Decimal(60)),
        (ReadingStatus.VERIFIED, Decimal(40)),
    ]
    assert card.latest.value == Decimal(40)
    assert card.status.value == Decimal(40)


def test_the_evidence_strength_counts_internal_evidence_that_visitors_cannot_open(
    indicator, partner_staff, lead
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    reading = draft(indicator, partner_staff, JUNE)
    services.evidence_add(
        reading=reading, by=partner_staff, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
    )
    services.evidence_add(
        reading=reading, by=partner_staff, url="https://example.org/photos", is_public=True
    )
    services.reading_submit(reading=reading, by=partner_staff)
    services.reading_verify(reading=reading, by=lead)

    [card] = selectors.scorecard(indicator.outcome.partnership, user=AnonymousUser()).indicators

    assert card.evidence_strength == EvidenceStrength.DOCUMENT
    assert [e.url for e in card.latest.visible_evidence] == ["https://example.org/photos"]


def test_revisions_are_on_the_scorecard(indicator, partner_staff, lead):
    draft(indicator, partner_staff, JUNE)
    services.target_change(
        target=indicator.targets.get(),
        by=lead,
        date=FINAL_DAY,
        value="80",
        reason=RevisionReason.FUNDER_REQUIREMENT,
    )

    [card] = selectors.scorecard(indicator.outcome.partnership, user=AnonymousUser()).indicators

    assert [(r.reason, r.old_value, r.new_value) for r in card.revisions] == [
        ("funder_requirement", Decimal(100), Decimal(80))
    ]
    assert card.final_target.value == Decimal(80)


def test_needs_and_outcomes_without_each_other_are_shown_as_gaps(partnership, lead, outcome, needs):
    lonely = make_outcome(partnership, lead, title="Digital literacy")

    card = selectors.scorecard(partnership, user=AnonymousUser())

    assert [c.outcome for c in card.outcomes] == [outcome, lonely]
    assert card.outcomes[0].needs == needs[:1]
    assert [c.outcome for c in card.outcomes_without_need] == [lonely]
    assert card.needs_without_outcome == needs[1:]
    assert list(selectors.needs_without_outcome(partnership)) == needs[1:]
    assert list(selectors.outcomes_without_need(partnership)) == [lonely]


def test_outcomes_and_the_partnership_roll_up_their_indicators(
    outcome, indicator, implementer, partner_staff, lead
):
    second = make_indicator(outcome, implementer, title="Second")
    verified(second, partner_staff, lead, SEPTEMBER, "100")

    card = selectors.scorecard(outcome.partnership, user=AnonymousUser())

    rollup = card.outcomes[0].rollup
    assert rollup.counts == {status.Status.OVERDUE: 1, status.Status.ACHIEVED: 1}
    assert rollup.worst == status.Status.OVERDUE
    assert card.rollup == rollup


# --- my work ---------------------------------------------------------------------------------


def test_the_reporting_partners_staff_see_what_is_due(indicator, partner_staff, funder, lead):
    today = date(2026, 12, 1)

    [due] = selectors.due_readings_for(partner_staff, today=today)

    assert due.indicator == indicator
    assert due.due_on == date(2026, 4, 1)
    assert due.overdue
    assert due.open is None
    assert selectors.due_readings_for(funder, today=today) == []
    assert selectors.due_readings_for(lead, today=today) == []
    assert selectors.due_readings_for(AnonymousUser(), today=today) == []


def test_a_submitted_reading_stops_the_clock_and_a_draft_is_the_open_one(indicator, partner_staff):
    submitted(indicator, partner_staff, SEPTEMBER)
    started = draft(indicator, partner_staff, date(2026, 11, 30), period_start=date(2026, 10, 1))

    [due] = selectors.due_readings_for(partner_staff, today=date(2026, 12, 20))

    assert (due.due_on, due.overdue, due.open) == (date(2026, 12, 31), False, started)
    assert selectors.due_readings_for(partner_staff, today=date(2026, 12, 1)) == []


def test_nothing_is_due_in_closed_partnerships(partnership, indicator, partner_staff):
    partnership.status = ActivityStatus.CLOSED
    partnership.save()

    assert selectors.due_readings_for(partner_staff, today=date(2026, 12, 1)) == []


@pytest.mark.parametrize("size", [1, 3])
def test_the_due_list_takes_a_fixed_number_of_queries(sized, partner_staff, size):
    sized(size)

    # the user's indicators, the three queries of the facts, the open readings
    queries, due = count_queries(
        lambda: selectors.due_readings_for(partner_staff, today=date(2026, 6, 20))
    )

    assert queries == 5
    assert len(due) == size * size


def test_the_verification_queue_follows_the_checker_rule(
    indicator, partner_staff, lead, lead_colleague, funder
):
    theirs = submitted(indicator, partner_staff, MARCH)
    own = submitted(indicator, lead, JUNE)

    assert list(selectors.readings_to_verify(lead)) == [theirs]
    assert list(selectors.readings_to_verify(lead_colleague)) == [theirs, own]
    assert list(selectors.readings_to_verify(funder)) == []
    assert list(selectors.readings_to_verify(partner_staff)) == []


def test_funders_see_what_the_leads_only_staff_member_reported(indicator, lead, funder):
    own = submitted(indicator, lead, JUNE)

    assert list(selectors.readings_to_verify(funder)) == [own]
    assert list(selectors.readings_to_verify(lead)) == []


def test_returned_readings_wait_for_their_reporter(indicator, partner_staff, lead):
    reading = submitted(indicator, partner_staff, JUNE)
    services.reading_return(reading=reading, by=lead, reason="Which villages?")

    assert list(selectors.returned_readings_for(partner_staff)) == [reading]
    assert list(selectors.returned_readings_for(lead)) == []


def test_status_for_a_qualitative_indicator_is_reported(outcome, implementer, partner_staff, lead):
    indicator = make_indicator(
        outcome,
        implementer,
        measure=IndicatorMeasure.QUALITATIVE,
        baseline_value=None,
        targets=[(FINAL_DAY, None)],
    )
    verified(indicator, partner_staff, lead, SEPTEMBER, None, narrative="Women negotiate.")

    facts = selectors.facts_for(outcome.indicators.filter(pk=indicator.pk))
    found = selectors.statuses_of(facts, timezone.localdate() + timedelta(days=1))

    assert found[indicator.pk].status == status.Status.REPORTED
