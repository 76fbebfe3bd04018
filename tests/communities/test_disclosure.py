"""Statistical disclosure control: what a public count looks like, and that it cannot be undone.

Pure functions: no database. Runs with pytest-django (project settings) or without it
(``-p no:django --noconftest -o addopts=""``), when Django gets an empty configuration below.
"""

import itertools
import os

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.test import override_settings
from django.utils.translation import gettext_lazy as _

from communities.disclosure import (
    PublicTable,
    protect_breakdown,
    protect_table,
    public_count,
    threshold_for,
)

if not settings.configured and "DJANGO_SETTINGS_MODULE" not in os.environ:
    settings.configure()
if not apps.ready:
    django.setup()

SEX = [("female", "Female"), ("male", "Male"), ("other", "Other")]
THRESHOLD_SETTINGS = (
    "HARAMBEE_SUPPRESSION_THRESHOLD",
    "HARAMBEE_SENSITIVE_SUPPRESSION_THRESHOLD",
    "HARAMBEE_SENSITIVE_DIMENSIONS",
)


@pytest.fixture(autouse=True)
def _default_thresholds():
    """Every test starts from the documented defaults, whatever the environment sets."""
    with override_settings(
        HARAMBEE_SUPPRESSION_THRESHOLD=5,
        HARAMBEE_SENSITIVE_SUPPRESSION_THRESHOLD=10,
        HARAMBEE_SENSITIVE_DIMENSIONS={"disability"},
    ):
        yield


def sex_table(female: int, male: int, other: int = 0, *, total: int | None = None) -> PublicTable:
    counts = [(key, label, n) for (key, label), n in zip(SEX, (female, male, other), strict=True)]
    return protect_table("sex", counts, total=female + male + other if total is None else total)


def displays(table: PublicTable) -> dict[str, str]:
    return {cell.category: cell.display for cell in table.cells}


def recovered_by_subtraction(table: PublicTable) -> int:
    """What a reader gets from the total minus every published cell."""
    return table.total.value - sum(c.value for c in table.cells if not c.suppressed)


# --- primary suppression -----------------------------------------------------------------------


def test_a_count_of_three_is_published_as_less_than_five():
    assert public_count(3) == "<5"
    table = sex_table(3, 40, 12)
    assert displays(table)["female"] == "<5"
    assert "3" not in displays(table).values()
    assert table.cells[0].value is None
    assert table.cells[0].reason == "primary"


def test_every_count_from_one_to_four_is_published_as_less_than_five():
    assert {public_count(n) for n in range(1, 5)} == {"<5"}
    assert public_count(5) == "5"
    assert public_count(1234) == "1234"


def test_a_disability_count_is_published_as_less_than_ten():
    assert threshold_for("disability") == 10
    assert public_count(7, dimension="disability") == "<10"
    table = protect_table(
        "disability",
        [("with_disability", "With", 7), ("without_disability", "Without", 53)],
        total=60,
    )
    assert table.threshold == 10
    assert displays(table)["with_disability"] == "<10"


def test_zero_is_published_as_zero():
    assert public_count(0) == "0"
    cell = sex_table(0, 20, 20).cells[0]
    assert (cell.display, cell.value, cell.percent, cell.suppressed) == ("0", 0, 0.0, False)


def test_the_threshold_follows_the_settings():
    with override_settings(HARAMBEE_SUPPRESSION_THRESHOLD=3):
        assert threshold_for("sex") == 3
        assert public_count(3) == "3"
        assert public_count(2) == "<3"
        assert displays(sex_table(2, 40, 12))["female"] == "<3"


def test_the_sensitive_dimensions_follow_the_settings():
    with override_settings(
        HARAMBEE_SENSITIVE_DIMENSIONS={"wealth_group"}, HARAMBEE_SENSITIVE_SUPPRESSION_THRESHOLD=8
    ):
        assert threshold_for("wealth_group") == 8
        assert threshold_for("disability") == 5


def test_a_sensitive_dimension_is_never_protected_less_than_an_ordinary_one():
    with override_settings(HARAMBEE_SUPPRESSION_THRESHOLD=12):
        assert threshold_for("disability") == 12


def test_the_documented_defaults_apply_when_the_settings_are_absent():
    with override_settings():
        for name in THRESHOLD_SETTINGS:
            delattr(settings, name)
        assert threshold_for("sex") == 5
        assert threshold_for("disability") == 10


def test_an_explicit_threshold_overrides_the_settings():
    assert public_count(7, threshold=10) == "<10"
    assert public_count(7, dimension="disability", threshold=5) == "7"
    assert protect_table("sex", [("female", "Female", 7)], total=30, threshold=10).threshold == 10


@pytest.mark.parametrize("threshold", [0, -5, 2.5, True])
def test_a_threshold_must_be_a_positive_integer(threshold):
    with pytest.raises(ValueError):
        public_count(3, threshold=threshold)


# --- secondary suppression ---------------------------------------------------------------------


def test_a_single_small_cell_forces_a_second_cell_to_be_withheld():
    table = sex_table(3, 40, 12)

    assert displays(table) == {"female": "<5", "male": "40", "other": "–"}
    assert len([c for c in table.cells if c.suppressed]) == 2
    assert recovered_by_subtraction(table) == 15  # 3 + 12, not the 3


def test_the_smallest_published_cell_is_the_one_withheld():
    assert displays(sex_table(3, 12, 40)) == {"female": "<5", "male": "–", "other": "40"}


def test_a_secondary_cell_is_marked_with_a_dash_not_a_bound():
    other = sex_table(3, 40, 12).cells[2]

    assert (other.display, other.value, other.percent) == ("–", None, None)
    assert (other.suppressed, other.reason) == (True, "secondary")


def test_a_small_cell_next_to_a_large_one_withholds_the_large_one():
    table = sex_table(3, 40)

    assert displays(table) == {"female": "<5", "male": "–", "other": "0"}
    assert table.total.display == "43"


def test_two_small_cells_with_nothing_else_to_withhold_hide_the_dimension():
    table = sex_table(4, 4)

    assert table.hidden
    assert {(c.display, c.reason) for c in table.cells} == {("–", "dimension")}
    assert table.total.display == "8"
    assert all(c.value is None and c.percent is None for c in table.cells)


def test_a_withheld_cell_capped_by_an_equal_published_cell_is_not_enough():
    # Withholding the 4 and one 6 would leave the other 6 published: the withheld cell was
    # picked first, so it is at most 6, the hidden sum is 10, and the "<5" would be a 4.
    table = sex_table(4, 6, 6)

    assert displays(table) == {"female": "<5", "male": "–", "other": "–"}
    assert not table.hidden


def test_a_small_cell_that_nothing_can_cover_hides_the_dimension():
    table = sex_table(4, 5, 5)

    assert table.hidden
    assert table.total.display == "14"


def test_several_small_cells_can_protect_each_other():
    table = protect_table(
        "age", [("a", "A", 2), ("b", "B", 3), ("c", "C", 3), ("d", "D", 0)], total=8
    )

    assert displays(table) == {"a": "<5", "b": "<5", "c": "<5", "d": "0"}
    assert not table.hidden


# --- totals and percentages --------------------------------------------------------------------


def test_a_total_below_the_threshold_hides_everything():
    table = sex_table(3, 0, 1)

    assert table.hidden
    assert (table.total.display, table.total.value, table.total.reason) == ("<5", None, "primary")
    assert {c.display for c in table.cells} == {"–"}  # the zero, too
    assert all(c.value is None and c.percent is None for c in table.cells)


def test_a_total_of_zero_is_published_as_zero():
    table = sex_table(0, 0)

    assert table.total.display == "0"
    assert {c.display for c in table.cells} == {"0"}
    assert all(c.percent is None for c in table.cells)


def test_percentages_are_computed_from_published_cells_only():
    table = protect_table(
        "age",
        [("children", "C", 3), ("youth", "Y", 20), ("adults", "A", 23), ("older", "O", 40)],
        total=86,
    )
    cells = {c.category: c for c in table.cells}

    assert cells["children"].percent is None
    assert cells["youth"].percent is None  # withheld with the 3
    assert cells["adults"].percent == 26.7
    assert cells["older"].percent == 46.5
    assert table.total.percent is None


def test_percentages_are_absent_when_the_total_is_hidden():
    assert all(c.percent is None for c in sex_table(2, 2, total=4).cells)


def test_category_order_and_lazy_labels_are_kept():
    counts = [("older", _("Older people"), 30), ("children", _("Children"), 20)]
    table = protect_table("age", counts, total=50)

    assert [c.category for c in table.cells] == ["older", "children"]
    assert [c.label for c in table.cells] == ["Older people", "Children"]
    assert all(isinstance(c.label, str) for c in table.cells)
    assert (table.total.category, table.total.label) == ("_total", "Total")


# --- the unrecorded remainder ------------------------------------------------------------------


def test_participants_who_did_not_answer_are_published_as_not_recorded():
    table = sex_table(20, 20, total=50)

    last = table.cells[-1]
    assert (last.category, last.label, last.display, last.percent) == (
        "_unrecorded",
        "Not recorded",
        "10",
        20.0,
    )


def test_a_small_unrecorded_remainder_is_protected_like_any_other_cell():
    table = sex_table(20, 40, total=62)

    assert displays(table) == {"female": "–", "male": "40", "other": "0", "_unrecorded": "<5"}


def test_there_is_no_unrecorded_cell_when_everyone_answered():
    assert "_unrecorded" not in displays(sex_table(20, 20))


# --- programming errors ------------------------------------------------------------------------


def test_negative_counts_are_rejected():
    with pytest.raises(ValueError):
        public_count(-1)
    with pytest.raises(ValueError):
        sex_table(-1, 20, total=19)
    with pytest.raises(ValueError):
        sex_table(0, 0, total=-1)


def test_categories_adding_up_to_more_than_the_total_are_rejected():
    with pytest.raises(ValueError):
        sex_table(20, 20, total=39)


def test_reserved_and_repeated_categories_are_rejected():
    with pytest.raises(ValueError):
        protect_table("sex", [("_unrecorded", "x", 1)], total=10)
    with pytest.raises(ValueError):
        protect_table("sex", [("female", "F", 5), ("female", "F", 5)], total=10)


# --- several dimensions ------------------------------------------------------------------------


def breakdown(total: int, with_disability: int, female: int) -> list[PublicTable]:
    return protect_breakdown(
        {
            "sex": [("female", "Female", female), ("male", "Male", total - female)],
            "disability": [("with", "With", with_disability), ("without", "Without", 0)],
        },
        total=total,
    )


def test_a_breakdown_keeps_the_order_and_each_dimensions_threshold():
    sex, disability = breakdown(50, with_disability=7, female=7)

    assert (sex.dimension, disability.dimension) == ("sex", "disability")
    assert (sex.threshold, disability.threshold) == (5, 10)
    assert displays(sex)["female"] == "7"
    assert displays(disability)["with"] == "<10"


def test_a_breakdown_shows_or_hides_the_total_in_every_table_at_once():
    tables = breakdown(8, with_disability=1, female=4)

    assert [t.total.display for t in tables] == ["<10", "<10"]
    assert all(t.hidden for t in tables)


def test_a_breakdown_of_no_dimensions_is_empty():
    assert protect_breakdown({}, total=40) == []


def test_a_breakdown_without_a_sensitive_dimension_uses_the_ordinary_threshold():
    (sex,) = protect_breakdown({"sex": [("female", "F", 4), ("male", "M", 4)]}, total=8)

    assert sex.total.display == "8"


# --- the reader who knows the algorithm --------------------------------------------------------

T = 5


def _table(values: tuple[int, ...], recorded: int) -> PublicTable:
    """The first ``recorded`` values as categories; the rest becomes the unrecorded remainder."""
    counts = [(f"c{i}", f"C{i}", v) for i, v in enumerate(values[:recorded])]
    return protect_table("sex", counts, total=sum(values), threshold=T)


def _fillings(hidden_sum: int, ranges: list[range]):
    """Every way to fill the withheld cells, each within its range, summing to hidden_sum."""
    for head in itertools.product(*ranges[:-1]):
        last = hidden_sum - sum(head)
        if last in ranges[-1]:
            yield (*head, last)


def _fillings_with(position: int, value: int, truth: tuple[int, ...], ranges: list[range]):
    """Fillings with one withheld cell set to ``value``: likely witnesses first, then all.

    The likely ones move the difference onto a single other withheld cell; the exhaustive
    tail makes the search complete, so a value is declared impossible only after every
    filling has been tried.
    """
    for other in range(len(truth)):
        if other == position:
            continue
        filling = list(truth)
        filling[position] = value
        filling[other] += truth[position] - value
        if all(v in r for v, r in zip(filling, ranges, strict=True)):
            yield tuple(filling)
    fixed = [range(value, value + 1) if i == position else r for i, r in enumerate(ranges)]
    yield from _fillings(sum(truth), fixed)


def _impossible_values(values: tuple[int, ...], recorded: int) -> list[tuple[int, int]]:
    """(cell, value) pairs for "<T" cells that no identically published table allows.

    A reader sees the published table and knows the algorithm. They rebuild every table
    consistent with it: same total and published cells, "<T" cells in 1..T-1, "–" cells
    anywhere in 0..total, and keep those that the algorithm publishes identically.
    """
    published = _table(values, recorded)
    hidden = [i for i, cell in enumerate(published.cells) if cell.suppressed]
    primary = [p for p, i in enumerate(hidden) if published.cells[i].reason == "primary"]
    hidden_sum = recovered_by_subtraction(published)
    ranges = [range(1, T) if p in primary else range(hidden_sum + 1) for p in range(len(hidden))]
    truth = tuple(values[i] for i in hidden)

    def publishes_identically(filling: tuple[int, ...]) -> bool:
        candidate = list(values)
        for i, value in zip(hidden, filling, strict=True):
            candidate[i] = value
        return _table(tuple(candidate), recorded) == published

    return [
        (hidden[p], value)
        for p in primary
        for value in range(1, T)
        if value != truth[p]
        and not any(map(publishes_identically, _fillings_with(p, value, truth, ranges)))
    ]


def _tables_to_attack():
    for n in (2, 3):
        for values in itertools.product(range(13), repeat=n):
            yield values, n
    # Four cells: a fixed sample, the last one given as the "not recorded" remainder.
    for k, values in enumerate(itertools.product(range(13), repeat=4)):
        if k % 23 == 0:
            yield values, 3


def test_a_reader_who_reruns_the_algorithm_cannot_narrow_a_small_count():
    """Every "<5" keeps all of 1..4 possible, so none is ever pinned down to one value."""
    attacked = 0
    for values, recorded in _tables_to_attack():
        if sum(values) < T:
            continue  # everything withheld, nothing to attack
        impossible = _impossible_values(values, recorded)
        for cell in {cell for cell, _value in impossible}:
            ruled_out = {value for c, value in impossible if c == cell}
            assert len(ruled_out) < T - 2, f"{values}: cell {cell} pinned to {values[cell]}"
        assert impossible == [], f"{values}: the reader rules out {impossible}"
        attacked += 1
    assert attacked > 3000
