"""The translation pages of partnerships, milestones and organisations: who may use them,
what they show, and that bad input changes nothing."""

import pytest
from django.urls import reverse
from django.utils import translation

from partnerships.models import Visibility
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db


def translations_url(partnership, language=None):
    if language is None:
        return reverse("partnerships:translations", args=[partnership.slug])
    return reverse("partnerships:translations_language", args=[partnership.slug, language])


def hide(partnership):
    partnership.visibility = Visibility.DRAFT
    partnership.save(update_fields=["visibility"])


def test_partner_staff_see_which_languages_have_a_version(as_user, partner_staff, partnership):
    response = as_user(partner_staff).get(translations_url(partnership))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Original" in html and "Not translated yet" in html
    assert reverse("partnerships:edit", args=[partnership.slug]) in html
    assert translations_url(partnership, "sw") in html


def test_partner_staff_add_a_swahili_version(as_user, partner_staff, partnership):
    response = as_user(partner_staff).post(
        translations_url(partnership, "sw"),
        {"title": "Bei za soko kwa wakulima", "problem": "Wakulima hawapati bei.", "summary": ""},
    )

    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.title_sw == "Bei za soko kwa wakulima"
    assert partnership.history.first().title_sw == "Bei za soko kwa wakulima"


def test_the_form_shows_the_original_with_its_language(as_user, partner_staff, partnership):
    response = as_user(partner_staff).get(translations_url(partnership, "fr"))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<span lang="en">{partnership.title_en}</span>' in html
    assert 'lang="fr"' in html  # the boxes for the French text


def test_the_original_language_is_refused_with_a_link_to_the_edit_page(
    as_user, partner_staff, partnership
):
    client = as_user(partner_staff)
    page = client.get(translations_url(partnership, "en"))
    response = client.post(translations_url(partnership, "en"), {"title": "Other", "problem": "x"})

    assert reverse("partnerships:edit", args=[partnership.slug]) in page.content.decode()
    assert response.status_code == 400
    title = partnership.title_en
    partnership.refresh_from_db()
    assert partnership.title_en == title


def test_a_title_over_its_length_changes_nothing(as_user, partner_staff, partnership):
    response = as_user(partner_staff).post(
        translations_url(partnership, "sw"), {"title": "x" * 300, "problem": "", "summary": ""}
    )

    assert response.status_code == 400
    partnership.refresh_from_db()
    assert not partnership.title_sw


def test_an_unknown_language_answers_404(as_user, partner_staff, partnership):
    client = as_user(partner_staff)

    assert client.get(translations_url(partnership, "de")).status_code == 404
    assert client.post(translations_url(partnership, "de"), {"title": "Titel"}).status_code == 404


def test_outsiders_get_404_on_a_draft(as_user, outsider, partnership):
    hide(partnership)

    assert as_user(outsider).get(translations_url(partnership)).status_code == 404
    assert as_user(outsider).get(translations_url(partnership, "sw")).status_code == 404


def test_outsiders_may_not_translate_a_public_partnership(as_user, outsider, partnership):
    response = as_user(outsider).post(translations_url(partnership, "sw"), {"title": "Redio"})

    assert response.status_code == 403
    partnership.refresh_from_db()
    assert not partnership.title_sw


def test_visitors_are_sent_to_sign_in(client, partnership):
    response = client.get(translations_url(partnership))

    assert response.status_code == 302


def test_the_partnership_page_links_editors_to_its_translations(
    client, as_user, partner_staff, partnership
):
    assert (
        translations_url(partnership)
        in as_user(partner_staff).get(partnership.get_absolute_url()).content.decode()
    )
    assert (
        translations_url(partnership)
        not in client.get(partnership.get_absolute_url()).content.decode()
    )


def test_a_milestone_is_translated_through_its_partnership(as_user, partner_staff, partnership):
    milestone = MilestoneFactory(partnership=partnership, title="Launch")
    url = reverse(
        "partnerships:milestone_translations_language", args=[partnership.slug, milestone.pk, "fr"]
    )

    response = as_user(partner_staff).post(url, {"title": "Lancement", "description": ""})

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.title_fr == "Lancement"


def test_a_milestone_of_another_partnership_answers_404(as_user, partner_staff, partnership):
    milestone = MilestoneFactory()
    url = reverse("partnerships:milestone_translations", args=[partnership.slug, milestone.pk])

    assert as_user(partner_staff).get(url).status_code == 404


def test_only_an_organisations_administrators_translate_its_description(
    as_user, lead, partner_staff
):
    organisation = lead.memberships.get().organisation
    url = reverse("partnerships:organisation_translations_language", args=[organisation.slug, "sw"])

    refused = as_user(partner_staff).post(url, {"description": "Shirika"})
    saved = as_user(lead).post(url, {"description": "Shirika la redio"})

    assert (refused.status_code, saved.status_code) == (403, 302)
    organisation.refresh_from_db()
    assert organisation.description_sw == "Shirika la redio"


def test_a_reader_sees_their_version_and_others_see_the_marked_original(client, partnership):
    partnership.title_sw = "Bei za soko"
    partnership.save(update_fields=["title_sw"])

    with translation.override("sw"):
        swahili = client.get(partnership.get_absolute_url()).content.decode()
    with translation.override("es"):
        spanish = client.get(partnership.get_absolute_url()).content.decode()

    assert "<h1>Bei za soko</h1>" in swahili
    assert f'<h1><span lang="en">{partnership.title_en}</span>' in spanish


def test_search_finds_a_partnership_by_its_swahili_title(client, partnership):
    partnership.title_sw = "Redio ya wakulima wa Kilifi"
    partnership.save(update_fields=["title_sw"])

    response = client.get(reverse("partnerships:list"), {"q": "wakulima wa Kilifi"})

    assert partnership.get_absolute_url() in response.content.decode()
