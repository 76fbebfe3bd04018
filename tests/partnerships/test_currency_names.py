"""A contribution's currency can be typed as its ISO 4217 code or its name; codes are stored."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from partnerships.models import Contribution

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(as_user, funder, partnership):
    partner = partnership.partners.get(role=1)
    client = as_user(funder)

    def post(currency, *, language="en"):
        with translation.override(language):
            url = reverse("partnerships:contribution_add", args=[partnership.slug])
        data = {
            "partner": partner.pk,
            "kind": "cash",
            "amount": "2500",
            "currency": currency,
            "status": "pledged",
        }
        return client.post(url, data)

    return post


@pytest.mark.parametrize("typed", ["KES", "kes", "Kenyan shilling", "kenyan shillings"])
def test_a_currency_is_accepted_by_code_or_by_name(post, typed):
    response = post(typed)

    assert response.status_code == 302
    assert Contribution.objects.get().currency == "KES"


def test_a_currency_name_in_the_readers_language_is_accepted(post):
    response = post("shilling kényan", language="fr")

    assert response.status_code == 302
    assert Contribution.objects.get().currency == "KES"


@pytest.mark.parametrize("typed", ["shilling", "shillings"])
def test_a_name_shared_by_several_currencies_lists_their_codes(post, typed):
    response = post(typed)

    html = response.content.decode()
    assert response.status_code == 400
    for code in ["KES", "SOS", "TZS", "UGX"]:
        assert code in " ".join(response.context["form"].errors["currency"])
    assert "Tanzanian Shilling" in html
    assert not Contribution.objects.exists()


def test_an_unknown_currency_is_named_in_the_message(post):
    response = post("zorkmids")

    errors = " ".join(response.context["form"].errors["currency"])
    assert response.status_code == 400
    assert "zorkmids" in errors and "is not an ISO 4217 currency code" in errors


def test_the_suggestions_show_names_in_the_readers_language(as_user, funder, partnership):
    with translation.override("fr"):
        url = reverse("partnerships:contribution_add", args=[partnership.slug])

    html = as_user(funder).get(url).content.decode()

    datalist = re.search(r'<datalist id="currencies">(.*?)</datalist>', html, re.S).group(1)
    assert '<option value="KES">KES — Shilling kényan</option>' in datalist
