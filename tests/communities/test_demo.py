import random

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from communities.demo import build_demo_communities
from communities.models import (
    AssessmentStatus,
    Community,
    CommunityAsset,
    CommunityRepresentative,
    Need,
    NeedsAssessment,
)
from harambee.demo import World
from partnerships.demo import build_demo_world
from partnerships.models import Partnership, Visibility

pytestmark = pytest.mark.django_db


def _world(scale: int = 0) -> World:
    return World(today=timezone.localdate(), random=random.Random(2026), scale=scale)


def _demo_world() -> World:
    world = _world()
    build_demo_world(world)
    return world


def test_the_demo_builds_three_communities_with_validated_and_draft_assessments():
    world = _demo_world()

    made = build_demo_communities(world)

    assert sorted(str(c.country) for c in made) == ["KE", "PE", "SN"]
    assert NeedsAssessment.objects.published().count() == 3
    assert NeedsAssessment.objects.filter(status=AssessmentStatus.DRAFT).count() == 1


def test_the_demo_public_pages_show_suppressed_small_cells(client):
    world = _demo_world()
    build_demo_communities(world)

    for assessment in NeedsAssessment.objects.published().select_related("partnership"):
        url = reverse("communities:partnership_public", args=[assessment.partnership.slug])
        html = client.get(url).content.decode()
        assert "&lt;5" in html or "&lt;10" in html


def test_the_demo_skips_communities_whose_organisations_are_missing():
    assert build_demo_communities(_world()) == []
    assert not Community.objects.exists()


def test_the_demo_finds_its_organisations_and_partnerships_by_key_not_by_title():
    world = _demo_world()
    maize = world.partnerships["maize-prices"]
    maize.title = "Renamed by its lead"
    maize.save(update_fields=["title"])

    build_demo_communities(world)

    mnarani = world.made("communities")["mnarani"]
    assert mnarani.organisations.get() == world.organisations["tunza"]
    assert world.made("assessments")["mnarani"].partnership == maize


def test_the_demo_skips_a_community_whose_partnership_is_not_public():
    world = _demo_world()
    world.partnerships["literacy-circles"].visibility = Visibility.PRIVATE

    made = build_demo_communities(world)

    assert sorted(str(c.country) for c in made) == ["KE", "PE"]


def test_the_demo_publishes_its_communities_assessments_and_needs_by_key():
    world = _demo_world()

    build_demo_communities(world)

    assert set(world.made("communities")) == {"mnarani", "pikine-est", "ccorca"}
    assert world.made("assessments")["mnarani-follow-up"].status == AssessmentStatus.DRAFT
    assert world.made("needs")["mnarani-1"].title == "Daily maize prices in Swahili by SMS"
    assert world.made("needs")["ccorca-2"].assessment == world.made("assessments")["ccorca"]


def test_the_demo_keeps_representatives_and_assets():
    world = _demo_world()

    build_demo_communities(world)

    assert CommunityRepresentative.objects.count() == 3
    mnarani = world.made("communities")["mnarani"]
    assert mnarani.assets.count() == 2


def test_demo_assessments_are_held_around_their_partnerships_start_and_never_later_than_today():
    world = _demo_world()

    build_demo_communities(world)

    for assessment in NeedsAssessment.objects.published().select_related("partnership"):
        assert assessment.date <= world.today
        assert assessment.date >= assessment.partnership.actual_start
        assert assessment.date <= (assessment.partnership.actual_end or world.today)


def test_seed_demo_at_scale_builds_one_community_per_ten_partnerships():
    call_command("seed_demo", "--scale", "95")

    assert Community.objects.count() == 10
    assert not Community.objects.filter(organisations=None).exists()


def test_the_public_pages_of_scale_partnerships_show_the_generated_communities(client):
    call_command("seed_demo", "--scale", "30")
    published = NeedsAssessment.objects.published().select_related("community", "partnership")

    assessment = published.first()
    url = reverse("communities:partnership_public", args=[assessment.partnership.slug])
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert assessment.community.name in html
    assert "&lt;5" in html or "&lt;10" in html


def test_scale_communities_are_worked_with_by_the_lead_of_their_partnership():
    call_command("seed_demo", "--scale", "40")

    for community in Community.objects.prefetch_related("organisations", "assessments"):
        first = min(community.assessments.all(), key=lambda a: a.pk)
        partnership = Partnership.objects.get(pk=first.partnership_id)
        lead = partnership.partners.get(is_lead=True).organisation
        assert list(community.organisations.all()) == [lead]
        assert first.facilitating_organisation_id == lead.pk


def test_the_demo_communities_are_written_in_their_own_languages_and_translated():
    world = _demo_world()

    build_demo_communities(world)

    mnarani, pikine, ccorca = (
        world.made("communities")[k] for k in ("mnarani", "pikine-est", "ccorca")
    )
    assert (mnarani.source_language, pikine.source_language, ccorca.source_language) == (
        "sw",
        "fr",
        "es",
    )
    first = world.made("needs")["mnarani-1"]
    assert first.source_language == "sw"
    assert first.title_sw == "Bei za mahindi za kila siku kwa SMS, kwa Kiswahili"
    assert first.title_en == "Daily maize prices in Swahili by SMS"
    assert world.made("needs")["pikine-est-2"].title_fr == (
        "Des formations en wolof, pas seulement en français"
    )
    assert world.made("needs")["ccorca-1"].source_language == "es"
    follow_up = world.made("assessments")["mnarani-follow-up"]
    assert follow_up.source_language == "sw"
    assert follow_up.title_sw.startswith("Mkutano wa ufuatiliaji")
    for asset in CommunityAsset.objects.all():
        titles = [asset.title_en, asset.title_fr, asset.title_es, asset.title_sw]
        assert all(titles) and len(set(titles)) == 4
        assert asset.source_language == asset.community.source_language
    for need in Need.objects.all():
        descriptions = [need.description_en, need.description_fr, need.description_es]
        assert all([*descriptions, need.description_sw])
        assert need.source_language == need.assessment.source_language


def test_the_demo_reads_in_the_readers_language():
    world = _demo_world()
    build_demo_communities(world)
    community = world.made("communities")["ccorca"]

    with translation.override("es"):
        assert community.description.startswith("Comunidad campesina")
    with translation.override("sw"):
        assert world.made("needs")["mnarani-3"].title.startswith("Maghala")
    with translation.override("fr"):
        assert Partnership.objects.get(pk=world.partnerships["telemedicine"].pk).title == (
            "Télémédecine pour les postes de santé isolés"
        )
