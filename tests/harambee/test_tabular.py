"""Tests for the generic spreadsheet import/export engine (harambee.tabular).

Every test builds a real file (CSV bytes, or an .xlsx written by openpyxl) and uploads it
the way Django would. No database is needed.
"""

import csv
import datetime
import io
import os
import re
import zipfile

import django
import pytest
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.chart import BarChart, Reference
from openpyxl.utils.datetime import CALENDAR_MAC_1904

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
from harambee.tabular.table import _build_table
from harambee.tabular.xlsx import _cell_text

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
    ids=["csv", "xlsx"],  # the workbook's bytes carry a timestamp: stable ids for xdist
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


# --------------------------------------------------------------------------- XLSX fidelity
#
# read_table parses the sheet itself (see harambee/tabular/xlsx.py); these workbooks show that
# it gives exactly what it gave when openpyxl parsed them.

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def read_with_openpyxl(content, max_rows=20_000):
    """The table read_table made when openpyxl parsed the workbook in read-only mode."""
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        records = ((number, [_cell_text(value) for value in row]) for number, row in rows)
        return _build_table(records, max_rows)
    finally:
        workbook.close()


def replace_parts(content, changes):
    """Rewrite parts of a workbook: ``changes`` maps a part name to new bytes or to a
    function of the old bytes; names that are not in the workbook are added."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            change = changes.get(info.filename, data)
            target.writestr(info, change(data) if callable(change) else change)
        for name, data in changes.items():
            if name not in source.namelist():
                target.writestr(name, data)
    return output.getvalue()


def hand_written(sheet_data, shared_strings=None):
    """A workbook whose sheet data (and shared strings) are written out by hand."""
    changes = {
        "xl/worksheets/sheet1.xml": lambda xml: re.sub(
            rb"<sheetData>.*</sheetData>|<sheetData ?/>",
            f"<sheetData>{sheet_data}</sheetData>".encode(),
            xml,
            flags=re.DOTALL,
        )
    }
    if shared_strings is not None:
        items = "".join(f"<si>{item}</si>" for item in shared_strings)
        changes["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN_NS}">{items}</sst>'.encode()
        changes["[Content_Types].xml"] = lambda xml: xml.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        changes["xl/_rels/workbook.xml.rels"] = lambda xml: xml.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
            b"</Relationships>",
        )
    return replace_parts(xlsx_bytes([["x"]]), changes)


def typed_workbook(**options):
    workbook = Workbook()
    for name, value in options.items():
        setattr(workbook, name, value)
    sheet = workbook.active
    sheet.append(["Title", "Rank", "On", "At", "Time", "Took", "Urgent", "Share", "Big", "Code"])
    sheet.append(
        [
            "  Borehole  ",
            3,
            datetime.date(2024, 3, 1),
            datetime.datetime(2024, 3, 2, 14, 30, 5),  # noqa: DTZ001 - Excel has no time zones
            datetime.time(13, 5),
            datetime.timedelta(hours=30, minutes=5),
            True,
            0.1 + 0.2,
            12345678901234567890,
            "#N/A",
        ]
    )
    sheet.append(["École ١٢٣ 中文", -3.5, None, None, None, None, False, 1e-20, 2.0**70, "x"])
    sheet["B6"] = "after a gap"
    sheet["E8"] = 7
    return workbook


def saved(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_chart_sheet_first():
    workbook = Workbook()
    workbook.active.append(["a", "b"])
    workbook.active.append([1, 2])
    chart = BarChart()  # openpyxl cannot read back a chart sheet without a chart
    chart.add_data(Reference(workbook.active, min_col=1, min_row=1, max_row=2))
    workbook.create_chartsheet("Chart", 0).add_chart(chart)
    return saved(workbook)


def with_hidden_first_sheet():
    workbook = Workbook()
    workbook.active.append(["hidden", "sheet"])
    workbook.active.append(["x", 1])
    workbook.active.sheet_state = "hidden"
    workbook.create_sheet("Second").append(["other", "sheet"])
    return saved(workbook)


def with_rich_text():
    workbook = Workbook()
    workbook.active.append(["title", "rank"])
    workbook.active.append([CellRichText(["bold ", TextBlock(InlineFont(b=True), "part")]), 3])
    return saved(workbook)


XLSX_VARIANTS = {
    "typed cells": lambda: saved(typed_workbook()),
    "ISO dates": lambda: saved(typed_workbook(iso_dates=True)),
    "1904 calendar": lambda: saved(typed_workbook(epoch=CALENDAR_MAC_1904)),
    "chart sheet first": with_chart_sheet_first,
    "hidden first sheet": with_hidden_first_sheet,
    "inline rich text": with_rich_text,
    "shared strings with runs, phonetic hints and escapes": lambda: hand_written(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3" t="s"><v>2</v></c></row>',
        [
            "<t>title</t>",
            "<t>note</t>",
            "<r><t>Bore</t></r><r><rPr><b/></rPr><t>hole</t></r>"
            "<rPh sb='0' eb='1'><t>ボア</t></rPh>",
            '<t xml:space="preserve">  padded  </t>',
            "<t>_x005F_x000D_ kept as typed</t>",
        ],
    ),
    "cached formula results and errors": lambda: hand_written(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>sum</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>text</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>error</t></is></c>'
        '<c r="D1" t="inlineStr"><is><t>uncached</t></is></c></row>'
        '<row r="2"><c r="A2"><f>1+1</f><v>2</v></c><c r="B2" t="str"><f>"a"&amp;"b"</f>'
        '<v>ab</v></c><c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D2"><f>NOW()</f></c>'
        "</row>"
    ),
    "cells and rows without references": lambda: hand_written(
        "<row><c t='inlineStr'><is><t>title</t></is></c><c t='inlineStr'><is><t>rank</t></is>"
        "</c></row><row/><row><c t='inlineStr'><is><t>Water</t></is></c><c><v>1</v></c></row>"
        "<row r='7'><c r='B7'><v>2</v></c></row><row><c><v>3</v></c></row>"
    ),
    "rows out of order": lambda: hand_written(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>title</t></is></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t>third</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>second, dropped</t></is></c></row>'
        '<row r="4.0"><c r="A4" t="inlineStr"><is><t>fourth</t></is></c></row>'
    ),
    "a wrong dimension": lambda: replace_parts(
        xlsx_bytes(need_rows(5)),
        {"xl/worksheets/sheet1.xml": lambda xml: re.sub(rb'ref="[^"]*"', b'ref="A1:A2"', xml)},
    ),
}


@pytest.mark.parametrize("variant", XLSX_VARIANTS)
def test_a_workbook_reads_exactly_as_it_did_when_openpyxl_parsed_it(variant):
    content = XLSX_VARIANTS[variant]()

    table = read_table(upload(content, name="needs.xlsx"))

    assert table == read_with_openpyxl(content)
    assert table.rows  # every variant has data, so the comparison is not of two errors


def test_xlsx_dates_times_and_durations_read_as_iso_text_in_both_calendars():
    for content in (saved(typed_workbook()), saved(typed_workbook(epoch=CALENDAR_MAC_1904))):
        row = read_table(upload(content, name="needs.xlsx")).rows[0][1]

        assert (row["on"], row["at"], row["time"]) == (
            "2024-03-01",
            "2024-03-02T14:30:05",
            "13:05:00",
        )
        assert row["took"] == "1 day, 6:05:00"
        assert (row["urgent"], row["share"]) == ("true", "0.3")


def test_a_formula_gives_its_last_computed_value_and_never_its_text():
    table = read_table(upload(XLSX_VARIANTS["cached formula results and errors"](), "f.xlsx"))

    assert table.rows == [(2, {"sum": "2", "text": "ab", "error": "#DIV/0!", "uncached": ""})]


def test_the_first_worksheet_is_read_even_after_a_chart_sheet():
    table = read_table(upload(with_chart_sheet_first(), name="needs.xlsx"))

    assert table.rows == [(2, {"a": "1", "b": "2"})]
