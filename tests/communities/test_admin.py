"""The admin cannot break what communities.services guards; repairs go through the services."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from communities import services
from communities.models import AssessmentStatus, NeedsAssessment, ParticipantCount
from tests.communities.factories import add_needs, make_assessment, make_validated
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GUARDED = [
    "community",
    "communityrepresentative",
    "needsassessment",
    "participantcount",
    "need",
    "communityasset",
]
WITH_HISTORY = ["community", "needsassessment", "need"]
REASON = "Validated by mistake before the second village meeting"


@pytest.fixture
def validated(community, organisation, partnership):
    return make_validated(
        community=community,
        organisation=organisation,
        partnership=partnership,
        total=43,
        counts={("sex", "female"): 13, ("sex", "male"): 30, ("age_group", "youth"): 20},
    )


@pytest.fixture
def rows(community, validated):
    """One stored row of each guarded model, by admin model name."""
    return {
        "community": community,
        "communityrepresentative": community.representatives.get(),
        "needsassessment": validated,
        "participantcount": validated.participant_counts.get(dimension="sex", category="female"),
        "need": validated.needs.first(),
        "communityasset": validated.assets.get(),
    }


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


def url(name: str, *args) -> str:
    return reverse(f"admin:communities_{name}", args=args)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_data(form) -> dict:
    """What a browser sends back for the form as shown (its fields are plain inputs)."""
    data = {}
    for field in form:
        value = field.value()
        if isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
        else:
            data[field.html_name] = "" if value is None else value
    return data


def action_choices(response) -> list[str]:
    form = response.context["action_form"]
    return [] if form is None else [name for name, _label in form.fields["action"].choices]


def withdraw(admin, *assessments, **extra):
    data = {"action": "withdraw_validation", "_selected_action": [a.pk for a in assessments]}
    return admin.post(url("needsassessment_changelist"), {**data, **extra})


def public_page_status(client, partnership) -> int:
    return client.get(
        reverse("communities:partnership_public", args=[partnership.slug])
    ).status_code


# --- nothing guarded is written through the admin ----------------------------------------------


@pytest.mark.parametrize("model", GUARDED)
def test_guarded_rows_cannot_be_added_in_the_admin(admin, rows, model):
    assert admin.get(url(f"{model}_add")).status_code == 403
    assert admin.post(url(f"{model}_add"), {}).status_code == 403


@pytest.mark.parametrize("model", GUARDED)
def test_guarded_rows_can_be_looked_up_but_not_changed(admin, rows, model):
    row = rows[model]

    assert admin.get(url(f"{model}_changelist")).status_code == 200
    assert admin.get(url(f"{model}_changelist"), {"q": str(row)[:5]}).status_code == 200
    response = admin.get(url(f"{model}_change", row.pk))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert admin.post(url(f"{model}_change", row.pk), {}).status_code == 403


@pytest.mark.parametrize("model", GUARDED)
def test_guarded_rows_cannot_be_deleted_in_the_admin(admin, rows, model):
    row = rows[model]

    assert admin.get(url(f"{model}_delete", row.pk)).status_code == 403
    assert admin.post(url(f"{model}_delete", row.pk), {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    admin.post(url(f"{model}_changelist"), bulk)
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", GUARDED)
def test_the_change_list_offers_no_delete_action(admin, rows, model):
    response = admin.get(url(f"{model}_changelist"))

    assert "delete_selected" not in action_choices(response)


def test_a_count_above_the_total_of_a_validated_assessment_is_refused(
    admin, client, partnership, validated, rows
):
    count = rows["participantcount"]
    altered = {
        "assessment": validated.pk,
        "dimension": "sex",
        "category": "female",
        "count": validated.participants_total + 50,
    }

    response = admin.post(url("participantcount_change", count.pk), altered)

    assert response.status_code == 403
    count.refresh_from_db()
    assert count.count == 13
    assert public_page_status(client, partnership) == 200


def test_a_validated_assessment_cannot_be_edited_back_to_draft(admin, validated):
    altered = {"status": AssessmentStatus.DRAFT, "participants_total": 1, "title_en": "Renamed"}

    response = admin.post(url("needsassessment_change", validated.pk), altered)

    assert response.status_code == 403
    validated.refresh_from_db()
    assert (validated.status, validated.participants_total) == (AssessmentStatus.VALIDATED, 43)


@pytest.mark.parametrize("model", ["community", "needsassessment"])
def test_inlines_offer_no_add_change_or_delete(admin, rows, model):
    response = admin.get(url(f"{model}_change", rows[model].pk))

    inlines = response.context["inline_admin_formsets"]
    assert inlines
    for inline in inlines:
        assert inline.has_view_permission
        assert not inline.has_add_permission
        assert not inline.has_change_permission
        assert not inline.has_delete_permission


@pytest.mark.parametrize("model", WITH_HISTORY)
def test_the_history_stays_viewable(admin, rows, model):
    response = admin.get(url(f"{model}_history", rows[model].pk))

    assert response.status_code == 200


def test_an_earlier_version_cannot_be_restored_from_the_history(admin, validated):
    draft = validated.history.filter(status=AssessmentStatus.DRAFT).earliest()
    revert = url("needsassessment_simple_history", validated.pk, draft.history_id)

    page = admin.get(revert)
    assert page.status_code == 200
    response = admin.post(revert, form_data(page.context["adminform"].form))

    assert response.status_code == 403
    validated.refresh_from_db()
    assert validated.status == AssessmentStatus.VALIDATED


# --- withdrawing a validation ------------------------------------------------------------------


def test_withdrawing_a_validation_first_asks_for_the_reason(admin, validated):
    response = withdraw(admin, validated)

    assert response.status_code == 200
    assert "admin/harambee/action_reason.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "csrfmiddlewaretoken" in html
    assert f'name="_selected_action" value="{validated.pk}"' in html
    assert 'name="action" value="withdraw_validation"' in html
    validated.refresh_from_db()
    assert validated.status == AssessmentStatus.VALIDATED


def test_withdrawing_a_validation_with_a_reason_submits_it_again(admin, admin_user, validated):
    response = withdraw(admin, validated, apply_with_reason="1", reason=REASON)

    assert response.status_code == 302
    validated.refresh_from_db()
    assert validated.status == AssessmentStatus.SUBMITTED
    latest = validated.history.latest()
    assert latest.history_change_reason == REASON
    assert latest.history_user == admin_user
    assert any("validation withdrawn" in message for message in messages_of(response))


def test_withdrawing_a_validation_without_a_reason_is_refused(admin, validated):
    response = withdraw(admin, validated, apply_with_reason="1", reason="   ")

    assert response.status_code == 200
    assert "Give a reason: it is kept in the change history." in messages_of(response)
    validated.refresh_from_db()
    assert validated.status == AssessmentStatus.VALIDATED


def test_a_reason_longer_than_the_history_keeps_is_refused(admin, validated):
    response = withdraw(admin, validated, apply_with_reason="1", reason="x" * 101)

    assert response.status_code == 200
    validated.refresh_from_db()
    assert validated.status == AssessmentStatus.VALIDATED


def test_an_assessment_that_is_not_validated_is_reported_and_the_others_proceed(
    admin, validated, community, organisation
):
    draft = make_assessment(community=community, organisation=organisation, title="Draft one")
    add_needs(draft, 1)

    response = withdraw(admin, validated, draft, apply_with_reason="1", reason=REASON)

    validated.refresh_from_db()
    draft.refresh_from_db()
    assert validated.status == AssessmentStatus.SUBMITTED
    assert draft.status == AssessmentStatus.DRAFT
    assert (
        "“Draft one”: Only a validated assessment can have its validation withdrawn."
        in messages_of(response)
    )
    assert draft.history.count() == 1


def test_a_withdrawn_assessment_can_be_corrected_through_the_services(admin, validated):
    withdraw(admin, validated, apply_with_reason="1", reason=REASON)
    validated = NeedsAssessment.objects.get(pk=validated.pk)

    services.assessment_set_participants(
        assessment=validated, total=45, counts={("sex", "female"): 15, ("sex", "male"): 30}
    )

    assert ParticipantCount.objects.get(assessment=validated, category="female").count == 15


def test_staff_with_view_permission_only_cannot_withdraw_a_validation(client, validated):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_needsassessment"))
    client.force_login(viewer)

    response = client.get(url("needsassessment_changelist"))
    assert response.status_code == 200
    assert "withdraw_validation" not in action_choices(response)
    withdraw(client, validated, apply_with_reason="1", reason=REASON)

    validated.refresh_from_db()
    assert validated.status == AssessmentStatus.VALIDATED
