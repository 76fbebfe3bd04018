"""Workbooks that are too long are refused at once (harambee.tabular.read_table).

A workbook written without a <dimension> element (openpyxl's write-only mode, and other
exporters) used to be parsed to its end before the row limit could refuse it. These tests
count the bytes read from each part of the workbook, so they show how much of the sheet
was parsed, not only how many rows came out.
"""

import io
import re
import zipfile
from xml.sax.saxutils import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from harambee.tabular import TableError, read_table
from harambee.tabular import xlsx as xlsx_reader
from harambee.tabular.table import _too_large_message

LIMIT = 100
SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
SHARED_STRINGS_REL = (
    b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)


class CountingStream:
    """Wraps a part opened from the workbook and counts the bytes read from it."""

    def __init__(self, stream, counts: dict[str, int], name: str):
        self._stream = stream
        self._counts = counts
        self._name = name
        counts[name] = 0

    def read(self, size=-1):
        data = self._stream.read(size)
        self._counts[self._name] += len(data)
        return data

    def close(self):
        self._stream.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


@pytest.fixture
def bytes_read(monkeypatch) -> dict[str, int]:
    """Bytes read so far from each part of the workbook, by part name."""
    counts: dict[str, int] = {}
    open_part = xlsx_reader._open_part
    monkeypatch.setattr(
        xlsx_reader,
        "_open_part",
        lambda archive, name: CountingStream(open_part(archive, name), counts, name),
    )
    return counts


def survey_rows(count: int, *, answers: bool = False):
    """A survey export: text and numbers, with one free-text answer per row if asked."""
    yield ["respondent", "village", "age", "household_size"] + (["answer"] if answers else [])
    for n in range(1, count + 1):
        row = [f"Respondent {n}", ("Kisumu", "Thiès", "Mopti")[n % 3], 18 + n % 60, 1 + n % 9]
        yield row + ([f"The borehole of household {n} has been dry since May"] if answers else [])


def write_only_workbook(rows) -> bytes:
    """A workbook as openpyxl's write-only mode makes it: inline strings, no <dimension>."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def long_workbook(rows) -> bytes:
    """``write_only_workbook(rows)``, byte for byte in its sheet, without openpyxl's cost
    per cell (checked by a test below), so that long workbooks stay quick to make."""
    template = write_only_workbook([])
    before, after = part(template, SHEET).split(b"<sheetData></sheetData>")
    sheet = [before, b"<sheetData>"]
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{get_column_letter(column)}{number}" t="inlineStr"><is><t>{escape(value)}</t>'
            "</is></c>"
            if isinstance(value, str)
            else f'<c r="{get_column_letter(column)}{number}" t="n"><v>{value}</v></c>'
            for column, value in enumerate(row, start=1)
        )
        sheet.append(f'<row r="{number}">{cells}</row>'.encode())
    sheet += [b"</sheetData>", after]
    return rewrite_part(template, SHEET, lambda _xml: b"".join(sheet))


def shared_strings_workbook(rows) -> bytes:
    """The same workbook with its text in a shared strings table, as Excel writes it."""
    return with_shared_strings(long_workbook(rows))


def with_shared_strings(content: bytes) -> bytes:
    """Move every inline string of the sheet into a shared strings table (numbered in the
    order they first appear, as Excel does); the sheet keeps no <dimension>."""
    strings: dict[str, int] = {}

    def shared(match: re.Match) -> bytes:
        index = strings.setdefault(match[2].decode(), len(strings))
        return b'<c r="%s" t="s"><v>%d</v></c>' % (match[1], index)

    sheet = re.sub(
        rb'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>',
        shared,
        part(content, SHEET),
    )
    table = "".join(f"<si><t>{text}</t></si>" for text in strings)  # still escaped
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == SHEET:
                data = sheet
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", SHARED_STRINGS_TYPE + b"</Types>")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", SHARED_STRINGS_REL + b"</Relationships>")
            target.writestr(info, data)
        target.writestr(
            SHARED_STRINGS,
            f'<sst xmlns="{MAIN_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            f"{table}</sst>",
        )
    return output.getvalue()


def rewrite_part(content: bytes, name: str, change) -> bytes:
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, change(data) if info.filename == name else data)
    return output.getvalue()


def part(content: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(name)


def end_of_element(xml: bytes, closing_tag: bytes, count: int) -> int:
    """The offset just after the ``count``-th ``closing_tag`` in the part."""
    position = 0
    for _ in range(count):
        position = xml.index(closing_tag, position) + len(closing_tag)
    return position


def xlsx(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("survey.xlsx", content)


# --------------------------------------------------------------------------- refusing early


def test_a_write_only_workbook_has_no_dimension_element():
    # The premise of the tests below: without it openpyxl had to parse the whole sheet.
    assert b"<dimension" not in part(write_only_workbook(survey_rows(3)), SHEET)


def test_long_workbooks_are_made_exactly_as_openpyxl_makes_them():
    rows = list(survey_rows(30, answers=True))

    assert part(long_workbook(rows), SHEET) == part(write_only_workbook(rows), SHEET)


def test_a_workbook_with_shared_strings_reads_as_openpyxl_reads_it():
    content = shared_strings_workbook(survey_rows(30, answers=True))
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    expected = [[str(value) for value in row] for row in sheet.iter_rows(values_only=True)]

    table = read_table(xlsx(content))

    assert [list(cells.values()) for _number, cells in table.rows] == expected[1:]


def test_refusing_a_long_workbook_parses_no_more_of_the_sheet_than_the_row_limit_needs(
    bytes_read,
):
    content = long_workbook(survey_rows(5_000))
    sheet = part(content, SHEET)

    with pytest.raises(TableError) as error:
        read_table(xlsx(content), max_rows=LIMIT)

    assert "more than 100 rows" in str(error.value)
    # The header, LIMIT rows, and the one row over the limit that triggers the refusal.
    needed = end_of_element(sheet, b"</row>", LIMIT + 2)
    assert bytes_read[SHEET] <= needed + xlsx_reader._XML_CHUNK
    assert bytes_read[SHEET] < len(sheet) / 10


def test_refusing_a_long_workbook_leaves_most_of_its_shared_strings_unread(bytes_read):
    content = shared_strings_workbook(survey_rows(10_000, answers=True))
    sheet, strings = part(content, SHEET), part(content, SHARED_STRINGS)
    assert b"<dimension" not in sheet

    with pytest.raises(TableError) as error:
        read_table(xlsx(content), max_rows=LIMIT)

    assert "more than 100 rows" in str(error.value)
    assert bytes_read[SHEET] <= end_of_element(sheet, b"</row>", LIMIT + 2) + xlsx_reader._XML_CHUNK
    # Rows up to the limit use the 5 header names, 3 villages and two strings per row.
    needed_strings = end_of_element(strings, b"</si>", 5 + 3 + 2 * (LIMIT + 1))
    assert bytes_read[SHARED_STRINGS] <= needed_strings + xlsx_reader._XML_CHUNK
    assert bytes_read[SHARED_STRINGS] < len(strings) / 10


def test_a_workbook_within_the_limit_is_read_to_its_end(bytes_read):
    content = write_only_workbook(survey_rows(LIMIT))

    table = read_table(xlsx(content), max_rows=LIMIT)

    assert len(table.rows) == LIMIT
    assert table.rows[-1] == (
        LIMIT + 1,
        {"respondent": "Respondent 100", "village": "Thiès", "age": "58", "household_size": "2"},
    )
    assert bytes_read[SHEET] == len(part(content, SHEET))


def test_blank_rows_do_not_count_towards_the_limit():
    rows = list(survey_rows(LIMIT))
    content = write_only_workbook(rows[:50] + [[None, None]] * 500 + rows[50:])

    table = read_table(xlsx(content), max_rows=LIMIT)

    assert len(table.rows) == LIMIT
    assert table.rows[-1][0] == LIMIT + 1 + 500


# --------------------------------------------------------------------------- other guards


def test_a_zip_bomb_is_refused_as_too_large_before_any_sheet_is_parsed(bytes_read):
    content = write_only_workbook(survey_rows(5))
    # Spaces between rows are valid XML and compress almost to nothing.
    padding = b" " * 200_000
    bomb = rewrite_part(content, SHEET, lambda xml: xml.replace(b"</row>", b"</row>" + padding))
    assert len(bomb) < 20_000

    with pytest.raises(TableError) as error:
        read_table(xlsx(bomb), max_bytes=20_000)

    assert "too large" in str(error.value)
    assert SHEET not in bytes_read


def test_broken_xml_after_the_last_row_still_makes_the_workbook_unreadable():
    content = write_only_workbook(survey_rows(5))
    broken = rewrite_part(content, SHEET, lambda xml: xml.replace(b"</worksheet>", b"<oops"))

    with pytest.raises(TableError) as error:
        read_table(xlsx(broken))

    assert "could not be read as an Excel workbook" in str(error.value)


@pytest.mark.parametrize(
    ("name", "change"),
    [
        (SHEET, lambda xml: xml.replace(b'<row r="3"', b'<row r="three"')),
        (SHEET, lambda xml: xml.replace(b'r="A3"', b'r="3A"')),
        (SHEET, lambda xml: re.sub(rb'(<c r="A4" t="s"><v>)\d+', rb"\g<1>99999", xml)),
        (SHEET, lambda xml: re.sub(rb'(<c r="C4"[^>]*><v>)[0-9]+', rb"\g<1>many", xml)),
        (SHARED_STRINGS, lambda xml: xml[: len(xml) // 2]),
        ("xl/_rels/workbook.xml.rels", lambda xml: xml.replace(b'Id="rId1"', b'Id="other"')),
    ],
)
def test_a_damaged_workbook_is_refused_as_unreadable(name, change):
    content = rewrite_part(shared_strings_workbook(survey_rows(5)), name, change)

    with pytest.raises(TableError) as error:
        read_table(xlsx(content))

    assert "could not be read as an Excel workbook" in str(error.value)


def test_a_cell_far_to_the_right_is_one_extra_cell_error():
    content = rewrite_part(
        write_only_workbook(survey_rows(3)),
        SHEET,
        lambda xml: xml.replace(
            b'</row><row r="3">', b'<c r="XFD2" t="n"><v>1</v></c></row><row r="3">'
        ),
    )

    table = read_table(xlsx(content))

    assert [(error.row, error.column) for error in table.row_errors] == [(2, "")]
    assert "more cells than there are column names" in table.row_errors[0].message
    assert table.rows[0] == (
        2,
        {"respondent": "Respondent 1", "village": "Thiès", "age": "19", "household_size": "2"},
    )


def test_a_small_workbook_that_unzips_to_hundreds_of_megabytes_is_refused_at_once():
    # A sheet of 50 MB of the same letter compresses to some 50 KB: far beyond any real ratio.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "a" * 50_000_000)
    data = buffer.getvalue()
    assert len(data) < 1_000_000

    with pytest.raises(TableError) as refused:
        read_table(SimpleUploadedFile("bomb.xlsx", data))

    assert str(refused.value) == _too_large_message(10 * 1024 * 1024)
