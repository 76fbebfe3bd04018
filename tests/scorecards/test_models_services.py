"""Outcomes, indicators, targets, readings and their verification, through the services.

Every refusal changes nothing; verified readings are never edited in place; goalposts
move only with a reason once readings exist.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from communities import services as community_services
from communities.models import AssessmentStatus
from harambee import pagecache
from partnerships.codelists import OrganisationRole
from scorecards import services
from scorecards.models import (
    DisaggregatedValue,
    Indicator,
    IndicatorMeasure,
    Intention,
    Outcome,
    Reading,
    ReadingStatus,
    ResultType,
    Revision,
    RevisionKind,
    RevisionReason,
    Target,
)
from tests.communities.factories import add_needs, make_assessment
from tests.factories import OrganisationFactory, PartnerFactory, PartnershipFactory, UserFactory
from tests.scorecards.factories import (
    BASELINE_DAY,
    FINAL_DAY,
    draft,
    make_indicator,
    make_ordinal,
    make_outcome,
    submitted,
    verified,
)

pytestmark = pytest.mark.django_db

JUNE = date(2026, 6, 30)
SEPTEMBER = date(2026, 9, 30)


def refused(call, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- outcomes --------------------------------------------------------------------------------


def test_an_outcome_names_its_level_intention_partners_and_the_needs_it_addresses(
    outcome, implementer, needs
):
    assert outcome.level == ResultType.OUTCOME
    assert outcome.is_intended
    assert list(outcome.responsible_partners.all()) == [implementer]
    assert list(needs[0].addressing_outcomes()) == [outcome]


def test_result_types_are_iatis():
    assert {t.value: t.name for t in ResultType} == {
        1: "OUTPUT",
        2: "OUTCOME",
        3: "IMPACT",
        9: "OTHER",
    }
    assert [m.value for m in IndicatorMeasure] == [1, 2, 3, 4, 5]


def test_an_unintended_negative_outcome_is_recorded_as_such(partnership, lead):
    outcome = make_outcome(
        partnership,
        lead,
        title="Middlemen refuse farmers who share prices",
        intention=Intention.UNINTENDED_NEGATIVE,
        level=ResultType.IMPACT,
    )

    assert not outcome.is_intended
    assert outcome.is_negative


def test_an_outcome_is_written_in_its_authors_language(partnership, lead):
    with translation.override("fr"):
        outcome = make_outcome(partnership, lead, title="Des prix justes")

    outcome.refresh_from_db()
    assert outcome.source_language == "fr"
    assert outcome.title_fr == "Des prix justes"


def test_an_outcome_cannot_address_a_need_of_an_assessment_not_validated(
    partnership, lead, lead_partner, validated
):
    draft_assessment = make_assessment(
        community=validated.community,
        organisation=lead_partner.organisation,
        partnership=partnership,
        title="Follow-up",
    )
    [need] = add_needs(draft_assessment, 1)

    error = refused(
        services.outcome_create, partnership=partnership, by=lead, title="x", needs=[need]
    )

    assert "validated with the community" in messages(error)
    assert not Outcome.objects.exists()


def test_an_outcome_cannot_address_a_need_of_another_partnership(lead, needs):
    other = PartnershipFactory()

    refused(services.outcome_create, partnership=other, by=lead, title="x", needs=needs[:1])

    assert not Outcome.objects.exists()


def test_the_partners_responsible_are_partners_of_the_same_partnership(partnership, lead):
    stranger = PartnerFactory()

    error = refused(
        services.outcome_create,
        partnership=partnership,
        by=lead,
        title="x",
        responsible_partners=[stranger],
    )

    assert error.message_dict["responsible_partners"]
    assert not Outcome.objects.exists()


def test_changing_the_needs_an_outcome_addresses_is_kept_in_its_history(outcome, needs):
    services.outcome_update(outcome=outcome, needs=needs[1:], title="Fairer prices")

    assert set(outcome.needs.all()) == set(needs[1:])
    latest = outcome.history.latest()
    assert latest.title == "Fairer prices"
    assert {row.need_id for row in latest.needs.all()} == {n.pk for n in needs[1:]}


def test_an_outcome_whose_assessment_loses_its_validation_keeps_no_eligible_need(
    outcome, needs, validated
):
    community_services.assessment_validation_withdraw(assessment=validated, reason="By mistake")

    assert validated.status == AssessmentStatus.SUBMITTED
    assert not services.eligible_needs(outcome.partnership).exists()


def test_outcomes_are_numbered_in_the_order_they_are_added(partnership, lead, outcome):
    second = make_outcome(partnership, lead, title="Second")

    assert second.order == outcome.order + 1


def test_an_outcome_with_readings_stays_on_the_record(outcome, indicator, partner_staff):
    draft(indicator, partner_staff, JUNE)

    refused(services.outcome_delete, outcome=outcome)

    assert Outcome.objects.filter(pk=outcome.pk).exists()


def test_an_outcome_without_readings_can_be_removed(partnership, lead):
    outcome = make_outcome(partnership, lead, title="Typo")

    services.outcome_delete(outcome=outcome)

    assert not Outcome.objects.filter(pk=outcome.pk).exists()


# --- indicators ------------------------------------------------------------------------------


def test_an_indicator_has_its_baseline_targets_cadence_band_and_plan(outcome, implementer):
    indicator = make_indicator(
        outcome,
        implementer,
        targets=[(date(2026, 7, 1), "40"), (FINAL_DAY, "100")],
        cadence_months=1,
        dimensions=["sex", "age_group"],
        definition="Farmers registered who received at least one SMS that month.",
        data_source="SMS gateway logs",
        means_of_verification="Gateway export",
        collection_method="Monthly export by Mawingu",
    )

    assert [(t.date, t.value) for t in indicator.targets.all()] == [
        (date(2026, 7, 1), Decimal(40)),
        (FINAL_DAY, Decimal(100)),
    ]
    assert indicator.band == Decimal("0.10")
    assert indicator.cadence_months == 1
    assert indicator.dimensions == ["sex", "age_group"]
    assert indicator.reporting_partner == implementer


@pytest.mark.parametrize(
    ("higher_is_better", "target", "field_text"),
    [
        (True, "-5", "cannot be below the baseline"),
        (False, "5", "cannot be above the baseline"),
    ],
)
def test_a_target_on_the_wrong_side_of_the_baseline_is_refused(
    outcome, implementer, higher_is_better, target, field_text
):
    error = refused(
        make_indicator,
        outcome=outcome,
        reporting_partner=implementer,
        higher_is_better=higher_is_better,
        targets=[(FINAL_DAY, target)],
    )

    assert field_text in messages(error)
    assert not Indicator.objects.exists()
    assert not Target.objects.exists()


def test_a_target_dated_on_or_before_the_baseline_is_refused(outcome, implementer):
    error = refused(
        make_indicator,
        outcome=outcome,
        reporting_partner=implementer,
        targets=[(BASELINE_DAY, "100")],
    )

    assert "after the baseline date" in messages(error)
    assert not Indicator.objects.exists()


def test_a_target_equal_to_the_baseline_is_a_level_to_hold(outcome, implementer):
    indicator = make_indicator(
        outcome, implementer, baseline_value="100", targets=[(FINAL_DAY, "100")]
    )

    assert indicator.targets.get().value == Decimal(100)


def test_an_indicator_needs_a_target(outcome, implementer):
    refused(make_indicator, outcome=outcome, reporting_partner=implementer, targets=[])

    assert not Indicator.objects.exists()


def test_an_ordinal_indicator_measures_with_its_rubric(outcome, implementer):
    indicator = make_ordinal(outcome, implementer)

    assert [level.number for level in indicator.levels.all()] == [1, 2, 3, 4, 5]
    assert indicator.uses_levels


def test_an_ordinal_indicator_without_levels_or_with_a_baseline_off_the_rubric_is_refused(
    outcome, implementer
):
    refused(make_ordinal, outcome=outcome, reporting_partner=implementer, levels=[])
    refused(make_ordinal, outcome=outcome, reporting_partner=implementer, baseline_value="2.5")

    assert not Indicator.objects.exists()


def test_only_counts_and_percentages_are_cumulative(outcome, implementer):
    error = refused(make_ordinal, outcome=outcome, reporting_partner=implementer, cumulative=True)

    assert "cumulative" in error.message_dict
    assert not Indicator.objects.exists()


def test_a_percentage_target_above_100_is_refused(outcome, implementer):
    refused(
        make_indicator,
        outcome=outcome,
        reporting_partner=implementer,
        measure=IndicatorMeasure.PERCENTAGE,
        targets=[(FINAL_DAY, "120")],
    )

    assert not Indicator.objects.exists()


def test_the_reporting_partner_is_a_partner_of_the_partnership(outcome):
    refused(make_indicator, outcome=outcome, reporting_partner=PartnerFactory())

    assert not Indicator.objects.exists()


def test_unknown_disaggregation_dimensions_are_refused(outcome, implementer):
    refused(make_indicator, outcome=outcome, reporting_partner=implementer, dimensions=["caste"])

    assert not Indicator.objects.exists()


def test_a_qualitative_indicator_without_a_rubric_has_dated_targets_only(outcome, implementer):
    indicator = make_indicator(
        outcome,
        implementer,
        measure=IndicatorMeasure.QUALITATIVE,
        baseline_value=None,
        targets=[(FINAL_DAY, None)],
    )

    assert not indicator.uses_levels
    assert indicator.targets.get().value is None


def test_an_indicator_definition_changes_freely_before_readings(indicator):
    services.indicator_update(indicator=indicator, measure=IndicatorMeasure.PERCENTAGE)

    indicator.refresh_from_db()
    assert indicator.measure == IndicatorMeasure.PERCENTAGE


def test_once_readings_exist_the_measure_and_direction_stay(indicator, partner_staff):
    draft(indicator, partner_staff, JUNE)

    refused(services.indicator_update, indicator=indicator, higher_is_better=False)
    refused(services.indicator_update, indicator=indicator, band=Decimal("0.2"))
    services.indicator_update(indicator=indicator, cadence_months=1, definition="Clearer")

    indicator.refresh_from_db()
    assert (indicator.higher_is_better, indicator.band, indicator.cadence_months) == (
        True,
        Decimal("0.10"),
        1,
    )


# --- revisions -------------------------------------------------------------------------------


def test_before_any_reading_targets_and_baselines_change_without_a_revision(indicator, lead):
    target = indicator.targets.get()

    services.target_change(target=target, by=lead, date=FINAL_DAY, value="150")
    services.baseline_change(indicator=indicator, by=lead, value="10", date=BASELINE_DAY)

    assert not Revision.objects.exists()
    target.refresh_from_db()
    assert target.value == Decimal(150)


def test_once_a_reading_exists_a_target_changes_only_with_a_reason(indicator, lead, partner_staff):
    draft(indicator, partner_staff, JUNE)  # a draft is a reading too
    target = indicator.targets.get()

    error = refused(services.target_change, target=target, by=lead, date=FINAL_DAY, value="80")

    assert "choose a reason" in messages(error)
    target.refresh_from_db()
    assert target.value == Decimal(100)
    assert not Revision.objects.exists()


def test_a_target_changed_with_a_reason_leaves_a_revision(indicator, lead, partner_staff):
    verified(indicator, partner_staff, lead, JUNE)
    target = indicator.targets.get()

    services.target_change(
        target=target,
        by=lead,
        date=FINAL_DAY,
        value="80",
        reason=RevisionReason.CONTEXT_CHANGE,
    )

    revision = Revision.objects.get()
    assert (revision.kind, revision.reason) == (RevisionKind.TARGET_CHANGED, "context_change")
    assert (revision.old_value, revision.new_value) == (Decimal(100), Decimal(80))
    assert (revision.old_date, revision.new_date) == (FINAL_DAY, FINAL_DAY)
    assert revision.by == lead
    assert revision.target == target


def test_the_other_reason_needs_an_explanation(indicator, lead, partner_staff):
    draft(indicator, partner_staff, JUNE)
    target = indicator.targets.get()

    error = refused(
        services.target_change,
        target=target,
        by=lead,
        date=FINAL_DAY,
        value="80",
        reason=RevisionReason.OTHER,
    )
    assert "reason_text" in error.message_dict
    services.target_change(
        target=target,
        by=lead,
        date=FINAL_DAY,
        value="80",
        reason=RevisionReason.OTHER,
        reason_text="The county doubled the programme.",
    )

    assert Revision.objects.get().reason_text == "The county doubled the programme."


def test_a_revised_target_still_may_not_cross_the_baseline(indicator, lead, partner_staff):
    draft(indicator, partner_staff, JUNE)

    error = refused(
        services.target_change,
        target=indicator.targets.get(),
        by=lead,
        date=FINAL_DAY,
        value="-1",
        reason=RevisionReason.DATA_CORRECTION,
    )

    assert "value" in error.message_dict
    assert not Revision.objects.exists()


def test_a_baseline_changed_once_readings_exist_leaves_a_revision(indicator, lead, partner_staff):
    draft(indicator, partner_staff, JUNE)

    refused(services.baseline_change, indicator=indicator, by=lead, value="5", date=BASELINE_DAY)
    services.baseline_change(
        indicator=indicator,
        by=lead,
        value="5",
        date=BASELINE_DAY,
        reason=RevisionReason.DATA_CORRECTION,
    )

    revision = Revision.objects.get()
    assert revision.kind == RevisionKind.BASELINE
    assert (revision.old_value, revision.new_value) == (Decimal(0), Decimal(5))
    indicator.refresh_from_db()
    assert indicator.baseline_value == Decimal(5)


def test_a_baseline_cannot_move_past_its_readings(indicator, lead, partner_staff):
    draft(indicator, partner_staff, JUNE)

    error = refused(
        services.baseline_change,
        indicator=indicator,
        by=lead,
        value="0",
        date=date(2026, 8, 1),
        reason=RevisionReason.ADAPTIVE_MANAGEMENT,
    )

    assert "baseline_date" in error.message_dict
    assert not Revision.objects.exists()


def test_adding_and_removing_targets_once_readings_exist_leave_revisions(
    indicator, lead, partner_staff
):
    draft(indicator, partner_staff, JUNE)

    refused(services.target_add, indicator=indicator, by=lead, date=date(2026, 7, 1), value="40")
    added = services.target_add(
        indicator=indicator,
        by=lead,
        date=date(2026, 7, 1),
        value="40",
        reason=RevisionReason.FUNDER_REQUIREMENT,
    )
    services.target_remove(target=added, by=lead, reason=RevisionReason.ADAPTIVE_MANAGEMENT)

    kinds = list(Revision.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == [RevisionKind.TARGET_ADDED, RevisionKind.TARGET_REMOVED]
    assert indicator.targets.count() == 1


def test_the_last_target_cannot_be_removed(indicator, lead):
    refused(services.target_remove, target=indicator.targets.get(), by=lead)

    assert indicator.targets.count() == 1


# --- readings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["N/A", "n/a", "twelve", "about 40", "1,234", "1e5", "NaN", "Infinity", "--4", "4 %"]
)
def test_numeric_readings_take_numbers_only(indicator, partner_staff, text):
    error = refused(draft, indicator=indicator, by=partner_staff, end=JUNE, value=text)

    assert "is not a number" in " ".join(error.message_dict["value"])
    assert not Reading.objects.exists()


@pytest.mark.parametrize(("text", "number"), [("١٢٣", 123), ("४५.५", Decimal("45.5")), (" 7 ", 7)])
def test_digits_of_any_one_script_are_read(indicator, partner_staff, text, number):
    reading = draft(indicator, partner_staff, JUNE, value=text)

    assert reading.value == number


def test_digits_of_two_scripts_in_one_number_are_refused(indicator, partner_staff):
    refused(draft, indicator=indicator, by=partner_staff, end=JUNE, value="1٢3")

    assert not Reading.objects.exists()


def test_a_missing_value_is_its_own_state_and_says_why(indicator, partner_staff, lead):
    refused(draft, indicator=indicator, by=partner_staff, end=JUNE, value=None, value_missing=True)
    reading = draft(
        indicator,
        partner_staff,
        JUNE,
        value=None,
        value_missing=True,
        comment="The SMS gateway lost its logs this quarter.",
    )
    services.reading_submit(reading=reading, by=partner_staff)
    services.reading_verify(reading=reading, by=lead)

    assert reading.value is None
    assert reading.value_missing
    assert reading.status == ReadingStatus.VERIFIED


def test_a_missing_reading_cannot_carry_a_value(indicator, partner_staff):
    refused(
        draft,
        indicator=indicator,
        by=partner_staff,
        end=JUNE,
        value="40",
        value_missing=True,
        comment="x",
    )

    assert not Reading.objects.exists()


def test_a_draft_without_a_value_cannot_be_submitted(indicator, partner_staff):
    reading = draft(indicator, partner_staff, JUNE, value=None)

    refused(services.reading_submit, reading=reading, by=partner_staff)

    reading.refresh_from_db()
    assert reading.status == ReadingStatus.DRAFT


def test_a_period_ending_before_the_baseline_is_refused(indicator, partner_staff):
    error = refused(
        services.reading_create,
        indicator=indicator,
        by=partner_staff,
        period_start=date(2025, 10, 1),
        period_end=date(2025, 12, 31),
        value="10",
    )

    assert "before the baseline date" in messages(error)
    assert not Reading.objects.exists()


def test_a_period_that_has_not_ended_is_refused(indicator, partner_staff):
    refused(
        services.reading_create,
        indicator=indicator,
        by=partner_staff,
        period_start=date(2026, 1, 1),
        period_end=date(2099, 12, 31),
        value="10",
    )

    assert not Reading.objects.exists()


def test_two_readings_of_one_period_are_refused(indicator, partner_staff):
    draft(indicator, partner_staff, JUNE)

    error = refused(
        services.reading_create,
        indicator=indicator,
        by=partner_staff,
        period_start=date(2026, 5, 1),
        period_end=date(2026, 7, 31),
        value="10",
    )

    assert "covers part of this period" in messages(error)
    assert Reading.objects.count() == 1


def test_a_percentage_reading_is_between_0_and_100(outcome, implementer, partner_staff):
    indicator = make_indicator(
        outcome, implementer, measure=IndicatorMeasure.PERCENTAGE, targets=[(FINAL_DAY, "80")]
    )

    refused(draft, indicator=indicator, by=partner_staff, end=JUNE, value="101")

    assert not Reading.objects.exists()


def test_an_ordinal_reading_names_a_level_of_its_rubric(outcome, implementer, partner_staff):
    indicator = make_ordinal(outcome, implementer)

    refused(draft, indicator=indicator, by=partner_staff, end=JUNE, value=None, level=9)
    refused(draft, indicator=indicator, by=partner_staff, end=JUNE, value="3")
    reading = draft(indicator, partner_staff, JUNE, value=None, level="3")

    assert reading.level.number == 3
    assert reading.value is None


def test_a_qualitative_reading_is_a_narrative(outcome, implementer, partner_staff):
    indicator = make_indicator(
        outcome,
        implementer,
        measure=IndicatorMeasure.QUALITATIVE,
        baseline_value=None,
        targets=[(FINAL_DAY, None)],
    )

    refused(draft, indicator=indicator, by=partner_staff, end=JUNE, value="3")
    reading = draft(
        indicator, partner_staff, JUNE, value=None, narrative="Women now negotiate prices."
    )

    assert reading.narrative == "Women now negotiate prices."


def test_a_numeric_reading_keeps_its_explanation_in_the_comment(indicator, partner_staff):
    refused(draft, indicator=indicator, by=partner_staff, end=JUNE, narrative="Went well")

    assert not Reading.objects.exists()


def test_a_cumulative_reading_adds_nothing_negative(outcome, implementer, partner_staff):
    indicator = make_indicator(outcome, implementer, cumulative=True)

    refused(draft, indicator=indicator, by=partner_staff, end=JUNE, value="-3")

    assert not Reading.objects.exists()


# --- disaggregated values --------------------------------------------------------------------


@pytest.fixture
def by_sex(outcome, implementer):
    return make_indicator(outcome, implementer, dimensions=["sex"])


def cells(female=("30", 30), male=("20", 20)):
    return [
        {"dimension": "sex", "category": "female", "value": female[0], "people": female[1]},
        {"dimension": "sex", "category": "male", "value": male[0], "people": male[1]},
    ]


def test_disaggregated_values_are_kept_with_their_groups_sizes(by_sex, partner_staff):
    reading = draft(by_sex, partner_staff, JUNE, value="60", people=60, disaggregations=cells())

    stored = {(d.category, d.value, d.people) for d in reading.disaggregations.all()}
    assert stored == {("female", Decimal(30), 30), ("male", Decimal(20), 20)}


@pytest.mark.parametrize(
    ("rows", "people", "problem"),
    [
        (cells(), None, "people"),
        ([{"dimension": "age_group", "category": "youth", "value": "5", "people": 5}], 60, "age"),
        ([{"dimension": "sex", "category": "elves", "value": "5", "people": 5}], 60, "elves"),
        (cells(female=("30", 50)), 60, "hold 70 people"),
        (cells(female=("50", 50)), 70, "add up to 70"),
        (cells(female=("N/A", 30)), 60, "is not a number"),
        (cells(female=("30", "many")), 60, "not a number"),
        (cells(female=("30", -1)), 60, "whole number"),
        (cells() + cells()[:1], 60, "one value"),
    ],
)
def test_disaggregated_values_are_checked(by_sex, partner_staff, rows, people, problem):
    error = refused(
        draft,
        indicator=by_sex,
        by=partner_staff,
        end=JUNE,
        value="60",
        people=people,
        disaggregations=rows,
    )

    assert problem in messages(error)
    assert not Reading.objects.exists()
    assert not DisaggregatedValue.objects.exists()


def test_replacing_disaggregated_values_replaces_them_all(by_sex, partner_staff):
    reading = draft(by_sex, partner_staff, JUNE, value="60", people=60, disaggregations=cells())

    services.reading_update(reading=reading, disaggregations=cells()[:1])

    assert list(reading.disaggregations.values_list("category", flat=True)) == ["female"]


def test_a_change_that_breaks_the_disaggregation_is_refused_whole(by_sex, partner_staff):
    reading = draft(by_sex, partner_staff, JUNE, value="60", people=60, disaggregations=cells())

    refused(services.reading_update, reading=reading, value="10")

    reading.refresh_from_db()
    assert reading.value == Decimal(60)
    assert reading.disaggregations.count() == 2


# --- drafts, submission, verification --------------------------------------------------------


def test_a_draft_can_be_changed_and_discarded(indicator, partner_staff):
    reading = draft(indicator, partner_staff, JUNE, value="50")

    services.reading_update(reading=reading, value="55", comment="Recounted")
    reading.refresh_from_db()
    assert (reading.value, reading.comment) == (Decimal(55), "Recounted")
    services.reading_delete(reading=reading)

    assert not Reading.objects.exists()


def test_submitting_makes_the_submitter_the_reporter(indicator, partner_staff, lead):
    reading = draft(indicator, lead, JUNE)

    services.reading_submit(reading=reading, by=partner_staff)

    reading.refresh_from_db()
    assert reading.status == ReadingStatus.SUBMITTED
    assert reading.reported_by == partner_staff
    assert reading.reported_for == indicator.reporting_partner.organisation
    assert reading.submitted_at is not None


def test_a_submitted_reading_is_not_changed_or_discarded(indicator, partner_staff):
    reading = submitted(indicator, partner_staff, JUNE)

    refused(services.reading_update, reading=reading, value="1")
    refused(services.reading_delete, reading=reading)

    reading.refresh_from_db()
    assert reading.value == Decimal(60)


def test_lead_staff_verify_a_partners_reading(indicator, partner_staff, lead):
    reading = verified(indicator, partner_staff, lead, JUNE)

    reading.refresh_from_db()
    assert reading.status == ReadingStatus.VERIFIED
    assert reading.verified_by == lead
    assert reading.verified_at is not None


def test_the_reporter_never_verifies_their_own_reading(indicator, lead, lead_colleague):
    reading = submitted(indicator, lead, JUNE)

    error = refused(services.reading_verify, reading=reading, by=lead)

    assert "You reported this reading" in messages(error)
    services.reading_verify(reading=reading, by=lead_colleague)
    assert reading.status == ReadingStatus.VERIFIED


@pytest.mark.parametrize("who", ["partner_staff", "funder", "outsider", "admin_user"])
def test_only_lead_staff_verify(request, indicator, partner_staff, who):
    reading = submitted(indicator, partner_staff, JUNE)
    user = request.getfixturevalue(who)

    error = refused(services.reading_verify, reading=reading, by=user)

    assert error.code if hasattr(error, "code") else True
    reading.refresh_from_db()
    assert reading.status == ReadingStatus.SUBMITTED


def test_funders_verify_when_the_leads_only_staff_member_reported(indicator, lead, funder):
    reading = submitted(indicator, lead, JUNE)

    services.reading_verify(reading=reading, by=funder)

    assert reading.status == ReadingStatus.VERIFIED
    assert reading.verified_by == funder


def test_funders_do_not_verify_while_another_lead_colleague_can(
    indicator, lead, lead_colleague, funder
):
    reading = submitted(indicator, lead, JUNE)

    refused(services.reading_verify, reading=reading, by=funder)

    reading.refresh_from_db()
    assert reading.status == ReadingStatus.SUBMITTED


def test_staff_of_a_partner_that_is_not_a_funder_never_fall_back(
    partnership, indicator, lead, partner_staff
):
    reading = submitted(indicator, lead, JUNE)

    refused(services.reading_verify, reading=reading, by=partner_staff)


def test_staff_of_a_former_funder_do_not_verify(partnership, indicator, lead, funder):
    funding = partnership.partners.get(role=OrganisationRole.FUNDING)
    funding.left_on = date(2026, 2, 1)
    funding.save()
    reading = submitted(indicator, lead, JUNE)

    refused(services.reading_verify, reading=reading, by=funder)


def test_only_a_submitted_reading_is_verified(indicator, partner_staff, lead):
    reading = draft(indicator, partner_staff, JUNE)

    error = refused(services.reading_verify, reading=reading, by=lead)

    assert "Only a submitted reading" in messages(error)


# --- returns ---------------------------------------------------------------------------------


def test_a_return_needs_a_reason(indicator, partner_staff, lead):
    reading = submitted(indicator, partner_staff, JUNE)

    refused(services.reading_return, reading=reading, by=lead, reason="   ")

    reading.refresh_from_db()
    assert reading.status == ReadingStatus.SUBMITTED


def test_every_return_and_its_reason_stays_in_the_readings_history(indicator, partner_staff, lead):
    from scorecards.selectors import reading_returns

    reading = submitted(indicator, partner_staff, JUNE)
    services.reading_return(reading=reading, by=lead, reason="Attach the attendance sheet.")
    services.reading_update(reading=reading, value="58")
    services.reading_submit(reading=reading, by=partner_staff)
    long_reason = "The sheet shows 58 names but only 52 signatures; " * 4
    services.reading_return(reading=reading, by=lead, reason=long_reason)

    reading.refresh_from_db()
    assert reading.status == ReadingStatus.RETURNED
    assert reading.return_reason == long_reason.strip()
    reasons = [r["reason"] for r in reading_returns(reading)]
    assert reasons == ["Attach the attendance sheet.", long_reason.strip()]
    change_reasons = list(
        reading.history.filter(history_change_reason__isnull=False)
        .order_by("history_date")
        .values_list("history_change_reason", flat=True)
    )
    assert change_reasons[0] == "Attach the attendance sheet."
    assert len(change_reasons[1]) <= 100


def test_the_reporter_does_not_return_their_own_reading(indicator, lead, lead_colleague):
    reading = submitted(indicator, lead, JUNE)

    refused(services.reading_return, reading=reading, by=lead, reason="Oops")


def test_a_returned_reading_is_corrected_and_submitted_again(indicator, partner_staff, lead):
    reading = submitted(indicator, partner_staff, JUNE)
    services.reading_return(reading=reading, by=lead, reason="Wrong quarter")

    services.reading_update(reading=reading, period_start=date(2026, 7, 1), period_end=SEPTEMBER)
    services.reading_submit(reading=reading, by=partner_staff)
    services.reading_verify(reading=reading, by=lead)

    reading.refresh_from_db()
    assert (reading.status, reading.period_end) == (ReadingStatus.VERIFIED, SEPTEMBER)


def test_submitting_tells_the_verifiers_and_returning_tells_the_reporter(
    indicator, partner_staff, lead, lead_colleague, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reading = submitted(indicator, partner_staff, JUNE)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([lead.email, lead_colleague.email])
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.reading_return(reading=reading, by=lead, reason="Attach the attendance sheet.")

    [email] = mailoutbox
    assert email.to == [partner_staff.email]
    assert "Attach the attendance sheet." in email.body


def test_when_the_leads_only_staff_member_reports_the_funders_are_told(
    indicator, lead, funder, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted(indicator, lead, JUNE)

    assert [m.to[0] for m in mailoutbox] == [funder.email]


# --- verified readings are corrected, never edited -------------------------------------------


def test_a_verified_reading_is_never_edited_in_place(indicator, partner_staff, lead):
    reading = verified(indicator, partner_staff, lead, JUNE)

    error = refused(services.reading_update, reading=reading, value="40")

    assert "corrected with a new reading" in messages(error)
    reading.refresh_from_db()
    assert reading.value == Decimal(60)


def test_a_correction_supersedes_the_verified_reading_once_verified(indicator, partner_staff, lead):
    original = verified(indicator, partner_staff, lead, JUNE, comment="First count")

    correction = services.reading_correct(reading=original, by=partner_staff, value="40")
    assert (correction.status, correction.period_end, correction.comment) == (
        ReadingStatus.DRAFT,
        JUNE,
        "First count",
    )
    services.reading_submit(reading=correction, by=partner_staff)
    original.refresh_from_db()
    assert original.status == ReadingStatus.VERIFIED  # until the correction is verified
    services.reading_verify(reading=correction, by=lead)

    original.refresh_from_db()
    assert original.status == ReadingStatus.SUPERSEDED
    assert original.superseded_at is not None
    assert original.superseded_by == correction
    assert original.value == Decimal(60)  # both stay, unchanged
    assert list(Reading.objects.verified()) == [correction]
    assert original.history.latest().status == ReadingStatus.SUPERSEDED


def test_a_returned_correction_leaves_the_verified_reading_as_it_is(indicator, partner_staff, lead):
    original = verified(indicator, partner_staff, lead, JUNE)
    correction = services.reading_correct(reading=original, by=partner_staff, value="40")
    services.reading_submit(reading=correction, by=partner_staff)

    services.reading_return(reading=correction, by=lead, reason="Which count is right?")

    original.refresh_from_db()
    assert original.status == ReadingStatus.VERIFIED


def test_one_correction_at_a_time(indicator, partner_staff, lead):
    original = verified(indicator, partner_staff, lead, JUNE)
    services.reading_correct(reading=original, by=partner_staff, value="40")

    refused(services.reading_correct, reading=original, by=partner_staff, value="45")

    assert Reading.objects.count() == 2


def test_only_verified_readings_are_corrected(indicator, partner_staff):
    reading = submitted(indicator, partner_staff, JUNE)

    refused(services.reading_correct, reading=reading, by=partner_staff, value="40")


def test_a_correction_keeps_the_disaggregated_values_unless_given(by_sex, partner_staff, lead):
    original = verified(
        by_sex, partner_staff, lead, JUNE, value="60", people=60, disaggregations=cells()
    )

    correction = services.reading_correct(reading=original, by=partner_staff, value="55")

    assert correction.disaggregations.count() == 2


# --- the public page cache -------------------------------------------------------------------


@pytest.fixture
def bumps(monkeypatch) -> list:
    """The services' calls of ``pagecache.bump`` (each bumps the public version on commit;
    tests/harambee/test_pagecache.py shows that a bump replaces the cached pages)."""
    calls: list = []
    monkeypatch.setattr(pagecache, "bump", lambda: calls.append("bump"))
    return calls


def test_verifying_correcting_and_revising_bump_the_public_version(
    indicator, partner_staff, lead, bumps
):
    reading = submitted(indicator, partner_staff, JUNE)

    def bumped(call, **kwargs):
        before = len(bumps)
        result = call(**kwargs)
        assert len(bumps) > before, call.__name__
        return result

    bumped(services.reading_verify, reading=reading, by=lead)
    bumped(
        services.target_change,
        target=indicator.targets.get(),
        by=lead,
        date=FINAL_DAY,
        value="90",
        reason=RevisionReason.ADAPTIVE_MANAGEMENT,
    )
    bumped(
        services.baseline_change,
        indicator=indicator,
        by=lead,
        value="0",
        date=date(2025, 12, 31),
        reason=RevisionReason.DATA_CORRECTION,
    )
    correction = services.reading_correct(reading=reading, by=partner_staff, value="50")
    services.reading_submit(reading=correction, by=partner_staff)
    bumped(services.reading_verify, reading=correction, by=lead)


def test_a_reading_for_an_organisation_other_than_the_reporting_partners(
    indicator, lead, partnership
):
    other = OrganisationFactory()
    PartnerFactory(partnership=partnership, organisation=other)

    reading = draft(indicator, lead, JUNE, reported_for=other)

    assert reading.reported_for == other


def test_signed_out_verifiers_are_refused(indicator, partner_staff):
    from django.contrib.auth.models import AnonymousUser

    reading = submitted(indicator, partner_staff, JUNE)

    refused(services.reading_verify, reading=reading, by=AnonymousUser())
    refused(services.reading_verify, reading=reading, by=UserFactory())
