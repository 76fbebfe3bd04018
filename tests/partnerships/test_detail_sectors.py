"""The partnership page and the cards name sectors in the reader's language; a page reads
its sectors' codes in one query, their names from the site-wide figures."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from partnerships import selectors
from partnerships.models import Sector, Visibility
from tests.factories import PartnershipFactory


def test_the_page_names_the_sectors_in_the_readers_language_by_code(client, db):
    primary, policy = Sector.objects.get(code="11220"), Sector.objects.get(code="11110")
    partnership = PartnershipFactory(visibility=Visibility.PUBLIC)
    partnership.sectors.set([primary, policy])
    with translation.override("fr"):
        url = reverse("partnerships:detail", args=[partnership.slug])
    html = client.get(url).content.decode()
    assert (
        "Politique de l&#x27;éducation et gestion administrative (11110), "
        "Enseignement primaire (11220)"
    ) in html
    assert "Primary education" not in html


def test_sectors_of_is_one_query_over_the_partnerships_own_rows(db, django_assert_num_queries):
    partnership, other = PartnershipFactory(), PartnershipFactory()
    partnership.sectors.set(Sector.objects.filter(code__in=["11220", "11110"]))
    other.sectors.set(Sector.objects.filter(code="11230"))
    with translation.override("sw"):
        selectors.sector_names()  # the code list, once per public version and language
    with django_assert_num_queries(1), translation.override("sw"):
        assert selectors.sectors_of(partnership) == [
            ("11110", "Sera ya elimu na usimamizi wa kiutawala"),
            ("11220", "Elimu ya msingi"),
        ]
    assert selectors.sectors_of(PartnershipFactory()) == []


def test_the_cards_name_the_sectors_in_the_readers_language(client, db):
    partnership = PartnershipFactory(visibility=Visibility.PUBLIC)
    partnership.sectors.set(Sector.objects.filter(code="11220"))
    with translation.override("es"):
        spanish = Sector.objects.get(code="11220").name
        url = reverse("partnerships:list")
    assert spanish != "Primary education"
    html = client.get(url).content.decode()
    assert spanish in html
    assert "Primary education" not in html
