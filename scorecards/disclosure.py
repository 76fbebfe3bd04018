"""Disclosure control for the disaggregated values of readings: the one place that decides them.

A reading of an indicator may break its value down by dimension (sex, age group, disability,
wealth group; see ``communities/dimensions.py``): per group a value and the group's number of
people. Public pages, the API and the exports show these values only through
:func:`publish_disaggregates`, so that nobody in a small group can be singled out. Counts of
people as such (needs assessments) go through ``communities/disclosure.py``; this module uses
its thresholds (:func:`default_thresholds`) and its vocabulary.

Values are numbers of two kinds, and a reader can work back from each:

* a *count* (people trained, sessions held) adds up to the reading's total, so
  ``total - sum(published groups)`` is the sum of the hidden ones;
* a *mean or percentage* (share of women who feel confident, average rubric level) does so
  weighted by people: ``total mean x N - sum(group mean x n)`` is the hidden groups' mean
  times their people, and ``N - sum(n)`` their people.

With one hidden group that is its value. With several it is their combined value, and a
value's natural bounds finish the job: when the hidden groups' combined count is 0, each of
them is 0 ("none of the 2 older people passed"); when their combined share is 100%, each is
100%. Cell suppression protects *counts of people* because a hidden count is known to be at
least 1 (and a secondary one at least T), so it can never sit at such a bound. Values have no
such floor, so cell suppression does not protect them, and this module does not use it.

The rule (T is the threshold of the dimension)
---------------------------------------------
* A dimension of a reading is published whole or not at all. It is published only when
  every group with people in it has at least T people: the groups given, and the people the
  groups leave out (the reading's people minus the groups' people, "not recorded"). Groups of
  no people are fine: they describe nobody. Otherwise every value and every number of people
  of that dimension in that reading is withheld. A missing value (None for a group with
  people) is published as missing, never as zero and never as withheld.
* Each reading (period) is decided on its own, by its own numbers of people only, never by
  its values.
* Totals to date by group (``to_date``, cumulative indicators only) are sums over periods,
  so they are published only while the dimension was published in every period so far. Once
  one period is withheld, the totals to date of that dimension stay withheld in every later
  period: otherwise today's total to date minus the last one minus today's value would be
  the withheld value.

Attacker model
--------------
The reader knows, for every period, the reading's total value and its number of people
(assume both are public), the indicator's running total, every published group value and
number of people, every published total to date, the thresholds, this algorithm, and the
natural bounds of the values (a count is at least 0 and a count of people at most the
group's size; a percentage lies in 0-100; a rubric level within its levels).

* Across groups and the total: within a period a dimension is either all published, so
  every value shown describes at least T people and there is nothing to subtract, or all
  withheld, so the reader has the total alone, which everyone sees anyway.
* Re-running the algorithm: the choice depends on numbers of people only, so it tells the
  reader at most that some group (or the unrecorded remainder) had 1 to T-1 people: no more
  than ``communities/disclosure.py`` says with its "<T", and nothing about any value.
* Across periods: readings of different periods are separate measurements (a cumulative
  indicator's reading is that period's increment), linked only by sums over time. The
  running total is the sum of the periods' totals, already public. Totals to date by group
  are sums of published values only (rule 3). So the equations a reader can write about a
  withheld period's group values are those of that period's total, nothing else.
* Stability: a period's publication depends on that period alone (its totals to date on the
  periods before it), so a new reading never changes what earlier periods show, and open
  data releases already out stay consistent with later ones.

``tests/scorecards/test_disclosure.py`` checks this by brute force: it builds every pair of
periods of small readings, publishes each, and for every group of fewer than T people lists
the values it could hold given everything published; more than one always remains unless
the period's total alone gives every value away. It also shows that publishing totals to
date regardless, or using cell suppression on the numbers of people, would give values away.

Not covered, and why
--------------------
* What the total alone says: a total of 0 says every value is 0. The total is the
  indicator's value and is published by the scorecard, not here.
* A whole group sharing a value (0 of 12 women passed): the group has at least T people; the
  threshold stops singling out, it does not hide what is true of a whole group.
* Cross tabulations (sex by age group), as in ``communities/disclosure.py``.
* Successive versions of one period. Only the current (not superseded) reading of a period
  may be given here and published with its disaggregation: the difference between a
  superseded reading and its correction describes the people the correction added.
* Assumptions about the same people over time: a reader who assumes that last quarter's
  20 women answered the same again can *estimate* the 2 who joined. That is an assumption
  about unpublished facts, not a recovery from published ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from communities.disclosure import TOTAL_KEY, UNRECORDED_KEY, WITHHELD, threshold_for

__all__ = [
    "UNRECORDED_KEY",
    "WITHHELD",
    "GroupValue",
    "PeriodValues",
    "PublishedDimension",
    "PublishedGroup",
    "PublishedPeriod",
    "default_thresholds",
    "publish_disaggregates",
    "withheld_note",
]


@dataclass(frozen=True)
class GroupValue:
    """One group's value in a reading, with the group's number of people."""

    group: str  # category key, e.g. "female"
    people: int
    value: Decimal | None  # None: not recorded


@dataclass(frozen=True)
class PeriodValues:
    """The disaggregated values of one current (not superseded) reading."""

    period_end: date
    people: int  # the people the reading's total is about; the groups leave out the rest
    dimensions: Mapping[str, Sequence[GroupValue]]  # groups in display order


@dataclass(frozen=True)
class PublishedGroup:
    group: str  # UNRECORDED_KEY for the people the groups leave out
    people: int | None  # None when withheld
    value: Decimal | None  # None when withheld or missing
    withheld: bool
    to_date: Decimal | None  # cumulative indicators: the sum so far; None when not published
    to_date_withheld: bool

    @property
    def missing(self) -> bool:
        """Published, but no value was recorded."""
        return not self.withheld and self.value is None


@dataclass(frozen=True)
class PublishedDimension:
    dimension: str
    threshold: int
    withheld: bool  # this period's values and numbers of people
    to_date_withheld: bool  # an earlier or this period was withheld
    groups: tuple[PublishedGroup, ...]


@dataclass(frozen=True)
class PublishedPeriod:
    period_end: date
    dimensions: tuple[PublishedDimension, ...]


# --- thresholds and notes --------------------------------------------------------------------


def default_thresholds(dimensions: Iterable[str]) -> dict[str, int]:
    """The suppression threshold of each dimension, from the settings (communities' rule)."""
    return {dimension: threshold_for(dimension) for dimension in dimensions}


def withheld_note(dimension: PublishedDimension) -> str:
    """The sentence a page shows in place of a withheld dimension's values."""
    return gettext(
        "Withheld: a group had fewer than %(threshold)d people, so none of its values are shown."
    ) % {"threshold": dimension.threshold}


# --- checks ----------------------------------------------------------------------------------


def _check_people(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"A number of people ({what}) must be an integer, not {value!r}.")
    if value < 0:
        raise ValueError(f"A number of people ({what}) cannot be negative, got {value}.")
    return value


def _check_threshold(dimension: str, thresholds: Mapping[str, int]) -> int:
    if dimension not in thresholds:
        raise ValueError(f"No suppression threshold for dimension {dimension!r}.")
    value = thresholds[dimension]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"A suppression threshold must be a positive integer, not {value!r}.")
    return value


def _checked_groups(period: PeriodValues, dimension: str) -> list[GroupValue]:
    groups = list(period.dimensions[dimension])
    keys = [group.group for group in groups]
    if len(set(keys)) < len(keys) or {TOTAL_KEY, UNRECORDED_KEY} & set(keys):
        raise ValueError(f"A group of {dimension!r} is reserved or given twice: {keys}.")
    recorded = sum(_check_people(group.people, group.group) for group in groups)
    if recorded > period.people:
        raise ValueError(
            f"The {dimension!r} groups hold {recorded} people, more than the reading's "
            f"{period.people} ({period.period_end})."
        )
    return groups


# --- the rule --------------------------------------------------------------------------------


def _publishable(sizes: Iterable[int], threshold: int) -> bool:
    """Rule 1: every group with people has at least T of them."""
    return all(size == 0 or size >= threshold for size in sizes)


@dataclass
class _ToDate:
    """Totals to date of one dimension over the periods seen so far."""

    withheld: bool = False  # some period so far was withheld
    unknown: bool = False  # some period so far did not record the dimension
    sums: dict[str, Decimal | None] = field(default_factory=dict)  # None: a value missing

    def add(self, groups: Sequence[GroupValue], published: bool) -> None:
        self.withheld = self.withheld or not published
        for group in groups:
            if group.value is None and group.people > 0:
                self.sums[group.group] = None
            elif (known := self.sums.get(group.group, Decimal(0))) is not None:
                self.sums[group.group] = known + (group.value or Decimal(0))

    def of(self, group: str) -> Decimal | None:
        return None if self.withheld or self.unknown else self.sums.get(group, Decimal(0))


def _dimension(
    dimension: str,
    groups: Sequence[GroupValue],
    remainder: int,
    threshold: int,
    to_date: _ToDate | None,
) -> PublishedDimension:
    if not _publishable([*(group.people for group in groups), remainder], threshold):
        cells = tuple(
            PublishedGroup(group.group, None, None, True, None, to_date is not None)
            for group in groups
        )
        return PublishedDimension(dimension, threshold, True, to_date is not None, cells)
    later = to_date is not None and to_date.withheld
    cells = tuple(
        PublishedGroup(
            group.group,
            group.people,
            group.value,
            False,
            to_date.of(group.group) if to_date is not None else None,
            later,
        )
        for group in groups
    )
    if remainder:
        cells += (PublishedGroup(UNRECORDED_KEY, remainder, None, False, None, later),)
    return PublishedDimension(dimension, threshold, False, later, cells)


def publish_disaggregates(
    periods: Iterable[PeriodValues],
    *,
    thresholds: Mapping[str, int],
    cumulative: bool = False,
) -> list[PublishedPeriod]:
    """The disaggregated values of an indicator's readings as the public may see them.

    ``periods`` holds the current (verified, not superseded) readings of one indicator, one
    per period end; they are returned in period order, each dimension in the order given.
    ``thresholds`` maps each dimension to its threshold T (:func:`default_thresholds` reads
    the settings). With ``cumulative`` (values add up across periods), each published group
    carries its total to date. Raises ValueError for a dimension without a threshold, a
    repeated period or group, a negative number of people, or groups holding more people
    than their reading.
    """
    ordered = sorted(periods, key=lambda period: period.period_end)
    ends = [period.period_end for period in ordered]
    if len(set(ends)) < len(ends):
        raise ValueError("Give one (current) reading per period end.")
    totals: dict[str, _ToDate] = {}
    published = []
    for index, period in enumerate(ordered):
        people = _check_people(period.people, "total")
        for dimension, state in totals.items():
            state.unknown = state.unknown or dimension not in period.dimensions
        dimensions = []
        for dimension in period.dimensions:
            threshold = _check_threshold(dimension, thresholds)
            groups = _checked_groups(period, dimension)
            remainder = people - sum(group.people for group in groups)
            state = None
            if cumulative:
                state = totals.setdefault(dimension, _ToDate(unknown=index > 0))
                sizes = [*(group.people for group in groups), remainder]
                state.add(groups, _publishable(sizes, threshold))
            dimensions.append(_dimension(dimension, groups, remainder, threshold, state))
        published.append(PublishedPeriod(period.period_end, tuple(dimensions)))
    return published
