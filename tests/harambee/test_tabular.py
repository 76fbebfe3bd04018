"""Tests for the generic spreadsheet import/export engine (harambee.tabular).

Every test builds a real file (CSV bytes, or an .xlsx written by openpyxl) and uploads it
the way Django would. No database is needed.
"""

import csv
import datetime
import io
import os

import django
import pytest
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import WriteOnlyCell

from harambee.tabular import (
    RowError,
    Table,
    TableError,
    check_headers,
    csv_response,
    escape_cell,
    read_table,
    validate_rows,
    xlsx_response,
)

# Lets the module run on its own (pytest -p no:django); a no-op under pytest-django.
if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    settings.configure(USE_I18N=True, DEFAULT_CHARSET="utf-8")
    django.setup()


HYPERLINK = '=HYPERLINK("http://evil.example","x")'


class NeedRowForm(forms.Form):
    title = forms.CharField(max_length=200)
    rank = forms.IntegerField(min_value=1)
    people_affected = forms.IntegerField(min_value=0, required=False)


class NoDuplicateTitleForm(NeedRowForm):
    """A form with a non-field error, to check that those get an empty column."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("title") == "forbidden":
            raise forms.ValidationError("This title is not allowed.")
        return cleaned


def csv_bytes(rows, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload(content, name="needs.csv"):
    return SimpleUploadedFile(name, content)


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def need_rows(count, bad_row=None):
    """Header + `count` valid data rows; the data row at file row `bad_row` has rank 0."""
    rows = [["title", "rank", "people_affected"]]
    for number in range(2, count + 2):
        rows.append([f"Need {number}", "0" if number == bad_row else str(number), "10"])
    return rows


def read_errors(table_error):
    return str(table_error.value)


# --------------------------------------------------------------------------- reading CSV


def test_a_good_csv_file_gives_normalised_headers_and_stripped_text_cells():
    content = b"Title , Rank,People  Affected\n Borehole repair ,1, 250 \nSolar kiosk,2,\n"

    table = read_table(upload(content))

    assert table.headers == ["title", "rank", "people_affected"]
    assert table.rows == [
        (2, {"title": "Borehole repair", "rank": "1", "people_affected": "250"}),
        (3, {"title": "Solar kiosk", "rank": "2", "people_affected": ""}),
    ]
    assert table.row_errors == []


def test_a_good_csv_file_validates_into_cleaned_rows_without_errors():
    table = read_table(upload(csv_bytes(need_rows(3))))

    cleaned, errors = validate_rows(table, NeedRowForm)

    assert errors == []
    assert cleaned[0] == {"title": "Need 2", "rank": 2, "people_affected": 10}
    assert len(cleaned) == 3


def test_a_semicolon_delimited_csv_is_read_like_a_comma_one():
    content = csv_bytes([["title", "rank"], ["Clinic, north wing", "1"]], delimiter=";")

    table = read_table(upload(content))

    assert table.headers == ["title", "rank"]
    assert table.rows == [(2, {"title": "Clinic, north wing", "rank": "1"})]


def test_a_tab_delimited_txt_file_is_read():
    table = read_table(upload(b"title\trank\nWater\t1\n", name="needs.txt"))

    assert table.rows == [(2, {"title": "Water", "rank": "1"})]


def test_a_single_column_csv_falls_back_to_comma():
    table = read_table(upload(b"title\nWater\n"))

    assert table.rows == [(2, {"title": "Water"})]


def test_a_utf8_bom_does_not_end_up_in_the_first_header():
    content = "\ufefftitle,rank\nÉcole à Kisumu,1\n".encode()

    table = read_table(upload(content))

    assert table.headers == ["title", "rank"]
    assert table.rows[0][1]["title"] == "École à Kisumu"


def test_blank_lines_are_skipped_and_rows_keep_their_number_in_the_file():
    content = b"title,rank\n\nWater,1\n , \nSchool,2\n"

    table = read_table(upload(content))

    assert [number for number, _row in table.rows] == [3, 5]


def test_a_plain_binary_file_object_with_a_name_is_accepted():
    handle = io.BytesIO(b"title,rank\nWater,1\n")
    handle.name = "exports/needs.CSV"

    table = read_table(handle)

    assert table.rows == [(2, {"title": "Water", "rank": "1"})]


def test_a_file_already_read_by_someone_else_is_read_from_the_start():
    uploaded = upload(b"title,rank\nWater,1\n")
    uploaded.read()

    assert read_table(uploaded).rows == [(2, {"title": "Water", "rank": "1"})]


# --------------------------------------------------------------------------- reading XLSX


def test_a_good_xlsx_file_gives_numbers_without_decimals_and_iso_dates():
    content = xlsx_bytes(
        [
            ["Title", "Rank", "People affected", "Reported on", "Visited at", "Share", "Urgent"],
            [
                "Borehole",
                3,
                250.0,
                datetime.date(2024, 3, 1),
                datetime.datetime(2024, 3, 2, 14, 30),  # noqa: DTZ001 - Excel has no time zones
                0.1 + 0.2,
                True,
            ],
            ["Kiosk", 4.0, None, None, None, 2.5, False],
        ]
    )

    table = read_table(upload(content, name="needs.xlsx"))

    assert table.headers == [
        "title",
        "rank",
        "people_affected",
        "reported_on",
        "visited_at",
        "share",
        "urgent",
    ]
    assert table.rows[0] == (
        2,
        {
            "title": "Borehole",
            "rank": "3",
            "people_affected": "250",
            "reported_on": "2024-03-01",
            "visited_at": "2024-03-02T14:30:00",
            "share": "0.3",
            "urgent": "true",
        },
    )
    assert table.rows[1][1]["rank"] == "4"
    assert table.rows[1][1]["people_affected"] == ""
    assert table.rows[1][1]["share"] == "2.5"
    assert table.rows[1][1]["urgent"] == "false"


def test_a_good_xlsx_file_validates_into_cleaned_rows():
    content = xlsx_bytes([["title", "rank", "people_affected"], ["Borehole", 3, 250]])

    cleaned, errors = validate_rows(read_table(upload(content, name="needs.xlsx")), NeedRowForm)

    assert errors == []
    assert cleaned == [{"title": "Borehole", "rank": 3, "people_affected": 250}]


def test_a_workbook_renamed_to_csv_is_still_read_as_a_workbook():
    content = xlsx_bytes([["title", "rank"], ["Borehole", 3]])

    table = read_table(upload(content, name="needs.csv"))

    assert table.rows == [(2, {"title": "Borehole", "rank": "3"})]


def test_a_text_cell_that_looks_like_a_formula_in_xlsx_is_imported_as_text():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    cell = WriteOnlyCell(sheet, value=HYPERLINK)
    cell.data_type = "s"
    sheet.append(["title"])
    sheet.append([cell])
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = read_table(upload(buffer.getvalue(), name="needs.xlsx"))

    assert table.rows == [(2, {"title": HYPERLINK})]


def test_a_corrupt_xlsx_file_is_rejected_with_a_clear_message():
    with pytest.raises(TableError) as error:
        read_table(upload(b"PK\x03\x04garbage", name="needs.xlsx"))

    assert "could not be read as an Excel workbook" in read_errors(error)


def test_a_csv_file_named_xlsx_is_rejected_as_an_unreadable_workbook():
    with pytest.raises(TableError) as error:
        read_table(upload(b"title,rank\nWater,1\n", name="needs.xlsx"))

    assert "Excel workbook" in read_errors(error)


# --------------------------------------------------------------------------- file-level errors


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("needs.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ("needs.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("needs", b"title,rank\nWater,1\n"),
    ],
)
def test_files_that_are_not_csv_or_xlsx_are_rejected_naming_the_accepted_formats(name, content):
    with pytest.raises(TableError) as error:
        read_table(upload(content, name=name))

    message = read_errors(error)
    assert ".xlsx" in message
    assert "CSV" in message


def test_a_binary_file_named_csv_is_rejected():
    with pytest.raises(TableError) as error:
        read_table(upload(b"title\x00rank\x00", name="needs.csv"))

    assert ".xlsx" in read_errors(error)


@pytest.mark.parametrize("content", [b"", b"\n\n  \r\n", b"\xef\xbb\xbf", b",,\n,,\n"])
def test_an_empty_file_is_rejected(content):
    with pytest.raises(TableError) as error:
        read_table(upload(content))

    assert "no rows to import" in read_errors(error)


def test_an_empty_workbook_is_rejected():
    with pytest.raises(TableError) as error:
        read_table(upload(xlsx_bytes([]), name="needs.xlsx"))

    assert "no rows to import" in read_errors(error)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"title,rank,people_affected\n\n\n", "needs.csv"),
        (xlsx_bytes([["title", "rank"]]), "needs.xlsx"),
    ],
)
def test_a_file_with_only_headers_is_rejected(content, name):
    with pytest.raises(TableError) as error:
        read_table(upload(content, name=name))

    assert "no rows to import" in read_errors(error)


def test_a_latin1_file_is_rejected_with_advice_to_save_it_as_csv_utf8():
    content = "title,rank\nÉcole de Thiès,1\nCentre de santé,2\n".encode("latin-1")

    with pytest.raises(TableError) as error:
        read_table(upload(content))

    assert "UTF-8" in read_errors(error)
    assert "CSV UTF-8" in read_errors(error)


def test_a_file_larger_than_the_limit_is_rejected():
    content = csv_bytes(need_rows(100))

    with pytest.raises(TableError) as error:
        read_table(upload(content), max_bytes=1000)

    assert "too large" in read_errors(error)


def test_a_file_whose_size_is_unknown_is_still_limited():
    handle = io.BytesIO(csv_bytes(need_rows(100)))
    handle.name = "needs.csv"

    with pytest.raises(TableError):
        read_table(handle, max_bytes=1000)


@pytest.mark.parametrize("name", ["needs.csv", "needs.xlsx"])
def test_more_data_rows_than_the_limit_are_rejected_naming_the_limit(name):
    rows = need_rows(11)
    content = csv_bytes(rows) if name.endswith(".csv") else xlsx_bytes(rows)

    with pytest.raises(TableError) as error:
        read_table(upload(content, name=name), max_rows=10)

    assert "more than 10 rows" in read_errors(error)


def test_exactly_the_row_limit_is_accepted():
    assert len(read_table(upload(csv_bytes(need_rows(10))), max_rows=10).rows) == 10


def test_duplicate_headers_are_rejected_naming_them():
    with pytest.raises(TableError) as error:
        read_table(upload(b"title,Rank,rank ,title\nWater,1,2,x\n"))

    message = read_errors(error)
    assert "title" in message
    assert "rank" in message
    assert "more than once" in message


def test_a_blank_header_between_named_columns_is_rejected_naming_the_column():
    with pytest.raises(TableError) as error:
        read_table(upload(b"title,,rank\nWater,x,1\n"))

    assert "Column B has no name" in read_errors(error)


def test_empty_unnamed_columns_at_the_right_edge_are_ignored():
    table = read_table(upload(b"title,rank,,\nWater,1,,\n"))

    assert table.headers == ["title", "rank"]
    assert table.row_errors == []


def test_malformed_csv_is_rejected_with_the_line_number():
    content = b'title,rank\nWater,1\n"Clinic"north,2\n'

    with pytest.raises(TableError) as error:
        read_table(upload(content))

    assert "line 3" in read_errors(error)


# --------------------------------------------------------------------------- headers


def test_missing_and_unknown_headers_are_both_reported_with_what_is_expected():
    table = read_table(upload(b"title,colour\nWater,blue\n"))

    errors = check_headers(table, required=["title", "rank"], optional=["people_affected"])

    assert [(error.row, error.column) for error in errors] == [(1, "rank"), (1, "colour")]
    assert "missing" in errors[0].message
    assert "title, rank" in errors[0].message
    assert "Unknown column" in errors[1].message
    assert "title, rank, people_affected" in errors[1].message


def test_expected_headers_give_no_errors_even_when_optional_ones_are_absent():
    table = read_table(upload(b"Rank,TITLE\n1,Water\n"))

    assert check_headers(table, required=("title", "rank"), optional=("people_affected",)) == []


# --------------------------------------------------------------------------- row validation


def test_one_bad_row_among_500_is_reported_with_its_row_column_and_message():
    table = read_table(upload(csv_bytes(need_rows(500, bad_row=321))))

    cleaned, errors = validate_rows(table, NeedRowForm)

    # Callers import only when errors is empty, so nothing of this file is imported.
    assert errors == [
        RowError(321, "rank", "Ensure this value is greater than or equal to 1."),
    ]
    assert len(cleaned) == 499


def test_every_field_error_of_a_row_is_listed():
    table = read_table(upload(b"title,rank,people_affected\n,abc,-5\n"))

    _cleaned, errors = validate_rows(table, NeedRowForm)

    assert {(error.row, error.column) for error in errors} == {
        (2, "title"),
        (2, "rank"),
        (2, "people_affected"),
    }


def test_non_field_errors_have_an_empty_column():
    table = read_table(upload(b"title,rank\nforbidden,1\n"))

    _cleaned, errors = validate_rows(table, NoDuplicateTitleForm)

    assert errors == [RowError(2, "", "This title is not allowed.")]


def test_form_kwargs_are_passed_to_every_form():
    table = read_table(upload(b"title,rank\nWater,1\n"))

    _cleaned, errors = validate_rows(table, NeedRowForm, form_kwargs={"prefix": "need"})

    # With a prefix the form looks for "need-title", so the row is reported as empty.
    assert {error.column for error in errors} == {"title", "rank"}


def test_a_row_with_more_cells_than_headers_is_reported_as_a_row_error():
    content = b"title,rank\nWater,1\nSchool,2,surprise\nClinic,3,,\n"

    table = read_table(upload(content))
    cleaned, errors = validate_rows(table, NeedRowForm)

    assert [(error.row, error.column) for error in errors] == [(3, "")]
    assert "more cells than there are column names" in errors[0].message
    assert [row["title"] for row in cleaned] == ["Water", "Clinic"]


def test_errors_stop_after_max_errors_with_a_note_that_more_were_not_listed():
    rows = [["title", "rank"]] + [["Water", "0"]] * 50

    _cleaned, errors = validate_rows(read_table(upload(csv_bytes(rows))), NeedRowForm, max_errors=5)

    assert [error.row for error in errors] == [2, 3, 4, 5, 6, 0]
    assert "More errors were not listed" in errors[-1].message


def test_exactly_max_errors_errors_get_no_note():
    rows = [["title", "rank"]] + [["Water", "0"]] * 5

    _cleaned, errors = validate_rows(read_table(upload(csv_bytes(rows))), NeedRowForm, max_errors=5)

    assert len(errors) == 5


def test_a_table_built_by_hand_validates_too():
    table = Table(headers=["title", "rank"], rows=[(7, {"title": "Water", "rank": "2"})])

    assert validate_rows(table, NeedRowForm) == (
        [{"title": "Water", "rank": 2, "people_affected": None}],
        [],
    )


def test_10000_rows_all_validate():
    table = read_table(upload(csv_bytes(need_rows(10_000))))

    cleaned, errors = validate_rows(table, NeedRowForm)

    assert errors == []
    assert len(cleaned) == 10_000


# --------------------------------------------------------------------------- formulas


def test_a_formula_cell_in_csv_is_imported_as_its_exact_text():
    table = read_table(upload(csv_bytes([["title", "rank"], [HYPERLINK, "1"]])))

    cleaned, errors = validate_rows(table, NeedRowForm)

    assert errors == []
    assert cleaned[0]["title"] == HYPERLINK


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+1+2", "'+1+2"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("-3", "-3"),
        ("+2.5", "+2.5"),
        ("-1e5", "-1e5"),
        ("Water = life", "Water = life"),
        ("", ""),
        (-3, -3),
        (None, None),
        (datetime.date(2024, 3, 1), datetime.date(2024, 3, 1)),
    ],
)
def test_escape_cell_neutralises_formulas_but_not_numbers(value, expected):
    assert escape_cell(value) == expected


def test_csv_response_is_utf8_with_bom_and_escapes_every_cell():
    response = csv_response(
        "besoins été.csv",
        ["title", "=header"],
        [[HYPERLINK, "-3"], ["École", 7], [None, -2]],
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "besoins%20%C3%A9t%C3%A9.csv" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert rows == [
        ["title", "'=header"],
        ["'" + HYPERLINK, "-3"],
        ["École", "7"],
        ["", "-2"],
    ]


def test_xlsx_response_stores_escaped_text_and_never_a_formula():
    response = xlsx_response(
        "needs.xlsx",
        ["title", "count", "=header"],
        [[HYPERLINK, 3, "-3"], ["#N/A", 2.5, "École"]],
    )

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="needs.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [
        ["title", "count", "'=header"],
        ["'" + HYPERLINK, 3, "-3"],
        ["#N/A", 2.5, "École"],
    ]
    formula_cell = sheet["A2"]
    assert formula_cell.data_type == "s"
    assert sheet["C1"].data_type == "s"
    assert sheet["A3"].data_type == "s"  # not an Excel error value


def test_xlsx_response_writes_aware_datetimes_as_local_time_and_drops_control_characters():
    aware = datetime.datetime(2024, 3, 2, 14, 30, tzinfo=datetime.UTC)

    response = xlsx_response("x.xlsx", ["when", "note"], [[aware, "bell\x07 rings"]])

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == timezone.localtime(aware).replace(tzinfo=None)
    assert sheet["B2"].value == "bell rings"


def test_an_exported_xlsx_can_be_imported_again():
    response = xlsx_response("needs.xlsx", ["title", "rank"], [["Water", 1], ["-3 wells", 2]])

    table = read_table(upload(response.content, name="needs.xlsx"))

    assert table.rows == [
        (2, {"title": "Water", "rank": "1"}),
        (3, {"title": "'-3 wells", "rank": "2"}),
    ]


def test_each_row_is_validated_on_its_own():
    table = read_table(upload(b"title,rank,people_affected\nWells,0,\nSchool,2,30\n,3,\n"))

    cleaned, errors = validate_rows(table, NeedRowForm)

    assert [(e.row, e.column) for e in errors] == [(2, "rank"), (4, "title")]
    assert cleaned == [{"title": "School", "rank": 2, "people_affected": 30}]
