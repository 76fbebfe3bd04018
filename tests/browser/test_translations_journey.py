"""Staff working in French write a partnership in French and add its Swahili and English
versions on the translation pages; once it is public, a visitor reads it in Swahili, and
in Spanish, where it has no version, sees the French original marked as French."""

import pytest
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext

from partnerships.models import MemberRole, Partnership
from tests.factories import MemberFactory, OrganisationFactory, UserFactory

LEAD = "awa@example.org"
PASSWORD = "a long walk to Pikine"
TITLE_FR = "Radio rurale pour les marchés de Pikine"
PROBLEM_FR = "Les maraîchers ne connaissent pas les prix du marché avant de partir."
TITLE_SW = "Redio ya vijijini kwa masoko ya Pikine"
PROBLEM_SW = "Wakulima hawajui bei za soko kabla ya kuondoka."
TITLE_EN = "Rural radio for the markets of Pikine"


@pytest.fixture
def lead():
    organisation = OrganisationFactory(name="Jokkoo Pikine", country="SN")
    user = UserFactory(email=LEAD, full_name="Awa Diop", password=PASSWORD)
    return MemberFactory(user=user, organisation=organisation, role=MemberRole.ADMIN).user


def in_french(text: str) -> str:
    """What the French interface shows for an interface text (English until translated)."""
    with translation.override("fr"):
        return gettext(text)


def label_in_french(field: str) -> str:
    with translation.override("fr"):
        return str(capfirst(Partnership._meta.get_field(field).verbose_name))


def language_in_french(code: str) -> str:
    with translation.override("fr"):
        return str(get_language_info(code)["name_translated"])


def test_staff_translate_a_french_partnership_that_visitors_read_in_their_language(journey, lead):
    person = journey.person()
    person.open("/")
    person.sign_in(LEAD, PASSWORD)
    person.open("/fr/partnerships/new/")
    person.fill(label_in_french("title"), TITLE_FR)
    person.fill(label_in_french("problem"), PROBLEM_FR)
    person.click_button(in_french("Save"), within="main")
    assert person.heading() == TITLE_FR
    slug = Partnership.objects.get(title_fr=TITLE_FR).slug

    person.click_link(in_french("Translations"), within="main")
    person.click_link(language_in_french("sw"), within="main")
    assert person.page.locator(f'span[lang="fr"]:text-is("{TITLE_FR}")').count() == 1
    person.fill(label_in_french("title"), TITLE_SW)
    person.fill(label_in_french("problem"), PROBLEM_SW)
    person.click_button(in_french("Save"), within="main")
    person.click_link(language_in_french("en"), within="main")
    person.fill(label_in_french("title"), TITLE_EN)
    person.click_button(in_french("Save"), within="main")

    person.open(f"/fr/partnerships/{slug}/")
    person.click_link(in_french("Make public"), within="main")
    person.click_button(in_french("Make public"), within="main")

    visitor = journey.person()
    visitor.open(f"/sw/partnerships/{slug}/")
    assert visitor.heading() == TITLE_SW
    assert visitor.sees(PROBLEM_SW)

    visitor.open(f"/es/partnerships/{slug}/")
    assert visitor.page.locator("html").get_attribute("lang") == "es"
    title = visitor.page.get_by_role("heading", level=1).locator('[lang="fr"]')
    assert title.inner_text() == TITLE_FR
    assert visitor.page.locator('h1 [lang="fr"] ~ .written-in').count() == 1
