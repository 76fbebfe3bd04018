"""Disaggregated reading values under disclosure control: nothing of a small group leaks.

Pure functions: no database.
"""

import itertools
from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from communities.disclosure import protect_table
from scorecards.disclosure import (
    UNRECORDED_KEY,
    GroupValue,
    PeriodValues,
    PublishedDimension,
    PublishedPeriod,
    default_thresholds,
    publish_disaggregates,
    withheld_note,
)

D = Decimal
Q1, Q2, Q3 = date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30)
THRESHOLDS = {"sex": 5, "age_group": 5, "disability": 10}


def period(end: date, people: int, **dimensions: dict[str, tuple[int, object]]) -> PeriodValues:
    """``sex={"female": (people, value), ...}``; a value of None is a missing value."""
    return PeriodValues(
        period_end=end,
        people=people,
        dimensions={
            dimension: [
                GroupValue(group, n, None if value is None else D(value))
                for group, (n, value) in groups.items()
            ]
            for dimension, groups in dimensions.items()
        },
    )


def only(published: list[PublishedPeriod], dimension: str, index: int = 0) -> PublishedDimension:
    (found,) = [d for d in published[index].dimensions if d.dimension == dimension]
    return found


def values(dimension: PublishedDimension) -> dict[str, Decimal | None]:
    return {group.group: group.value for group in dimension.groups}


# --- one reading ------------------------------------------------------------------------------


def test_a_group_of_fewer_than_five_people_shows_no_value_of_its_own():
    published = publish_disaggregates(
        [period(Q1, 43, sex={"female": (3, 1), "male": (40, 22)})], thresholds=THRESHOLDS
    )
    sex = only(published, "sex")

    assert sex.withheld
    assert values(sex) == {"female": None, "male": None}
    assert all(group.withheld and group.people is None for group in sex.groups)
    assert withheld_note(sex) == (
        "Withheld: a group had fewer than 5 people, so none of its values are shown."
    )


def test_a_dimension_of_large_groups_is_published_whole():
    published = publish_disaggregates(
        [period(Q1, 50, sex={"female": (20, "12.5"), "male": (30, 9), "other": (0, None)})],
        thresholds=THRESHOLDS,
    )
    sex = only(published, "sex")

    assert not sex.withheld
    assert values(sex) == {"female": D("12.5"), "male": D(9), "other": None}
    assert [group.people for group in sex.groups] == [20, 30, 0]
    assert not any(group.withheld for group in sex.groups)


def test_one_small_group_withholds_every_other_group_of_its_dimension():
    # Cell suppression would publish the 20 adults and hide the 2 older people with the 8
    # young ones. But if the adults' value is the whole total, the hidden groups' combined
    # value is 0, so each is 0: a value has no floor to hide behind, unlike a count.
    published = publish_disaggregates(
        [period(Q1, 30, age_group={"youth": (8, 0), "older": (2, 0), "adults": (20, 15)})],
        thresholds=THRESHOLDS,
    )

    age = only(published, "age_group")
    assert age.withheld
    assert values(age) == {"youth": None, "older": None, "adults": None}


def test_a_small_number_of_unrecorded_people_withholds_the_dimension():
    published = publish_disaggregates(
        [period(Q1, 42, sex={"female": (20, 8), "male": (20, 9)})], thresholds=THRESHOLDS
    )

    assert only(published, "sex").withheld  # total - women - men = the 2 unrecorded


def test_unrecorded_people_in_a_published_dimension_are_shown_as_their_own_group():
    published = publish_disaggregates(
        [period(Q1, 50, sex={"female": (20, 8), "male": (20, 9)})], thresholds=THRESHOLDS
    )
    last = only(published, "sex").groups[-1]

    assert (last.group, last.people, last.value, last.withheld) == (UNRECORDED_KEY, 10, None, False)


def test_a_reading_about_fewer_than_five_people_publishes_no_disaggregation():
    published = publish_disaggregates(
        [period(Q1, 4, sex={"female": (4, 4), "male": (0, 0)})], thresholds=THRESHOLDS
    )

    assert only(published, "sex").withheld


def test_each_dimension_of_a_reading_is_decided_on_its_own():
    published = publish_disaggregates(
        [
            period(
                Q1,
                30,
                sex={"female": (12, 5), "male": (18, 7)},
                age_group={"youth": (28, 11), "older": (2, 1)},
            )
        ],
        thresholds=THRESHOLDS,
    )

    assert not only(published, "sex").withheld
    assert only(published, "age_group").withheld


def test_zero_and_missing_values_are_published_as_such():
    published = publish_disaggregates(
        [period(Q1, 25, sex={"female": (10, 0), "male": (15, None), "other": (0, None)})],
        thresholds=THRESHOLDS,
    )
    female, male, other = only(published, "sex").groups

    assert (female.value, female.withheld, female.missing) == (D(0), False, False)
    assert (male.value, male.withheld, male.missing) == (None, False, True)
    assert (other.people, other.value, other.missing) == (0, None, True)


def test_a_reading_of_nobody_hides_nothing():
    published = publish_disaggregates(
        [period(Q1, 0, sex={"female": (0, 0), "male": (0, 0)})], thresholds=THRESHOLDS
    )

    assert not only(published, "sex").withheld


def test_the_choice_depends_on_numbers_of_people_never_on_values():
    """So a reader who re-runs it learns nothing about values, whatever kind they are."""
    for female, male in itertools.product(["0", "3.5", "100", None], repeat=2):
        small = publish_disaggregates(
            [period(Q1, 23, sex={"female": (3, female), "male": (20, male)})],
            thresholds=THRESHOLDS,
        )
        large = publish_disaggregates(
            [period(Q1, 25, sex={"female": (5, female), "male": (20, male)})],
            thresholds=THRESHOLDS,
        )
        assert only(small, "sex").withheld
        assert not only(large, "sex").withheld


# --- thresholds -------------------------------------------------------------------------------


def test_a_sensitive_dimension_uses_its_higher_threshold(settings):
    settings.HARAMBEE_SUPPRESSION_THRESHOLD = 5
    settings.HARAMBEE_SENSITIVE_SUPPRESSION_THRESHOLD = 10
    settings.HARAMBEE_SENSITIVE_DIMENSIONS = {"disability"}
    thresholds = default_thresholds(["sex", "disability"])
    reading = period(
        Q1,
        60,
        sex={"female": (7, 3), "male": (53, 20)},
        disability={"with_disability": (7, 2), "without_disability": (53, 21)},
    )

    published = publish_disaggregates([reading], thresholds=thresholds)

    assert thresholds == {"sex": 5, "disability": 10}
    assert not only(published, "sex").withheld
    disability = only(published, "disability")
    assert (disability.threshold, disability.withheld) == (10, True)
    assert "fewer than 10 people" in withheld_note(disability)


def test_the_thresholds_follow_the_settings(settings):
    settings.HARAMBEE_SUPPRESSION_THRESHOLD = 3

    assert default_thresholds(["sex"]) == {"sex": 3}


@pytest.mark.parametrize("thresholds", [{}, {"sex": 0}, {"sex": True}, {"sex": 2.5}])
def test_every_dimension_needs_a_positive_integer_threshold(thresholds):
    with pytest.raises(ValueError):
        publish_disaggregates(
            [period(Q1, 40, sex={"female": (20, 1), "male": (20, 1)})], thresholds=thresholds
        )


# --- programming errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        period(Q1, 30, sex={"female": (20, 1), "male": (20, 1)}),  # more than the reading's
        period(Q1, 30, sex={"female": (-1, 1)}),
        period(Q1, 30, sex={UNRECORDED_KEY: (10, 1)}),
        PeriodValues(Q1, 30, {"sex": [GroupValue("male", 10, None), GroupValue("male", 5, None)]}),
    ],
)
def test_impossible_readings_are_refused(bad):
    with pytest.raises(ValueError):
        publish_disaggregates([bad], thresholds=THRESHOLDS)


def test_one_reading_per_period_is_given():
    with pytest.raises(ValueError):
        publish_disaggregates([period(Q1, 10), period(Q1, 12)], thresholds=THRESHOLDS)


# --- successive periods -----------------------------------------------------------------------


def _trained(*per_period: tuple[int, int]) -> list[PeriodValues]:
    """People trained each quarter: (women, men), each group's people equal to its value."""
    ends = [Q1, Q2, Q3]
    return [
        period(ends[k], women + men, sex={"female": (women, women), "male": (men, men)})
        for k, (women, men) in enumerate(per_period)
    ]


def test_totals_to_date_add_up_the_published_periods():
    published = publish_disaggregates(
        _trained((10, 12), (6, 9)), thresholds=THRESHOLDS, cumulative=True
    )

    assert [group.to_date for group in only(published, "sex", 1).groups] == [D(16), D(21)]
    assert not only(published, "sex", 1).to_date_withheld


def test_after_a_withheld_period_the_totals_to_date_stay_withheld():
    # Women to date after Q3 minus after Q1 minus in Q3 would be the 3 of Q2.
    published = publish_disaggregates(
        _trained((10, 12), (3, 9), (6, 8)), thresholds=THRESHOLDS, cumulative=True
    )
    q1, q2, q3 = (only(published, "sex", k) for k in range(3))

    assert not q1.withheld and q2.withheld and not q3.withheld
    assert values(q3) == {"female": D(6), "male": D(8)}
    assert [group.to_date for group in q3.groups] == [None, None]
    assert q3.to_date_withheld
    assert all(group.to_date_withheld for group in q3.groups)


def test_a_level_indicator_has_no_totals_to_date():
    published = publish_disaggregates(_trained((10, 12), (6, 9)), thresholds=THRESHOLDS)

    assert [group.to_date for group in only(published, "sex", 1).groups] == [None, None]
    assert not only(published, "sex", 1).to_date_withheld


def test_a_missing_value_or_an_unrecorded_period_makes_the_total_to_date_unknown():
    missing = [
        period(Q1, 20, sex={"female": (10, None), "male": (10, 4)}),
        period(Q2, 20, sex={"female": (10, 2), "male": (10, 3)}),
    ]
    skipped = [period(Q1, 20), period(Q2, 20, sex={"female": (10, 2), "male": (10, 3)})]

    to_date = [
        g.to_date
        for g in only(
            publish_disaggregates(missing, thresholds=THRESHOLDS, cumulative=True), "sex", 1
        ).groups
    ]
    assert to_date == [None, D(7)]
    later = only(publish_disaggregates(skipped, thresholds=THRESHOLDS, cumulative=True), "sex", 1)
    assert ([g.to_date for g in later.groups], later.to_date_withheld) == ([None, None], False)


def test_a_new_reading_never_changes_what_earlier_periods_show():
    periods = _trained((10, 12), (3, 9), (6, 8))
    everything = publish_disaggregates(periods, thresholds=THRESHOLDS, cumulative=True)

    for k in range(1, 4):
        assert (
            publish_disaggregates(periods[:k], thresholds=THRESHOLDS, cumulative=True)
            == everything[:k]
        )


def test_periods_come_back_in_date_order():
    published = publish_disaggregates(
        list(reversed(_trained((10, 12), (6, 9)))), thresholds=THRESHOLDS
    )

    assert [p.period_end for p in published] == [Q1, Q2]


# --- the reader who knows the algorithm, the totals and every period -------------------------

T = 3  # small enough to enumerate every reading of up to 4 people
MOST_PEOPLE = 4
SEX = ("female", "male")


def _one_period_worlds(groups: int):
    """(people, values) per group, the last group being the unrecorded people.

    Values are counts of people (those trained, say), so each lies in 0..people.
    """
    for total in range(MOST_PEOPLE + 1):
        for recorded in itertools.product(range(total + 1), repeat=groups):
            if sum(recorded) <= total:
                sizes = (*recorded, total - sum(recorded))
                for counts in itertools.product(*(range(n + 1) for n in sizes)):
                    yield sizes, counts


def _readings(world) -> list[PeriodValues]:
    ends = [Q1, Q2, Q3]
    return [
        PeriodValues(
            ends[k],
            sum(sizes),
            {
                "sex": [
                    GroupValue(g, n, D(c))
                    for g, n, c in zip(SEX, sizes[:-1], counts[:-1], strict=False)
                ]
            },
        )
        for k, (sizes, counts) in enumerate(world)
    ]


def publish(world):
    return tuple(publish_disaggregates(_readings(world), thresholds={"sex": T}, cumulative=True))


def publish_to_date_regardless(world):
    """A careless publisher: totals to date of every group, withheld periods or not."""
    published = []
    sums = defaultdict(Decimal)
    for published_period, (_sizes, counts) in zip(publish(world), world, strict=True):
        for group, count in zip(SEX, counts[:-1], strict=False):
            sums[group] += count
        (sex,) = published_period.dimensions
        groups = tuple(
            replace(g, to_date=sums[g.group], to_date_withheld=False) for g in sex.groups
        )
        published.append(replace(published_period, dimensions=(replace(sex, groups=groups),)))
    return tuple(published)


def _what_the_reader_learns(publisher, *, groups: int, periods: int):
    """For each small group of each world, what a reader can still believe about it.

    The reader sees every period's total value and people and everything published, and
    knows the algorithm. They rebuild every world that publishes identically; whatever
    those worlds hold for a group is all they know of it. Yields (world, period, group,
    the values it may hold, the numbers of people it may have).
    """
    names = (*SEX[:groups], UNRECORDED_KEY)
    seen = defaultdict(list)
    for world in itertools.product(list(_one_period_worlds(groups)), repeat=periods):
        totals = tuple((sum(sizes), sum(counts)) for sizes, counts in world)
        seen[(totals, publisher(world))].append(world)
    for (totals, _published), alike in seen.items():
        for k, i in itertools.product(range(periods), range(len(names))):
            people, value = totals[k]
            if value in (0, people):
                continue  # the total alone tells every value (all or nobody): not ours to hide
            values = {world[k][1][i] for world in alike}
            sizes = {world[k][0][i] for world in alike}
            for world in alike:
                if 0 < world[k][0][i] < T:
                    yield world, k, names[i], values, sizes


def test_a_reader_cannot_recover_a_small_groups_value_across_groups_totals_or_periods():
    """Women, men and the unrecorded, over two quarters of a cumulative indicator."""
    attacked = 0
    for world, k, group, values, sizes in _what_the_reader_learns(publish, groups=2, periods=2):
        assert len(values) > 1, f"{world}: the value of {group} in period {k + 1} is known"
        assert len(sizes) > 1, f"{world}: the people of {group} in period {k + 1} are known"
        attacked += 1
    assert attacked > 10_000


def test_the_reader_would_recover_values_from_totals_to_date_published_regardless():
    """The same attack has teeth: it catches a publisher that adds up withheld periods."""
    recovered = {
        (world, k, group)
        for world, k, group, values, _sizes in _what_the_reader_learns(
            publish_to_date_regardless, groups=1, periods=2
        )
        if len(values) == 1
    }

    # Q1: 3 women trained, published; Q2: 1 woman trained out of 4 people, withheld. Women
    # to date, 4, minus Q1's 3 gives her away.
    q1, q2 = ((3, 0), (3, 0)), ((1, 3), (1, 2))  # (people, trained): women, unrecorded
    assert ((q1, q2), 1, "female") in recovered


def test_the_reader_would_recover_a_value_left_hidden_by_cell_suppression_alone():
    """Cell suppression on the people, values published where the people are.

    Age groups of 8 young people (none passed), 2 older ones (none passed) and 20 adults
    (15 passed), 15 in all. The people table hides the 2 and the 8; the adults' 15 is the
    whole total, so the two hidden groups passed 0 between them, each of them 0.
    """
    sizes = [("youth", "Y", 8), ("older", "O", 2), ("adults", "A", 20)]
    table = protect_table("age_group", sizes, total=30, threshold=5)
    hidden = {cell.category for cell in table.cells if cell.suppressed}
    passed = {"youth": 0, "older": 0, "adults": 15}
    hidden_sum = sum(passed.values()) - sum(v for g, v in passed.items() if g not in hidden)

    assert hidden == {"youth", "older"}
    # Every split of the hidden sum between them: the older group's value can only be 0.
    older = {o for o in range(5) for y in range(hidden_sum + 1) if o + y == hidden_sum}
    assert older == {0}

    published = publish_disaggregates(
        [period(Q1, 30, age_group={g: (n, passed[g]) for g, _label, n in sizes})],
        thresholds=THRESHOLDS,
    )
    assert only(published, "age_group").withheld  # the reader keeps 0-2 open for them
