"""Pages run a fixed number of SQL queries, however much data there is.

The site-wide figures some pages show come from the versioned cache (harambee.pagecache):
each page is measured right after the public version changed ("cold", the figures are
computed) and again ("warm", they are not).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from harambee import pagecache
from partnerships.models import Sector, Visibility
from tests.communities.factories import make_assessment, make_community, make_validated
from tests.factories import (
    ContributionFactory,
    MilestoneFactory,
    OrganisationFactory,
    PartnerFactory,
    PartnershipFactory,
)
from tests.scorecards.factories import make_indicator, make_outcome

pytestmark = pytest.mark.django_db


def build(n: int) -> list:
    """n public partnerships, each with two sectors, three partners, contributions, milestones."""
    sectors = list(Sector.objects.all()[:4])
    orgs = OrganisationFactory.create_batch(6)
    partnerships = PartnershipFactory.create_batch(n, visibility=Visibility.PUBLIC)
    for i, partnership in enumerate(partnerships):
        partnership.sectors.set(sectors[i % 2 : i % 2 + 2])
        for k, role in enumerate([2, 1, 4]):
            partner = PartnerFactory(
                partnership=partnership, organisation=orgs[(i + k) % 6], role=role, is_lead=k == 0
            )
            ContributionFactory(partner=partner)
        MilestoneFactory.create_batch(2, partnership=partnership)
    return partnerships


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def cold_and_warm():
    """The queries of a GET of ``url`` after the public version changed (as a service's
    commit changes it), then of the same GET again."""

    def measure(client, url) -> tuple[int, int]:
        # What a commit's bump does (``bump()`` itself would wait for the commit of the
        # test's transaction while a service's bump is pending in it).
        pagecache._bump_now()
        return count_queries(client, url), count_queries(client, url)

    return measure


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_partnership_list_runs_the_same_queries_at_20_and_200_partnerships(
    client, as_user, outsider, signed_in, cold_and_warm
):
    browser = as_user(outsider) if signed_in else client
    build(20)
    at_20 = cold_and_warm(browser, reverse("partnerships:list"))
    build(180)
    at_200 = cold_and_warm(browser, reverse("partnerships:list"))
    # Visitor, warm: the page, the page's sectors, the page's partners with organisations
    # = 3 (the countries and sectors of the filter and the total are site-wide figures).
    # Cold adds those figures: the public partnerships by status, by country and by sector
    # (the totals), the sectors' names (the filter's choices and the cards') = 4.
    # Signed in adds the session and the user, and the countries and the number of the
    # user's own non-public partnerships (4).
    assert at_20 == at_200
    assert at_200 == ((11, 7) if signed_in else (7, 3))


def test_the_partnership_page_runs_the_same_queries_however_big_the_partnership(client):
    small = build(1)[0]
    count_queries(client, small.get_absolute_url())  # the sectors' names, once per version
    at_small = count_queries(client, small.get_absolute_url())
    big = build(1)[0]
    orgs = OrganisationFactory.create_batch(40)
    for org in orgs:
        ContributionFactory.create_batch(
            3, partner=PartnerFactory(partnership=big, organisation=org)
        )
    MilestoneFactory.create_batch(40, partnership=big)
    at_big = count_queries(client, big.get_absolute_url())
    # The visible partnership with its sections' figures (whether it has a public
    # community side, its number of outcomes), its sectors, partners with organisations,
    # milestones, cost sharing sums = 5.
    assert at_small == at_big == 5


def add_sides(partnership, *, assessments: int, outcomes: int) -> None:
    """A community side (``assessments`` validated needs assessments and a draft) and a
    scorecard (``outcomes`` outcomes with an indicator each), through the services."""
    lead = partnership.partners.get(is_lead=True)
    organisation = lead.organisation
    community = make_community(by=None, organisation=organisation)
    for n in range(assessments):
        make_validated(
            community=community,
            organisation=organisation,
            partnership=partnership,
            total=9,
            counts={},
            needs=1,
            title=f"Meeting {n}",
        )
    make_assessment(community=community, organisation=organisation, partnership=partnership)
    for n in range(outcomes):
        make_indicator(make_outcome(partnership, None, title=f"Outcome {n}"), lead)


def test_the_partnership_page_runs_five_queries_however_many_assessments_and_outcomes(
    client, cold_and_warm
):
    one = build(1)[0]
    add_sides(one, assessments=1, outcomes=1)
    at_one = cold_and_warm(client, one.get_absolute_url())
    several = build(4)
    for partnership in several:
        add_sides(partnership, assessments=3, outcomes=5)
    at_several = cold_and_warm(client, several[-1].get_absolute_url())
    # Warm: the visible partnership with its sections' figures (whether it has a validated
    # needs assessment, its number of outcomes), its sectors, partners with organisations,
    # milestones, cost sharing sums = 5. Cold adds the scorecard section's roll-up, from
    # the facts of the status: indicators, targets, readings, and the sectors' names = 4.
    assert at_one == at_several == (9, 5)


def test_the_partnership_page_for_partner_staff_stays_fixed(as_user, partnership, lead):
    url = partnership.get_absolute_url()
    count_queries(as_user(lead), url)  # the sectors' names, once per public version
    at_small = count_queries(as_user(lead), url)
    for _ in range(30):
        ContributionFactory(partner=PartnerFactory(partnership=partnership))
    assert count_queries(as_user(lead), url) == at_small


def test_the_home_page_runs_the_same_queries_at_20_and_200_partnerships(client, cold_and_warm):
    build(20)
    at_20 = cold_and_warm(client, reverse("home"))
    build(180)
    # Warm: the latest cards, their sectors, their partners with organisations = 3.
    # Cold adds the home figures: the public partnerships by status, by country and by
    # sector (the list's totals, which the figures repeat), their organisations = 4, and
    # the sectors' names the cards show (1).
    assert cold_and_warm(client, reverse("home")) == at_20
    assert at_20 == (8, 3)


def test_the_organisation_list_and_page_run_fixed_queries(client, cold_and_warm):
    build(20)
    org = PartnerFactory().organisation
    list_20 = cold_and_warm(client, reverse("partnerships:organisation_list"))
    page_small = cold_and_warm(client, org.get_absolute_url())
    build(60)
    for partnership in PartnershipFactory.create_batch(25, visibility=Visibility.PUBLIC):
        PartnerFactory(partnership=partnership, organisation=org)
    page_25 = cold_and_warm(client, org.get_absolute_url())
    for partnership in PartnershipFactory.create_batch(25, visibility=Visibility.PUBLIC):
        PartnerFactory(partnership=partnership, organisation=org)
    # The list, warm: the page, the page's public partnership counts = 2; cold adds the
    # number of organisations (1).
    assert cold_and_warm(client, reverse("partnerships:organisation_list")) == list_20
    assert list_20 == (3, 2)
    # The page: the organisation, the number of its visible roles, a page of them = 3;
    # the first page of an organisation with no more roles than a page holds needs no
    # count (its roles are read with one more, to know) = 2.
    assert cold_and_warm(client, org.get_absolute_url()) == page_25 == (3, 3)
    assert page_small == (2, 2)
