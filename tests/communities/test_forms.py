"""Every page form refuses bad input with a clear message (400) and saves nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communities import services
from communities.models import Community, CommunityAsset, Need, NeedsAssessment, ParticipantCount
from tests.communities.factories import add_needs

pytestmark = pytest.mark.django_db


def test_a_community_with_latitude_123_and_an_unknown_language_is_refused(
    staff, organisation, as_user
):
    response = as_user(staff).post(
        reverse("communities:create"),
        {
            "name": "Somewhere",
            "country": "KE",
            "latitude": "123",
            "longitude": "36.8",
            "languages": "sw,klingon",
            "organisation": organisation.pk,
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "less than or equal to 90" in html
    assert "klingon" in html
    assert not Community.objects.exists()


def test_a_negative_participant_count_is_refused(staff, assessment, as_user):
    response = as_user(staff).post(
        reverse("communities:participants_set", args=[assessment.pk]),
        {"total": "10", "sex__female": "-2"},
    )

    assert response.status_code == 400
    assert "greater than or equal to 0" in response.content.decode()
    assert not ParticipantCount.objects.exists()


def test_categories_above_the_total_are_refused_on_the_grid(staff, assessment, as_user):
    response = as_user(staff).post(
        reverse("communities:participants_set", args=[assessment.pk]),
        {"total": "10", "sex__female": "7", "sex__male": "7"},
    )

    assert response.status_code == 400
    assert "sex counts add up to 14, more than the 10" in response.content.decode()
    assert not ParticipantCount.objects.exists()


def test_a_need_ranked_0_is_refused(staff, assessment, as_user):
    response = as_user(staff).post(
        reverse("communities:need_add", args=[assessment.pk]),
        {"title": "Water", "severity": "high", "priority_rank": "0", "status": "open"},
    )

    assert response.status_code == 400
    assert "greater than or equal to 1" in response.content.decode()
    assert not Need.objects.exists()


def test_an_assessment_in_an_unknown_language_is_refused(staff, organisation, community, as_user):
    response = as_user(staff).post(
        reverse("communities:assessment_create", args=[community.slug]),
        {
            "title": "Meeting",
            "date": "2026-04-02",
            "method": "focus_group",
            "facilitating_organisation": organisation.pk,
            "language": "qqq",
        },
    )

    assert response.status_code == 400
    assert "qqq" in response.content.decode()
    assert not NeedsAssessment.objects.exists()


def test_submitting_without_consent_shows_why(staff, assessment, as_user):
    services.assessment_update(assessment=assessment, consent_recorded=False)
    add_needs(assessment, 1)

    response = as_user(staff).post(reverse("communities:assessment_submit", args=[assessment.pk]))

    assessment.refresh_from_db()
    assert response.status_code == 400
    assert "consent" in response.content.decode()
    assert assessment.status == "draft"


def test_a_validated_assessment_refuses_edits_from_the_page(staff, assessment, as_user):
    add_needs(assessment, 1)
    services.assessment_submit(assessment=assessment)
    services.assessment_validate(assessment=assessment)
    client = as_user(staff)

    responses = [
        client.post(
            reverse("communities:need_add", args=[assessment.pk]),
            {"title": "Late", "severity": "low", "status": "open"},
        ),
        client.post(
            reverse("communities:asset_add", args=[assessment.pk]),
            {"kind": "skills", "title": "Late"},
        ),
        client.post(
            reverse("communities:assessment_edit", args=[assessment.pk]),
            {
                "title": "Changed",
                "date": "2026-03-01",
                "method": "focus_group",
                "facilitating_organisation": assessment.facilitating_organisation_id,
                "language": "sw",
            },
        ),
    ]

    for response in responses:
        assert response.status_code == 400
        assert "can no longer be changed" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.title == "Village meeting on connectivity"
    assert assessment.needs.count() == 1
    assert not CommunityAsset.objects.exists()


def test_the_need_page_shows_an_empty_outcomes_section(staff, assessment, as_user):
    (need,) = add_needs(assessment, 1)

    html = as_user(staff).get(need.get_absolute_url()).content.decode()

    assert "Outcomes addressing this need" in html
    assert "No outcome addresses this need yet." in html


@pytest.mark.parametrize("huge", ["3000000000", str(10**20)])
def test_huge_numbers_are_refused_not_a_server_error(staff, assessment, as_user, huge):
    client = as_user(staff)
    grid = reverse("communities:participants_set", args=[assessment.pk])
    response = client.post(grid, {"total": huge, "sex__female": huge})
    assert response.status_code == 400
    needs_csv = f"title,priority_rank,severity,people_affected\nWells,1,high,{huge}\n"
    upload = SimpleUploadedFile("needs.csv", needs_csv.encode(), content_type="text/csv")
    url = reverse("communities:needs_import", args=[assessment.pk])
    response = client.post(url, {"needs-file": upload})
    assert response.status_code == 400
    rank_csv = f"title,priority_rank,severity\nWells,{huge},high\n"
    upload = SimpleUploadedFile("needs.csv", rank_csv.encode(), content_type="text/csv")
    assert client.post(url, {"needs-file": upload}).status_code == 400
    assessment.refresh_from_db()
    assert assessment.participants_total == 0
    assert not assessment.needs.exists()
