"""The sections other apps add to the partnership page (harambee.sections): their figures
come with the partnership's own row on the page, and from a query of their own when the
partnership was fetched without them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from harambee import sections
from harambee.sections import partnership_section_annotations, partnership_sections
from partnerships.models import Partnership, Visibility
from tests.communities.factories import make_assessment, make_community, make_validated
from tests.factories import PartnerFactory, PartnershipFactory
from tests.scorecards.factories import make_indicator, make_outcome

pytestmark = pytest.mark.django_db


def add_assessment(partnership, lead, *, validated: bool) -> None:
    organisation = partnership.partners.get(is_lead=True).organisation
    community = make_community(by=lead, organisation=organisation)
    if validated:
        make_validated(
            community=community,
            organisation=organisation,
            partnership=partnership,
            total=9,
            counts={},
        )
    else:
        make_assessment(community=community, organisation=organisation, partnership=partnership)


def add_outcomes(partnership, lead, n: int) -> None:
    reporter = partnership.partners.get(is_lead=True)
    for i in range(n):
        make_indicator(make_outcome(partnership, lead, title=f"Outcome {i}"), reporter)


def figures(pairs) -> dict:
    """Each section's figure, by section key."""
    by_key = {section.key: context for section, context in pairs}
    return {
        "communities": by_key["communities"]["show_published"],
        "scorecards": by_key["scorecards"]["outcomes"],
    }


def visit(client, partnership):
    response = client.get(partnership.get_absolute_url())
    assert response.status_code == 200
    return response, response.content.decode()


def test_every_sections_annotations_are_merged_under_their_own_names():
    assert {"communities_published", "scorecards_outcomes"} <= set(
        partnership_section_annotations()
    )


def test_two_sections_giving_one_name_are_refused(monkeypatch):
    monkeypatch.setattr(sections, "_SECTIONS", dict(sections._SECTIONS))
    sections.register_partnership_section(
        "clash", "clash.html", order=999, annotations=lambda: {"scorecards_outcomes": None}
    )
    with pytest.raises(ValueError, match="scorecards_outcomes"):
        partnership_section_annotations()


def test_without_validated_assessments_or_outcomes_visitors_see_neither_section(
    client, partnership, lead
):
    add_assessment(partnership, lead, validated=False)  # a draft is not published
    other = PartnershipFactory(visibility=Visibility.PUBLIC)  # another's figures count for nothing
    PartnerFactory(
        partnership=other,
        organisation=partnership.partners.get(is_lead=True).organisation,
        is_lead=True,
    )
    add_assessment(other, lead, validated=True)
    add_outcomes(other, lead, 2)

    response, html = visit(client, partnership)

    assert figures(response.context["sections"]) == {"communities": False, "scorecards": 0}
    assert 'id="community-side"' not in html
    assert 'id="scorecard-side"' not in html


def test_with_a_validated_assessment_and_outcomes_visitors_see_both_sections(
    client, partnership, lead
):
    add_assessment(partnership, lead, validated=True)
    add_assessment(partnership, lead, validated=False)
    add_outcomes(partnership, lead, 3)
    make_outcome(PartnershipFactory(visibility=Visibility.PUBLIC), lead, title="Elsewhere")

    response, html = visit(client, partnership)

    assert figures(response.context["sections"]) == {"communities": True, "scorecards": 3}
    assert 'id="community-side"' in html
    assert reverse("communities:partnership_public", args=[partnership.slug]) in html
    assert 'id="scorecard-side"' in html
    assert "3 indicators measure the outcomes." in html
    assert reverse("scorecards:scorecard", args=[partnership.slug]) in html


def test_the_page_reads_the_figures_with_the_partnerships_row(client, partnership, lead):
    add_assessment(partnership, lead, validated=True)
    add_outcomes(partnership, lead, 2)

    with CaptureQueriesContext(connection) as captured:
        visit(client, partnership)

    [first, *others] = [q["sql"] for q in captured.captured_queries]
    assert '"communities_published"' in first and '"scorecards_outcomes"' in first
    assert not [sql for sql in others if "communities_needsassessment" in sql]
    assert not [sql for sql in others if 'FROM "scorecards_outcome"' in sql]


def test_a_partnership_fetched_without_the_annotations_gets_the_same_figures(
    rf, partnership, lead, django_assert_num_queries
):
    add_assessment(partnership, lead, validated=True)
    add_outcomes(partnership, lead, 2)
    request = rf.get("/")
    annotated = Partnership.objects.annotate(**partnership_section_annotations()).get(
        pk=partnership.pk
    )
    plain = Partnership.objects.get(pk=partnership.pk)
    with_them = figures(partnership_sections(request, annotated))  # computes the roll-up

    # Without the annotations each section asks its own question: whether there are
    # validated assessments, how many outcomes (the roll-up is in the cache now).
    with django_assert_num_queries(2):
        without_them = figures(partnership_sections(request, plain))

    assert with_them == without_them == {"communities": True, "scorecards": 2}


def test_a_partnership_without_either_side_gets_the_same_figures_either_way(
    rf, partnership, django_assert_num_queries
):
    request = rf.get("/")
    annotated = Partnership.objects.annotate(**partnership_section_annotations()).get(
        pk=partnership.pk
    )
    with django_assert_num_queries(0):
        with_them = figures(partnership_sections(request, annotated))
    assert with_them == figures(partnership_sections(request, partnership))
    assert with_them == {"communities": False, "scorecards": 0}


@pytest.mark.parametrize("visibility", [Visibility.DRAFT, Visibility.PRIVATE])
def test_a_hidden_partnership_with_both_sides_is_still_404_to_visitors_and_outsiders(
    client, as_user, outsider, partnership, lead, visibility
):
    add_assessment(partnership, lead, validated=True)
    add_outcomes(partnership, lead, 1)
    Partnership.objects.filter(pk=partnership.pk).update(visibility=visibility)

    assert client.get(partnership.get_absolute_url()).status_code == 404
    assert as_user(outsider).get(partnership.get_absolute_url()).status_code == 404
    response = as_user(lead).get(partnership.get_absolute_url())
    assert response.status_code == 200
    assert figures(response.context["sections"]) == {"communities": True, "scorecards": 1}


def test_add_section_figures_reads_them_all_in_one_query(partnership, lead):
    add_assessment(partnership, lead, validated=True)
    add_outcomes(partnership, lead, 2)
    plain = Partnership.objects.get(pk=partnership.pk)
    with CaptureQueriesContext(connection) as captured:
        sections.add_section_figures(plain)
    assert len(captured) == 1
    assert (plain.communities_published, plain.scorecards_outcomes) == (True, 2)
    annotated = Partnership.objects.annotate(**partnership_section_annotations()).get(
        pk=partnership.pk
    )
    with CaptureQueriesContext(connection) as captured:
        sections.add_section_figures(annotated)
    assert len(captured) == 0


def test_a_new_section_replaces_the_merged_annotations(monkeypatch):
    from django.db.models import Value

    monkeypatch.setattr(sections, "_SECTIONS", dict(sections._SECTIONS))
    monkeypatch.setattr(sections, "_merged", {})
    before = partnership_section_annotations()
    sections.register_partnership_section(
        "reviews", "x.html", annotations=lambda: {"reviews_open": Value(1)}
    )
    assert set(partnership_section_annotations()) == {*before, "reviews_open"}
