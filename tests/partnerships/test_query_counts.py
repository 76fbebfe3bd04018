"""Pages run a fixed number of SQL queries, however much data there is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import Sector, Visibility
from tests.factories import (
    ContributionFactory,
    MilestoneFactory,
    OrganisationFactory,
    PartnerFactory,
    PartnershipFactory,
)

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


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_partnership_list_runs_the_same_queries_at_20_and_200_partnerships(
    client, as_user, outsider, signed_in
):
    browser = as_user(outsider) if signed_in else client
    build(20)
    at_20 = count_queries(browser, reverse("partnerships:list"))
    build(180)
    at_200 = count_queries(browser, reverse("partnerships:list"))
    # Visitor: countries for the filter, sectors for the filter, count, page,
    # the page's sectors, the page's partners with organisations = 6.
    # Signed in adds the session and the user (2).
    assert at_20 == at_200
    assert at_200 <= (8 if signed_in else 6)


def test_the_partnership_page_runs_the_same_queries_however_big_the_partnership(client):
    small = build(1)[0]
    at_small = count_queries(client, small.get_absolute_url())
    big = build(1)[0]
    orgs = OrganisationFactory.create_batch(40)
    for org in orgs:
        ContributionFactory.create_batch(
            3, partner=PartnerFactory(partnership=big, organisation=org)
        )
    MilestoneFactory.create_batch(40, partnership=big)
    at_big = count_queries(client, big.get_absolute_url())
    # The visible partnership, its sectors, partners with organisations, milestones,
    # cost sharing sums, whether it has a public community side = 6.
    assert at_small == at_big
    assert at_big <= 6


def test_the_partnership_page_for_partner_staff_stays_fixed(as_user, partnership, lead):
    url = partnership.get_absolute_url()
    at_small = count_queries(as_user(lead), url)
    for _ in range(30):
        ContributionFactory(partner=PartnerFactory(partnership=partnership))
    assert count_queries(as_user(lead), url) == at_small


def test_the_home_page_runs_the_same_queries_at_20_and_200_partnerships(client):
    build(20)
    at_20 = count_queries(client, reverse("home"))
    build(180)
    assert count_queries(client, reverse("home")) == at_20


def test_the_organisation_list_and_page_run_fixed_queries(client):
    build(20)
    org = PartnerFactory().organisation
    list_20 = count_queries(client, reverse("partnerships:organisation_list"))
    page_20 = count_queries(client, org.get_absolute_url())
    build(60)
    for partnership in PartnershipFactory.create_batch(20):
        PartnerFactory(partnership=partnership, organisation=org)
    assert count_queries(client, reverse("partnerships:organisation_list")) == list_20
    assert count_queries(client, org.get_absolute_url()) == page_20
