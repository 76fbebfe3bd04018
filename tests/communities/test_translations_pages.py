"""The translation pages of communities, assessments, needs and assets."""

import pytest
from django.urls import reverse
from django.utils import translation

from communities import services
from communities.models import Need
from tests.communities.factories import add_needs, make_validated

pytestmark = pytest.mark.django_db


def need_url(need, language=None):
    if language is None:
        return reverse("communities:need_translations", args=[need.pk])
    return reverse("communities:need_translations_language", args=[need.pk, language])


@pytest.fixture
def need(assessment):
    with translation.override("sw"):
        (need,) = add_needs(assessment, 1)
    return need


def test_staff_translate_a_need_written_in_swahili(as_user, staff, need):
    response = as_user(staff).post(
        need_url(need, "en"), {"title": "Clean water", "description": "Two hours to the well."}
    )

    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.title_en, need.title_sw) == ("Clean water", "Need 1")
    assert need.history.first().title_en == "Clean water"


def test_the_need_page_links_to_its_translations(as_user, staff, need):
    html = as_user(staff).get(need.get_absolute_url()).content.decode()

    assert need_url(need) in html


def test_the_need_page_marks_a_swahili_original_for_an_english_reader(as_user, staff, need):
    html = as_user(staff).get(need.get_absolute_url()).content.decode()

    assert '<h1><span lang="sw">Need 1</span> <small class="written-in">' in html


def test_outsiders_get_404(as_user, outsider, need):
    assert as_user(outsider).get(need_url(need)).status_code == 404
    assert as_user(outsider).post(need_url(need, "en"), {"title": "x"}).status_code == 404


def test_a_validated_assessments_needs_may_still_be_translated(
    as_user, staff, community, organisation, partnership
):
    assessment = make_validated(
        community=community, organisation=organisation, partnership=partnership, total=0, counts={}
    )
    need = Need.objects.filter(assessment=assessment).first()

    response = as_user(staff).post(need_url(need, "fr"), {"title": "Eau", "description": ""})

    assert response.status_code == 302
    need.refresh_from_db()
    assert need.title_fr == "Eau"


def test_a_title_over_its_length_changes_nothing(as_user, staff, need):
    response = as_user(staff).post(need_url(need, "en"), {"title": "x" * 500, "description": ""})

    assert response.status_code == 400
    need.refresh_from_db()
    assert not need.title_en


def test_staff_translate_the_community_and_its_assessment(as_user, staff, community, assessment):
    client = as_user(staff)
    community_url = reverse("communities:translations_language", args=[community.slug, "fr"])
    assessment_url = reverse(
        "communities:assessment_translations_language", args=[assessment.pk, "fr"]
    )

    client.post(community_url, {"description": "Un village côtier."})
    client.post(assessment_url, {"title": "Réunion du village"})

    community.refresh_from_db()
    assessment.refresh_from_db()
    assert (community.description_fr, assessment.title_fr) == (
        "Un village côtier.",
        "Réunion du village",
    )


def test_an_asset_is_translated_by_staff_of_its_community(as_user, staff, outsider, assessment):
    asset = services.asset_add(
        community=assessment.community, assessment=assessment, kind="skills", title="Fundi"
    )
    url = reverse("communities:asset_translations_language", args=[asset.pk, "fr"])

    refused = as_user(outsider).post(url, {"title": "Réparateurs", "description": ""})
    saved = as_user(staff).post(url, {"title": "Réparateurs", "description": ""})

    assert (refused.status_code, saved.status_code) == (404, 302)
    asset.refresh_from_db()
    assert asset.title_fr == "Réparateurs"
