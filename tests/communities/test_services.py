"""Services refuse bad input with a clear message and save nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from communities import services
from communities.models import (
    AssessmentStatus,
    Community,
    CommunityAsset,
    Need,
    ParticipantCount,
)
from tests.communities.factories import add_needs, make_community
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_creating_a_community_makes_the_creators_organisation_work_with_it(staff, organisation):
    community = make_community(by=staff, organisation=organisation, languages="SW, en ,quz")

    assert list(community.organisations.all()) == [organisation]
    assert community.languages == "sw,en,quz"


def test_a_community_cannot_be_created_for_someone_elses_organisation(staff):
    with pytest.raises(ValidationError, match="organisations you work for"):
        make_community(by=staff, organisation=OrganisationFactory())

    assert not Community.objects.exists()


def test_an_unknown_language_code_is_refused_and_named(staff, organisation):
    with pytest.raises(ValidationError) as excinfo:
        make_community(by=staff, organisation=organisation, languages="sw,xx,en")

    assert "xx" in messages_of(excinfo)
    assert not Community.objects.exists()


def test_an_assessment_language_must_be_iso_639(community, organisation):
    from tests.communities.factories import make_assessment

    with pytest.raises(ValidationError, match="zz"):
        make_assessment(community=community, organisation=organisation, language="zz")


def test_a_latitude_of_123_is_refused(staff, organisation):
    with pytest.raises(ValidationError) as excinfo:
        make_community(by=staff, organisation=organisation, latitude=Decimal("123"))

    assert "latitude" in excinfo.value.message_dict
    assert not Community.objects.exists()


def test_a_negative_count_is_refused_and_nothing_changes(assessment):
    services.assessment_set_participants(
        assessment=assessment, total=10, counts={("sex", "female"): 6}
    )

    with pytest.raises(ValidationError, match="0 or more"):
        services.assessment_set_participants(
            assessment=assessment, total=10, counts={("sex", "female"): -1}
        )

    assessment.refresh_from_db()
    assert assessment.participants_total == 10
    assert list(assessment.participant_counts.values_list("count", flat=True)) == [6]


def test_categories_summing_above_the_total_are_refused(assessment):
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_set_participants(
            assessment=assessment,
            total=10,
            counts={("sex", "female"): 8, ("sex", "male"): 5, ("age_group", "youth"): 10},
        )

    assert "sex counts add up to 13, more than the 10" in messages_of(excinfo)
    assert not ParticipantCount.objects.exists()


def test_an_unknown_category_is_refused(assessment):
    with pytest.raises(ValidationError, match="not a known dimension"):
        services.assessment_set_participants(
            assessment=assessment, total=10, counts={("sex", "robot"): 1}
        )


def test_setting_participants_replaces_all_earlier_counts(assessment):
    services.assessment_set_participants(
        assessment=assessment, total=10, counts={("sex", "female"): 6, ("sex", "male"): 4}
    )
    services.assessment_set_participants(
        assessment=assessment, total=12, counts={("age_group", "youth"): 12}
    )

    assert list(assessment.participant_counts.values_list("dimension", "category", "count")) == [
        ("age_group", "youth", 12)
    ]


def test_lowering_the_total_below_the_recorded_counts_is_refused(assessment):
    services.assessment_set_participants(
        assessment=assessment, total=10, counts={("sex", "female"): 9}
    )

    with pytest.raises(ValidationError, match="more than the 5"):
        services.assessment_update(assessment=assessment, participants_total=5)


def test_a_need_ranked_0_is_refused(assessment):
    with pytest.raises(ValidationError) as excinfo:
        services.need_add(assessment=assessment, title="Water", severity="high", priority_rank=0)

    assert "priority_rank" in excinfo.value.message_dict
    assert not Need.objects.exists()


def test_unknown_groups_affected_are_refused_and_named(assessment):
    with pytest.raises(ValidationError, match="aliens"):
        services.need_add(
            assessment=assessment, title="Water", severity="high", groups_affected=["aliens"]
        )


def test_a_need_without_a_rank_goes_last(assessment):
    add_needs(assessment, 2)

    need = services.need_add(assessment=assessment, title="Solar", severity="low")

    assert need.priority_rank == 3


def test_moving_a_need_up_swaps_it_with_the_one_above(assessment):
    first, second, third = add_needs(assessment, 3)

    services.need_move(need=third, direction="up")

    ranked = list(assessment.needs.order_by("priority_rank").values_list("pk", flat=True))
    assert ranked == [first.pk, third.pk, second.pk]


def test_moving_the_first_need_up_changes_nothing(assessment):
    first, second = add_needs(assessment, 2)

    services.need_move(need=first, direction="up")

    assert list(assessment.needs.values_list("pk", "priority_rank")) == [
        (first.pk, 1),
        (second.pk, 2),
    ]


def test_moving_a_need_with_a_tied_rank_renumbers_them(assessment):
    a = services.need_add(assessment=assessment, title="A", severity="low", priority_rank=1)
    b = services.need_add(assessment=assessment, title="B", severity="low", priority_rank=1)

    services.need_move(need=b, direction="up")

    assert list(assessment.needs.order_by("priority_rank").values_list("pk", flat=True)) == [
        b.pk,
        a.pk,
    ]


def test_submitting_without_consent_is_refused(assessment):
    services.assessment_update(assessment=assessment, consent_recorded=False)
    add_needs(assessment, 1)

    with pytest.raises(ValidationError, match="consent"):
        services.assessment_submit(assessment=assessment)

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_submitting_without_needs_is_refused(assessment):
    with pytest.raises(ValidationError, match="at least one need"):
        services.assessment_submit(assessment=assessment)


def test_only_a_submitted_assessment_can_be_validated(assessment):
    with pytest.raises(ValidationError, match="Only a submitted"):
        services.assessment_validate(assessment=assessment)


@pytest.fixture
def validated(assessment):
    add_needs(assessment, 2)
    services.assessment_submit(assessment=assessment)
    return services.assessment_validate(assessment=assessment)


def test_a_validated_assessment_cannot_be_edited(validated):
    with pytest.raises(ValidationError, match="validated with the community"):
        services.assessment_update(assessment=validated, title="Changed")
    with pytest.raises(ValidationError, match="validated with the community"):
        services.need_add(assessment=validated, title="Late", severity="low")
    with pytest.raises(ValidationError, match="validated with the community"):
        services.assessment_set_participants(assessment=validated, total=1, counts={})
    with pytest.raises(ValidationError, match="validated with the community"):
        services.need_move(need=validated.needs.last(), direction="up")
    with pytest.raises(ValidationError, match="validated with the community"):
        services.asset_add(
            community=validated.community, assessment=validated, kind="skills", title="x"
        )
    with pytest.raises(ValidationError, match="validated with the community"):
        services.needs_import(assessment=validated, rows=[])

    validated.refresh_from_db()
    assert validated.title == "Village meeting on connectivity"
    assert validated.needs.count() == 2
    assert not CommunityAsset.objects.exists()


def test_a_validated_needs_status_can_still_follow_what_happens(validated):
    need = validated.needs.first()

    services.need_update(need=need, status="being_addressed")
    with pytest.raises(ValidationError, match="validated with the community"):
        services.need_update(need=need, title="Rewritten")

    need.refresh_from_db()
    assert (need.status, need.title) == ("being_addressed", "Need 1")


def test_a_need_has_no_addressing_outcomes_until_scorecards_exist(assessment):
    (need,) = add_needs(assessment, 1)

    assert list(need.addressing_outcomes()) == []


def test_the_history_of_assessments_and_needs_is_kept(assessment):
    (need,) = add_needs(assessment, 1)
    services.need_update(need=need, title="Clean water")

    assert need.history.count() == 2
    assert assessment.history.count() == 1
