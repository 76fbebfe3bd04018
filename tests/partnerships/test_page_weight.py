"""A public page's HTML, CSS and JavaScript together stay under 100 KB for slow connections."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

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
