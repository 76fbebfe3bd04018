"""Small things a visitor notices: the favicon, and key figures that lead to what they count."""

import re
from html import unescape
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from partnerships.codelists import ActivityStatus
from partnerships.models import Visibility
from tests.factories import PartnerFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

FAVICON = "harambee/favicon.svg"


# --- the favicon ---------------------------------------------------------------------------


def test_favicon_ico_sends_the_browser_to_the_small_static_icon(client, settings):
    settings.DEBUG = True  # where the 404 used to be Django's 18 KB debug page
    response = client.get("/favicon.ico")
    assert response.status_code in (301, 302)
    assert response["Location"] == static(FAVICON)
    assert "max-age" in response.get("Cache-Control", "")
    assert len(response.content) < 100


def test_the_favicon_is_a_small_svg_served_by_the_site():
    path = finders.find(FAVICON)
    assert path, f"{FAVICON} is not a static file"
    with open(path, "rb") as f:
        content = f.read()
    assert len(content) < 2 * 1024
    svg = ElementTree.fromstring(content)  # noqa: S314 - our own static file
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"


def test_every_page_links_the_favicon(client):
    html = client.get(reverse("home")).content.decode()
    head = html.split("</head>", 1)[0]
    assert f'<link rel="icon" href="{static(FAVICON)}" type="image/svg+xml">' in head


# --- the home page's key figures -----------------------------------------------------------


def figure_links(html: str) -> dict[str, str]:
    """The key figures' labels and the address each one links to."""
    figures = html.split('id="figures"', 1)[1].split("</dl>", 1)[0]
    links = re.findall(r'<dt><a href="([^"]+)">([^<]+)</a></dt>', figures)
    return {label: unescape(href) for href, label in links}


def listed(client, url: str) -> int:
    """The number of partnerships a list page says it shows."""
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_each_key_figure_links_to_the_list_it_counts(client):
    for _ in range(2):
        PartnerFactory(partnership=PartnershipFactory(status=ActivityStatus.IMPLEMENTATION))
    PartnerFactory(partnership=PartnershipFactory(status=ActivityStatus.CLOSED))
    PartnershipFactory(status=ActivityStatus.PIPELINE, recipient_countries=["TZ", "UG"])
    PartnershipFactory(status=ActivityStatus.CLOSED, visibility=Visibility.DRAFT)
    response = client.get(reverse("home"))
    figures = response.context["figures"]
    links = figure_links(response.content.decode())

    assert set(links) == {
        "Public partnerships",
        "In implementation",
        "Closed",
        "Partner organisations",
        "Countries",
    }
    assert links["Public partnerships"] == reverse("partnerships:list")
    assert listed(client, links["Public partnerships"]) == figures.partnerships == 4
    assert links["In implementation"] == reverse("partnerships:list") + "?status=2"
    assert listed(client, links["In implementation"]) == figures.in_implementation == 2
    assert links["Closed"] == reverse("partnerships:list") + "?status=4"
    assert listed(client, links["Closed"]) == figures.closed == 1
    assert links["Partner organisations"] == reverse("partnerships:organisation_list")
    assert client.get(links["Partner organisations"]).status_code == 200
    assert links["Countries"] == reverse("partnerships:list")
    countries = client.get(links["Countries"]).context["form"].fields["country"].choices
    assert len(countries) - 1 == figures.countries == 3  # less "Any country"


def test_the_figures_link_to_the_lists_in_the_visitors_language(client):
    links = figure_links(client.get("/fr/").content.decode())
    assert links["Clôturé"] == "/fr/partnerships/?status=4"
    assert client.get(links["Clôturé"]).status_code == 200
