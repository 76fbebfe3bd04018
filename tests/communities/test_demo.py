import pytest
from django.urls import reverse

from communities.demo import build_demo_communities
from communities.models import AssessmentStatus, Community, NeedsAssessment
from partnerships.management.commands.seed_demo import build_demo_world

pytestmark = pytest.mark.django_db


def test_the_demo_builds_three_communities_with_validated_and_draft_assessments():
    build_demo_world()

    made = build_demo_communities()

    assert sorted(str(c.country) for c in made) == ["KE", "PE", "SN"]
    assert NeedsAssessment.objects.published().count() == 3
    assert NeedsAssessment.objects.filter(status=AssessmentStatus.DRAFT).count() == 1


def test_the_demo_public_pages_show_suppressed_small_cells(client):
    build_demo_world()
    build_demo_communities()

    for assessment in NeedsAssessment.objects.published().select_related("partnership"):
        url = reverse("communities:partnership_public", args=[assessment.partnership.slug])
        html = client.get(url).content.decode()
        assert "&lt;5" in html or "&lt;10" in html


def test_the_demo_skips_communities_whose_organisations_are_missing():
    assert build_demo_communities() == []
    assert not Community.objects.exists()
