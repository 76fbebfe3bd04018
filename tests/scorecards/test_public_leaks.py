"""What the public scorecard must never show: readings that are not verified (their values,
comments, narratives), internal evidence, superseded values as current, a disaggregated
value of a group below the threshold, or anything at all of a partnership the reader may
not see. And no sum or difference of what it shows gives a withheld value back."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from partnerships.models import Visibility
from scorecards import services
from scorecards.models import IndicatorMeasure
from tests.factories import PartnershipFactory
from tests.scorecards.factories import make_indicator, make_outcome
from tests.scorecards.test_public_page import (
    advance,
    day,
    page,
    pdf,
    reading,
    section,
    text_of,
    timed_indicator,
)

pytestmark = pytest.mark.django_db

SECRET_COMMENT = "Names of the absent farmers: Amina, Baraka"
INTERNAL_TITLE = "Attendance sheet with faces"


@pytest.fixture
def outcome(partnership, lead, implementer):
    return make_outcome(partnership, lead, title="Farmers get fair prices", partners=[implementer])


@pytest.fixture
def prices(outcome, implementer):
    return timed_indicator(outcome, implementer, title="Prices", unit_label="farmers")


@pytest.fixture
def unpublished(prices, partner_staff, lead):
    """One verified reading (41) with a public and an internal file; then a returned
    (5,251), a submitted (6,362) and a draft (7,473) reading, each with a comment, a public
    file and a public link that must not show."""
    shown = reading(prices, partner_staff, state="draft", ended=-100, value="41")
    services.evidence_add(
        reading=shown, by=partner_staff, file=pdf(), title="Public register", is_public=True
    )
    internal = services.evidence_add(
        reading=shown, by=partner_staff, file=pdf("Faces.pdf"), title=INTERNAL_TITLE
    )
    advance(shown, partner_staff, lead, "verified")
    hidden = {}
    for ended, value, state in [
        (-70, "5251", "returned"),
        (-40, "6362", "submitted"),
        (-10, "7473", "draft"),
    ]:
        made = reading(
            prices,
            partner_staff,
            state="draft",
            ended=ended,
            value=value,
            comment=f"{SECRET_COMMENT} ({state})",
        )
        file = services.evidence_add(
            reading=made,
            by=partner_staff,
            file=pdf(),
            title=f"File of the {state} reading",
            is_public=True,
        )
        services.evidence_add(
            reading=made,
            by=partner_staff,
            is_public=True,
            url=f"https://example.org/{state}",
            title=f"Link {state}",
        )
        hidden[state] = (advance(made, partner_staff, lead, state), file)
    return {"shown": shown, "internal": internal, "hidden": hidden}


def _evidence_url(piece) -> str:
    return reverse("scorecards:evidence", args=[piece.pk])


@pytest.mark.parametrize("viewer", ["visitor", "outsider", "partner_staff", "lead", "funder"])
def test_nobody_sees_a_reading_that_is_not_verified_here_nor_internal_evidence(
    request, client, as_user, partnership, prices, unpublished, viewer
):
    """The public page is the same for everyone: partners see the rest on staff pages."""
    browser = client if viewer == "visitor" else as_user(request.getfixturevalue(viewer))
    html = page(browser, partnership)
    words = text_of(html)

    assert "41 farmers" in words
    assert "Public register" in words
    for state, (made, file) in unpublished["hidden"].items():
        assert f"{made.value:,.0f}" not in words, state
        assert f"{made.value:.0f}" not in html, state
        assert f"File of the {state} reading" not in words
        assert _evidence_url(file) not in html
        assert f"https://example.org/{state}" not in html
    assert SECRET_COMMENT not in html
    assert INTERNAL_TITLE not in html
    assert _evidence_url(unpublished["internal"]) not in html
    # The evidence strength speaks of the internal file without showing it.
    assert "Evidence of the latest reading: Data or document" in words


def test_the_status_is_the_same_for_everyone_and_counts_only_verified_readings(
    client, as_user, partnership, prices, unpublished, lead
):
    visitor = text_of(section(page(client, partnership), f"indicator-{prices.pk}"))
    inside = text_of(section(page(as_user(lead), partnership), f"indicator-{prices.pk}"))

    assert "Now 41 farmers" in visitor
    assert visitor == inside.replace("This indicator on the staff pages", "").strip()


def test_a_superseded_value_is_never_shown_as_current_nor_at_all(
    client, partnership, prices, partner_staff, lead
):
    first = reading(prices, partner_staff, lead, ended=-1, value="987", comment="Miscounted")
    correction = services.reading_correct(reading=first, by=partner_staff, value="321")
    services.reading_submit(reading=correction, by=partner_staff)
    services.reading_verify(reading=correction, by=lead)

    words = text_of(page(client, partnership))

    assert "Now 321 farmers" in words
    assert "987" not in words
    assert "1 verified reading, latest 321 on" in words


def test_a_superseded_value_stays_current_until_its_correction_is_verified(
    client, partnership, prices, partner_staff, lead
):
    first = reading(prices, partner_staff, lead, ended=-1, value="987")
    correction = services.reading_correct(reading=first, by=partner_staff, value="321")
    services.reading_submit(reading=correction, by=partner_staff)

    words = text_of(page(client, partnership))

    assert "Now 987 farmers" in words and "321" not in words


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.DRAFT])
def test_the_scorecard_of_a_partnership_that_is_not_public_is_404_for_outsiders(
    client,
    as_user,
    partnership,
    prices,
    unpublished,
    outsider,
    panel_member,
    visibility,
    partner_staff,
    funder,
):
    partnership.visibility = visibility
    partnership.save(update_fields=["visibility"])
    url = reverse("scorecards:scorecard", args=[partnership.slug])

    for browser in (client, as_user(outsider), as_user(panel_member)):
        assert browser.get(url).status_code == 404
    assert client.get(reverse("scorecards:scorecard", args=["no-such-thing"])).status_code == 404
    for insider in (partner_staff, funder):
        html = page(as_user(insider), partnership)
        # Inside, still only what the public would see once the partnership is public.
        assert "41 farmers" in text_of(html)
        assert SECRET_COMMENT not in html and INTERNAL_TITLE not in html
        assert "6,362" not in text_of(html)


def test_the_partnership_page_section_of_a_hidden_partnership_is_not_reachable(client):
    hidden = PartnershipFactory(visibility=Visibility.PRIVATE)

    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("scorecards:scorecard", args=[hidden.slug])).status_code == 404


# --- disaggregated values --------------------------------------------------------------------


# A cumulative count of hours by sex over three periods. Period 1: 3 men (below the
# threshold of 5), so the whole dimension is withheld; period 2: both groups published,
# their totals to date withheld (period 1 would follow by subtraction); period 3: one man,
# withheld again. Two decimals, so that no sum of unrelated numbers hits a secret by chance.
PERIODS = [
    (-100, "69.24", 23, {"female": (20, "61.93"), "male": (3, "7.31")}),
    (-70, "43.63", 21, {"female": (12, "25.17"), "male": (9, "18.46")}),
    (-40, "32.83", 15, {"female": (14, "30.62"), "male": (1, "2.21")}),
]
SECRETS = {  # every value of a withheld period, and every total to date by group
    "period 1, women": Decimal("61.93"),
    "period 1, men": Decimal("7.31"),
    "period 3, women": Decimal("30.62"),
    "period 3, men": Decimal("2.21"),
    "women to date after period 2": Decimal("87.10"),
    "men to date after period 2": Decimal("25.77"),
    "women to date after period 3": Decimal("117.72"),
    "men to date after period 3": Decimal("27.98"),
}


def cells(groups: dict) -> list[dict]:
    """``{"female": (people, value)}`` as the service takes them."""
    return [
        {"dimension": "sex", "category": category, "people": people, "value": Decimal(value)}
        for category, (people, value) in groups.items()
    ]


@pytest.fixture
def hours(outcome, implementer):
    return timed_indicator(
        outcome,
        implementer,
        title="Training hours",
        unit_label="hours",
        cumulative=True,
        dimensions=["sex"],
        target=1000,
    )


def add_period(indicator, reporter, verifier, period) -> None:
    ended, value, people, groups = period
    reading(
        indicator,
        reporter,
        verifier,
        ended=ended,
        value=value,
        people=people,
        disaggregations=cells(groups),
    )


@pytest.fixture
def trained(hours, partner_staff, lead):
    for period in PERIODS:
        add_period(hours, partner_staff, lead, period)
    return hours


_DATE = re.compile(r"\b[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}\b")  # "Nov. 30, 2026"


def published_numbers(html: str) -> set[Decimal]:
    """Every number the page shows for the indicator in its words (the chart's labels and
    its text alternative included), dates aside; English formatting, commas dropped."""
    words = _DATE.sub(" ", text_of(html))
    found = re.findall(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?", words)
    return {Decimal(number.replace(",", "")) for number in found}


def recoverable(numbers: set[Decimal], secret: Decimal, *, terms: int = 3) -> bool:
    """Whether a sum or difference of up to ``terms`` distinct published numbers equals
    the secret: across groups, the total and periods, as a reader would try."""
    candidates = sorted(numbers)
    for size in range(1, terms + 1):
        for combination in itertools.combinations(candidates, size):
            for signs in itertools.product((1, -1), repeat=size):
                if sum(s * n for s, n in zip(signs, combination, strict=True)) == secret:
                    return True
    return False


def test_a_group_below_the_threshold_shows_no_value_and_the_withheld_note(
    client, partnership, trained
):
    # The page shows the latest period, period 3: one man, so the dimension is withheld.
    html = section(page(client, partnership), f"indicator-{trained.pk}")
    words = text_of(html)

    assert "Withheld: a group had fewer than 5 people, so none of its values are shown." in words
    assert "2.21" not in words and "30.62" not in words
    assert 'data-dimension="sex"' in html and "<table" not in html


def test_the_published_groups_are_shown_with_their_people_and_values(
    client, partnership, hours, partner_staff, lead
):
    add_period(hours, partner_staff, lead, (-70, "43.63", 26, PERIODS[1][3]))

    words = text_of(section(page(client, partnership), f"indicator-{hours.pk}"))

    assert "Female 12 25.17 25.17" in words and "Male 9 18.46 18.46" in words
    assert "Not recorded 5 — —" in words  # the 5 people the groups leave out


def test_no_sum_or_difference_of_the_published_numbers_recovers_a_withheld_value(
    client, partnership, trained
):
    numbers = published_numbers(section(page(client, partnership), f"indicator-{trained.pk}"))

    assert {Decimal("69.24"), Decimal("145.7")} <= numbers  # totals and running value
    for name, secret in SECRETS.items():
        assert secret not in numbers, name
        assert not recoverable(numbers, secret), name


def test_the_pages_of_every_period_together_recover_nothing_either(
    client, partnership, hours, partner_staff, lead
):
    """A reader who saved the page after each period (its groups are the latest
    period's) still recovers nothing from all of them together."""
    numbers: set[Decimal] = set()
    for period in PERIODS:
        add_period(hours, partner_staff, lead, period)
        numbers |= published_numbers(section(page(client, partnership), f"indicator-{hours.pk}"))

    assert {Decimal("25.17"), Decimal("18.46")} <= numbers  # period 2's groups were shown
    for name, secret in SECRETS.items():
        assert not recoverable(numbers, secret), name


def test_the_attack_finds_a_value_that_leaks(client, partnership, trained):
    """Guards the guard: were the women's total to date after period 2 published, period
    1's men would follow: 69.24 - (87.10 - 25.17)."""
    numbers = published_numbers(section(page(client, partnership), f"indicator-{trained.pk}"))

    assert not recoverable(numbers | {Decimal("25.17")}, Decimal("7.31"))
    assert recoverable(numbers | {Decimal("87.10"), Decimal("25.17")}, Decimal("7.31"))


def test_an_ordinal_indicator_shows_its_verified_level_only(
    client, partnership, outcome, implementer, partner_staff, lead
):
    levels = [(1, "Low", ""), (2, "Some", ""), (3, "High", ""), (4, "Full", "")]
    trust = make_indicator(
        outcome,
        implementer,
        title="Trust",
        measure=IndicatorMeasure.ORDINAL,
        baseline_value=1,
        baseline_date=day(-360),
        targets=[(day(90), 4)],
        levels=levels,
        unit_label="",
    )
    reading(trust, partner_staff, lead, value=None, level=2)
    reading(trust, partner_staff, state="submitted", ended=0, length=1, value=None, level=3)

    words = text_of(section(page(client, partnership), f"indicator-{trust.pk}"))

    assert "Now level 2, “Some”" in words
    assert "High" in words  # in the description of the rubric's levels only
    assert "level 3, “High”" not in words
