"""Light pages for slow connections: a public page's HTML, CSS and JavaScript together
stay under 100 KB, and its first screen (the compressed HTML and CSS) under 14 KB, the
first round trip of a new connection."""

import gzip
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse

from communities.models import AssessmentStatus
from harambee.sections import partnership_sections
from partnerships.codelists import OrganisationRole
from partnerships.models import Contribution, ContributionKind, ContributionStatus, Partnership
from tests.communities.factories import make_community, make_validated
from tests.factories import (
    ContributionFactory,
    MilestoneFactory,
    OrganisationFactory,
    PartnerFactory,
)
from tests.partnerships.test_query_counts import build

pytestmark = pytest.mark.django_db

LIMIT = 100 * 1024


def page_weight(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert assets, "the page should link its stylesheet"
    total = len(response.content)
    for asset in assets:
        path = finders.find(asset)
        assert path, f"{asset} is not served by the site itself"
        with open(path, "rb") as f:
            total += len(f.read())
    return total


def test_the_partnership_list_page_weighs_under_100_kb(client):
    build(45)  # more than two full pages of results
    assert page_weight(client, reverse("partnerships:list")) < LIMIT


def test_the_partnership_page_weighs_under_100_kb(client):
    partnership = build(1)[0]
    assert page_weight(client, partnership.get_absolute_url()) < LIMIT


def test_pages_load_nothing_from_other_sites(client):
    build(3)
    html = client.get(reverse("partnerships:list")).content.decode()
    assert not re.search(r'(?:href|src)="(?:https?:)?//', html.split("<main", 1)[0])


# --- the first screen in one round trip ----------------------------------------------------------

FIRST_ROUND_TRIP = 14 * 1024
ORGANISATION_NAMES = [
    "Kenya Organisation for Rural Information Networks",
    "Coast Women in Technology Association",
    "Ministry of Information, Communications and the Digital Economy",
    "East African Community Broadband Initiative",
    "Coast Polytechnic School of Computing and Informatics",
    "Mobile Operators Foundation for Connected Communities",
    "Pwani Farmers Cooperative Union",
    "International Fund for Digital Inclusion",
]
ROLES = [OrganisationRole.FUNDING, OrganisationRole.EXTENDING, OrganisationRole.IMPLEMENTING]


def _heaviest_public_demo_partnership() -> Partnership:
    """The demo partnership that the apps' demo builders give the most to, so that every
    section another app adds to the partnership page (communities, scorecards, reviews...)
    has something to show."""
    return (
        Partnership.objects.public()
        .annotate(
            validated=Count(
                "needs_assessments",
                filter=Q(needs_assessments__status=AssessmentStatus.VALIDATED),
                distinct=True,
            ),
            partner_rows=Count("partners", distinct=True),
        )
        .order_by("-validated", "-partner_rows", "pk")
        .first()
    )


def _top_up(partnership: Partnership) -> None:
    """To 12 partners, 3 communities with published needs assessments, 30 contributions
    and 20 milestones, with names and texts as long as real ones."""
    for i, name in enumerate(ORGANISATION_NAMES[: 12 - partnership.partners.count()]):
        PartnerFactory(
            partnership=partnership,
            organisation=OrganisationFactory(name=name, acronym=""),
            role=ROLES[i % len(ROLES)],
            joined_on=date(2026, 1 + i % 6, 1),
            responsibilities="Trains community reporters and keeps the SMS gateway running.",
        )
    partners = list(partnership.partners.select_related("organisation"))
    assert len(partners) == 12
    lead = next(p for p in partners if p.is_lead).organisation
    for i in range(3 - partnership.needs_assessments.filter(status="validated").count()):
        community = make_community(by=None, organisation=lead, name=f"Kaloleni ward {i}")
        make_validated(
            community=community,
            organisation=lead,
            partnership=partnership,
            total=120,
            counts={("sex", "female"): 64, ("sex", "male"): 56, ("age_group", "youth"): 40},
            needs=6,
        )
    assert partnership.needs_assessments.filter(status="validated").count() >= 3
    existing = Contribution.objects.filter(partner__partnership=partnership).count()
    for i in range(30 - existing):
        ContributionFactory(
            partner=partners[i % 12],
            kind=[ContributionKind.CASH, ContributionKind.IN_KIND][i % 2],
            amount=Decimal(25_000 + 1_250 * i),
            currency=["KES", "USD"][i % 2],
            status=[ContributionStatus.PLEDGED, ContributionStatus.DELIVERED][i % 2],
            description="Airtime and data bundles for community reporters",
        )
    for i in range(20 - partnership.milestones.count()):
        MilestoneFactory(
            partnership=partnership,
            title=f"Ward {i + 1}: reporters trained and first market prices broadcast",
            date=date(2026, 1 + i % 12, 1 + i),
            achieved=i % 3 == 0,
        )


@pytest.fixture
def heavy(db):
    call_command("seed_demo", verbosity=0)
    partnership = _heaviest_public_demo_partnership()
    _top_up(partnership)
    build(20)  # a full first page of the list
    return partnership


def compressed_weight(client, url) -> tuple[int, str]:
    """gzip -6 of the HTML as served, plus gzip -6 of each stylesheet it links."""
    weight, response = _compressed_weight(client, url)
    return weight, response.content.decode()


def _compressed_weight(client, url):
    response = client.get(url, headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200, url
    html = response.content.decode()
    total = len(gzip.compress(response.content, compresslevel=6))
    stylesheets = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html)
    assert stylesheets, "the page should link its stylesheet"
    for stylesheet in stylesheets:
        with open(finders.find(stylesheet), "rb") as f:
            total += len(gzip.compress(f.read(), compresslevel=6))
    return total, response


def test_the_first_screen_of_a_heavy_partnership_arrives_in_one_round_trip(client, heavy):
    """Home, the list and the partnership's own page, compressed HTML + CSS under 14 KB."""
    page, response = _compressed_weight(client, heavy.get_absolute_url())
    html = response.content.decode()
    partner_rows = len(re.findall(r'<tr><td><a href="/organisations/', html))
    assert partner_rows == 12, "every partner is on the page"
    assert html.count('<li class="milestone') >= 20
    assert reverse("communities:partnership_public", args=[heavy.slug]) in html
    sections = {
        section.template for section, _ in partnership_sections(response.wsgi_request, heavy)
    }
    assert sections, "the apps register their sections"
    assert sections <= {template.name for template in response.templates}
    assert page < FIRST_ROUND_TRIP, f"partnership page: {page} bytes"

    listed, html = compressed_weight(client, reverse("partnerships:list"))
    assert html.count('<li class="card">') == 20
    assert listed < FIRST_ROUND_TRIP, f"partnership list: {listed} bytes"

    home, html = compressed_weight(client, reverse("home"))
    assert 'class="card"' in html
    assert home < FIRST_ROUND_TRIP, f"home page: {home} bytes"


def test_the_community_side_of_a_heavy_partnership_arrives_in_one_round_trip(client, heavy):
    url = reverse("communities:partnership_public", args=[heavy.slug])
    weight, html = compressed_weight(client, url)
    assert html.count('<section class="card"') >= 3
    assert weight < FIRST_ROUND_TRIP, f"community side: {weight} bytes"
