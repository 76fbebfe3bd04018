"""The language switcher: plain links to the same page in each language, from any language."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK_RE = re.compile(r'<a href="([^"]+)" lang="(\w+)" hreflang="\2"(?: aria-current="true")?>')
NAMES = {"en": "English", "fr": "français", "es": "español", "sw": "Kiswahili"}


def links(html: str) -> dict[str, str]:
    return {code: unescape(url) for url, code in LINK_RE.findall(html)}


def page_language(html: str) -> str:
    return re.search(r'<html lang="(\w+)"', html)[1]


@pytest.mark.parametrize("start", ["fr", "es", "sw"])
@pytest.mark.parametrize("target", ["en", "fr", "es", "sw"])
def test_a_visitor_switches_from_any_language_to_any_other(client, start, target):
    partnership = PartnershipFactory()
    here = f"/{start}/partnerships/{partnership.slug}/"
    html = client.get(here).content.decode()

    response = client.get(links(html)[target], follow=True)

    assert response.status_code == 200
    assert page_language(response.content.decode()) == target
    assert response.request["PATH_INFO"].endswith(f"/partnerships/{partnership.slug}/")


def test_the_switcher_keeps_the_query_and_names_each_language_in_itself(client):
    html = client.get("/sw/partnerships/?q=maji&page=1").content.decode()

    assert links(html) == {
        "en": "/partnerships/?q=maji&page=1",
        "fr": "/fr/partnerships/?q=maji&page=1",
        "es": "/es/partnerships/?q=maji&page=1",
        "sw": "/sw/partnerships/?q=maji&page=1",
    }
    for code, name in NAMES.items():
        assert f'lang="{code}" hreflang="{code}"' in html
        assert f">{name}</a>" in html
    assert 'lang="sw" hreflang="sw" aria-current="true"' in html


def test_a_visitors_page_carries_no_form_and_no_csrf_token(client):
    html = client.get("/fr/partnerships/").content.decode()

    assert "csrfmiddlewaretoken" not in html
    assert 'method="post"' not in html


def test_a_signed_in_user_switches_from_french_to_english_and_the_choice_is_kept(as_user):
    user = UserFactory(preferred_language="fr")
    client = as_user(user)
    html = client.get("/fr/partnerships/").content.decode()

    response = client.get(links(html)["en"], follow=True)

    assert page_language(response.content.decode()) == "en"
    assert response.request["PATH_INFO"] == "/partnerships/"
    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_the_language_link_never_sends_anyone_to_another_site(as_user):
    client = as_user(UserFactory())

    response = client.get(reverse("language", args=["sw"]), {"next": "https://evil.example/"})

    assert response["Location"] == "/sw/"


def test_an_unknown_language_is_not_found(client):
    assert client.get(reverse("language", args=["xx"])).status_code == 404


def test_a_link_from_another_site_switches_the_page_but_keeps_the_profile(as_user):
    user = UserFactory(preferred_language="fr")
    client = as_user(user)

    response = client.get(
        reverse("language", args=["sw"]), {"next": "/sw/"}, HTTP_SEC_FETCH_SITE="cross-site"
    )

    assert response["Location"] == "/sw/"
    user.refresh_from_db()
    assert user.preferred_language == "fr"
