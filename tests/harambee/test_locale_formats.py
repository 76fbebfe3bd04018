"""Numbers, dates, amounts and country names as each shipped language writes them, while
everything a machine reads (ids, form values, exports) stays plain."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from partnerships.models import Contribution
from tests.factories import ContributionFactory, MemberFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


def page(client, url_name: str, language: str, *args, **params) -> str:
    with translation.override(language):
        url = reverse(url_name, args=args)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def pledged(partnership, lead):
    partner = partnership.partners.get(is_lead=True)
    return ContributionFactory(partner=partner, amount=Decimal("250000.00"), currency="KES")


@pytest.mark.parametrize(
    ("language", "amount", "with_code"),
    [
        ("en", "250,000", f"KES{NBSP}250,000"),
        ("fr", f"250{NBSP}000", f"250{NBSP}000{NBSP}KES"),
        ("es", "250.000", f"250.000{NBSP}KES"),
        ("sw", "250,000", f"KES{NBSP}250,000"),
    ],
)
def test_an_amount_reads_as_the_language_writes_it_with_its_currency_code(
    as_user, lead, partnership, pledged, language, amount, with_code
):
    html = page(as_user(lead), "partnerships:detail", language, partnership.slug)
    assert f'<td class="num">{amount}</td>' in html  # the cost-sharing table
    assert f'<td class="num">{with_code}</td>' in html  # each contribution


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "June 1, 2026"),
        ("fr", "1 juin 2026"),
        ("es", "1 de junio de 2026"),
        ("sw", "1 Juni 2026"),
    ],
)
def test_a_date_reads_in_the_languages_order_and_words(client, partnership, language, shown):
    MilestoneFactory(partnership=partnership, title="Pilot", date=date(2026, 6, 1))
    html = page(client, "partnerships:detail", language, partnership.slug)
    assert f'<time datetime="2026-06-01">{shown}</time>' in html


def test_swahili_has_its_own_date_and_number_formats():
    from django.utils.formats import date_format, get_format, number_format

    with translation.override("sw"):
        assert date_format(date(2026, 3, 5)) == "5 Machi 2026"
        assert date_format(date(2026, 3, 5), "SHORT_DATE_FORMAT") == "05/03/2026"
        assert number_format(Decimal("1234567.5"), 1, force_grouping=True) == "1,234,567.5"
        assert get_format("FIRST_DAY_OF_WEEK") == 1


@pytest.mark.parametrize(("language", "colon"), [("en", ":"), ("fr", f"{NBSP}:")])
def test_each_language_places_the_colon_of_a_partnership_cards_partners(
    client, partnership, lead, language, colon
):
    html = page(client, "partnerships:list", language)
    assert re.search(rf"1 [^<]*?{colon}\s", html)


def test_countries_are_named_in_swahili_on_swahili_pages(client, partnership):
    partnership.recipient_countries = ["ZA", "SN"]
    partnership.save(update_fields=["recipient_countries"])

    listing = page(client, "partnerships:list", "sw")
    assert '<option value="ZA">Afrika Kusini</option>' in listing
    assert '<option value="SN">Senegali</option>' in listing
    detail = page(client, "partnerships:detail", "sw", partnership.slug)
    assert "Afrika Kusini" in detail
    assert "South Africa" not in detail
    # French and Spanish keep django-countries' own names.
    assert "Afrique du Sud" in page(client, "partnerships:detail", "fr", partnership.slug)
    assert "Sudáfrica" in page(client, "partnerships:detail", "es", partnership.slug)


AFRICA = [
    *("DZ", "AO", "BJ", "BW", "BF", "BI", "CV", "CM", "CF", "TD", "KM", "CG", "CD", "CI"),
    *("DJ", "EG", "GQ", "ER", "SZ", "ET", "GA", "GM", "GH", "GN", "GW", "KE", "LS", "LR"),
    *("LY", "MG", "MW", "ML", "MR", "MU", "MA", "MZ", "NA", "NE", "NG", "RW", "ST", "SN"),
    *("SC", "SL", "SO", "ZA", "SS", "SD", "TZ", "TG", "TN", "UG", "EH", "ZM", "ZW"),
]
DEMO_WORLD = ["KE", "GH", "SN", "PE", "CO", "UG", "RW", "IN", "GB", "ZA", "TZ", "BD", "NP", "MZ"]


def test_every_african_and_demo_country_has_a_swahili_name_in_our_catalogue():
    from django_countries import countries

    from harambee.country_names import COUNTRY_NAMES

    with translation.override(None):
        english = {code: str(countries.name(code)) for code in AFRICA + DEMO_WORLD}
    with translation.override("sw"):
        swahili = {code: translation.gettext(name) for code, name in english.items()}
    assert sorted(set(english.values()) - set(COUNTRY_NAMES)) == []
    assert swahili["GB"] == "Uingereza"
    assert swahili["CD"] == "Jamhuri ya Kidemokrasia ya Kongo"
    assert swahili["EG"] == "Misri"
    assert swahili["CO"] == "Kolombia"


def test_number_and_date_inputs_keep_plain_values_in_every_language(
    as_user, lead, partnership, pledged
):
    Contribution.objects.filter(pk=pledged.pk).update(date=date(2026, 6, 1))
    for language in ("en", "fr", "es", "sw"):
        html = page(
            as_user(lead), "partnerships:contribution_edit", language, partnership.slug, pledged.pk
        )
        assert re.search(r'name="amount" value="250000(\.00)?"', html), language
        assert 'name="date" value="2026-06-01"' in html, language


def test_ids_stay_plain_when_numbers_are_grouped(as_user, lead, partnership):
    organisation = partnership.partners.get(is_lead=True).organisation
    MemberFactory(organisation=organisation, id=12345)
    html = page(as_user(lead), "partnerships:organisation_members", "fr", organisation.slug)
    assert 'id="role-12345"' in html
    assert 'for="role-12345"' in html
