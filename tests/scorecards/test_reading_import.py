"""Importing readings from real CSV and XLSX files: all or nothing, every problem named by
its row and column, the reading rules of the reading page, and 10,000 rows at once."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from scorecards.models import DisaggregatedValue, Reading, ReadingStatus
from tests.scorecards.factories import draft, make_indicator

pytestmark = pytest.mark.django_db

HEADERS = [
    "indicator",
    "period_start",
    "period_end",
    "value",
    "people",
    "comment",
    "status",
    "sex:female",
    "sex:female:people",
    "sex:male",
    "sex:male:people",
]


@pytest.fixture
def counted(outcome, implementer):
    """A count of farmers broken down by sex (baseline 2026-01-01)."""
    return make_indicator(outcome, implementer, dimensions=["sex"])


def row(indicator, start: str, end: str, value="40", **changes) -> list:
    cells = {
        "indicator": getattr(indicator, "pk", indicator),
        "period_start": start,
        "period_end": end,
        "value": value,
        "people": "40",
        "comment": "Counted at the market",
        "status": "draft",
        "sex:female": "25",
        "sex:female:people": "25",
        "sex:male": "15",
        "sex:male:people": "15",
        **changes,
    }
    return [cells[name] for name in HEADERS]


def monthly(indicator, months: int, **changes) -> list[list]:
    """One row per month of 2026 from January."""
    rows = []
    for month in range(1, months + 1):
        start = date(2026, month, 1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        rows.append(row(indicator, start.isoformat(), end.isoformat(), **changes))
    return rows


def csv_file(rows, name="readings.csv"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), "text/csv")


def xlsx_file(rows, name="readings.xlsx"):
    workbook = Workbook()
    for cells in rows:
        workbook.active.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def post(partnership, as_user):
    def send(user, upload):
        url = reverse("scorecards:readings_import", kwargs={"slug": partnership.slug})
        return as_user(user).post(url, {"file": upload})

    return send


def errors_of(response) -> str:
    assert response.status_code == 400
    return response.content.decode()


def test_a_good_csv_file_imports_drafts_and_submitted_readings(
    counted, partner_staff, implementer, post
):
    rows = [HEADERS, *monthly(counted, 3)]
    rows[2][HEADERS.index("status")] = "Submitted for verification"  # the label works too
    rows[3][HEADERS.index("indicator")] = "farmers receiving DAILY prices"  # by title

    response = post(partner_staff, csv_file(rows))

    assert response.status_code == 302
    readings = list(Reading.objects.order_by("period_end"))
    assert [r.status for r in readings] == ["draft", "submitted", "draft"]
    first = readings[0]
    assert (first.value, first.people, first.reported_by) == (40, 40, partner_staff)
    assert first.reported_for == implementer.organisation
    assert readings[1].submitted_at is not None
    cells = DisaggregatedValue.objects.filter(reading=first).order_by("category")
    assert [(c.category, c.value, c.people) for c in cells] == [
        ("female", 25, 25),
        ("male", 15, 15),
    ]
    history = first.history.get()
    assert (history.history_type, history.history_user) == ("+", partner_staff)
    assert history.history_change_reason == "Imported from a spreadsheet"
    assert DisaggregatedValue.history.count() == 6


def test_a_good_xlsx_file_with_date_and_number_cells_imports_every_row(counted, lead, post):
    rows = [HEADERS]
    for cells in monthly(counted, 2):
        cells[1] = datetime.fromisoformat(cells[1])  # Excel dates, not text
        cells[2] = datetime.fromisoformat(cells[2])
        cells[3] = 40  # a number cell
        rows.append(cells)

    response = post(lead, xlsx_file(rows))

    assert response.status_code == 302
    assert Reading.objects.filter(value=40, status=ReadingStatus.DRAFT).count() == 2


def test_one_bad_row_among_many_imports_nothing_and_names_the_row(counted, partner_staff, post):
    rows = [HEADERS, *monthly(counted, 10)]
    rows[7][HEADERS.index("value")] = "N/A"  # file row 8
    rows[9][HEADERS.index("sex:female:people")] = ""  # file row 10

    html = errors_of(post(partner_staff, csv_file(rows)))

    assert not Reading.objects.exists()
    assert "Nothing was imported" in html
    assert '<td class="num">8</td><td>value</td>' in html
    assert "“N/A” is not a number." in html
    assert '<td class="num">10</td><td>sex:female:people</td>' in html
    assert "Give the number of people in each group." in html


def test_a_verified_state_in_the_file_is_refused(counted, lead, post):
    rows = [HEADERS, *monthly(counted, 2)]
    rows[2][HEADERS.index("status")] = "verified"

    html = errors_of(post(lead, csv_file(rows)))

    assert not Reading.objects.exists()
    assert '<td class="num">3</td><td>status</td>' in html
    assert "never as verified" in html


def test_wrong_headers_are_named_and_nothing_is_imported(counted, lead, post):
    rows = [["indicator", "period_start", "valeur", "sex:femme"], [counted.pk, "2026-01-01", 4, 2]]

    html = errors_of(post(lead, csv_file(rows)))

    assert not Reading.objects.exists()
    assert "<td>period_end</td><td>This column is missing." in html
    assert "<td>valeur</td><td>Unknown column." in html
    assert "<td>sex:femme</td><td>Unknown column." in html
    assert "dimension:category:people" in html


def test_the_reading_rules_apply_to_every_row(counted, indicator, partner_staff, lead, post):
    draft(counted, partner_staff, date(2026, 3, 31))  # January to March is taken
    rows = [
        HEADERS,
        row(counted, "2026-02-01", "2026-02-28"),  # 2: overlaps the reading in the database
        row(counted, "2026-04-01", "2026-05-31"),  # 3
        row(counted, "2026-05-01", "2026-05-15"),  # 4: overlaps row 3
        row(counted, "2025-10-01", "2025-12-31"),  # 5: before the baseline
        row(counted, "2026-06-01", "2026-06-30", value="30"),  # 6: groups add up to 40
        row(counted, "2026-07-01", "2026-07-31", **{"sex:male:people": "30"}),  # 7: 55 people
        row(counted, "2026-08-01", "2026-08-31", status="submitted", value="", people="",
            **{"sex:female": "", "sex:female:people": "", "sex:male": "",
               "sex:male:people": ""}),  # 8: nothing to submit
        row(counted, "2099-01-01", "2099-01-31"),  # 9: not ended
        row(counted, "2026-09-01", "2026-09-30", people="4.5"),  # 10
        row(indicator, "2026-09-01", "2026-09-30"),  # 11: not disaggregated by sex
        row(9999, "2026-09-01", "2026-09-30"),  # 12
    ]  # fmt: skip

    html = errors_of(post(partner_staff, csv_file(rows)))

    assert Reading.objects.count() == 1
    expected = {
        2: ("period_start", "Another reading of this indicator covers part of this period."),
        4: ("period_start", "Row 3 of the file covers part of this period"),
        5: ("period_end", "A reading cannot be for a period that ends before the baseline"),
        6: ("sex:female, sex:male", "The sex values add up to 40, more than the reading"),
        7: ("sex:female, sex:male", "The sex groups hold 55 people, more than the 40"),
        8: ("value", "A submitted reading needs its value"),
        9: ("period_end", "Report a period once it has ended"),
        10: ("people", "Give the number of people as a whole number"),
        11: ("sex:female", "This indicator is not disaggregated by “sex”."),
        12: ("indicator", "No indicator of this partnership has the number or title “9999”."),
    }
    for number, (column, message) in expected.items():
        assert f'<td class="num">{number}</td><td>{column}</td><td>{message}' in html, number
    assert '<td class="num">3</td>' not in html


def test_a_partner_imports_only_the_indicators_it_reports(
    counted, outcome, lead_partner, partner_staff, post
):
    theirs = make_indicator(outcome, lead_partner, title="Radio programmes aired")
    rows = [
        HEADERS,
        row(counted, "2026-01-01", "2026-01-31"),
        row(theirs, "2026-01-01", "2026-01-31"),
    ]

    html = errors_of(post(partner_staff, csv_file(rows)))

    assert '<td class="num">3</td><td>indicator</td><td>You do not report this indicator' in html
    assert not Reading.objects.exists()


def test_ten_thousand_rows_import_in_a_fixed_number_of_queries(outcome, implementer, lead, post):
    long_running = make_indicator(
        outcome, implementer, title="Daily SMS sent", baseline_date=date(1990, 1, 1)
    )
    day = date(1990, 1, 1)
    rows = [["indicator", "period_start", "period_end", "value", "status"]]
    for n in range(10_000):
        end = (day + timedelta(days=n)).isoformat()
        rows.append([long_running.pk, end, end, n % 90, "submitted" if n % 2 else "draft"])

    with CaptureQueriesContext(connection) as queries:
        response = post(lead, csv_file(rows))

    assert response.status_code == 302
    assert Reading.objects.count() == 10_000
    assert Reading.history.count() == 10_000
    # Sign-in, the access checks and the locked indicators, then inserts in batches of 2,000.
    assert len(queries) < 60


def test_a_file_of_the_wrong_kind_is_refused_with_a_message(counted, lead, post):
    upload = SimpleUploadedFile("readings.pdf", b"%PDF-1.4", "application/pdf")

    html = errors_of(post(lead, upload))

    assert "This type of file cannot be imported." in html


def test_outsiders_and_funders_cannot_import(
    partnership, outsider, funder, counted, client, as_user, post
):
    url = reverse("scorecards:readings_import", kwargs={"slug": partnership.slug})
    rows = [HEADERS, row(counted, "2026-01-01", "2026-01-31")]

    assert client.get(url).status_code == 302  # to sign in
    assert as_user(outsider).get(url).status_code == 404
    assert post(outsider, csv_file(rows)).status_code == 404
    assert as_user(funder).get(url).status_code == 403
    assert post(funder, csv_file(rows)).status_code == 403
    assert not Reading.objects.exists()


def test_the_page_lists_the_indicators_and_offers_a_template(
    partnership, counted, partner_staff, as_user
):
    client = as_user(partner_staff)
    page = client.get(reverse("scorecards:readings_import", args=[partnership.slug]))
    template = client.get(
        reverse("scorecards:readings_import_template", args=[partnership.slug, "csv"])
    )

    assert page.status_code == 200
    assert "Farmers receiving daily prices" in page.content.decode()
    header, first = list(csv.reader(io.StringIO(template.content.decode("utf-8-sig"))))[:2]
    assert header[:3] == ["indicator", "period_start", "period_end"]
    assert "sex:female:people" in header
    assert first[0] == str(counted.pk)
