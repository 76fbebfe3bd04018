"""The admin cannot break what scorecards.services guards; its one repair (returning a
submitted reading) goes through the service and keeps its reason in the history."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from scorecards import services
from scorecards.models import ReadingStatus, RevisionReason
from tests.factories import UserFactory
from tests.scorecards.factories import FINAL_DAY, draft, make_ordinal, submitted

pytestmark = pytest.mark.django_db

GUARDED = [
    "outcome",
    "indicator",
    "target",
    "rubriclevel",
    "reading",
    "disaggregatedvalue",
    "evidence",
    "revision",
    "lesson",
]
WITH_HISTORY = [
    "outcome",
    "indicator",
    "target",
    "rubriclevel",
    "reading",
    "evidence",
    "revision",
    "lesson",
]
REASON = "Stuck with a verifier who left the lead organisation"
PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def rows(outcome, indicator, implementer, partner_staff, lead):
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.indicator_update(indicator=indicator, dimensions=["sex"])
    reading = draft(
        indicator,
        partner_staff,
        date(2026, 6, 30),
        people=40,
        disaggregations=[{"dimension": "sex", "category": "female", "value": 30, "people": 30}],
    )
    evidence = services.evidence_add(
        reading=reading, by=partner_staff, file=SimpleUploadedFile("Sheet.pdf", PDF)
    )
    services.reading_submit(reading=reading, by=partner_staff)
    services.reading_verify(reading=reading, by=lead)
    services.target_change(
        target=indicator.targets.get(),
        by=lead,
        date=FINAL_DAY,
        value="90",
        reason=RevisionReason.CONTEXT_CHANGE,
    )
    ordinal = make_ordinal(outcome, implementer)
    return {
        "outcome": outcome,
        "indicator": indicator,
        "target": indicator.targets.get(),
        "rubriclevel": ordinal.levels.first(),
        "reading": reading,
        "disaggregatedvalue": reading.disaggregations.get(),
        "evidence": evidence,
        "revision": indicator.revisions.get(),
        "lesson": services.lesson_create(
            partnership=outcome.partnership,
            by=lead,
            kind="failure",
            title="Prices came too late",
            what_happened="Traders had already bought the harvest.",
            outcome=outcome,
        ),
    }


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


def url(name: str, *args) -> str:
    return reverse(f"admin:scorecards_{name}", args=args)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def action_choices(response) -> list[str]:
    form = response.context["action_form"]
    return [] if form is None else [name for name, _label in form.fields["action"].choices]


def return_readings(client, *readings, **extra):
    data = {"action": "return_reading", "_selected_action": [r.pk for r in readings]}
    return client.post(url("reading_changelist"), {**data, **extra})


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
    bulk = {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    admin.post(url(f"{model}_changelist"), bulk)
    assert type(row).objects.filter(pk=row.pk).exists()
    assert "delete_selected" not in action_choices(admin.get(url(f"{model}_changelist")))


@pytest.mark.parametrize("model", WITH_HISTORY)
def test_the_history_stays_viewable(admin, rows, model):
    assert admin.get(url(f"{model}_history", rows[model].pk)).status_code == 200


def test_a_verified_reading_cannot_be_edited_or_restored_in_the_admin(admin, rows):
    reading = rows["reading"]
    draft_version = reading.history.filter(status=ReadingStatus.DRAFT).earliest()

    response = admin.post(url("reading_change", reading.pk), {"value": "1", "status": "draft"})
    revert = admin.post(url("reading_simple_history", reading.pk, draft_version.history_id), {})

    assert (response.status_code, revert.status_code) == (403, 403)
    reading.refresh_from_db()
    assert reading.status == ReadingStatus.VERIFIED


@pytest.mark.parametrize("model", ["outcome", "indicator", "reading"])
def test_inlines_offer_no_add_change_or_delete(admin, rows, model):
    response = admin.get(url(f"{model}_change", rows[model].pk))

    inlines = response.context["inline_admin_formsets"]
    assert inlines
    for inline in inlines:
        assert not inline.has_add_permission
        assert not inline.has_change_permission
        assert not inline.has_delete_permission


def test_evidence_pages_name_the_file_but_never_link_to_it(admin, rows):
    evidence = rows["evidence"]

    html = admin.get(url("evidence_change", evidence.pk)).content.decode()
    html += admin.get(url("reading_change", rows["reading"].pk)).content.decode()

    assert "Sheet.pdf" in html
    assert evidence.file.name not in html


# --- returning a submitted reading -----------------------------------------------------------


@pytest.fixture
def waiting(indicator, partner_staff):
    return submitted(indicator, partner_staff, date(2026, 9, 30), period_start=date(2026, 7, 1))


def test_returning_a_reading_first_asks_for_the_reason(admin, waiting):
    response = return_readings(admin, waiting)

    assert response.status_code == 200
    assert "admin/harambee/action_reason.html" in [t.name for t in response.templates]
    waiting.refresh_from_db()
    assert waiting.status == ReadingStatus.SUBMITTED


def test_returning_a_reading_with_a_reason_keeps_it_in_the_history(admin, admin_user, waiting):
    response = return_readings(admin, waiting, apply_with_reason="1", reason=REASON)

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == ReadingStatus.RETURNED
    assert waiting.return_reason == REASON
    latest = waiting.history.latest()
    assert latest.history_change_reason == REASON
    assert latest.history_user == admin_user
    assert any("returned to the reporter" in message for message in messages_of(response))


def test_a_reading_that_is_not_submitted_is_reported_and_the_others_proceed(admin, rows, waiting):
    response = return_readings(
        admin, rows["reading"], waiting, apply_with_reason="1", reason=REASON
    )

    waiting.refresh_from_db()
    rows["reading"].refresh_from_db()
    assert waiting.status == ReadingStatus.RETURNED
    assert rows["reading"].status == ReadingStatus.VERIFIED
    assert any("Only a submitted reading can be returned." in m for m in messages_of(response))


def test_staff_with_view_permission_only_cannot_return_readings(client, waiting):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_reading"))
    client.force_login(viewer)

    response = client.get(url("reading_changelist"))
    assert response.status_code == 200
    assert "return_reading" not in action_choices(response)
    return_readings(client, waiting, apply_with_reason="1", reason=REASON)

    waiting.refresh_from_db()
    assert waiting.status == ReadingStatus.SUBMITTED


def test_readings_are_never_verified_from_the_admin(admin, waiting):
    # Verifying is the lead's (maker/checker); platform admins only repair.
    assert action_choices(admin.get(url("reading_changelist"))) == ["", "return_reading"]
