"""The journey on a phone: errors at the top, names instead of codes, no needless choices,
imports that keep what they do not contain, and a validation that asks first."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from openpyxl import load_workbook

from communities import services
from communities.models import AssessmentStatus, Community, NeedsAssessment, ValidationMethod
from communities.selectors import public_communities
from harambee.i18n import COMMON_LANGUAGES, find_language, language_name
from tests.communities.factories import add_needs
from tests.factories import MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

VALIDATION_NOTE = "The chief's brother asked to move water up; the meeting agreed."


def summary_of(html: str) -> str:
    """The error summary box, which must come before the page's first heading."""
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "no error summary on the page"
    assert html.index(match.group(0)) < html.index("<h1"), "the summary is not at the top"
    return match.group(0)


def links_in(summary: str) -> list[str]:
    return re.findall(r'href="#([^"]+)"', summary)


def assert_ids_exist(html: str, ids) -> None:
    """Each link target is on the page, and no id is used twice (a label or a link would
    find the wrong box)."""
    found = re.findall(r' id="([^"]+)"', html)
    assert len(found) == len(set(found)), [i for i in found if found.count(i) > 1]
    assert set(ids) <= set(found), set(ids) - set(found)


def submitted(assessment):
    add_needs(assessment, 2)
    return services.assessment_submit(assessment=assessment)


def csv_upload(rows, name="participants.csv"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(), "text/csv")


# --- 1. errors at the top, and back to the section ------------------------------------------


def test_a_failed_form_page_starts_with_a_summary_linking_to_each_bad_field(
    staff, organisation, as_user
):
    response = as_user(staff).post(
        reverse("communities:create"),
        {"name": "", "country": "KE", "latitude": "123", "longitude": "36.8"},
    )

    html = response.content.decode()
    summary = summary_of(html)
    assert response.status_code == 400
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert "There is a problem" in summary
    assert {"id_name", "id_latitude"} <= set(links_in(summary))
    assert_ids_exist(html, links_in(summary))


def test_a_refused_need_shows_the_summary_above_the_long_page_and_links_to_its_fields(
    staff, assessment, as_user
):
    response = as_user(staff).post(
        reverse("communities:need_add", args=[assessment.pk]), {"title": "", "status": "open"}
    )

    html = response.content.decode()
    summary = summary_of(html)
    assert response.status_code == 400
    assert "id_need_title" in links_in(summary)
    assert "needs" in links_in(summary)  # the section with the form
    assert_ids_exist(html, links_in(summary))


def test_the_need_and_asset_forms_do_not_share_field_ids(staff, assessment, as_user):
    html = as_user(staff).get(assessment.get_absolute_url()).content.decode()

    assert_ids_exist(html, ["id_need_title", "id_asset_title", "id_total"])


def test_the_participants_grid_summary_names_the_breakdown_problem_and_its_section(
    staff, assessment, as_user
):
    response = as_user(staff).post(
        reverse("communities:participants_set", args=[assessment.pk]),
        {"total": "10", "sex__female": "7", "sex__male": "-1"},
    )

    html = response.content.decode()
    summary = summary_of(html)
    assert response.status_code == 400
    assert "id_sex__male" in links_in(summary)
    assert "participants" in links_in(summary)
    assert_ids_exist(html, links_in(summary))


def test_an_import_without_a_file_links_to_the_prefixed_file_field(staff, assessment, as_user):
    response = as_user(staff).post(reverse("communities:participants_import", args=[assessment.pk]))

    html = response.content.decode()
    summary = summary_of(html)
    assert response.status_code == 400
    assert "id_participants-file" in links_in(summary)
    assert "import-participants" in links_in(summary)
    assert_ids_exist(html, links_in(summary))


def test_a_bad_import_file_is_summarised_at_the_top_with_a_link_to_the_problems(
    staff, assessment, as_user
):
    url = reverse("communities:needs_import", args=[assessment.pk])
    upload = csv_upload([["title", "priority_rank", "severity"], ["Wells", "1", "urgent"]])

    response = as_user(staff).post(url, {"needs-file": upload})

    html = response.content.decode()
    summary = summary_of(html)
    assert response.status_code == 400
    assert "Nothing was imported" in summary
    assert "import-needs" in links_in(summary)
    assert_ids_exist(html, links_in(summary))


def test_a_refused_submission_is_summarised_with_a_link_to_the_status_section(
    staff, assessment, as_user
):
    response = as_user(staff).post(reverse("communities:assessment_submit", args=[assessment.pk]))

    html = response.content.decode()
    summary = summary_of(html)
    assert response.status_code == 400
    assert "Add at least one need before submitting." in summary
    assert "status" in links_in(summary)
    assert_ids_exist(html, ["status"])


def test_every_action_on_the_assessment_page_returns_to_its_section(staff, assessment, as_user):
    client = as_user(staff)
    page = assessment.get_absolute_url()
    needs_csv = csv_upload([["title", "priority_rank", "severity"], ["Wells", "1", "high"]])
    counts_csv = csv_upload([["dimension", "category", "count"], ["sex", "female", "0"]])
    actions = [
        ("participants_set", {"total": "12"}, "#participants"),
        ("need_add", {"title": "Water", "severity": "high", "status": "open"}, "#needs"),
        ("asset_add", {"kind": "skills", "title": "Phone repair"}, "#assets"),
        ("needs_import", {"needs-file": needs_csv}, "#import-needs"),
        ("participants_import", {"participants-file": counts_csv}, "#import-participants"),
        ("assessment_submit", {}, "#status"),
    ]

    for name, data, anchor in actions:
        response = client.post(reverse(f"communities:{name}", args=[assessment.pk]), data)
        assert (name, response.status_code, response.url) == (name, 302, page + anchor)
    validation = {"validation_method": "community_meeting", "validated_on": "2026-03-03"}
    response = client.post(
        reverse("communities:assessment_validate", args=[assessment.pk]), validation
    )
    assert (response.status_code, response.url) == (302, page + "#status")
    html = client.get(page).content.decode()
    assert_ids_exist(html, ["participants", "needs", "assets", "status"])


# --- 2. names instead of codes ---------------------------------------------------------------


def community_data(organisation, **changes):
    return {"name": "Mnarani", "country": "KE", "organisation": organisation.pk, **changes}


def test_community_languages_can_be_typed_by_name(staff, organisation, as_user):
    response = as_user(staff).post(
        reverse("communities:create"), community_data(organisation, languages="Swahili, Giryama")
    )

    assert response.status_code == 302
    assert Community.objects.get().languages == "sw,nyf"


def test_codes_still_work_and_names_and_codes_mix(staff, organisation, as_user):
    response = as_user(staff).post(
        reverse("communities:create"), community_data(organisation, languages="SW, quz ,Wolof")
    )

    assert response.status_code == 302
    assert Community.objects.get().languages == "sw,quz,wo"


def test_kiswahili_is_understood_in_the_swahili_interface(staff, organisation, as_user):
    with translation.override("sw"):
        url = reverse("communities:create")
    response = as_user(staff).post(url, community_data(organisation, languages="Kiswahili"))

    assert response.status_code == 302
    assert Community.objects.get().languages == "sw"


def test_unknown_language_names_are_named_in_the_message(staff, organisation, as_user):
    response = as_user(staff).post(
        reverse("communities:create"),
        community_data(organisation, languages="Swahili, Klingonese, Elvish"),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Klingonese" in html and "Elvish" in html
    assert not Community.objects.exists()


def test_a_name_that_means_several_languages_asks_for_the_code(staff, organisation, as_user):
    # "Kam" is a language of Nigeria (kdx) and the code of Kamba, spoken in Kenya.
    response = as_user(staff).post(
        reverse("communities:create"), community_data(organisation, languages="Swahili, Kam")
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "kdx" in html and "Kamba (Kenya) (kam)" in html
    assert not Community.objects.exists()


@pytest.mark.parametrize(("typed", "code"), [("Ga", "gaa"), ("ga", "ga"), ("Greek", "el")])
def test_names_and_codes_that_look_alike_are_read_as_people_mean_them(typed, code):
    assert find_language(typed) == code


@pytest.mark.parametrize("language", ["en", "fr", "es", "sw"])
def test_every_suggested_language_name_reads_back_as_its_code(language):
    with translation.override(language):
        for code in COMMON_LANGUAGES:
            assert find_language(language_name(code)) == code, (language, code)


def test_language_names_are_shown_without_qualifiers_or_codes(
    staff, community, assessment, as_user
):
    client = as_user(staff)

    community_page = client.get(community.get_absolute_url()).content.decode()
    assessment_page = client.get(assessment.get_absolute_url()).content.decode()

    assert "<dd>Swahili, English</dd>" in community_page
    assert "<dd>Swahili</dd>" in assessment_page
    assert "macrolanguage" not in community_page + assessment_page
    assert "(sw)" not in assessment_page


def test_the_community_form_shows_the_languages_by_name(staff, community, as_user):
    html = as_user(staff).get(reverse("communities:edit", args=[community.slug])).content.decode()

    assert 'value="Swahili, English"' in html


def test_an_assessment_language_is_chosen_by_name_from_a_short_list(
    staff, organisation, community, as_user
):
    client = as_user(staff)
    url = reverse("communities:assessment_create", args=[community.slug])

    html = client.get(url).content.decode()
    datalist = re.search(r'<datalist id="languages">(.*?)</datalist>', html, re.S).group(1)
    options = re.findall(r'<option value="([^"]+)"', datalist)
    assert options[:2] == ["Swahili", "English"]  # the community's languages first
    assert "Giryama" in options and "Cusco Quechua" in options
    assert len(options) < 200
    response = client.post(
        url,
        {
            "title": "Meeting",
            "date": "2026-04-02",
            "method": "focus_group",
            "facilitating_organisation": organisation.pk,
            "language": "Giryama",
        },
    )
    assert response.status_code == 302
    assert NeedsAssessment.objects.get().language == "nyf"


# --- 3. no needless choices ------------------------------------------------------------------


def test_a_members_only_organisation_is_preselected_for_a_new_community(
    staff, organisation, as_user
):
    html = as_user(staff).get(reverse("communities:create")).content.decode()

    assert f'<option value="{organisation.pk}" selected>' in html


def test_a_new_assessment_preselects_the_organisation_and_the_communitys_first_language(
    staff, organisation, community, as_user
):
    url = reverse("communities:assessment_create", args=[community.slug])

    html = as_user(staff).get(url).content.decode()

    assert f'<option value="{organisation.pk}" selected>' in html
    assert re.search(r'<input[^>]*name="language"[^>]*value="Swahili"', html)


def test_nothing_is_preselected_for_someone_with_two_organisations(staff, community, as_user):
    MemberFactory(user=staff, organisation=OrganisationFactory())

    html = as_user(staff).get(reverse("communities:create")).content.decode()

    select = re.search(r'<select name="organisation".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="([^"]*)" selected>', select) == [""]


# --- 4. imports keep what they do not contain ------------------------------------------------

TYPED = {
    ("sex", "female"): 10,
    ("sex", "male"): 8,
    ("age_group", "youth"): 9,
    ("disability", "with_disability"): 3,
}


@pytest.fixture
def typed(assessment):
    return services.assessment_set_participants(assessment=assessment, total=40, counts=TYPED)


def counts_of(assessment) -> dict:
    rows = assessment.participant_counts.values_list("dimension", "category", "count")
    return {(d, c): n for d, c, n in rows}


def post_counts(client, assessment, rows):
    url = reverse("communities:participants_import", args=[assessment.pk])
    upload = csv_upload([["dimension", "category", "count"], *rows])
    return client.post(url, {"participants-file": upload})


def test_importing_sex_and_wealth_keeps_the_age_and_disability_counts(staff, typed, as_user):
    rows = [["sex", "female", "20"], ["sex", "male", "15"], ["wealth_group", "poorest", "12"]]

    response = post_counts(as_user(staff), typed, rows)

    typed.refresh_from_db()
    assert response.status_code == 302
    assert typed.participants_total == 40
    assert counts_of(typed) == {
        ("sex", "female"): 20,
        ("sex", "male"): 15,
        ("wealth_group", "poorest"): 12,
        ("age_group", "youth"): 9,
        ("disability", "with_disability"): 3,
    }


def test_an_imported_dimension_replaces_all_of_its_categories(typed):
    services.participants_import(
        assessment=typed, rows=[{"dimension": "sex", "category": "female", "count": 11}]
    )

    assert counts_of(typed) == {
        ("sex", "female"): 11,
        ("age_group", "youth"): 9,
        ("disability", "with_disability"): 3,
    }


def test_imported_counts_above_the_kept_total_are_refused_and_nothing_changes(
    staff, typed, as_user
):
    response = post_counts(as_user(staff), typed, [["sex", "female", "30"], ["sex", "male", "15"]])

    typed.refresh_from_db()
    assert response.status_code == 400
    assert "more than the 40 people" in response.content.decode()
    assert counts_of(typed) == TYPED
    assert typed.participants_total == 40


def test_a_total_row_below_the_kept_counts_is_refused(typed):
    with pytest.raises(ValidationError, match="more than the 8 people"):
        services.participants_import(
            assessment=typed, rows=[{"dimension": "total", "category": "total", "count": 8}]
        )

    typed.refresh_from_db()
    assert (typed.participants_total, counts_of(typed)) == (40, TYPED)


def test_the_page_says_what_an_import_replaces_and_lists_the_codes(staff, assessment, as_user):
    html = as_user(staff).get(assessment.get_absolute_url()).content.decode()

    assert (
        "Importing replaces the counts of the dimensions in the file; the others are kept." in html
    )
    for code in ["age_group", "with_disability", "better_off", "older", "wealth_group"]:
        assert f"<code>{code}</code>" in html


def test_the_excel_template_lists_the_codes_on_a_second_sheet_and_imports_as_it_is(
    staff, assessment, as_user
):
    client = as_user(staff)
    template = client.get(reverse("communities:import_template", args=["participants", "xlsx"]))

    workbook = load_workbook(io.BytesIO(template.content))
    assert workbook.sheetnames[1] == "codes"
    codes = {(row[0], row[1]) for row in workbook["codes"].iter_rows(min_row=2, values_only=True)}
    assert {("sex", "female"), ("wealth_group", "better_off"), ("total", "total")} <= codes
    url = reverse("communities:participants_import", args=[assessment.pk])
    upload = SimpleUploadedFile("template.xlsx", template.content)
    assert client.post(url, {"participants-file": upload}).status_code == 302


def test_the_csv_template_imports_as_it_is(staff, assessment, as_user):
    client = as_user(staff)
    template = client.get(reverse("communities:import_template", args=["participants", "csv"]))

    url = reverse("communities:participants_import", args=[assessment.pk])
    upload = SimpleUploadedFile("template.csv", template.content, "text/csv")
    assert client.post(url, {"participants-file": upload}).status_code == 302


# --- 5. a validation that asks first, and records how --------------------------------------


def test_the_validation_page_shows_what_will_be_published_before_anything_happens(
    staff, assessment, partnership, as_user
):
    submitted(assessment)

    response = as_user(staff).get(reverse("communities:assessment_validate", args=[assessment.pk]))

    html = response.content.decode()
    assessment.refresh_from_db()
    assert response.status_code == 200
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert partnership.title in html and "Need 1" in html and "Need 2" in html
    assert "read-only" in html
    for name in ["validation_method", "validated_on", "validation_note"]:
        assert f'name="{name}"' in html
    assert '<label for="id_validated_on">' in html


def test_the_assessment_page_links_to_the_validation_page_instead_of_validating(
    staff, assessment, as_user
):
    submitted(assessment)

    html = as_user(staff).get(assessment.get_absolute_url()).content.decode()

    url = reverse("communities:assessment_validate", args=[assessment.pk])
    assert f'href="{url}"' in html
    assert f'action="{url}"' not in html


def test_validating_without_saying_how_and_when_is_refused(staff, assessment, as_user):
    submitted(assessment)

    response = as_user(staff).post(reverse("communities:assessment_validate", args=[assessment.pk]))

    html = response.content.decode()
    assessment.refresh_from_db()
    assert response.status_code == 400
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert {"id_validation_method_0", "id_validated_on"} <= set(links_in(summary_of(html)))
    assert_ids_exist(html, links_in(summary_of(html)))


def test_the_validation_is_recorded_and_shown_on_the_assessment_page(staff, assessment, as_user):
    submitted(assessment)
    client = as_user(staff)

    client.post(
        reverse("communities:assessment_validate", args=[assessment.pk]),
        {
            "validation_method": "community_meeting",
            "validated_on": "2026-03-03",
            "validation_note": VALIDATION_NOTE,
        },
    )

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.VALIDATED
    assert (assessment.validation_method, assessment.validated_on) == (
        ValidationMethod.COMMUNITY_MEETING,
        date(2026, 3, 3),
    )
    html = client.get(assessment.get_absolute_url()).content.decode()
    assert "Validated with the community at a meeting on 3 March 2026" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"validated_on": timezone.localdate() + timedelta(days=1)}, "validated_on", "future"),
        ({"validated_on": date(2026, 2, 28)}, "validated_on", "before it was held"),
        ({"validation_method": "telepathy"}, "validation_method", "how the community"),
        ({"validation_method": "other"}, "validation_note", "Say in the note"),
    ],
)
def test_the_validate_service_refuses_bad_input_and_saves_nothing(
    assessment, changes, field, message
):
    submitted(assessment)
    values = {"validation_method": "focus_group", "validated_on": date(2026, 3, 3), **changes}

    with pytest.raises(ValidationError) as refusal:
        services.assessment_validate(assessment=assessment, **values)

    assert message in " ".join(refusal.value.message_dict[field])
    stored = NeedsAssessment.objects.get(pk=assessment.pk)
    assert (stored.status, stored.validation_method, stored.validated_on) == ("submitted", "", None)


def test_without_details_the_service_records_a_community_meeting_today(assessment):
    submitted(assessment)

    services.assessment_validate(assessment=assessment)

    stored = NeedsAssessment.objects.get(pk=assessment.pk)
    assert (stored.validation_method, stored.validated_on) == (
        ValidationMethod.COMMUNITY_MEETING,
        timezone.localdate(),
    )


def test_the_validation_note_is_never_published(client, staff, assessment, partnership, as_user):
    submitted(assessment)
    services.assessment_validate(
        assessment=assessment,
        validation_method=ValidationMethod.FOCUS_GROUP,
        validated_on=date(2026, 3, 3),
        validation_note=VALIDATION_NOTE,
    )

    (entry,) = public_communities(partnership)
    html = client.get(reverse("communities:partnership_public", args=[partnership.slug]))

    assert "validation_note" in entry.assessments[0].assessment.get_deferred_fields()
    assert escape(VALIDATION_NOTE) not in html.content.decode()
    assert "Validated with the community in a focus group on 3 March 2026" in html.content.decode()
    staff_page = as_user(staff).get(assessment.get_absolute_url()).content.decode()
    assert escape(VALIDATION_NOTE) in staff_page


def test_withdrawing_a_validation_clears_how_and_when(assessment):
    submitted(assessment)
    services.assessment_validate(assessment=assessment, validated_on=date(2026, 3, 3))

    services.assessment_validation_withdraw(assessment=assessment, reason="Recorded by mistake")

    stored = NeedsAssessment.objects.get(pk=assessment.pk)
    assert (stored.status, stored.validation_method, stored.validated_on) == ("submitted", "", None)


def test_the_validation_page_of_a_draft_sends_back_to_the_assessment(staff, assessment, as_user):
    response = as_user(staff).get(reverse("communities:assessment_validate", args=[assessment.pk]))

    assert response.status_code == 302
    assert response.url == assessment.get_absolute_url() + "#status"


def test_outsiders_cannot_see_the_validation_page(outsider, assessment, as_user):
    submitted(assessment)

    response = as_user(outsider).get(
        reverse("communities:assessment_validate", args=[assessment.pk])
    )

    assert response.status_code == 404
