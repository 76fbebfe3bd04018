"""The staff pages of scorecards: who may open and change what, and bad input refused with
a message at its field and nothing saved.

The cast is tests/scorecards/conftest.py's: ``lead`` defines and verifies,
``partner_staff`` reports the indicator (DESIGN.md's worked one: baseline 0 on
2026-01-01, target 100 on 2027-01-01, quarterly), ``funder`` reads, ``outsider`` and
visitors are strangers to the (public) partnership.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships import services as partnership_services
from partnerships.models import GrantCapacity, Visibility
from scorecards import services
from scorecards.models import (
    Evidence,
    Indicator,
    IndicatorMeasure,
    Outcome,
    Reading,
    ReadingStatus,
    Revision,
    RevisionReason,
    Target,
)
from tests.communities.factories import add_needs, make_assessment, make_community
from tests.scorecards.factories import (
    BASELINE_DAY,
    FINAL_DAY,
    draft,
    make_indicator,
    make_ordinal,
    make_outcome,
    submitted,
    verified,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
Q1 = date(2026, 3, 31)
Q2 = date(2026, 6, 30)


def url(name: str, *args) -> str:
    return reverse(f"scorecards:{name}", args=args)


def reading_data(**overrides) -> dict:
    data = {"period_start": "2026-01-01", "period_end": "2026-03-31", "value": "60", "comment": ""}
    return {**data, **overrides}


def indicator_data(implementer, **overrides) -> dict:
    data = {
        "title": "Farmers receiving daily prices",
        "measure": IndicatorMeasure.UNIT,
        "unit_label": "farmers",
        "higher_is_better": "on",
        "baseline_value": "0",
        "baseline_date": "2026-01-01",
        "target_value": "100",
        "target_date": "2027-01-01",
        "cadence_months": 3,
        "band": "0.10",
        "reporting_partner": implementer.pk,
    }
    return {**data, **overrides}


def field_errors(response, field: str) -> str:
    return " ".join(response.context["form"].errors.get(field, []))


@pytest.fixture
def grant_holder(partnership, panel_member, lead):
    partnership_services.grant_create(
        partnership=partnership,
        capacity=GrantCapacity.OBSERVER,
        granted_by=lead,
        user=panel_member,
    )
    return panel_member


@pytest.fixture
def reading(indicator, partner_staff):
    return submitted(indicator, partner_staff, Q1)


# --- who may open the pages ------------------------------------------------------------------


def test_visitors_are_asked_to_sign_in(client, partnership, indicator):
    response = client.get(url("manage", partnership.slug))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_outsiders_get_404_even_for_a_public_partnership_and_a_verified_reading(
    as_user, outsider, partnership, indicator, partner_staff, lead
):
    reading = verified(indicator, partner_staff, lead, Q1)
    client = as_user(outsider)
    pages = [
        url("manage", partnership.slug),
        url("outcome_create", partnership.slug),
        url("indicator_detail", indicator.pk),
        url("reading_create", indicator.pk),
        url("reading_detail", reading.pk),
        url("reading_correct", reading.pk),
    ]

    assert [client.get(page).status_code for page in pages] == [404] * len(pages)
    assert client.post(url("reading_verify", reading.pk)).status_code == 404


def test_a_hidden_partnership_answers_404_to_outsiders(as_user, outsider, partnership, outcome):
    partnership.visibility = Visibility.PRIVATE
    partnership.save(update_fields=["visibility"])

    assert as_user(outsider).get(url("manage", partnership.slug)).status_code == 404
    assert as_user(outsider).get(url("outcome_edit", outcome.pk)).status_code == 404


@pytest.mark.parametrize("reader", ["funder", "grant_holder"])
def test_funders_and_grant_holders_read_but_get_403_on_every_write(
    request, as_user, reader, partnership, outcome, indicator, implementer, reading
):
    client = as_user(request.getfixturevalue(reader))
    target = indicator.targets.get()

    for page in [
        url("manage", partnership.slug),
        url("indicator_detail", indicator.pk),
        url("reading_detail", reading.pk),
    ]:
        assert client.get(page).status_code == 200, page
    writes = [
        (url("outcome_create", partnership.slug), {"title": "Mine", "level": 2}),
        (url("outcome_edit", outcome.pk), {"title": "Mine", "level": 2}),
        (url("indicator_create", outcome.pk), indicator_data(implementer)),
        (url("baseline_change", indicator.pk), {"baseline_date": "2026-01-01"}),
        (url("target_add", indicator.pk), {"date": "2027-06-01", "value": "120"}),
        (url("target_edit", target.pk), {"date": "2027-06-01", "value": "120"}),
        (url("reading_create", indicator.pk), reading_data(period_end="2026-06-30")),
        (url("reading_verify", reading.pk), {}),
        (url("reading_return", reading.pk), {"reason": "No."}),
    ]
    for address, data in writes:
        assert client.post(address, data).status_code == 403, address
    reading.refresh_from_db()
    assert reading.status == ReadingStatus.SUBMITTED
    assert Outcome.objects.count() == 1 and Indicator.objects.count() == 1
    assert Reading.objects.count() == 1


def test_staff_pages_never_reach_the_shared_page_cache(
    cached_pages, as_user, partner_staff, partnership, indicator
):
    response = as_user(partner_staff).get(url("manage", partnership.slug))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_the_management_page_offers_definition_to_the_lead_only(
    as_user, lead, partner_staff, partnership, outcome, indicator
):
    lead_page = as_user(lead).get(url("manage", partnership.slug)).content.decode()
    staff_page = as_user(partner_staff).get(url("manage", partnership.slug)).content.decode()

    assert url("outcome_create", partnership.slug) in lead_page
    assert url("indicator_create", outcome.pk) in lead_page
    assert url("outcome_create", partnership.slug) not in staff_page
    assert url("indicator_detail", indicator.pk) in staff_page
    assert "Farmers receiving daily prices" in staff_page


def test_partner_staff_cannot_define(as_user, partner_staff, partnership, outcome):
    client = as_user(partner_staff)

    assert client.get(url("outcome_create", partnership.slug)).status_code == 403
    assert client.get(url("indicator_create", outcome.pk)).status_code == 403


# --- outcomes and indicators -----------------------------------------------------------------


def test_the_lead_adds_an_outcome_linked_to_a_need_and_its_partners(
    as_user, lead, partnership, implementer, needs
):
    response = as_user(lead).post(
        url("outcome_create", partnership.slug),
        {
            "title": "Farmers sell at fair prices",
            "level": 2,
            "intention": "intended",
            "responsible_partners": [implementer.pk],
            "needs": [needs[0].pk],
        },
    )

    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert list(outcome.needs.all()) == [needs[0]]
    assert list(outcome.responsible_partners.all()) == [implementer]
    assert outcome.source_language == "en"


def test_the_outcome_form_offers_only_needs_of_validated_assessments_of_the_partnership(
    as_user, lead, lead_partner, partnership, needs
):
    organisation = lead_partner.organisation
    community = make_community(by=lead, organisation=organisation, name="Elsewhere")
    unvalidated = make_assessment(
        community=community, organisation=organisation, partnership=partnership, by=lead
    )
    (other,) = add_needs(unvalidated, 1)

    page = as_user(lead).get(url("outcome_create", partnership.slug))
    offered = list(page.context["form"].fields["needs"].queryset)

    assert needs[0] in offered and other not in offered
    response = as_user(lead).post(
        url("outcome_create", partnership.slug),
        {"title": "Mine", "level": 2, "intention": "intended", "needs": [other.pk]},
    )
    assert response.status_code == 400
    assert field_errors(response, "needs")
    assert not Outcome.objects.exists()


def test_the_lead_adds_an_indicator_with_baseline_and_target(as_user, lead, outcome, implementer):
    response = as_user(lead).post(
        url("indicator_create", outcome.pk),
        indicator_data(implementer, dimensions=["sex"], definition="Farmers who get the SMS."),
    )

    indicator = Indicator.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("indicator_detail", indicator.pk)
    assert (indicator.baseline_value, indicator.baseline_date) == (Decimal(0), BASELINE_DAY)
    assert list(indicator.targets.values_list("date", "value")) == [(FINAL_DAY, Decimal(100))]
    assert indicator.dimensions == ["sex"]


def test_an_ordinal_indicator_takes_its_rubric(as_user, lead, outcome, implementer):
    data = indicator_data(
        implementer,
        title="Trust in the price messages",
        measure=IndicatorMeasure.ORDINAL,
        baseline_value="1",
        target_value="3",
        level_1="Not at all",
        level_2="Somewhat",
        level_3="Fully",
        level_3_description="People rely on it and tell others.",
    )

    response = as_user(lead).post(url("indicator_create", outcome.pk), data)

    assert response.status_code == 302
    levels = Indicator.objects.get().levels.values_list("number", "label")
    assert list(levels) == [(1, "Not at all"), (2, "Somewhat"), (3, "Fully")]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"baseline_value": "N/A"}, "baseline_value", "is not a number"),
        ({"target_value": "a hundred"}, "target_value", "is not a number"),
        ({"target_value": "-5"}, "target_value", "cannot be below the baseline"),
        ({"target_date": "2025-12-01"}, "target_date", "dated after the baseline date"),
        ({"measure": IndicatorMeasure.ORDINAL}, "level_1", "rubric of at least two levels"),
        ({"band": "N/A"}, "band", "Enter a number"),
    ],
)
def test_a_bad_indicator_is_refused_at_its_field_and_nothing_is_saved(
    as_user, lead, outcome, implementer, overrides, field, message
):
    response = as_user(lead).post(
        url("indicator_create", outcome.pk), indicator_data(implementer, **overrides)
    )

    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert not Indicator.objects.exists() and not Target.objects.exists()


def test_once_readings_exist_the_indicator_edit_keeps_its_measure_and_direction(
    as_user, lead, indicator, partner_staff, implementer
):
    draft(indicator, partner_staff, Q1)

    page = as_user(lead).get(url("indicator_edit", indicator.pk))
    fields = page.context["form"].fields

    assert "measure" not in fields and "higher_is_better" not in fields
    assert "baseline_value" not in fields and "level_1" not in fields
    response = as_user(lead).post(
        url("indicator_edit", indicator.pk),
        {
            "title": "Farmers who get prices daily",
            "cadence_months": 3,
            "reporting_partner": implementer.pk,
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.title == "Farmers who get prices daily"


# --- baselines and targets -------------------------------------------------------------------


def test_before_any_reading_the_target_changes_without_a_reason(as_user, lead, indicator):
    target = indicator.targets.get()

    page = as_user(lead).get(url("target_edit", target.pk))
    response = as_user(lead).post(
        url("target_edit", target.pk), {"date": "2027-01-01", "value": "120"}
    )

    assert "reason" not in page.context["form"].fields
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.value == 120
    assert not Revision.objects.exists()


def test_after_readings_a_target_changes_only_with_a_reason_and_the_revision_is_shown(
    as_user, lead, indicator, partner_staff
):
    verified(indicator, partner_staff, lead, Q1)
    target = indicator.targets.get()
    client = as_user(lead)

    missing = client.post(url("target_edit", target.pk), {"date": "2027-01-01", "value": "80"})
    unexplained = client.post(
        url("target_edit", target.pk),
        {"date": "2027-01-01", "value": "80", "reason": RevisionReason.OTHER},
    )
    assert (missing.status_code, unexplained.status_code) == (400, 400)
    assert "choose a reason from the list" in field_errors(missing, "reason")
    assert "Explain the reason" in field_errors(unexplained, "reason_text")
    target.refresh_from_db()
    assert target.value == 100 and not Revision.objects.exists()

    response = client.post(
        url("target_edit", target.pk),
        {"date": "2027-01-01", "value": "80", "reason": RevisionReason.CONTEXT_CHANGE},
    )

    assert response.status_code == 302
    revision = Revision.objects.get()
    assert (revision.old_value, revision.new_value) == (100, 80)
    page = client.get(url("indicator_detail", indicator.pk)).content.decode()
    assert "Change in context" in page and "Target changed" in page


def test_a_baseline_change_after_readings_needs_a_reason(as_user, lead, indicator, partner_staff):
    draft(indicator, partner_staff, Q1)
    client = as_user(lead)

    refused = client.post(
        url("baseline_change", indicator.pk), {"baseline_value": "5", "baseline_date": "2026-01-01"}
    )
    above = client.post(
        url("baseline_change", indicator.pk),
        {"baseline_value": "150", "baseline_date": "2026-01-01", "reason": "data_correction"},
    )
    accepted = client.post(
        url("baseline_change", indicator.pk),
        {"baseline_value": "5", "baseline_date": "2026-01-01", "reason": "data_correction"},
    )

    assert refused.status_code == 400 and field_errors(refused, "reason")
    assert above.status_code == 400
    assert "cannot be below the baseline" in field_errors(above, "baseline_value")
    assert accepted.status_code == 302
    assert Revision.objects.get().reason == RevisionReason.DATA_CORRECTION


def test_a_target_on_the_wrong_side_of_the_baseline_is_refused_when_added(as_user, lead, indicator):
    response = as_user(lead).post(
        url("target_add", indicator.pk), {"date": "2026-06-01", "value": "-1"}
    )

    assert response.status_code == 400
    assert "cannot be below the baseline" in field_errors(response, "value")
    assert indicator.targets.count() == 1


def test_a_second_target_is_removed_with_a_reason_once_readings_exist(
    as_user, lead, indicator, partner_staff
):
    services.target_add(indicator=indicator, by=lead, date=date(2026, 7, 1), value="40")
    draft(indicator, partner_staff, Q1)
    target = indicator.targets.get(date=date(2026, 7, 1))
    client = as_user(lead)

    page = client.get(url("target_edit", target.pk))
    refused = client.post(url("target_remove", target.pk), {})
    removed = client.post(
        url("target_remove", target.pk), {"remove-reason": RevisionReason.ADAPTIVE_MANAGEMENT}
    )

    assert "remove_form" in page.context
    assert refused.status_code == 400
    assert "choose a reason from the list" in " ".join(
        refused.context["remove_form"].errors["reason"]
    )
    assert removed.status_code == 302
    assert indicator.targets.count() == 1
    assert Revision.objects.get().kind == "target_removed"


def test_an_outcome_defined_by_mistake_is_removed_but_one_with_readings_stays(
    as_user, lead, partnership, outcome, indicator, partner_staff
):
    spare = make_outcome(partnership, lead, title="Defined by mistake")
    draft(indicator, partner_staff, Q1)
    client = as_user(lead)

    assert client.post(url("outcome_delete", spare.pk)).status_code == 302
    kept = client.post(url("outcome_delete", outcome.pk), follow=True)

    assert "has readings and stays on the record" in kept.content.decode()
    assert list(Outcome.objects.all()) == [outcome]


def test_the_lead_opens_every_form_page(
    as_user, lead, partnership, outcome, indicator, partner_staff
):
    reading = verified(indicator, partner_staff, lead, Q1)
    pages = [
        url("outcome_create", partnership.slug),
        url("outcome_edit", outcome.pk),
        url("outcome_translations", outcome.pk),
        url("indicator_create", outcome.pk),
        url("indicator_edit", indicator.pk),
        url("indicator_translations", indicator.pk),
        url("baseline_change", indicator.pk),
        url("target_add", indicator.pk),
        url("target_edit", indicator.targets.get().pk),
        url("reading_create", indicator.pk),
        url("reading_correct", reading.pk),
    ]
    client = as_user(lead)

    assert [client.get(page).status_code for page in pages] == [200] * len(pages)


def test_translations_of_outcomes_are_written_by_the_lead_only(as_user, lead, funder, outcome):
    address = reverse("scorecards:outcome_translations_language", args=[outcome.pk, "sw"])

    assert as_user(funder).get(address).status_code == 403
    response = as_user(lead).post(address, {"title": "Wakulima wanauza kwa bei nzuri"})
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert outcome.title_sw == "Wakulima wanauza kwa bei nzuri"


# --- readings --------------------------------------------------------------------------------


def test_partner_staff_record_a_reading_with_evidence(as_user, partner_staff, indicator):
    upload = SimpleUploadedFile("attendance.pdf", PDF, content_type="application/pdf")
    data = reading_data(evidence_file=upload, evidence_link="https://example.org/report")

    response = as_user(partner_staff).post(url("reading_create", indicator.pk), data)

    reading = Reading.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("reading_detail", reading.pk)
    assert (reading.status, reading.value, reading.reported_by) == (
        ReadingStatus.DRAFT,
        Decimal(60),
        partner_staff,
    )
    kinds = sorted(reading.evidence.values_list("kind", "is_public"))
    assert kinds == [("file", False), ("link", False)]


def test_the_reading_form_starts_at_the_next_period(as_user, partner_staff, indicator, lead):
    verified(indicator, partner_staff, lead, Q1)

    form = as_user(partner_staff).get(url("reading_create", indicator.pk)).context["form"]

    assert form.initial["period_start"] == date(2026, 4, 1)
    assert form.initial["period_end"] == Q2


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"value": "N/A"}, "value", "“N/A” is not a number"),
        ({"value": "about sixty"}, "value", "is not a number"),
        (
            {"period_start": "2025-10-01", "period_end": "2025-12-31"},
            "period_end",
            "ends before the baseline date",
        ),
        ({"value": "", "value_missing": "on"}, "comment", "why there is no value"),
    ],
)
def test_a_bad_reading_is_refused_at_its_field_and_nothing_is_saved(
    as_user, partner_staff, indicator, overrides, field, message
):
    response = as_user(partner_staff).post(
        url("reading_create", indicator.pk), reading_data(**overrides)
    )

    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert not Reading.objects.exists()


def test_a_missing_value_is_a_state_of_its_own(as_user, partner_staff, indicator):
    data = reading_data(value="", value_missing="on", comment="The SMS gateway was down.")

    response = as_user(partner_staff).post(url("reading_create", indicator.pk), data)

    assert response.status_code == 302
    reading = Reading.objects.get()
    assert reading.value_missing and reading.value is None


def test_disaggregated_values_are_saved_with_their_group_sizes_and_checked_per_box(
    as_user, partner_staff, outcome, implementer
):
    indicator = make_indicator(outcome, implementer, dimensions=["sex"])
    client = as_user(partner_staff)
    data = reading_data(
        people="60",
        cell_sex_female="35",
        cell_sex_female_people="35",
        cell_sex_male="N/A",
        cell_sex_male_people="25",
    )

    refused = client.post(url("reading_create", indicator.pk), data)
    data["cell_sex_male"] = "25"
    accepted = client.post(url("reading_create", indicator.pk), data)

    assert refused.status_code == 400
    assert "is not a number" in field_errors(refused, "cell_sex_male")
    assert accepted.status_code == 302
    cells = Reading.objects.get().disaggregations.values_list("category", "value", "people")
    assert sorted(cells) == [("female", 35, 35), ("male", 25, 25)]


def test_an_ordinal_reading_names_a_rubric_level(as_user, partner_staff, outcome, implementer):
    indicator = make_ordinal(outcome, implementer)

    response = as_user(partner_staff).post(
        url("reading_create", indicator.pk),
        {"period_start": "2026-01-01", "period_end": "2026-03-31", "level": "3"},
    )

    assert response.status_code == 302
    assert Reading.objects.get().level.number == 3


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.pdf", PDF + b"x" * 2000, "files of up to"),
        ("page.html", b"<html><script>alert(1)</script></html>", "cannot be uploaded"),
        ("report.pdf", b"<html>not a pdf</html>", "contents are not those of a PDF"),
    ],
)
def test_an_oversize_or_disallowed_evidence_file_is_refused_and_nothing_is_saved(
    as_user, partner_staff, indicator, settings, name, content, message
):
    settings.HARAMBEE_EVIDENCE_MAX_BYTES = 1000
    upload = SimpleUploadedFile(name, content)

    response = as_user(partner_staff).post(
        url("reading_create", indicator.pk), reading_data(evidence_file=upload)
    )

    assert response.status_code == 400
    assert message in field_errors(response, "evidence_file")
    assert not Reading.objects.exists() and not Evidence.objects.exists()


def test_the_evidence_field_says_what_may_be_uploaded(as_user, partner_staff, indicator):
    html = as_user(partner_staff).get(url("reading_create", indicator.pk)).content.decode()

    assert 'accept=".csv,.docx,' in html
    assert "Up to 10.0\xa0MB" in html


def test_a_returned_reading_is_edited_and_submitted_again(
    as_user, partner_staff, lead, indicator, reading
):
    services.reading_return(reading=reading, by=lead, reason="The attendance sheet is missing.")
    client = as_user(partner_staff)

    page = client.get(url("reading_edit", reading.pk)).content.decode()
    edited = client.post(url("reading_edit", reading.pk), reading_data(value="55"))
    submitted_again = client.post(url("reading_submit", reading.pk))

    assert "The attendance sheet is missing." in page
    assert (edited.status_code, submitted_again.status_code) == (302, 302)
    reading.refresh_from_db()
    assert (reading.status, reading.value) == (ReadingStatus.SUBMITTED, 55)


def test_a_draft_never_submitted_is_discarded(as_user, partner_staff, indicator):
    reading = draft(indicator, partner_staff, Q1)

    response = as_user(partner_staff).post(url("reading_delete", reading.pk))

    assert response.status_code == 302
    assert response["Location"] == url("indicator_detail", indicator.pk)
    assert not Reading.objects.exists()


def test_a_submitted_reading_can_no_longer_be_edited(as_user, partner_staff, reading):
    response = as_user(partner_staff).post(url("reading_edit", reading.pk), reading_data())

    assert response.status_code == 403


def test_an_incomplete_draft_is_not_submitted(as_user, partner_staff, indicator):
    reading = services.reading_create(
        indicator=indicator, by=partner_staff, period_start=date(2026, 1, 1), period_end=Q1
    )

    response = as_user(partner_staff).post(url("reading_submit", reading.pk))

    assert response.status_code == 400
    assert "Enter the value before submitting" in response.content.decode()
    reading.refresh_from_db()
    assert reading.status == ReadingStatus.DRAFT


# --- verification ----------------------------------------------------------------------------


def test_the_lead_verifies_a_reading_partner_staff_submitted(as_user, lead, reading):
    page = as_user(lead).get(url("reading_detail", reading.pk)).content.decode()
    response = as_user(lead).post(url("reading_verify", reading.pk))

    assert url("reading_verify", reading.pk) in page
    assert response.status_code == 302
    reading.refresh_from_db()
    assert (reading.status, reading.verified_by) == (ReadingStatus.VERIFIED, lead)


def test_partner_staff_cannot_verify(as_user, partner_staff, reading):
    page = as_user(partner_staff).get(url("reading_detail", reading.pk)).content.decode()

    assert url("reading_verify", reading.pk) not in page
    assert "someone else must verify it" in page
    assert as_user(partner_staff).post(url("reading_verify", reading.pk)).status_code == 403


def test_a_reporter_cannot_verify_their_own_reading(
    as_user, lead, lead_colleague, indicator, funder
):
    own = submitted(indicator, lead, Q1)

    assert as_user(lead).post(url("reading_verify", own.pk)).status_code == 403
    # The lead has a second member: the funder is no fallback.
    assert as_user(funder).post(url("reading_verify", own.pk)).status_code == 403
    assert as_user(lead_colleague).post(url("reading_verify", own.pk)).status_code == 302
    own.refresh_from_db()
    assert own.verified_by == lead_colleague


def test_where_the_leads_only_staff_member_reported_a_funder_verifies(
    as_user, lead, funder, indicator
):
    own = submitted(indicator, lead, Q1)

    page = as_user(funder).get(url("reading_detail", own.pk)).content.decode()
    response = as_user(funder).post(url("reading_verify", own.pk))

    assert url("reading_verify", own.pk) in page
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.status, own.verified_by) == (ReadingStatus.VERIFIED, funder)


def test_a_return_needs_a_reason(as_user, lead, reading):
    response = as_user(lead).post(url("reading_return", reading.pk), {"reason": "  "})

    assert response.status_code == 400
    errors = " ".join(response.context["return_form"].errors["reason"])
    assert "Say why the reading goes back" in errors
    reading.refresh_from_db()
    assert reading.status == ReadingStatus.SUBMITTED


def test_every_return_and_its_reason_stays_on_the_reading_page(
    as_user, lead, partner_staff, reading
):
    client = as_user(lead)
    client.post(url("reading_return", reading.pk), {"reason": "The sheet is missing."})
    services.reading_submit(reading=reading, by=partner_staff)
    client.post(url("reading_return", reading.pk), {"reason": "The sheet is unsigned."})

    page = as_user(partner_staff).get(url("reading_detail", reading.pk)).content.decode()

    assert "The sheet is missing." in page and "The sheet is unsigned." in page
    reading.refresh_from_db()
    assert reading.status == ReadingStatus.RETURNED


def test_a_verified_reading_is_corrected_by_a_new_one_that_supersedes_it_once_verified(
    as_user, lead, partner_staff, indicator
):
    original = verified(indicator, partner_staff, lead, Q1)
    staff = as_user(partner_staff)

    page = staff.get(url("reading_detail", original.pk)).content.decode()
    form = staff.get(url("reading_correct", original.pk)).context["form"]
    response = staff.post(url("reading_correct", original.pk), reading_data(value="40"))
    correction = Reading.objects.exclude(pk=original.pk).get()
    staff.post(url("reading_submit", correction.pk))
    as_user(lead).post(url("reading_verify", correction.pk))

    assert url("reading_correct", original.pk) in page
    assert form.initial["value"] == "60"
    assert response["Location"] == url("reading_detail", correction.pk)
    original.refresh_from_db()
    correction.refresh_from_db()
    assert (original.status, correction.status) == (
        ReadingStatus.SUPERSEDED,
        ReadingStatus.VERIFIED,
    )
    assert correction.supersedes == original


# --- evidence --------------------------------------------------------------------------------


def test_the_reporter_marks_a_file_public_and_internal_again_and_a_funder_may_not(
    as_user, partner_staff, funder, indicator
):
    reading = draft(indicator, partner_staff, Q1)
    piece = services.evidence_add(
        reading=reading, by=partner_staff, file=SimpleUploadedFile("sheet.pdf", PDF)
    )
    staff = as_user(partner_staff)

    staff.post(url("evidence_visibility", piece.pk), {"is_public": "on"})
    piece.refresh_from_db()
    assert piece.is_public
    staff.post(url("evidence_visibility", piece.pk), {})
    piece.refresh_from_db()
    assert not piece.is_public
    services.reading_submit(reading=reading, by=partner_staff)
    assert (
        as_user(funder).post(url("evidence_visibility", piece.pk), {"is_public": "on"}).status_code
        == 403
    )


def test_state_changes_are_post_only(as_user, lead, reading):
    client = as_user(lead)

    for name in ("reading_verify", "reading_submit", "reading_return", "reading_delete"):
        assert client.get(url(name, reading.pk)).status_code == 405, name


# --- query counts ----------------------------------------------------------------------------


def build(partnership, lead, partner_staff, implementer, needs, size: int) -> None:
    for n in range(size):
        outcome = make_outcome(
            partnership, lead, partners=[implementer], needs=needs[:1], title=f"Outcome {n}"
        )
        for m in range(size):
            indicator = make_indicator(outcome, implementer, title=f"Indicator {n}.{m}")
            verified(indicator, partner_staff, lead, Q1)
            submitted(indicator, partner_staff, Q2)


def queries_of(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize(("reader", "expected"), [("lead", 20), ("partner_staff", 20)])
def test_the_management_page_runs_a_fixed_number_of_queries(
    request, as_user, lead, partner_staff, partnership, implementer, needs, reader, expected
):
    client = as_user(request.getfixturevalue(reader))
    address = url("manage", partnership.slug)
    build(partnership, lead, partner_staff, implementer, needs, 1)
    small = queries_of(client, address)
    build(partnership, lead, partner_staff, implementer, needs, 3)

    # session, user, the partnership, the inside check; the scorecard read model
    # (outcomes, their needs and partners; indicators, targets, levels, revisions; the
    # status facts: indicators, targets, readings; the readings, their evidence and
    # breakdowns; the needs no outcome addresses; its own inside check); the define
    # check: whatever the number of outcomes, indicators and readings (1 and 9 here).
    assert small == expected
    assert queries_of(client, address) == expected
