"""Writing CSV and XLSX exports to files and streams, apart from HTTP (harambee.tabular).

Each test writes to a real destination (a buffer, a file on disk, a Django storage) and
reads the result back with the csv module or openpyxl.
"""

import csv
import datetime
import io
import re
import tempfile
import zipfile

import pytest
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from openpyxl import load_workbook

from harambee.tabular import csv_response, read_table, write_csv, write_xlsx, xlsx_response

HYPERLINK = '=HYPERLINK("http://evil.example","x")'
HEADERS = ["title", "=header", "count", "reported_on"]
ROWS = [
    [HYPERLINK, "-3", 3, datetime.date(2024, 3, 1)],
    ["École à Thiès", "#N/A", 2.5, None],
    ["bell\x07 rings", "+1+2", -2, datetime.date(2024, 3, 2)],
]
EXPECTED_CSV = [
    ["title", "'=header", "count", "reported_on"],
    ["'" + HYPERLINK, "-3", "3", "2024-03-01"],
    ["École à Thiès", "#N/A", "2.5", ""],
    # csv writes the control character as it is; only the workbook must drop it.
    ["bell\x07 rings", "'+1+2", "-2", "2024-03-02"],
]
EXPECTED_XLSX = [
    ["title", "'=header", "count", "reported_on"],
    ["'" + HYPERLINK, "-3", 3, datetime.datetime(2024, 3, 1)],  # noqa: DTZ001 - Excel has no zones
    ["École à Thiès", "#N/A", 2.5, None],
    ["bell rings", "'+1+2", -2, datetime.datetime(2024, 3, 2)],  # noqa: DTZ001
]


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def xlsx_values(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def xlsx_parts(content: bytes) -> dict[str, bytes]:
    """The workbook's parts, without the times of writing that change every second."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: re.sub(
                rb"<dcterms:(created|modified)[^<]*</dcterms:\w+>", b"", archive.read(name)
            )
            for name in archive.namelist()
        }


class ForwardOnlyStream:
    """A destination that can only be written to, like a socket or a pipe."""

    def __init__(self):
        self.chunks = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.chunks)


# --------------------------------------------------------------------------- same bytes as HTTP


def test_write_csv_writes_the_same_bytes_as_csv_response():
    buffer = io.BytesIO()

    write_csv(buffer, HEADERS, ROWS)

    assert buffer.getvalue() == csv_response("needs.csv", HEADERS, ROWS).content
    assert csv_rows(buffer.getvalue()) == EXPECTED_CSV


def test_write_xlsx_writes_the_same_workbook_as_xlsx_response():
    buffer = io.BytesIO()

    write_xlsx(buffer, HEADERS, ROWS)

    response = xlsx_response("needs.xlsx", HEADERS, ROWS)
    assert xlsx_parts(buffer.getvalue()) == xlsx_parts(response.content)
    assert xlsx_values(buffer.getvalue()) == EXPECTED_XLSX


def test_csv_response_keeps_its_headers_and_dialect():
    response = csv_response("besoins été.csv", ["a", "b"], [["x, y", 'say "hi"']])

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "besoins%20%C3%A9t%C3%A9.csv" in response["Content-Disposition"]
    assert response.content == '\ufeffa,b\r\n"x, y","say ""hi"""\r\n'.encode()


# --------------------------------------------------------------------------- files and storage


def test_write_csv_to_a_file_on_disk_reads_back_with_the_csv_module(tmp_path):
    path = tmp_path / "needs.csv"

    with path.open("wb") as handle:
        write_csv(handle, HEADERS, ROWS)

    assert csv_rows(path.read_bytes()) == EXPECTED_CSV


def test_write_xlsx_to_a_file_on_disk_reads_back_with_openpyxl(tmp_path):
    path = tmp_path / "needs.xlsx"

    with path.open("wb") as handle:
        write_xlsx(handle, HEADERS, ROWS)

    assert xlsx_values(path.read_bytes()) == EXPECTED_XLSX


@pytest.mark.parametrize(
    ("name", "writer", "read_back", "expected"),
    [
        ("exports/needs.csv", write_csv, csv_rows, EXPECTED_CSV),
        ("exports/needs.xlsx", write_xlsx, xlsx_values, EXPECTED_XLSX),
    ],
)
def test_an_export_saved_through_django_storage_reads_back(
    tmp_path, name, writer, read_back, expected
):
    storage = FileSystemStorage(location=tmp_path)
    # How a task would do it with any storage: write to a spooled file, then save it.
    with tempfile.SpooledTemporaryFile() as spooled:
        writer(spooled, HEADERS, ROWS)
        spooled.seek(0)
        saved = storage.save(name, File(spooled))

    with storage.open(saved, "rb") as stored:
        assert read_back(stored.read()) == expected


@pytest.mark.parametrize(
    ("writer", "read_back", "expected"),
    [(write_csv, csv_rows, EXPECTED_CSV), (write_xlsx, xlsx_values, EXPECTED_XLSX)],
)
def test_an_export_written_into_a_file_opened_by_django_storage_reads_back(
    tmp_path, writer, read_back, expected
):
    storage = FileSystemStorage(location=tmp_path)

    with storage.open("export", "wb") as stored:
        writer(stored, HEADERS, ROWS)

    with storage.open("export", "rb") as stored:
        assert read_back(stored.read()) == expected


# --------------------------------------------------------------------------- streams


def test_write_xlsx_to_a_stream_that_cannot_seek_gives_a_valid_workbook():
    stream = ForwardOnlyStream()

    write_xlsx(stream, HEADERS, ROWS)

    assert xlsx_values(stream.getvalue()) == EXPECTED_XLSX


def test_write_csv_to_a_stream_that_cannot_seek_gives_the_same_bytes():
    stream = ForwardOnlyStream()

    write_csv(stream, HEADERS, ROWS)

    assert stream.getvalue() == csv_response("x.csv", HEADERS, ROWS).content


@pytest.mark.parametrize("writer", [write_csv, write_xlsx])
def test_the_writers_leave_the_stream_open_and_rows_can_be_a_generator(writer):
    buffer = io.BytesIO()

    writer(buffer, ["title", "rank"], ([f"Need {n}", n] for n in range(1, 4)))

    assert not buffer.closed
    buffer.write(b"")  # still usable by the caller


def test_a_workbook_written_to_a_stream_can_be_imported_again():
    buffer = io.BytesIO()
    write_xlsx(buffer, ["title", "rank"], [["Water", 1], ["-3 wells", 2]])
    buffer.seek(0)
    buffer.name = "needs.xlsx"

    table = read_table(buffer)

    assert table.rows == [
        (2, {"title": "Water", "rank": "1"}),
        (3, {"title": "'-3 wells", "rank": "2"}),
    ]
