"""Scorecard status: the one definition of an indicator's status, progress, due date and trend.

Pages, the daily recheck job, the API and the exports all call this module, so a status is
computed in exactly one way (Akvo RSR's wrong cumulative totals came from several
calculators doing the same sum). It is pure, like ``communities/disclosure.py``: plain
dataclasses in, plain dataclasses out, no ORM and no settings. The caller turns model rows
into :class:`IndicatorFacts` and passes the grace period from the settings. It works over
many indicators at once (:func:`statuses`), so a page or the job loads the rows in a fixed
number of queries and computes everything in memory.

The rules are those of ../shared/DESIGN.md, "Scorecard status". Where the design leaves an
edge open, this module decides it as follows.

Readings and value
------------------
* Only verified readings count, and only "as of" the day asked about: a reading counts on
  day D when it was verified on or before D and not superseded on or before D. So today's
  status and the recomputation of an earlier day (for the trend) are the same function, and
  a reading verified after that earlier day, or superseded before it, is treated right.
* A reading with no value (a missing value is a distinct state, not zero) is a report that
  stops the due clock but gives no value. A level indicator's value is the latest verified
  reading that has a value (by period end; equal period ends: the later verified one, then
  the later in the given order). A cumulative indicator's value is the baseline plus the sum
  of the values. With no verified reading that has a value, the value is None.
* Only unit and percentage indicators add up. Rubric levels (ordinal, qualitative with a
  rubric) and nominal values are always levels, whatever the "cumulative" flag says
  (:func:`check_measure` refuses the combination at entry).
* Readings for periods ending before the baseline date are refused at entry
  (:func:`check_reading_period`); should a baseline revision leave some behind, they are
  ignored, since the new baseline already accounts for them.
* After the final target date only readings for periods ending on or before that date
  count: the target was set for that date. A reading for such a period still counts when
  it is verified later ("a reading for a period up to that date still counts").

Expected path and progress
--------------------------
* Days are whole days: the expected value on day D between two points of the path is
  ``start + (end - start) * (D - start day) / (end day - start day)``, computed in
  Decimal (181/365 in the worked case). Before the baseline date it is the baseline, after
  the final target date the final target. The path runs through every target in date order.
* Progress is ``(value - baseline) / (final target - baseline)``, unrounded; round it only
  for display (:func:`as_percent`). It is None without a value, for a level to hold
  (baseline equal to final target), and for nominal and rubric-less qualitative indicators.
* "Meets" is ``>=`` when higher is better and ``<=`` when lower is better. "Falls short by
  no more than band x |final target - baseline|" is inclusive: short by exactly the band is
  at risk.

Due and overdue
---------------
* The due clock starts at the latest period end among the submitted or verified readings
  (``IndicatorFacts.last_reported_end``, together with the counting verified readings, so a
  caller that forgets one still gets a sound date), or at the baseline date when there is
  none or when they all end before it. The due date is one cadence later, in calendar
  months (:func:`add_months`: a month end stays a month end).
* Overdue means today is past ``due + grace days``: ``overdue_from`` is the first overdue
  day, ``due + grace + 1``. On ``due + grace`` itself the reading is not yet overdue.
* Nothing is due after the final target date: there is no due date when the next one
  would fall after it, nor once today is after it.
* A cumulative indicator whose value already meets its final target keeps its due date
  (reports are still welcome) but never becomes overdue: ``overdue_from`` is None.

Status
------
"After the final target date" means ``today > final target date``; on that date itself
the usual rules apply, with the final target as the expected value. Rule order, special
cases and roll-ups are exactly DESIGN.md's. The special cases read as follows:

* Level to hold: rules 1-4 apply, otherwise off track; there is no progress to show.
* Qualitative without a rubric: overdue, else reported once a reading counts, else no data.
  After the final target date nothing is due, so reported or no data.
* Nominal: achieved when the latest value equals the final target, else overdue, reported
  or no data, in the general order (overdue before achieved, as rules 2 and 3). After the
  final target date rule 1 holds for nominal indicators too: achieved if the latest value
  equals the final target, else not achieved, so a missed target is never shown as merely
  "reported".
* An indicator without any target yet (being set up) has no yardstick and is treated like
  a qualitative one without a rubric, its due clock running from the baseline.

Trend
-----
The trend compares today's progress with the progress one cadence earlier
(:func:`trend_day`): that day's snapshot where the caller has one, else a recomputation
as of that day (readings verified by then and not superseded by then; baseline and targets
as they are now). A change of at least 0.01 is better or worse (progress grows towards
the target for both directions), anything less is the same. Without progress today or
then, there is no trend.
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from itertools import pairwise
from typing import Literal, TypeVar

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DEFAULT_BAND = Decimal("0.10")
DEFAULT_CADENCE_MONTHS = 3
DEFAULT_GRACE_DAYS = 30
TREND_STEP = Decimal("0.01")

K = TypeVar("K", bound=Hashable)
G = TypeVar("G", bound=Hashable)


class Status(StrEnum):
    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"
    OVERDUE = "overdue"
    NO_DATA = "no_data"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    REPORTED = "reported"


WORST_FIRST: tuple[Status, ...] = (
    Status.NOT_ACHIEVED,
    Status.OFF_TRACK,
    Status.OVERDUE,
    Status.AT_RISK,
    Status.NO_DATA,
    Status.REPORTED,
    Status.ON_TRACK,
    Status.ACHIEVED,
)

STATUS_LABELS = {
    Status.ACHIEVED: _("Achieved"),
    Status.NOT_ACHIEVED: _("Not achieved"),
    Status.OVERDUE: _("Overdue"),
    Status.NO_DATA: _("No data"),
    Status.ON_TRACK: _("On track"),
    Status.AT_RISK: _("At risk"),
    Status.OFF_TRACK: _("Off track"),
    Status.REPORTED: _("Reported"),
}


class Trend(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    SAME = "same"


TREND_LABELS = {
    Trend.BETTER: _("Improving"),
    Trend.WORSE: _("Worsening"),
    Trend.SAME: _("No change"),
}


class Measure(StrEnum):
    """IATI 2.03 IndicatorMeasure; :data:`IATI_MEASURE_CODES` gives the codes."""

    UNIT = "unit"
    PERCENTAGE = "percentage"
    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    QUALITATIVE = "qualitative"

    @property
    def iati_code(self) -> int:
        return IATI_MEASURE_CODES[self]

    @classmethod
    def from_iati(cls, code: int | str) -> Measure:
        """The measure of an IATI IndicatorMeasure code (1-5, as an int or a string)."""
        for measure, iati in IATI_MEASURE_CODES.items():
            if str(iati) == str(code).strip():
                return measure
        raise ValueError(f"Unknown IATI IndicatorMeasure code {code!r}.")


IATI_MEASURE_CODES: dict[Measure, int] = {
    Measure.UNIT: 1,
    Measure.PERCENTAGE: 2,
    Measure.NOMINAL: 3,
    Measure.ORDINAL: 4,
    Measure.QUALITATIVE: 5,
}
ADDING_MEASURES = frozenset({Measure.UNIT, Measure.PERCENTAGE})


class _Missing(enum.Enum):
    MISSING = enum.auto()


MISSING = _Missing.MISSING


# --- facts in, status out --------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    day: date
    value: Decimal


@dataclass(frozen=True)
class ReadingFact:
    """A verified reading; a superseded one too, with the day it was superseded."""

    period_end: date
    value: Decimal | None
    verified_on: date
    superseded_on: date | None = None

    def counts_on(self, day: date) -> bool:
        """True when the reading was verified by ``day`` and not yet superseded on it."""
        return self.verified_on <= day and (self.superseded_on is None or self.superseded_on > day)


@dataclass(frozen=True)
class IndicatorFacts:
    key: Hashable
    measure: Measure
    has_rubric: bool
    higher_is_better: bool
    cumulative: bool
    baseline: Point
    targets: tuple[Point, ...]
    band: Decimal = DEFAULT_BAND
    cadence_months: int = DEFAULT_CADENCE_MONTHS
    verified: tuple[ReadingFact, ...] = ()
    # Period end of the last submitted or verified (not superseded) reading: stops the clock.
    last_reported_end: date | None = None

    def __post_init__(self) -> None:
        if self.cadence_months < 1:
            raise ValueError(f"A cadence is at least one month, not {self.cadence_months}.")
        if self.band < 0:
            raise ValueError(f"The at-risk band cannot be negative, got {self.band}.")

    @property
    def final_target(self) -> Point | None:
        """The target with the latest date (None while the indicator has no target)."""
        return max(self.targets, key=lambda point: point.day, default=None)

    @property
    def adds_up(self) -> bool:
        """True when the value is the baseline plus the sum of the readings."""
        return self.cumulative and self.measure in ADDING_MEASURES


@dataclass(frozen=True)
class IndicatorStatus:
    status: Status
    value: Decimal | None
    progress: Decimal | None  # unrounded; see as_percent
    expected_value: Decimal | None
    expected_progress: Decimal | None
    due: date | None
    overdue_from: date | None  # the first overdue day: due + grace + 1
    trend: Trend | None


@dataclass(frozen=True)
class Rollup:
    """Indicators per status (only statuses present, worst first) and the worst of them."""

    counts: dict[Status, int]
    worst: Status | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# --- calendar --------------------------------------------------------------------------------


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(day: date, months: int) -> date:
    """``day`` moved by calendar months (negative goes back); a month end stays a month end.

    2026-01-31 + 1 = 2026-02-28, 2026-02-28 + 1 = 2026-03-31, 2026-03-30 + 1 = 2026-04-30.
    """
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = _month_end(year, month0 + 1)
    keep_end = day.day == _month_end(day.year, day.month)
    return date(year, month0 + 1, last if keep_end else min(day.day, last))


def trend_day(facts: IndicatorFacts, today: date) -> date:
    """The day the trend compares with: one cadence before ``today``."""
    return add_months(today, -facts.cadence_months)


# --- value and path --------------------------------------------------------------------------


def _is_narrative(facts: IndicatorFacts) -> bool:
    """No number to compare: qualitative without a rubric, or no target yet."""
    rubricless = facts.measure == Measure.QUALITATIVE and not facts.has_rubric
    return rubricless or not facts.targets


def _counted(facts: IndicatorFacts, day: date) -> list[ReadingFact]:
    """The readings that count on ``day`` (see "Readings and value" above)."""
    final = facts.final_target
    cutoff = final.day if final is not None and day > final.day else None
    return [
        reading
        for reading in facts.verified
        if reading.counts_on(day)
        and reading.period_end >= facts.baseline.day
        and (cutoff is None or reading.period_end <= cutoff)
    ]


def _value_of(facts: IndicatorFacts, readings: Sequence[ReadingFact]) -> Decimal | None:
    numbers = [reading for reading in readings if reading.value is not None]
    if not numbers:
        return None
    if facts.adds_up:
        return facts.baseline.value + sum((reading.value for reading in numbers), Decimal(0))
    _index, latest = max(
        enumerate(numbers), key=lambda pair: (pair[1].period_end, pair[1].verified_on, pair[0])
    )
    return latest.value


def value_on(facts: IndicatorFacts, day: date) -> Decimal | None:
    """The indicator's value as of ``day`` (None without a verified reading with a value)."""
    if _is_narrative(facts):
        return None
    return _value_of(facts, _counted(facts, day))


def expected_value(facts: IndicatorFacts, day: date) -> Decimal:
    """The expected path on ``day``: straight lines from the baseline through every target."""
    points = [facts.baseline, *sorted(facts.targets, key=lambda point: point.day)]
    if day <= points[0].day:
        return points[0].value
    for start, end in pairwise(points):
        span = (end.day - start.day).days
        if day <= end.day and span > 0:
            elapsed = max((day - start.day).days, 0)
            return start.value + (end.value - start.value) * elapsed / span
    return points[-1].value


def _progress(facts: IndicatorFacts, value: Decimal | None) -> Decimal | None:
    final = facts.final_target
    if value is None or final is None or facts.measure == Measure.NOMINAL:
        return None
    span = final.value - facts.baseline.value
    return None if span == 0 else (value - facts.baseline.value) / span


def progress_on(facts: IndicatorFacts, day: date) -> Decimal | None:
    """Progress as of ``day``, from the readings verified by then and not superseded by then."""
    return _progress(facts, value_on(facts, day))


def _meets(value: Decimal, goal: Decimal, higher_is_better: bool) -> bool:
    return value >= goal if higher_is_better else value <= goal


def as_percent(progress: Decimal | None, places: int = 0) -> Decimal | None:
    """Progress as a percentage rounded half up for display: 0.4959 -> 50 (49.6 with 1 place)."""
    if progress is None:
        return None
    return (progress * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# --- due -------------------------------------------------------------------------------------


def due_date(facts: IndicatorFacts, today: date) -> date | None:
    """When the next reading is due; None when nothing is due (after the final target date)."""
    final = facts.final_target
    if final is not None and today > final.day:
        return None
    ends = [facts.baseline.day, *(reading.period_end for reading in _counted(facts, today))]
    if facts.last_reported_end is not None:
        ends.append(facts.last_reported_end)
    due = add_months(max(ends), facts.cadence_months)
    return None if final is not None and due > final.day else due


# --- status ----------------------------------------------------------------------------------


def _trend(progress: Decimal | None, earlier: Decimal | None) -> Trend | None:
    if progress is None or earlier is None:
        return None
    change = progress - earlier
    if change >= TREND_STEP:
        return Trend.BETTER
    if change <= -TREND_STEP:
        return Trend.WORSE
    return Trend.SAME


def _numeric_status(
    facts: IndicatorFacts,
    final: Point,
    value: Decimal | None,
    expected: Decimal,
    *,
    after_end: bool,
    late: bool,
) -> Status:
    up = facts.higher_is_better
    met = value is not None and _meets(value, final.value, up)
    if after_end:
        return Status.ACHIEVED if met else Status.NOT_ACHIEVED
    if late:
        return Status.OVERDUE
    if met:
        return Status.ACHIEVED
    if value is None:
        return Status.NO_DATA
    span = abs(final.value - facts.baseline.value)
    if span == 0:  # a level to hold that is not held
        return Status.OFF_TRACK
    if _meets(value, expected, up):
        return Status.ON_TRACK
    shortfall = expected - value if up else value - expected
    return Status.AT_RISK if shortfall <= facts.band * span else Status.OFF_TRACK


def _other_status(
    facts: IndicatorFacts, value: Decimal | None, reported: bool, after_end: bool, late: bool
) -> Status:
    """Nominal and narrative indicators: achieved (nominal only), overdue, reported, no data."""
    final = facts.final_target
    equal = (
        facts.measure == Measure.NOMINAL
        and value is not None
        and final is not None
        and value == final.value
    )
    if after_end and facts.measure == Measure.NOMINAL:
        return Status.ACHIEVED if equal else Status.NOT_ACHIEVED
    if late and not after_end:
        return Status.OVERDUE
    if equal:
        return Status.ACHIEVED
    return Status.REPORTED if reported else Status.NO_DATA


def indicator_status(
    facts: IndicatorFacts,
    today: date,
    *,
    grace_days: int = DEFAULT_GRACE_DAYS,
    earlier_progress: Decimal | None | Literal[_Missing.MISSING] = MISSING,
) -> IndicatorStatus:
    """Status, value, progress, expected path, due date and trend of one indicator today.

    ``earlier_progress`` is the progress of the snapshot one cadence earlier
    (:func:`trend_day`); None means that snapshot had no progress. Leave it out to
    recompute it from the readings verified by then.
    """
    readings = _counted(facts, today)
    final = facts.final_target
    after_end = final is not None and today > final.day
    narrative = _is_narrative(facts)
    value = None if narrative else _value_of(facts, readings)
    due = due_date(facts, today)
    exempt = (
        facts.adds_up
        and value is not None
        and final is not None
        and _meets(value, final.value, facts.higher_is_better)
    )
    overdue_from = due + timedelta(days=grace_days + 1) if due and not exempt else None
    late = overdue_from is not None and today >= overdue_from
    numeric = final is not None and not narrative and facts.measure != Measure.NOMINAL
    expected = expected_value(facts, today) if numeric else None
    if numeric:
        status = _numeric_status(facts, final, value, expected, after_end=after_end, late=late)
    else:
        status = _other_status(facts, value, bool(readings), after_end, late)
    progress = _progress(facts, value) if numeric else None
    if progress is not None and earlier_progress is MISSING:
        earlier_progress = progress_on(facts, trend_day(facts, today))
    earlier = None if earlier_progress is MISSING else earlier_progress
    return IndicatorStatus(
        status=status,
        value=value,
        progress=progress,
        expected_value=expected,
        expected_progress=_progress(facts, expected) if numeric else None,
        due=due,
        overdue_from=overdue_from,
        trend=_trend(progress, earlier),
    )


def statuses(
    many: Iterable[IndicatorFacts],
    today: date,
    *,
    grace_days: int = DEFAULT_GRACE_DAYS,
    earlier: Mapping[Hashable, Decimal | None] | None = None,
) -> dict[Hashable, IndicatorStatus]:
    """The status of many indicators at once, by key, in the order given.

    ``earlier`` holds the snapshot progress one cadence earlier, by indicator key, where a
    snapshot exists; the others are recomputed from their readings.
    """
    snapshots = earlier or {}
    results: dict[Hashable, IndicatorStatus] = {}
    for facts in many:
        if facts.key in results:
            raise ValueError(f"Indicator key {facts.key!r} is given twice.")
        results[facts.key] = indicator_status(
            facts,
            today,
            grace_days=grace_days,
            earlier_progress=snapshots.get(facts.key, MISSING),
        )
    return results


# --- roll-ups --------------------------------------------------------------------------------


def rollup(items: Iterable[IndicatorStatus | Status]) -> Rollup:
    """Counts per status and the worst status of a set of indicators (an outcome, a partnership)."""
    found = [item.status if isinstance(item, IndicatorStatus) else Status(item) for item in items]
    counts = {status: found.count(status) for status in WORST_FIRST if status in found}
    return Rollup(counts=counts, worst=next(iter(counts), None))


def rollup_by(
    results: Mapping[K, IndicatorStatus], groups: Mapping[G, Iterable[K]]
) -> dict[G, Rollup]:
    """One roll-up per group (e.g. outcome id -> its indicator keys), from one statuses() call."""
    return {group: rollup(results[key] for key in keys) for group, keys in groups.items()}


# --- checks at entry -------------------------------------------------------------------------


class FactError(ValueError):
    """Facts refused at entry.

    ``errors`` maps the field at fault (``"day"``, ``"value"``, ``"targets"``,
    ``"period_end"``, ``"cumulative"``) to a translated message, ready for
    ``ValidationError(error.errors)`` once the caller maps the names to its model's fields.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(" ".join(errors.values()))


def _has_direction(measure: Measure, has_rubric: bool) -> bool:
    return measure != Measure.NOMINAL and (measure != Measure.QUALITATIVE or has_rubric)


def _target_errors(
    baseline: Point, target: Point, higher_is_better: bool, measure: Measure, has_rubric: bool
) -> dict[str, str]:
    errors = {}
    if target.day <= baseline.day:
        errors["day"] = gettext("A target must be dated after the baseline date.")
    # Equal to the baseline is allowed: a level to hold.
    if _has_direction(measure, has_rubric) and not _meets(
        target.value, baseline.value, higher_is_better
    ):
        errors["value"] = (
            gettext("When higher is better, a target cannot be below the baseline.")
            if higher_is_better
            else gettext("When lower is better, a target cannot be above the baseline.")
        )
    return errors


def check_target(
    *,
    baseline: Point,
    target: Point,
    higher_is_better: bool,
    measure: Measure,
    has_rubric: bool = True,
) -> None:
    """Refuse a target on the wrong side of its baseline or dated on or before it.

    A target equal to the baseline is accepted (a level to hold). Nominal targets, and
    those of qualitative indicators without a rubric, have no side. Raises FactError.
    """
    errors = _target_errors(baseline, target, higher_is_better, Measure(measure), has_rubric)
    if errors:
        raise FactError(errors)


def check_targets(
    *,
    baseline: Point,
    targets: Iterable[Point],
    higher_is_better: bool,
    measure: Measure,
    has_rubric: bool = True,
) -> None:
    """:func:`check_target` for each target, and no two targets on one date. Raises FactError."""
    targets = list(targets)
    errors: dict[str, str] = {}
    for target in targets:
        for field, message in _target_errors(
            baseline, target, higher_is_better, measure, has_rubric
        ).items():
            errors.setdefault(field, message)
    if len({target.day for target in targets}) < len(targets):
        errors["targets"] = gettext("Two targets cannot share a date.")
    if errors:
        raise FactError(errors)


def check_reading_period(baseline_day: date, period_end: date) -> None:
    """Refuse a reading for a period ending before the baseline date. Raises FactError."""
    if period_end < baseline_day:
        raise FactError(
            {
                "period_end": gettext(
                    "A reading cannot be for a period that ends before the baseline date."
                )
            }
        )


def check_measure(*, measure: Measure, cumulative: bool) -> None:
    """Refuse a cumulative indicator whose values do not add up. Raises FactError."""
    if cumulative and Measure(measure) not in ADDING_MEASURES:
        raise FactError(
            {"cumulative": gettext("Only unit and percentage indicators can be cumulative.")}
        )
