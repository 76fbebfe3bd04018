"""Importing needs and participant counts from real CSV and XLSX files, and exporting needs."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from communities.models import Need, ParticipantCount

pytestmark = pytest.mark.django_db

HEADERS = [
    "title",
    "description",
    "sector",
    "priority_rank",
    "severity",
    "groups_affected",
    "people_affected",
    "status",
]
HYPERLINK = '=HYPERLINK("http://evil.example","x")'


def need_row(n: int, **changes) -> list:
    row = {
        "title": f"Need {n}",
        "description": "Said at the meeting",
        "sector": "22040",
        "priority_rank": n,
        "severity": "high",
        "groups_affected": "women; youth",
        "people_affected": 30,
        "status": "open",
        **changes,
    }
    return [row[h] for h in HEADERS]


def csv_file(rows, name="needs.csv", encoding="utf-8"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), "text/csv")


def xlsx_file(rows, name="needs.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def post_needs(staff, assessment, as_user):
    client = as_user(staff)

    def post(upload):
        url = reverse("communities:needs_import", args=[assessment.pk])
        return client.post(url, {"needs-file": upload})

    return post


@pytest.fixture
def post_participants(staff, assessment, as_user):
    client = as_user(staff)

    def post(upload):
        url = reverse("communities:participants_import", args=[assessment.pk])
        return client.post(url, {"participants-file": upload})

    return post


def test_a_good_csv_file_imports_every_row(post_needs, assessment):
    response = post_needs(csv_file([HEADERS, need_row(1), need_row(2, sector="", status="")]))

    assert response.status_code == 302
    needs = list(assessment.needs.order_by("priority_rank"))
    assert [n.title for n in needs] == ["Need 1", "Need 2"]
    assert needs[0].groups_affected == ["women", "youth"]
    assert needs[0].sector_id == "22040"
    assert (needs[1].sector_id, needs[1].status) == (None, "open")


def test_a_good_xlsx_file_imports_every_row(post_needs, assessment):
    response = post_needs(xlsx_file([HEADERS, need_row(1), need_row(2, severity="Critical")]))

    assert response.status_code == 302
    assert list(assessment.needs.values_list("severity", flat=True)) == ["high", "critical"]


def test_one_bad_row_among_many_imports_nothing_and_names_the_row(post_needs):
    rows = [HEADERS] + [need_row(n) for n in range(1, 50)]
    rows[37] = need_row(37, priority_rank=0, groups_affected="women;aliens")

    response = post_needs(csv_file(rows))

    html = response.content.decode()
    assert response.status_code == 400
    assert not Need.objects.exists()
    assert "Nothing was imported" in html
    assert '<td class="num">38</td><td>priority_rank</td>' in html
    assert '<td class="num">38</td><td>groups_affected</td>' in html
    assert "aliens" in html


def test_wrong_headers_are_reported_and_nothing_is_imported(post_needs):
    response = post_needs(csv_file([["name", "rank", "severity"], ["Water", "1", "high"]]))

    html = response.content.decode()
    assert response.status_code == 400
    assert "This column is missing" in html
    assert "Unknown column" in html
    assert not Need.objects.exists()


def test_an_empty_file_is_refused(post_needs):
    response = post_needs(SimpleUploadedFile("needs.csv", b"", "text/csv"))

    assert response.status_code == 400
    assert not Need.objects.exists()


def test_a_file_with_only_blank_lines_is_refused_with_a_clear_message(post_needs):
    response = post_needs(SimpleUploadedFile("needs.csv", b"\n\n  \n", "text/csv"))

    assert response.status_code == 400
    assert "no rows to import" in response.content.decode()


def test_a_latin_1_file_is_refused_with_advice_to_save_as_utf_8(post_needs):
    upload = csv_file([HEADERS, need_row(1, title="Café pour la coopérative")], encoding="latin-1")

    response = post_needs(upload)

    assert response.status_code == 400
    assert "CSV UTF-8" in response.content.decode()
    assert not Need.objects.exists()


def test_ten_thousand_rows_are_all_imported(post_needs, assessment):
    rows = [HEADERS] + [need_row(n) for n in range(1, 10_001)]

    response = post_needs(csv_file(rows))

    assert response.status_code == 302
    assert assessment.needs.count() == 10_000
    assert Need.objects.get(priority_rank=10_000).title == "Need 10000"


def test_a_formula_is_stored_as_text_and_escaped_when_exported(
    post_needs, staff, assessment, as_user
):
    post_needs(csv_file([HEADERS, need_row(1, title=HYPERLINK, description="+cmd")]))

    assert Need.objects.get().title == HYPERLINK
    response = as_user(staff).get(reverse("communities:needs_export", args=[assessment.pk]))
    text = response.content.decode("utf-8-sig")
    exported = list(csv.reader(io.StringIO(text)))
    assert exported[0] == HEADERS
    assert exported[1][:2] == ["'" + HYPERLINK, "'+cmd"]
    assert response["Content-Type"].startswith("text/csv")


def test_participant_counts_import_with_their_total(post_participants, assessment):
    rows = [
        ["dimension", "category", "count"],
        ["total", "total", "40"],
        ["sex", "female", "25"],
        ["Sex", "Male", "15"],
        ["disability", "with_disability", "2"],
    ]

    response = post_participants(xlsx_file(rows, name="participants.xlsx"))

    assessment.refresh_from_db()
    assert response.status_code == 302
    assert assessment.participants_total == 40
    assert ParticipantCount.objects.count() == 3


def test_participant_counts_above_the_total_import_nothing(post_participants, assessment):
    rows = [["dimension", "category", "count"], ["total", "total", "10"], ["sex", "female", "11"]]

    response = post_participants(csv_file(rows, name="participants.csv"))

    assert response.status_code == 400
    assert "more than the 10 people" in response.content.decode()
    assert not ParticipantCount.objects.exists()


def test_unknown_categories_and_negative_counts_are_named(post_participants):
    rows = [
        ["dimension", "category", "count"],
        ["sex", "female", "-3"],
        ["age_group", "toddlers", "4"],
        ["caste", "upper", "1"],
    ]

    response = post_participants(csv_file(rows, name="participants.csv"))

    html = response.content.decode()
    assert response.status_code == 400
    assert '<td class="num">2</td><td>count</td>' in html
    assert '<td class="num">3</td><td>category</td>' in html
    assert '<td class="num">4</td><td>dimension</td>' in html
    assert not ParticipantCount.objects.exists()


@pytest.mark.parametrize("kind", ["needs", "participants"])
def test_the_import_templates_have_the_headers_and_an_example_row(staff, as_user, kind):
    client = as_user(staff)

    as_csv = client.get(reverse("communities:import_template", args=[kind, "csv"]))
    as_xlsx = client.get(reverse("communities:import_template", args=[kind, "xlsx"]))

    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert rows[0] == (HEADERS if kind == "needs" else ["dimension", "category", "count"])
    assert [cell.value for cell in sheet[1]] == rows[0]
    assert len(rows) >= 2


def test_the_needs_template_can_be_imported_as_it_is(staff, as_user, post_needs, assessment):
    template = as_user(staff).get(reverse("communities:import_template", args=["needs", "xlsx"]))

    response = post_needs(SimpleUploadedFile("template.xlsx", template.content))

    assert response.status_code == 302
    assert assessment.needs.count() == 1
