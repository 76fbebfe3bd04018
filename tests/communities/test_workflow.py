"""The browser workflow through Django's test client, and who may reach which page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities import services
from communities.models import AssessmentStatus, Community, Need, NeedsAssessment
from partnerships.models import Visibility
from tests.communities.factories import add_needs, make_assessment, make_validated

pytestmark = pytest.mark.django_db


def grid(total, **counts):
    data = {"total": total}
    data.update({key: value for key, value in counts.items()})
    return data


def test_staff_create_an_assessment_add_participants_and_needs_and_submit_it(
    staff, organisation, community, partnership, as_user
):
    client = as_user(staff)

    response = client.post(
        reverse("communities:assessment_create", args=[community.slug]),
        {
            "title": "Women's focus group on mobile money",
            "date": "2026-04-02",
            "method": "focus_group",
            "facilitating_organisation": organisation.pk,
            "partnership": partnership.pk,
            "language": "SW",
            "led_by_community": "on",
            "consent_recorded": "on",
        },
    )
    assessment = NeedsAssessment.objects.get()
    assert response.status_code == 302
    assert response.url == assessment.get_absolute_url()
    assert (assessment.language, assessment.created_by) == ("sw", staff)

    response = client.post(
        reverse("communities:participants_set", args=[assessment.pk]),
        grid(30, sex__female=22, sex__male=8, disability__with_disability=3),
    )
    assert response.status_code == 302
    for title in ["Agent nearby", "Training in Wolof"]:
        response = client.post(
            reverse("communities:need_add", args=[assessment.pk]),
            {"title": title, "severity": "high", "groups_affected": ["women"], "status": "open"},
        )
        assert response.status_code == 302
    response = client.post(reverse("communities:assessment_submit", args=[assessment.pk]))
    assert response.status_code == 302

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.participants_total == 30
    assert dict(assessment.participant_counts.values_list("category", "count")) == {
        "female": 22,
        "male": 8,
        "with_disability": 3,
    }
    assert list(assessment.needs.values_list("title", "priority_rank")) == [
        ("Agent nearby", 1),
        ("Training in Wolof", 2),
    ]
    page = client.get(assessment.get_absolute_url())
    assert "Training in Wolof" in page.content.decode()


def test_staff_reorder_needs_with_the_up_and_down_buttons(staff, assessment, as_user):
    first, second = add_needs(assessment, 2)

    response = as_user(staff).post(
        reverse("communities:need_move", args=[second.pk]), {"direction": "up"}
    )

    assert response.status_code == 302
    assert list(assessment.needs.order_by("priority_rank").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]


def test_staff_add_an_asset_and_mark_the_assessment_validated(staff, assessment, as_user):
    add_needs(assessment, 1)
    client = as_user(staff)
    client.post(
        reverse("communities:asset_add", args=[assessment.pk]),
        {"kind": "connectivity", "title": "3G mast on the hill"},
    )
    client.post(reverse("communities:assessment_submit", args=[assessment.pk]))

    response = client.post(
        reverse("communities:assessment_validate", args=[assessment.pk]),
        {"validation_method": "community_meeting", "validated_on": "2026-03-02"},
    )

    assessment.refresh_from_db()
    assert response.status_code == 302
    assert assessment.status == AssessmentStatus.VALIDATED
    assert assessment.assets.get().title == "3G mast on the hill"


def test_a_member_can_register_a_community_for_their_organisation(staff, organisation, as_user):
    response = as_user(staff).post(
        reverse("communities:create"),
        {
            "name": "Ndiaganiao",
            "country": "SN",
            "languages": "wo, fr",
            "organisation": organisation.pk,
        },
    )

    community = Community.objects.get(name="Ndiaganiao")
    assert response.url == community.get_absolute_url()
    assert list(community.organisations.all()) == [organisation]


def test_someone_without_an_organisation_cannot_register_a_community(
    user_without_organisation, as_user
):
    response = as_user(user_without_organisation).get(reverse("communities:create"))

    assert response.status_code == 403


def test_staff_see_only_the_communities_they_work_with(staff, outsider, community, as_user):
    assert community.name in as_user(staff).get(reverse("communities:list")).content.decode()
    assert community.name not in as_user(outsider).get(reverse("communities:list")).content.decode()


def test_staff_of_an_unrelated_organisation_get_404_everywhere(outsider, assessment, as_user):
    (need,) = add_needs(assessment, 1)
    client = as_user(outsider)
    community = assessment.community
    urls = [
        community.get_absolute_url(),
        reverse("communities:edit", args=[community.slug]),
        reverse("communities:assessment_create", args=[community.slug]),
        assessment.get_absolute_url(),
        reverse("communities:assessment_edit", args=[assessment.pk]),
        reverse("communities:needs_export", args=[assessment.pk]),
        need.get_absolute_url(),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for name in ["need_add", "participants_set", "assessment_submit", "needs_import"]:
        assert client.post(reverse(f"communities:{name}", args=[assessment.pk])).status_code == 404
    assert client.post(reverse("communities:need_move", args=[need.pk])).status_code == 404
    assert Need.objects.count() == 1


def test_staff_of_the_facilitating_organisation_work_with_the_community(
    partner_staff, community, as_user
):
    facilitator = partner_staff.memberships.get().organisation
    assessment = make_assessment(community=community, organisation=facilitator)

    client = as_user(partner_staff)
    assert client.get(assessment.get_absolute_url()).status_code == 200
    assert client.get(community.get_absolute_url()).status_code == 200


def test_visitors_are_sent_to_sign_in_from_staff_pages(client, assessment):
    response = client.get(assessment.get_absolute_url())

    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_visitors_see_validated_assessments_of_public_partnerships(
    client, community, organisation, partnership
):
    make_validated(
        community=community,
        organisation=organisation,
        partnership=partnership,
        title="Validated meeting",
        total=40,
        counts={("sex", "female"): 25, ("sex", "male"): 15},
    )
    submitted = make_assessment(
        community=community,
        organisation=organisation,
        partnership=partnership,
        title="Submitted one",
    )
    add_needs(submitted, 1, description="SUBMITTED-ONLY need")
    services.assessment_submit(assessment=submitted)
    draft = make_assessment(
        community=community, organisation=organisation, partnership=partnership, title="Draft one"
    )
    services.need_add(assessment=draft, title="DRAFT-ONLY need", severity="low")

    response = client.get(reverse("communities:partnership_public", args=[partnership.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Validated meeting" in html
    assert community.name in html
    for hidden in ["Submitted one", "SUBMITTED-ONLY", "Draft one", "DRAFT-ONLY"]:
        assert hidden not in html


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.DRAFT])
def test_the_community_side_of_a_hidden_partnership_is_404(
    client, community, organisation, partnership, visibility
):
    make_validated(
        community=community,
        organisation=organisation,
        partnership=partnership,
        total=40,
        counts={},
    )
    partnership.visibility = visibility
    partnership.save()

    response = client.get(reverse("communities:partnership_public", args=[partnership.slug]))

    assert response.status_code == 404


def test_a_public_partnership_page_links_to_its_community_side_once_validated(
    client, community, organisation, partnership
):
    url = reverse("communities:partnership_public", args=[partnership.slug])
    assert url not in client.get(partnership.get_absolute_url()).content.decode()

    make_validated(
        community=community, organisation=organisation, partnership=partnership, total=9, counts={}
    )

    assert url in client.get(partnership.get_absolute_url()).content.decode()


def test_the_partnership_page_link_costs_no_query_of_its_own(
    client, community, organisation, partnership
):
    client.get(partnership.get_absolute_url())  # the site-wide figures, once per version
    with CaptureQueriesContext(connection) as before:
        client.get(partnership.get_absolute_url())
    make_validated(
        community=community, organisation=organisation, partnership=partnership, total=9, counts={}
    )
    with CaptureQueriesContext(connection) as after:
        client.get(partnership.get_absolute_url())

    # Whether there is a validated assessment is read with the partnership's own row.
    communities_queries = [q["sql"] for q in after.captured_queries if "communities_" in q["sql"]]
    assert len(communities_queries) == 1
    assert '"communities_published"' in communities_queries[0]
    assert 'FROM "partnerships_partnership"' in communities_queries[0]
    assert len(after) == len(before)
