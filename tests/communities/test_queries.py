"""The staff pages and the public page cost a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities import services
from tests.communities.factories import add_needs, make_assessment, make_validated

pytestmark = pytest.mark.django_db

COUNTS = {
    ("sex", "female"): 12,
    ("sex", "male"): 3,
    ("age_group", "youth"): 9,
    ("disability", "with_disability"): 2,
    ("wealth_group", "poorest"): 6,
}


def build(community, organisation, partnership, *, needs: int, assessments: int):
    """``assessments`` validated assessments plus a draft, each with ``needs`` needs."""
    for n in range(assessments):
        make_validated(
            community=community,
            organisation=organisation,
            partnership=partnership,
            title=f"Meeting {n}",
            total=15,
            counts=COUNTS,
            needs=needs,
        )
    draft = make_assessment(community=community, organisation=organisation, partnership=partnership)
    services.assessment_set_participants(assessment=draft, total=15, counts=COUNTS)
    add_needs(draft, needs)
    for n in range(assessments):
        services.representative_add(community=community, name=f"Representative {n}")
        services.asset_add(community=community, kind="devices", title=f"Phones {n}")
    return draft


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.fixture
def small_and_large(community, organisation, partnership, staff, as_user):
    """Query counts of each page with 3 needs and 1 assessment, then 60 needs and 4."""

    def measure(url_of):
        client = as_user(staff)
        draft = build(community, organisation, partnership, needs=3, assessments=1)
        small = count_queries(client, url_of(community, draft))
        draft = build(community, organisation, partnership, needs=60, assessments=3)
        large = count_queries(client, url_of(community, draft))
        return small, large

    return measure


def test_the_community_page_runs_a_fixed_number_of_queries(small_and_large):
    small, large = small_and_large(lambda community, _draft: community.get_absolute_url())

    # 1 session, 2 user, 3 community (visible_to, with the membership subqueries),
    # 4 organisations, 5 assessments, 6 ranked needs with assessment and sector,
    # 7 assets with their assessment, 8 representatives.
    assert small == large == 8


def test_the_assessment_page_runs_a_fixed_number_of_queries(small_and_large):
    small, large = small_and_large(lambda _community, draft: draft.get_absolute_url())

    # 1 session, 2 user, 3 assessment with community, facilitator and partnership,
    # 4 whether the user may see that partnership, 5 needs with sector,
    # 6 participant counts, 7 assets, 8 sectors for the need form.
    assert small == large == 8


def test_the_public_page_runs_a_fixed_number_of_queries(client, partnership, small_and_large):
    url = reverse("communities:partnership_public", args=[partnership.slug])
    small, large = small_and_large(lambda _community, _draft: url)

    # 1 session, 2 user (the staff client is signed in), 3 partnership, 4 validated
    # assessments with community, 5 needs with sector, 6 assets, 7 summed counts.
    assert small == large == 7
