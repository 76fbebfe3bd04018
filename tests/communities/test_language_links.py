"""The language links on a page shown in answer to a refused form lead to pages that answer."""

import re
from html import unescape

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_switcher_on_a_refused_need_links_to_pages_that_answer(staff, assessment, as_user):
    client = as_user(staff)
    response = client.post(reverse("communities:need_add", args=[assessment.pk]), {"title": ""})
    assert response.status_code == 400

    links = re.findall(r'<a href="([^"]+)" lang="\w+" hreflang="\w+"', response.content.decode())
    assert len(links) == 4
    for url in links:
        assert client.get(unescape(url), follow=True).status_code == 200
