"""What visitors see: aggregated, disclosure-controlled, and never personal data."""

import re

import pytest
from django.urls import reverse

from tests.communities.conftest import REPRESENTATIVE_NAME, REPRESENTATIVE_PHONE
from tests.communities.factories import LATITUDE, LONGITUDE, SECRET_NOTE, make_validated

pytestmark = pytest.mark.django_db

CELL_RE = re.compile(r'<td class="num[^"]*" data-category="([^"]+)">([^<]*)</td>')
TOTAL_RE = re.compile(r"<strong data-total>([^<]*)</strong>")


def public_page(client, partnership) -> str:
    response = client.get(reverse("communities:partnership_public", args=[partnership.slug]))
    assert response.status_code == 200
    return response.content.decode()


def table_cells(html: str, dimension: str) -> dict[str, str]:
    """The displayed count per category in the public table of one dimension."""
    match = re.search(rf'<table data-dimension="{dimension}">(.*?)</table>', html, re.S)
    assert match, f"no {dimension} table"
    return {category: text.replace("&lt;", "<") for category, text in CELL_RE.findall(match[1])}


@pytest.fixture
def published(community, organisation, partnership):
    return make_validated(
        community=community,
        organisation=organisation,
        partnership=partnership,
        total=43,
        counts={
            ("sex", "female"): 3,
            ("sex", "male"): 40,
            ("age_group", "youth"): 20,
            ("age_group", "adults"): 23,
        },
    )


def test_a_count_of_3_is_never_shown_as_3(client, partnership, published):
    html = public_page(client, partnership)

    cells = table_cells(html, "sex")
    assert cells["female"] == "<5"
    assert "3" not in cells.values()
    assert table_cells(html, "age_group")["youth"] == "20"


def test_a_hidden_cell_cannot_be_recovered_from_the_total_and_the_other_cells(
    client, partnership, published
):
    html = public_page(client, partnership)

    total = int(TOTAL_RE.search(html)[1])
    cells = table_cells(html, "sex")
    published_numbers = [int(text) for text in cells.values() if text.isdigit()]
    withheld = [category for category, text in cells.items() if not text.isdigit()]
    assert total == 43
    # 43 minus the published cells is shared by at least two withheld cells, so neither
    # the 3 women nor the 40 men can be worked out.
    assert len(withheld) >= 2
    assert total - sum(published_numbers) == 43
    assert cells["male"] == "–"
    assert "40" not in cells.values()


def test_each_assessment_is_published_on_its_own_never_as_a_running_sum(
    client, community, organisation, partnership
):
    # A running sum would let anyone subtract yesterday's figures from today's and
    # recover a small assessment exactly.
    make_validated(
        community=community,
        organisation=organisation,
        partnership=partnership,
        total=40,
        counts={("sex", "female"): 20, ("sex", "male"): 20},
    )
    before = public_page(client, partnership)
    make_validated(
        community=community,
        organisation=organisation,
        partnership=partnership,
        total=3,
        counts={("sex", "female"): 2, ("sex", "male"): 1},
    )

    after = public_page(client, partnership)

    assert TOTAL_RE.findall(before) == ["40"]
    assert sorted(TOTAL_RE.findall(after)) == ["&lt;5", "40"]
    assert ">43<" not in after and ">22<" not in after


def test_a_small_disability_count_uses_the_sensitive_threshold(
    client, community, organisation, partnership
):
    make_validated(
        community=community,
        organisation=organisation,
        partnership=partnership,
        total=60,
        counts={
            ("disability", "with_disability"): 7,
            ("disability", "without_disability"): 53,
        },
    )

    cells = table_cells(public_page(client, partnership), "disability")

    assert cells["with_disability"] == "<10"
    assert "7" not in cells.values()


def test_percentages_appear_only_for_published_cells(client, partnership, published):
    html = public_page(client, partnership)

    row = re.search(r'data-category="female">[^<]*</td><td class="num">([^<]*)</td>', html)
    assert row[1] == ""
    assert re.search(r'data-category="youth">20</td><td class="num">46.5</td>', html)


def test_the_legend_explains_the_marks(client, partnership, published):
    html = public_page(client, partnership)

    assert "About these numbers" in html
    assert "cannot be worked out" in html


def test_personal_data_and_coordinates_never_appear_on_public_pages(
    client, community, partnership, published
):
    pages = [
        public_page(client, partnership),
        client.get(partnership.get_absolute_url()).content.decode(),
        client.get(reverse("partnerships:list")).content.decode(),
        client.get(reverse("home")).content.decode(),
    ]

    assert community.name in pages[0]
    for html in pages:
        for secret in [
            LATITUDE,
            LONGITUDE,
            "12.34",
            REPRESENTATIVE_NAME,
            REPRESENTATIVE_PHONE,
            SECRET_NOTE,
        ]:
            assert secret not in html


def test_staff_pages_do_show_coordinates_representatives_and_notes(
    staff, as_user, community, published
):
    client = as_user(staff)
    community_page = client.get(community.get_absolute_url()).content.decode()
    assessment_page = client.get(published.get_absolute_url()).content.decode()

    assert LATITUDE in community_page
    assert REPRESENTATIVE_NAME in community_page
    assert SECRET_NOTE in assessment_page


def test_assessments_of_other_partnerships_are_not_mixed_in(
    client, community, organisation, partnership, published
):
    from tests.factories import PartnershipFactory

    other = PartnershipFactory()
    make_validated(
        community=community,
        organisation=organisation,
        partnership=other,
        title="Other partnership's meeting",
        total=500,
        counts={},
    )

    html = public_page(client, partnership)

    assert "Other partnership's meeting" not in html
    assert TOTAL_RE.search(html)[1] == "43"


def test_people_affected_by_a_need_of_people_with_disabilities_use_the_sensitive_threshold(
    client, community, organisation, partnership
):
    from communities import services
    from tests.communities.factories import make_assessment

    assessment = make_assessment(
        community=community, organisation=organisation, partnership=partnership
    )
    services.assessment_set_participants(assessment=assessment, total=30, counts={})
    services.need_add(
        assessment=assessment,
        title="Ramps at the water point",
        severity="high",
        groups_affected=["disabilities"],
        people_affected=7,
    )
    services.need_add(
        assessment=assessment, title="Evening classes", severity="low", people_affected=7
    )
    services.assessment_submit(assessment=assessment)
    services.assessment_validate(assessment=assessment)

    html = public_page(client, partnership)

    rows = re.findall(r"<tr><td class=\"num\">\d+</td><td>(.*?)</tr>", html, re.S)
    ramps = next(row for row in rows if "Ramps" in row)
    classes = next(row for row in rows if "Evening" in row)
    assert ">&lt;10</td>" in ramps and ">7</td>" not in ramps
    assert ">7</td>" in classes


def test_the_public_community_page_weighs_under_100_kb(
    client, community, organisation, partnership
):
    from tests.partnerships.test_page_weight import LIMIT, page_weight

    for n in range(3):
        make_validated(
            community=community,
            organisation=organisation,
            partnership=partnership,
            title=f"Meeting {n}",
            total=60,
            counts={("sex", "female"): 31, ("sex", "male"): 29, ("age_group", "youth"): 4},
            needs=15,
        )
    url = reverse("communities:partnership_public", args=[partnership.slug])
    assert page_weight(client, url) < LIMIT


def test_published_counts_read_with_the_readers_thousands_separator(
    client, community, organisation, partnership
):
    make_validated(
        community=community,
        organisation=organisation,
        partnership=partnership,
        total=3000,
        counts={("sex", "female"): 1234, ("sex", "male"): 1766},
    )
    url = reverse("communities:partnership_public", args=[partnership.slug])

    english = table_cells(client.get(url).content.decode(), "sex")
    french = table_cells(client.get(f"/fr{url}").content.decode(), "sex")

    assert english["female"] == "1,234"
    assert french["female"] == "1\u00a0234"
