"""The scorecard status: DESIGN.md's fifteen worked cases, their edges, roll-ups and trend.

Pure functions: no database.
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from scorecards.status import (
    IATI_MEASURE_CODES,
    MISSING,
    STATUS_LABELS,
    TREND_LABELS,
    WORST_FIRST,
    FactError,
    IndicatorFacts,
    Measure,
    Point,
    ReadingFact,
    Rollup,
    Status,
    Trend,
    add_months,
    as_percent,
    check_measure,
    check_reading_period,
    check_target,
    check_targets,
    due_date,
    expected_value,
    indicator_status,
    progress_on,
    rollup,
    rollup_by,
    statuses,
    trend_day,
)

D = Decimal
BASELINE_DAY = date(2026, 1, 1)
FINAL_DAY = date(2027, 1, 1)
TODAY = date(2026, 7, 1)
MAR31, JUN30, SEP30, DEC31 = (
    date(2026, 3, 31),
    date(2026, 6, 30),
    date(2026, 9, 30),
    date(2026, 12, 31),
)


def reading(value, period_end, *, verified_on=None, superseded_on=None) -> ReadingFact:
    """A verified reading, verified on its period end unless told otherwise."""
    return ReadingFact(
        period_end=period_end,
        value=None if value is None else D(value),
        verified_on=verified_on or period_end,
        superseded_on=superseded_on,
    )


def indicator(*readings: ReadingFact, **overrides) -> IndicatorFacts:
    """DESIGN.md's worked indicator: ascending, 0 on 2026-01-01 to 100 on 2027-01-01."""
    facts = {
        "key": "worked",
        "measure": Measure.UNIT,
        "has_rubric": False,
        "higher_is_better": True,
        "cumulative": False,
        "baseline": Point(BASELINE_DAY, D(0)),
        "targets": (Point(FINAL_DAY, D(100)),),
        "verified": readings,
    }
    facts.update(overrides)
    if "baseline_value" in facts:
        facts["baseline"] = Point(BASELINE_DAY, D(facts.pop("baseline_value")))
    if "target_value" in facts:
        facts["targets"] = (Point(FINAL_DAY, D(facts.pop("target_value"))),)
    return IndicatorFacts(**facts)


def places(value: Decimal | None, digits: int) -> Decimal | None:
    return None if value is None else value.quantize(Decimal(1).scaleb(-digits))


# --- DESIGN.md's worked cases ----------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One line of a worked case: these readings give this status (and, where quoted, more)."""

    readings: tuple[ReadingFact, ...]
    status: Status
    progress: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class Case:
    outcomes: tuple[Outcome, ...]
    today: date = TODAY
    facts: dict = field(default_factory=dict)
    due: date | None = None
    overdue_from: date | None = None
    expected_value: str | None = None


DESCENDING = {"baseline_value": 40, "target_value": 10, "higher_is_better": False}
HOLD = {"baseline_value": 100, "target_value": 100}
ORDINAL = {"measure": Measure.ORDINAL, "has_rubric": True, "baseline_value": 2, "target_value": 4}
TWO_TARGETS = {"targets": (Point(date(2026, 7, 1), D(40)), Point(FINAL_DAY, D(100)))}
CORRECTED = (
    reading(60, JUN30, verified_on=JUN30, superseded_on=TODAY),
    reading(40, JUN30, verified_on=TODAY),
)

WORKED_CASES = {
    "case-1": Case((Outcome((reading(60, JUN30),), Status.ON_TRACK, "0.60"),)),
    "case-2": Case((Outcome((reading(45, JUN30),), Status.AT_RISK, "0.45"),)),
    "case-3": Case((Outcome((reading(30, JUN30),), Status.OFF_TRACK, "0.30"),)),
    "case-4": Case((Outcome((reading(25, JUN30),), Status.ON_TRACK, "0.50"),), facts=DESCENDING),
    "case-5": Case(
        (
            Outcome((reading(100, JUN30),), Status.ACHIEVED),
            Outcome((reading(90, JUN30),), Status.OFF_TRACK),
        ),
        facts=HOLD,
    ),
    "case-6": Case((Outcome((reading(80, DEC31),), Status.NOT_ACHIEVED),), today=date(2027, 2, 1)),
    "case-7": Case((Outcome((reading(100, MAR31),), Status.ACHIEVED),)),
    "case-8": Case(
        (Outcome((reading(50, MAR31),), Status.OVERDUE),),
        today=date(2026, 8, 15),
        due=JUN30,
        overdue_from=JUN30 + timedelta(days=31),
    ),
    "case-9": Case((Outcome((), Status.NO_DATA),), today=date(2026, 3, 15), due=date(2026, 4, 1)),
    "case-10": Case((Outcome((reading(3, JUN30),), Status.ON_TRACK, "0.50"),), facts=ORDINAL),
    "case-11": Case(
        (Outcome((reading(20, MAR31), reading(25, JUN30)), Status.AT_RISK, "0.45", "45"),),
        facts={"cumulative": True},
    ),
    "case-12": Case((Outcome(CORRECTED, Status.AT_RISK, "0.40", "40"),)),
    "case-13": Case(
        (Outcome((reading(20, MAR31), reading(30, JUN30)), Status.ON_TRACK, "0.50", "100"),),
        facts={"cumulative": True, "baseline_value": 50, "target_value": 150},
    ),
    "case-14": Case(
        (
            Outcome((reading(75, SEP30),), Status.ON_TRACK),
            Outcome((reading(65, SEP30),), Status.AT_RISK),
            Outcome((reading(55, SEP30),), Status.OFF_TRACK),
        ),
        today=date(2026, 10, 1),
        facts=TWO_TARGETS,
        expected_value="70",
    ),
    "case-15": Case(
        (Outcome((), Status.OVERDUE),),
        due=date(2026, 4, 1),
        overdue_from=date(2026, 4, 1) + timedelta(days=31),
    ),
}


@pytest.mark.parametrize("case", WORKED_CASES.values(), ids=WORKED_CASES.keys())
def test_it_gives_the_status_of_each_worked_case_in_design_md(case):
    for outcome in case.outcomes:
        result = indicator_status(indicator(*outcome.readings, **case.facts), case.today)
        seen = [r.value for r in outcome.readings]

        assert result.status == outcome.status, f"readings {seen}"
        if outcome.progress is not None:
            assert places(result.progress, 2) == D(outcome.progress), f"readings {seen}"
        if outcome.value is not None:
            assert result.value == D(outcome.value), f"readings {seen}"
        if case.due is not None:
            assert result.due == case.due
        if case.overdue_from is not None:
            assert result.overdue_from == case.overdue_from
        if case.expected_value is not None:
            assert result.expected_value == D(case.expected_value)


def test_the_worked_expected_progress_is_181_days_of_365():
    result = indicator_status(indicator(reading(60, JUN30)), TODAY)

    assert result.expected_progress == D(181) / D(365)
    assert places(result.expected_progress, 3) == D("0.496")
    assert places(result.expected_value, 2) == D("49.59")


def test_the_at_risk_edges_are_those_of_the_worked_cases():
    # 0.45 and 0.40 sit above expected progress minus the band, 0.396 (0.3958... unrounded).
    threshold = D(181) / D(365) - D("0.10")
    assert places(threshold, 3) == D("0.396")
    assert indicator_status(indicator(reading("39.59", JUN30)), TODAY).status == Status.AT_RISK
    assert indicator_status(indicator(reading("39.58", JUN30)), TODAY).status == Status.OFF_TRACK


def test_short_by_exactly_the_band_is_at_risk():
    two_targets = indicator(reading(60, SEP30), **TWO_TARGETS)

    assert indicator_status(two_targets, date(2026, 10, 1)).status == Status.AT_RISK
    short = replace(two_targets, verified=(reading("59.99", SEP30),))
    assert indicator_status(short, date(2026, 10, 1)).status == Status.OFF_TRACK


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 2, 28), 1, date(2026, 3, 31)),
        (date(2028, 2, 28), 1, date(2028, 3, 28)),  # a leap year: not the month end
        (date(2028, 2, 29), 1, date(2028, 3, 31)),
        (date(2026, 3, 31), 3, date(2026, 6, 30)),
        (date(2026, 6, 30), 3, date(2026, 9, 30)),
        (date(2026, 4, 30), 1, date(2026, 5, 31)),
        (date(2026, 1, 30), 1, date(2026, 2, 28)),
        (date(2026, 3, 30), 1, date(2026, 4, 30)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 1, 1), 12, date(2027, 1, 1)),
        (date(2026, 7, 1), -3, date(2026, 4, 1)),
        (date(2026, 6, 30), -3, date(2026, 3, 31)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
    ],
)
def test_calendar_months_keep_a_month_end_a_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(("cadence", "due"), [(1, date(2026, 7, 31)), (6, DEC31), (12, None)])
def test_the_due_date_follows_the_cadence_in_calendar_months(cadence, due):
    facts = indicator(reading(60, JUN30), cadence_months=cadence)

    assert due_date(facts, TODAY) == due  # a year after June 30 is past the final target


def test_before_the_baseline_date_the_path_is_the_baseline_and_nothing_is_due_yet():
    result = indicator_status(indicator(), date(2025, 11, 1))

    assert result.status == Status.NO_DATA
    assert result.expected_value == D(0)
    assert result.expected_progress == D(0)
    assert result.due == date(2026, 4, 1)
    assert result.overdue_from == date(2026, 5, 2)
    assert expected_value(indicator(), BASELINE_DAY) == D(0)


def test_a_submitted_reading_stops_the_due_clock_for_its_reporter():
    waiting = indicator(last_reported_end=JUN30)  # submitted, not verified yet
    never = indicator()

    assert indicator_status(never, date(2026, 8, 15)).status == Status.OVERDUE
    result = indicator_status(waiting, date(2026, 8, 15))
    assert result.status == Status.NO_DATA  # only verified readings give values
    assert result.due == SEP30
    assert result.value is None


def test_overdue_starts_the_day_after_due_plus_grace():
    facts = indicator(reading(80, MAR31))  # due June 30
    last_grace_day = JUN30 + timedelta(days=30)

    assert indicator_status(facts, last_grace_day).status == Status.ON_TRACK
    assert indicator_status(facts, last_grace_day + timedelta(days=1)).status == Status.OVERDUE
    assert indicator_status(facts, date(2026, 7, 20), grace_days=10).status == Status.OVERDUE


def test_nothing_is_due_after_the_final_target_date():
    last = indicator(reading(60, DEC31), cadence_months=3)
    on_the_day = indicator_status(last, FINAL_DAY)

    assert on_the_day.due is None  # March 31, 2027 would be after the final target date
    assert on_the_day.overdue_from is None
    missing_last = indicator(reading(60, SEP30))
    assert indicator_status(missing_last, FINAL_DAY).due == DEC31
    late = indicator_status(missing_last, date(2027, 6, 1))
    assert (late.status, late.due, late.overdue_from) == (Status.NOT_ACHIEVED, None, None)


def test_the_final_target_date_itself_is_not_after_it():
    assert indicator_status(indicator(reading(95, DEC31)), FINAL_DAY).status == Status.AT_RISK
    after = indicator_status(indicator(reading(95, DEC31)), FINAL_DAY + timedelta(days=1))
    assert after.status == Status.NOT_ACHIEVED


def test_a_last_reading_verified_after_the_final_target_date_still_counts():
    late_verified = indicator(reading(100, DEC31, verified_on=date(2027, 1, 20)))

    assert indicator_status(late_verified, date(2027, 1, 10)).status == Status.NOT_ACHIEVED
    assert indicator_status(late_verified, date(2027, 2, 1)).status == Status.ACHIEVED


def test_after_the_final_target_date_readings_for_later_periods_do_not_count():
    facts = indicator(reading(80, DEC31), reading(100, date(2027, 3, 31)))
    result = indicator_status(facts, date(2027, 4, 15))

    assert (result.status, result.value) == (Status.NOT_ACHIEVED, D(80))


def test_after_the_final_target_date_no_reading_is_not_achieved():
    assert indicator_status(indicator(), date(2027, 2, 1)).status == Status.NOT_ACHIEVED


def test_a_cumulative_indicator_that_met_its_target_is_never_overdue():
    met = indicator(reading(60, MAR31), reading(45, date(2026, 4, 30)), cumulative=True)
    result = indicator_status(met, date(2026, 10, 1))

    assert result.status == Status.ACHIEVED
    assert result.due == date(2026, 7, 31)
    assert result.overdue_from is None
    level = replace(met, cumulative=False, verified=(reading(100, MAR31),))
    assert indicator_status(level, date(2026, 10, 1)).status == Status.OVERDUE


def test_achieved_is_not_sticky_for_a_level_indicator():
    facts = indicator(reading(100, MAR31), reading(40, JUN30))

    assert indicator_status(facts, date(2026, 4, 1)).status == Status.ACHIEVED
    assert indicator_status(facts, TODAY).status == Status.AT_RISK


# --- readings --------------------------------------------------------------------------------


def test_drafts_and_returned_readings_are_never_given_so_they_give_no_value():
    assert indicator_status(indicator(), date(2026, 3, 15)).value is None


def test_a_reading_counts_from_the_day_it_is_verified():
    facts = indicator(reading(60, JUN30, verified_on=date(2026, 7, 10)), last_reported_end=JUN30)

    assert indicator_status(facts, TODAY).status == Status.NO_DATA
    assert indicator_status(facts, date(2026, 7, 10)).status == Status.ON_TRACK


def test_a_reading_with_no_value_stops_the_clock_but_gives_no_value():
    missing = indicator(reading(None, JUN30))
    result = indicator_status(missing, date(2026, 8, 15))

    assert (result.status, result.value, result.due) == (Status.NO_DATA, None, SEP30)
    with_earlier = indicator(reading(50, MAR31), reading(None, JUN30))
    assert indicator_status(with_earlier, TODAY).value == D(50)


def test_the_latest_period_gives_a_level_value_whatever_the_order_given():
    facts = indicator(reading(60, JUN30), reading(20, MAR31))

    assert indicator_status(facts, TODAY).value == D(60)


def test_a_level_indicators_value_can_fall_below_its_baseline():
    result = indicator_status(indicator(reading(-5, JUN30)), TODAY)

    assert result.progress == D("-0.05")
    assert result.status == Status.OFF_TRACK


@pytest.mark.parametrize(
    ("period_end", "refused"), [(date(2025, 12, 31), True), (BASELINE_DAY, False)]
)
def test_a_reading_for_a_period_ending_before_the_baseline_is_refused(period_end, refused):
    if refused:
        with pytest.raises(FactError) as error:
            check_reading_period(BASELINE_DAY, period_end)
        assert set(error.value.errors) == {"period_end"}
    else:
        check_reading_period(BASELINE_DAY, period_end)


def test_readings_left_before_a_revised_baseline_are_ignored():
    revised = indicator(
        reading(30, MAR31),
        reading(20, JUN30),
        cumulative=True,
        baseline=Point(date(2026, 4, 1), D(30)),
    )

    assert indicator_status(revised, TODAY).value == D(50)


# --- special cases ---------------------------------------------------------------------------


def test_a_level_to_hold_has_no_progress():
    held = indicator_status(indicator(reading(100, JUN30), **HOLD), TODAY)
    lost = indicator_status(indicator(reading(90, JUN30), **HOLD), TODAY)

    assert (held.status, held.progress, held.expected_progress) == (Status.ACHIEVED, None, None)
    assert (lost.status, lost.progress, lost.trend) == (Status.OFF_TRACK, None, None)
    assert indicator_status(indicator(**HOLD), TODAY).status == Status.OVERDUE
    assert indicator_status(indicator(reading(90, DEC31), **HOLD), date(2027, 2, 1)).status == (
        Status.NOT_ACHIEVED
    )


QUALITATIVE = {"measure": Measure.QUALITATIVE, "has_rubric": False}


@pytest.mark.parametrize(
    ("readings", "today", "status"),
    [
        ((), date(2026, 3, 15), Status.NO_DATA),
        ((), TODAY, Status.OVERDUE),
        ((reading(None, MAR31),), TODAY, Status.REPORTED),
        ((reading(None, MAR31),), date(2026, 8, 15), Status.OVERDUE),
        ((reading(None, JUN30),), date(2027, 6, 1), Status.REPORTED),
        ((), date(2027, 6, 1), Status.NO_DATA),
    ],
)
def test_a_qualitative_indicator_without_a_rubric_is_reported_overdue_or_no_data(
    readings, today, status
):
    result = indicator_status(indicator(*readings, **QUALITATIVE), today)

    assert result.status == status
    assert (result.value, result.progress, result.expected_value, result.trend) == (
        None,
        None,
        None,
        None,
    )


def test_a_qualitative_indicator_with_a_rubric_is_judged_by_its_levels():
    rubric = {**ORDINAL, "measure": Measure.QUALITATIVE}

    assert indicator_status(indicator(reading(3, JUN30), **rubric), TODAY).status == Status.ON_TRACK
    assert (
        indicator_status(indicator(reading(2, JUN30), **rubric), TODAY).status == Status.OFF_TRACK
    )
    assert indicator_status(indicator(reading(4, JUN30), **rubric), TODAY).status == Status.ACHIEVED


NOMINAL = {"measure": Measure.NOMINAL, "baseline_value": 0, "target_value": 1}


@pytest.mark.parametrize(
    ("readings", "today", "status"),
    [
        ((reading(1, JUN30),), TODAY, Status.ACHIEVED),
        ((reading(0, JUN30),), TODAY, Status.REPORTED),
        ((reading(2, JUN30),), TODAY, Status.REPORTED),  # another category, not "more"
        ((reading(1, MAR31),), date(2026, 8, 15), Status.OVERDUE),
        ((), date(2026, 3, 15), Status.NO_DATA),
        (
            (reading(0, DEC31),),
            date(2027, 2, 1),
            Status.NOT_ACHIEVED,
        ),  # a missed target is a failure
        ((reading(1, DEC31),), date(2027, 2, 1), Status.ACHIEVED),
        ((), date(2027, 2, 1), Status.NOT_ACHIEVED),
    ],
)
def test_a_nominal_indicator_is_achieved_when_its_latest_value_equals_the_target(
    readings, today, status
):
    result = indicator_status(indicator(*readings, **NOMINAL), today)

    assert result.status == status
    assert (result.progress, result.expected_value, result.trend) == (None, None, None)


def test_an_indicator_without_a_target_yet_is_reported_overdue_or_no_data():
    facts = indicator(reading(5, MAR31), targets=())

    assert indicator_status(facts, TODAY).status == Status.REPORTED
    assert indicator_status(facts, date(2026, 8, 15)).status == Status.OVERDUE
    assert indicator_status(replace(facts, verified=()), date(2026, 3, 1)).status == Status.NO_DATA


def test_rubric_levels_and_nominal_values_never_add_up():
    ordinal = indicator(reading(3, MAR31), reading(3, JUN30), cumulative=True, **ORDINAL)

    assert indicator_status(ordinal, TODAY).value == D(3)
    with pytest.raises(FactError) as error:
        check_measure(measure=Measure.ORDINAL, cumulative=True)
    assert set(error.value.errors) == {"cumulative"}
    check_measure(measure=Measure.PERCENTAGE, cumulative=True)
    check_measure(measure=Measure.NOMINAL, cumulative=False)


# --- targets at entry ------------------------------------------------------------------------

BASE = Point(BASELINE_DAY, D(40))


@pytest.mark.parametrize(
    ("target", "higher_is_better", "fields"),
    [
        (Point(FINAL_DAY, D(30)), True, {"value"}),
        (Point(FINAL_DAY, D(50)), False, {"value"}),
        (Point(BASELINE_DAY, D(50)), True, {"day"}),
        (Point(date(2025, 6, 1), D(50)), True, {"day"}),
        (Point(BASELINE_DAY, D(30)), True, {"day", "value"}),
    ],
)
def test_a_target_on_the_wrong_side_or_not_after_the_baseline_is_refused(
    target, higher_is_better, fields
):
    with pytest.raises(FactError) as error:
        check_target(
            baseline=BASE, target=target, higher_is_better=higher_is_better, measure=Measure.UNIT
        )

    assert set(error.value.errors) == fields
    assert isinstance(error.value, ValueError)
    assert all(str(message) for message in error.value.errors.values())


@pytest.mark.parametrize(
    ("value", "higher_is_better", "measure", "has_rubric"),
    [
        (60, True, Measure.UNIT, True),
        (20, False, Measure.PERCENTAGE, True),
        (40, True, Measure.UNIT, True),  # equal: a level to hold
        (40, False, Measure.ORDINAL, True),
        (10, True, Measure.NOMINAL, False),  # categories have no side
        (10, True, Measure.QUALITATIVE, False),
    ],
)
def test_a_target_after_the_baseline_on_its_side_is_accepted(
    value, higher_is_better, measure, has_rubric
):
    check_target(
        baseline=BASE,
        target=Point(FINAL_DAY, D(value)),
        higher_is_better=higher_is_better,
        measure=measure,
        has_rubric=has_rubric,
    )


def test_two_targets_cannot_share_a_date():
    targets = [Point(TODAY, D(50)), Point(TODAY, D(60))]

    with pytest.raises(FactError) as error:
        check_targets(baseline=BASE, targets=targets, higher_is_better=True, measure=Measure.UNIT)
    assert set(error.value.errors) == {"targets"}
    check_targets(
        baseline=BASE,
        targets=[targets[0], Point(FINAL_DAY, D(60))],
        higher_is_better=True,
        measure=Measure.UNIT,
    )


def test_the_path_runs_through_the_targets_in_date_order():
    facts = indicator(targets=(Point(FINAL_DAY, D(100)), Point(TODAY, D(40))))

    assert expected_value(facts, TODAY) == D(40)
    assert expected_value(facts, date(2026, 10, 1)) == D(70)
    assert expected_value(facts, date(2030, 1, 1)) == D(100)
    assert facts.final_target == Point(FINAL_DAY, D(100))


# --- roll-ups --------------------------------------------------------------------------------


def test_an_outcome_and_its_partnership_carry_counts_and_their_worst_status():
    on_track = indicator(reading(60, JUN30), key="on")
    at_risk = indicator(reading(45, JUN30), key="risk")
    achieved = indicator(reading(100, JUN30), key="done")
    overdue = indicator(key="late")
    off_track = indicator(reading(30, JUN30), key="off")
    results = statuses([on_track, at_risk, achieved, overdue, off_track], TODAY)

    outcomes = rollup_by(results, {"skills": ["on", "risk", "done"], "access": ["late", "off"]})
    partnership = rollup(results.values())

    assert outcomes["skills"] == Rollup(
        {Status.AT_RISK: 1, Status.ON_TRACK: 1, Status.ACHIEVED: 1}, Status.AT_RISK
    )
    assert outcomes["access"].worst == Status.OFF_TRACK
    assert outcomes["access"].counts == {Status.OFF_TRACK: 1, Status.OVERDUE: 1}
    assert partnership.worst == Status.OFF_TRACK
    assert partnership.total == 5
    assert list(partnership.counts) == [
        Status.OFF_TRACK,
        Status.OVERDUE,
        Status.AT_RISK,
        Status.ON_TRACK,
        Status.ACHIEVED,
    ]


def test_the_worst_status_follows_design_mds_order():
    assert WORST_FIRST == (
        Status.NOT_ACHIEVED,
        Status.OFF_TRACK,
        Status.OVERDUE,
        Status.AT_RISK,
        Status.NO_DATA,
        Status.REPORTED,
        Status.ON_TRACK,
        Status.ACHIEVED,
    )
    for worse, better in zip(WORST_FIRST, WORST_FIRST[1:], strict=False):
        assert rollup([better, worse, better]).worst == worse
    assert rollup([Status.REPORTED, Status.NO_DATA]).counts == {
        Status.NO_DATA: 1,
        Status.REPORTED: 1,
    }


def test_an_outcome_without_indicators_has_no_worst_status():
    assert rollup([]) == Rollup({}, None)
    assert rollup([]).total == 0


# --- trend -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "trend"),
    [
        (D("0.59"), Trend.BETTER),  # exactly 0.01 better
        (D("0.595"), Trend.SAME),
        (D("0.605"), Trend.SAME),
        (D("0.61"), Trend.WORSE),
        (D("0.10"), Trend.BETTER),
        (None, None),  # a snapshot without progress
    ],
)
def test_the_trend_compares_with_the_snapshot_one_cadence_earlier(earlier, trend):
    facts = indicator(reading(60, JUN30))

    assert indicator_status(facts, TODAY, earlier_progress=earlier).trend == trend


def test_without_a_snapshot_the_trend_is_recomputed_from_readings_verified_by_then():
    facts = indicator(reading(30, MAR31, verified_on=date(2026, 4, 10)), reading(60, JUN30))

    assert trend_day(facts, date(2026, 7, 15)) == date(2026, 4, 15)
    assert progress_on(facts, date(2026, 4, 15)) == D("0.3")
    assert indicator_status(facts, date(2026, 7, 15)).trend == Trend.BETTER


def test_a_reading_verified_after_the_earlier_day_is_not_part_of_it():
    # The March reading was only verified in May: on April 15 there was no progress yet.
    facts = indicator(reading(30, MAR31, verified_on=date(2026, 5, 2)), reading(60, JUN30))

    assert progress_on(facts, date(2026, 4, 15)) is None
    assert indicator_status(facts, date(2026, 7, 15)).trend is None
    assert indicator_status(facts, date(2026, 8, 15)).trend == Trend.BETTER


def test_a_reading_superseded_after_the_earlier_day_still_counts_for_it():
    # 60 for June was verified on July 1 and corrected to 40 on September 1.
    facts = indicator(
        reading(60, JUN30, verified_on=TODAY, superseded_on=date(2026, 9, 1)),
        reading(40, JUN30, verified_on=date(2026, 9, 1)),
    )
    today = date(2026, 10, 5)

    assert progress_on(facts, trend_day(facts, today)) == D("0.6")
    result = indicator_status(facts, today)
    assert (result.progress, result.trend) == (D("0.4"), Trend.WORSE)


def test_a_steady_indicator_has_the_same_trend_and_descending_ones_improve_downwards():
    steady = indicator(reading(50, MAR31), reading("50.5", JUN30))
    falling = indicator(reading(35, MAR31), reading(25, JUN30), **DESCENDING)

    assert indicator_status(steady, date(2026, 7, 15)).trend == Trend.SAME
    assert indicator_status(falling, date(2026, 7, 15)).trend == Trend.BETTER


def test_statuses_takes_snapshots_where_they_exist_and_recomputes_the_rest():
    with_snapshot = indicator(reading(60, JUN30), key="a")
    without = indicator(reading(30, MAR31), reading(60, JUN30), key="b")

    results = statuses([with_snapshot, without], date(2026, 7, 15), earlier={"a": D("0.9")})

    assert results["a"].trend == Trend.WORSE
    assert results["b"].trend == Trend.BETTER


# --- many at once, and properties ------------------------------------------------------------


def _a_spread_of_indicators() -> list[IndicatorFacts]:
    variants = [
        {},
        DESCENDING,
        HOLD,
        ORDINAL,
        QUALITATIVE,
        NOMINAL,
        TWO_TARGETS,
        {"cumulative": True},
    ]
    values = [None, 0, 20, 45, 60, 100]
    found = []
    for v, variant in enumerate(variants):
        for w, value in enumerate(values):
            readings = () if value is None else (reading(value, MAR31), reading(value, JUN30))
            found.append(indicator(*readings, key=(v, w), **variant))
    return found


@pytest.mark.parametrize("today", [date(2025, 12, 1), TODAY, date(2026, 8, 15), date(2027, 3, 1)])
def test_statuses_of_many_equal_each_indicators_own(today):
    many = _a_spread_of_indicators()
    earlier = {facts.key: D("0.2") for facts in many[::3]}

    results = statuses(many, today, grace_days=20, earlier=earlier)

    assert list(results) == [facts.key for facts in many]
    for facts in many:
        alone = indicator_status(
            facts, today, grace_days=20, earlier_progress=earlier.get(facts.key, MISSING)
        )
        assert results[facts.key] == alone


def test_statuses_refuses_a_key_given_twice():
    with pytest.raises(ValueError):
        statuses([indicator(), indicator()], TODAY)


@pytest.mark.parametrize("value", ["-20", "0", "30", "39.6", "45", "49.6", "60", "100", "120"])
@pytest.mark.parametrize("today", [date(2025, 12, 1), TODAY, date(2026, 10, 1), date(2027, 2, 1)])
def test_a_mirrored_descending_indicator_has_the_same_progress_and_status(value, today):
    """Flip baseline, targets and readings around zero: lower is better, same story."""
    up = indicator(reading(value, MAR31), **TWO_TARGETS)
    down = replace(
        up,
        higher_is_better=False,
        baseline=Point(up.baseline.day, -up.baseline.value),
        targets=tuple(Point(t.day, -t.value) for t in up.targets),
        verified=tuple(replace(r, value=-r.value) for r in up.verified),
    )

    ascending, descending = indicator_status(up, today), indicator_status(down, today)

    assert descending.progress == ascending.progress
    assert descending.expected_progress == ascending.expected_progress
    assert descending.status == ascending.status
    assert descending.value == (None if ascending.value is None else -ascending.value)


@pytest.mark.parametrize("shift", ["-50", "0", "7.5", "1000"])
def test_progress_and_status_do_not_depend_on_where_the_scale_starts(shift):
    base = indicator(reading(45, JUN30))
    moved = replace(
        base,
        baseline=Point(base.baseline.day, base.baseline.value + D(shift)),
        targets=tuple(Point(t.day, t.value + D(shift)) for t in base.targets),
        verified=tuple(replace(r, value=r.value + D(shift)) for r in base.verified),
    )

    assert indicator_status(moved, TODAY).progress == indicator_status(base, TODAY).progress
    assert indicator_status(moved, TODAY).status == Status.AT_RISK


def test_expected_progress_never_falls_along_a_rising_path():
    facts = indicator(**TWO_TARGETS)
    days = [BASELINE_DAY + timedelta(days=n) for n in range(-10, 400, 7)]
    path = [indicator_status(facts, day).expected_progress for day in days]

    assert path == sorted(path)
    assert path[0] == D(0)
    assert path[-1] == D(1)


# --- labels and codes ------------------------------------------------------------------------


def test_every_status_and_trend_has_a_label():
    assert set(STATUS_LABELS) == set(Status)
    assert set(TREND_LABELS) == set(Trend)
    assert str(STATUS_LABELS[Status.AT_RISK]) == "At risk"
    assert str(TREND_LABELS[Trend.SAME]) == "No change"


def test_measures_use_the_iati_indicator_measure_codes():
    assert IATI_MEASURE_CODES == {
        Measure.UNIT: 1,
        Measure.PERCENTAGE: 2,
        Measure.NOMINAL: 3,
        Measure.ORDINAL: 4,
        Measure.QUALITATIVE: 5,
    }
    assert Measure.from_iati("4") is Measure.ORDINAL
    assert Measure.QUALITATIVE.iati_code == 5
    with pytest.raises(ValueError):
        Measure.from_iati(9)


@pytest.mark.parametrize(
    ("progress", "digits", "shown"),
    [
        (D(181) / D(365), 0, D(50)),
        (D(181) / D(365), 1, D("49.6")),
        (D("0.125"), 1, D("12.5")),
        (D("0.0005"), 1, D("0.1")),
        (None, 0, None),
    ],
)
def test_progress_is_rounded_for_display_only(progress, digits, shown):
    assert as_percent(progress, digits) == shown


def test_facts_refuse_a_cadence_under_a_month_or_a_negative_band():
    with pytest.raises(ValueError):
        indicator(cadence_months=0)
    with pytest.raises(ValueError):
        indicator(band=D("-0.1"))
